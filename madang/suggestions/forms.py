"""The suggestion system's forms: filing, and one per step of the desk and the proposer's page.

The decision forms take their grounds from the pack the suggestion was received under, each with
its article, so the office chooses among the grounds the rules give and nothing else."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from madang.core import params
from madang.people.models import Organisation, User
from madang.suggestions import selectors
from madang.suggestions.models import (
    CreditKind,
    DecisionOutcome,
    Measure,
    RulingKind,
    Suggestion,
    SuggestionKind,
)
from madang.suggestions.packs import Pack

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})
MAX_TEXT = 4000


class PersonChoice(params.IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.department.name})" if obj.department_id else obj.display_name


class OnePerson(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class FileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)
    solution = forms.CharField(
        label=_("Proposed solution"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    expected_effect = forms.CharField(label=_("Expected effect"), widget=TEXT, max_length=20_000, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        initial=SuggestionKind.STANDING,
        widget=forms.RadioSelect,
        choices=[
            (SuggestionKind.STANDING, SuggestionKind.STANDING.label),
            (SuggestionKind.IMPLEMENTED, _("Already-implemented suggestion: I have put it in place")),
        ],
    )
    evidence = forms.CharField(
        label=_("What is already in place, and the evidence"),
        widget=TEXT,
        max_length=MAX_TEXT,
        required=False,
        help_text=_("Only for an already-implemented suggestion."),
    )
    in_place_since = forms.DateField(label=_("In place since"), widget=DATE, required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if SuggestionKind.IMPLEMENTED not in kinds:
            # The rules this proposer files under have no already-implemented type: the form does not
            # offer a choice the office would refuse.
            for name in ("kind", "evidence", "in_place_since"):
                del self.fields[name]

    def filing(self) -> dict[str, Any]:
        """The type and its evidence, as the services take them (the standing type when not offered)."""
        d = self.cleaned_data
        return {
            "kind": d.get("kind", SuggestionKind.STANDING),
            "evidence": d.get("evidence", ""),
            "in_place_since": d.get("in_place_since"),
        }


class SupplementForm(forms.Form):
    question = forms.CharField(label=_("What needs supplementing"), widget=TEXT, max_length=MAX_TEXT)
    answer_by = forms.DateField(
        label=_("Answer by"),
        widget=DATE,
        help_text=_("The decision period stops from the day after this request until the answer arrives."),
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for extending the decision period"),
        widget=TEXT,
        max_length=MAX_TEXT,
        help_text=_("The proposer is told the reason and the new due date."),
    )


class AnswerForm(forms.Form):
    supplement = params.IdField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Your supplement"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    ground = forms.ChoiceField(label=_("Ground (from the rules)"), required=False)
    explanation = forms.CharField(
        label=_("Explanation for the proposer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text=_("Give the reasons concretely: the proposer reads them."),
    )
    panel = PersonChoice(label=_("Review panel"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    department = DepartmentChoice(
        label=_("Implementing department (if adopted)"), queryset=Organisation.objects.none(), required=False
    )
    implement_by = forms.DateField(label=_("Planned implementation date (if adopted)"), widget=DATE, required=False)
    transfer_to = forms.CharField(
        label=_("Handed to (if transferred)"),
        max_length=200,
        required=False,
        help_text=_("The civil-complaint desk or the agency whose business it is."),
    )
    transfer_reference = forms.CharField(label=_("Their reference number"), max_length=100, required=False)

    outcomes: tuple[str, ...] = tuple(DecisionOutcome.values)

    def __init__(
        self, *args: Any, suggestion: Suggestion, pack: Pack | None, exclude: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        grounds = [g for g in (pack.grounds.values() if pack else []) if g.outcome in self.outcomes]
        by_outcome: dict[str, list[tuple[str, str]]] = {}
        for g in grounds:
            by_outcome.setdefault(str(DecisionOutcome(g.outcome).label), []).append((g.code, f"{g.label} ({g.cite})"))
        ground, outcome = self.fields["ground"], self.fields["outcome"]
        assert isinstance(ground, forms.ChoiceField) and isinstance(outcome, forms.ChoiceField)
        ground.choices = [("", _("— none (adopted) —")), *by_outcome.items()]
        outcome.choices = [(v, DecisionOutcome(v).label) for v in self.outcomes]
        people = selectors.panel_candidates(suggestion.office).exclude(pk__in=suggestion.proposal.author_ids())
        if exclude:
            people = people.exclude(pk__in=exclude)
        self.fields["panel"].queryset = people  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        self.fields["department"].queryset = selectors.departments(suggestion.office)  # type: ignore[attr-defined]  # a ModelChoiceField


class DecideAgainForm(DecideForm):
    outcomes = (DecisionOutcome.ADOPT, DecisionOutcome.NOT_ADOPT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("transfer_to", "transfer_reference"):
            del self.fields[name]
        self.fields["panel"].help_text = _("No one who sat on the first review may sit on the re-examination.")


class ReexamineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it should be examined again"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )


class PlanForm(forms.Form):
    text = forms.CharField(
        label=_("Implementation plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )
    implement_by = forms.DateField(label=_("Planned implementation date"), widget=DATE)
    department = DepartmentChoice(
        label=_("Implementing department"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, suggestion: Suggestion, office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not office:
            # Only the office chooses the implementing department (services.plan_implementation):
            # the liaison planning for their department is not offered a choice that would be refused.
            del self.fields["department"]
            return
        self.fields["department"].queryset = selectors.departments(suggestion.office)  # type: ignore[attr-defined]  # a ModelChoiceField


class DelayForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the delay"), widget=TEXT, max_length=MAX_TEXT)
    new_date = forms.DateField(label=_("New implementation date"), widget=DATE)


class CannotForm(forms.Form):
    reason = forms.CharField(label=_("Why it cannot be implemented"), widget=TEXT, max_length=MAX_TEXT)


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ruling"), choices=RulingKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=TEXT, max_length=MAX_TEXT)
    new_date = forms.DateField(label=_("Date it must be implemented by (if not accepted)"), widget=DATE, required=False)


class EffectForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices, widget=forms.RadioSelect)
    budget_saved_krw = forms.IntegerField(label=_("Budget saved (KRW)"), min_value=0, initial=0)
    revenue_krw = forms.IntegerField(label=_("Revenue (KRW)"), min_value=0, initial=0)
    citizen_hours = forms.IntegerField(label=_("Hours saved for citizens"), min_value=0, initial=0)
    staff_hours = forms.IntegerField(label=_("Hours saved for staff"), min_value=0, initial=0)
    other = forms.CharField(label=_("Non-financial effect"), widget=TEXT, max_length=MAX_TEXT, required=False)
    evidence = forms.CharField(label=_("Evidence"), widget=TEXT, max_length=MAX_TEXT)
    file = forms.FileField(label=_("Evidence file (optional)"), required=False)


class AwardForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reasons for the grade"), widget=TEXT, max_length=MAX_TEXT)
    implementer = OnePerson(label=_("Implementer recognised (optional)"), queryset=User.objects.none(), required=False)
    implementer_note = forms.CharField(
        label=_("Recognition of the implementer"), widget=TEXT, max_length=MAX_TEXT, required=False
    )

    def __init__(self, *args: Any, suggestion: Suggestion, pack: Pack | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grades = pack.grades if pack is not None else ()
        self.fields["grade"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (g.code, f"{g.label} ({g.amount_krw:,}원)" if g.amount_krw is not None else g.label) for g in grades
        ]
        self.fields["implementer"].queryset = selectors.implementers(suggestion)  # type: ignore[attr-defined]  # a ModelChoiceField


class CreditForm(forms.Form):
    person = OnePerson(label=_("Person"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Credit"), choices=CreditKind.choices, widget=forms.RadioSelect)
    points = forms.DecimalField(label=_("Merit points"), max_digits=6, decimal_places=2, required=False)
    note = forms.CharField(label=_("Note for the HR office"), widget=TEXT, max_length=MAX_TEXT)

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.credit_candidates(suggestion)  # type: ignore[attr-defined]  # a ModelChoiceField


class RecommendForm(forms.Form):
    note = forms.CharField(label=_("Recommendation package"), widget=TEXT, max_length=MAX_TEXT)


class CorrectEffectForm(forms.Form):
    """A correction replaces one current record; its figures start as that record's."""

    effect = forms.TypedChoiceField(label=_("Record to correct"), coerce=int, widget=forms.RadioSelect)
    budget_saved_krw = forms.IntegerField(label=_("Budget saved (KRW)"), min_value=0)
    revenue_krw = forms.IntegerField(label=_("Revenue (KRW)"), min_value=0)
    citizen_hours = forms.IntegerField(label=_("Hours saved for citizens"), min_value=0)
    staff_hours = forms.IntegerField(label=_("Hours saved for staff"), min_value=0)
    other = forms.CharField(label=_("Non-financial effect"), widget=TEXT, max_length=MAX_TEXT, required=False)
    evidence = forms.CharField(label=_("Evidence"), widget=TEXT, max_length=MAX_TEXT)
    file = forms.FileField(
        label=_("New evidence file (optional)"),
        required=False,
        help_text=_("Without a new file, the correction keeps the earlier record's file."),
    )
    reason = forms.CharField(label=_("Why it is corrected"), widget=TEXT, max_length=MAX_TEXT)

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        current = list(selectors.current_effects(suggestion))
        if len(current) == 1 and not args:
            # One record to correct (the common case): start from its figures.
            first = current[0]
            kwargs.setdefault(
                "initial",
                {
                    "effect": first.pk,
                    "budget_saved_krw": first.budget_saved_krw,
                    "revenue_krw": first.revenue_krw,
                    "citizen_hours": first.citizen_hours,
                    "staff_hours": first.staff_hours,
                    "other": first.other,
                    "evidence": first.evidence,
                },
            )
        super().__init__(*args, **kwargs)
        effect = self.fields["effect"]
        assert isinstance(effect, forms.ChoiceField)
        effect.choices = [(e.pk, f"{e.get_measure_display()} ({e.recorded_on:%Y-%m-%d})") for e in current]


