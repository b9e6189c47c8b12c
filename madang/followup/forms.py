from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.forms import DepartmentChoiceField, department_field
from madang.calls.models import Call
from madang.followup.models import AnswerKind, ExecutionState, ExecutionUpdate
from madang.people.models import Organisation


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason / plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Required unless you accept in full. The author and the public will read it."),
    )
    transfer_to = DepartmentChoiceField(
        label=_("Transfer to (department)"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department_field(self, "transfer_to", call)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") and data["kind"] != AnswerKind.ACCEPT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason: the author and the public will read it."))
        if data.get("kind") == AnswerKind.TRANSFER and not data.get("transfer_to"):
            self.add_error("transfer_to", _("Please choose the department to transfer to."))
        return data


class ExecutionForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ExecutionState.choices)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args: Any, latest: ExecutionUpdate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())
        if latest is not None:  # the next report starts from where the last one left off
            self.initial.setdefault("state", latest.state)
            self.initial.setdefault("percent", latest.percent)
