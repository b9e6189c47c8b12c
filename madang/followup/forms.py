from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.forms import DepartmentChoiceField, department_field
from madang.calls.models import Call, Proposal
from madang.calls.selectors import routable_departments
from madang.core.formfields import choice
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


MAX_NOTE = 4000


class RouteManyForm(forms.Form):
    """Route the ticked proposals of a page, each to the department chosen on its row."""

    route = forms.TypedMultipleChoiceField(label=_("Route"), coerce=int, required=False)
    answer_due = forms.DateField(label=_("Answer due"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Note to the departments"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_NOTE,
    )

    def __init__(
        self, *args: Any, call: Call, proposals: list[Proposal], suggested: dict[int, int | None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = {p.pk: p for p in proposals}
        choice(self, "route").choices = [(p.pk, p.shown_title) for p in proposals]
        self.initial.setdefault("answer_due", timezone.localdate() + timedelta(days=14))
        grouped: list[Any] | None = None
        departments = routable_departments(call)
        for p in proposals:
            field = DepartmentChoiceField(
                label=_("Department for #%(n)s") % {"n": p.number}, queryset=Organisation.objects.none(), required=False
            )
            field.for_call(call, departments)
            grouped = (
                grouped if grouped is not None else field.grouped_choices()
            )  # the same options on every row: read once
            field.choices = grouped
            self.fields[self.department_name(p.pk)] = field
            if suggested.get(p.pk):
                self.initial.setdefault(self.department_name(p.pk), suggested[p.pk])
        # Each department's whole path, as its option says it: the suggestion names it the same way.
        self.department_labels = {pk: label for _group, options in (grouped or [])[1:] for pk, label in options}

    @staticmethod
    def department_name(pk: int) -> str:
        return f"dept_{pk}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "route" in data and not data["route"]:
            raise forms.ValidationError(_("Tick at least one proposal to route."))
        for pk in data.get("route") or []:
            if not data.get(self.department_name(pk)):
                self.add_error(self.department_name(pk), _("Choose the department for this proposal."))
        return data

    def routes(self) -> list[tuple[Proposal, Organisation]]:
        return [(self.proposals[pk], self.cleaned_data[self.department_name(pk)]) for pk in self.cleaned_data["route"]]