def _pack_label(choice: selectors.PackChoice) -> str:
    # The title, not the pack's id: a Korean page shows no code (the table beside the form has both).
    label = _("%(title)s, in force since %(date)s") if choice.in_force else _("%(title)s, in force from %(date)s")
    text = str(label) % {"title": choice.title, "date": choice.effective.isoformat()}
    for version, effective in choice.later:
        text += " · " + str(_("new version %(version)s from %(date)s")) % {
            "version": version,
            "date": effective.isoformat(),
        }
    return text


class OpenOfficeForm(forms.Form):
    """Open an organisation's suggestion office: the packs its suggestions will follow, each
    offered with the day its version took (or takes) effect."""

    organisation = DepartmentChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    citizen_pack = forms.ChoiceField(label=_("Rules for citizens' suggestions"), required=False)
    official_pack = forms.ChoiceField(label=_("Rules for officials' suggestions"), required=False)
    title = forms.CharField(
        label=_("Title of the standing call (optional)"),
        max_length=200,
        required=False,
        help_text=_("By default: “<organisation> standing suggestions”."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation, citizen, official = (self.fields[n] for n in ("organisation", "citizen_pack", "official_pack"))
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(citizen, forms.ChoiceField) and isinstance(official, forms.ChoiceField)
        organisation.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("path")
        none = ("", _("— none: not taken —"))
        citizen.choices = [none, *((c.id, _pack_label(c)) for c in selectors.pack_choices("citizen"))]
        official.choices = [none, *((c.id, _pack_label(c)) for c in selectors.pack_choices("official"))]
