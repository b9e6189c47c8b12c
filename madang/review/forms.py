from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.forms import DepartmentChoiceField, department_field
from madang.calls.models import Call, Outcome, Proposal, Status
from madang.core import params
from madang.core.formfields import model_choice
from madang.people.models import Organisation, Role, User
from madang.review.models import Verdict


class ScorecardForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Feasibility"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def __init__(self, *args: Any, criteria: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=f"{c.name} (0–{c.max_score}, ×{c.weight.normalize()})",
                min_value=0,
                max_value=c.max_score,
                help_text=c.description,
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class AssignForm(forms.Form):
    reviewers = params.IdsChoiceField(
        label=_("Reviewers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    per_proposal = forms.IntegerField(label=_("Reviewers per proposal"), min_value=1, max_value=10, initial=2)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ancestors = [int(x) for x in call.organisation.path.strip("/").split("/") if x]
        model_choice(self, "reviewers").queryset = (
            User.objects.filter(role_grants__role=Role.REVIEWER)
            .filter(models_q(call, ancestors))
            .distinct()
            .order_by("display_name")
        )


def models_q(call: Call, ancestors: list[int]) -> object:
    from django.db.models import Q

    return (
        Q(role_grants__call=call)
        | Q(role_grants__organisation_id__in=ancestors)
        | Q(role_grants__organisation__isnull=True, role_grants__call__isnull=True)
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("select", _("Select for a lab")),
            ("route", _("Route to a department")),
            ("merge", _("Merge into another proposal")),
            ("reject", _("Not adopted")),
        ],
    )
    department = DepartmentChoiceField(label=_("Department"), queryset=Organisation.objects.none(), required=False)
    answer_due = forms.DateField(label=_("Answer due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    merge_into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call = proposal.call
        department_field(self, "department", call)
        model_choice(self, "merge_into").queryset = (
            Proposal.objects.filter(call=call, status=Status.SUBMITTED)
            .exclude(pk=proposal.pk)
            .exclude(outcome=Outcome.MERGED)
        )
        self.initial.setdefault("answer_due", timezone.localdate() + timedelta(days=14))
        self.initial.setdefault("department", proposal.suggested_department_id)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "route" and not (data.get("department") and data.get("answer_due")):
            raise forms.ValidationError(_("Routing needs a department and an answer deadline."))
        if kind == "merge" and not data.get("merge_into"):
            raise forms.ValidationError(_("Choose the proposal to merge into."))
        if kind == "reject" and not (data.get("reason") or "").strip():
            raise forms.ValidationError(_("Not adopting a proposal needs a reason the author can read."))
        return data
