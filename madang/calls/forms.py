from collections.abc import Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import PROPOSAL_FIELDS, Audience, Call, Category, Confidentiality, PhaseKind
from madang.calls.selectors import routable_departments
from madang.calls.services import MAX_COMMENT, MAX_RICH, MAX_TITLE, CriterionSpec, PhaseSpec
from madang.core.formfields import choice, model_choice
from madang.core.params import IdField
from madang.people.models import Organisation, OrgKind
from madang.people.selectors import department_groups


class DepartmentSelect(forms.Select):
    """A select grouped by agency; with a search box (shown only where scripts run) that asks the
    server for the matching departments (`calls:departments`) and swaps them in with htmx."""

    template_name = "calls/widgets/department_select.html"
    search_url = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context


class _GroupedDepartments(forms.models.ModelChoiceIterator):
    """The field's choices: the empty choice, then one group per agency (people.selectors). Being a
    ModelChoiceIterator keeps them lazy: Django reads them when a form is drawn, not when a form
    class is defined at import (which would query the database while the URLs load)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.queryset is not None:
            for group in department_groups(self.field.queryset):
                yield (group.label, [(o.pk, o.label) for o in group.options])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or (self.field.queryset is not None and self.field.queryset.exists())


class DepartmentChoiceField(forms.ModelChoiceField):
    """Departments named with their organisation path ("한빛도 › 혁신담당관실"), grouped by agency
    in 가나다 order: sixty departments called 혁신담당관실 are told apart only by where they sit.
    `for_call` narrows it to the departments that answer for a call and turns on the search box."""

    widget = DepartmentSelect
    iterator = _GroupedDepartments

    def label_from_instance(self, obj: Organisation) -> str:
        agency = obj.agency()
        return f"{agency.name} › {obj.name}" if agency.pk != obj.pk else obj.name

    def grouped_choices(self) -> list[tuple[Any, Any]]:
        """The choices as a list (the empty one, then a group per agency), to share between fields."""
        return list(_GroupedDepartments(self))

    def for_call(self, call: Call, departments: QuerySet[Organisation] | None = None) -> None:
        """The call's departments (`departments`, when the caller has them already) and the search box."""
        self.queryset = routable_departments(call) if departments is None else departments
        widget = self.widget
        if isinstance(widget, DepartmentSelect):
            widget.search_url = reverse("calls:departments", args=[call.slug])


def department_field(form: forms.BaseForm, name: str, call: Call) -> DepartmentChoiceField:
    """The form's `DepartmentChoiceField` called `name`, narrowed to the call's departments."""
    found = form.fields[name]
    if not isinstance(found, DepartmentChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a DepartmentChoiceField")
    found.for_call(call)
    return found


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    problem = forms.CharField(
        label=_("Problem"),
        widget=forms.Textarea,
        required=False,
        max_length=MAX_RICH,
        help_text=_("What is wrong today, for whom, and how do you know?"),
    )
    solution = forms.CharField(label=_("Proposed solution"), widget=forms.Textarea, required=False, max_length=MAX_RICH)
    expected_effect = forms.CharField(
        label=_("Expected effect"), widget=forms.Textarea, required=False, max_length=MAX_RICH
    )
    suggested_department = DepartmentChoiceField(
        label=_("Responsible department (if known)"), queryset=Organisation.objects.none(), required=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "category").queryset = call.categories.all()
        department_field(self, "suggested_department", call)
        # A draft may be saved half-written, so the call's required fields are not `required`
        # for the form: they are marked for the reader and checked by submit_proposal.
        self.required_to_submit = [self.fields[n].label for n in call.required_fields if n in self.fields]
        for name in call.required_fields:
            if name in self.fields:
                self.fields[name].required_to_submit = True  # type: ignore[attr-defined]  # a marker read by the template, not a Field attribute
                self.fields[name].widget.attrs["aria-required"] = "true"
        for name in ("title", "problem", "solution"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": "similar/",
                    "hx-trigger": "keyup changed delay:600ms",
                    "hx-target": "#similar",
                    "hx-include": "#id_title, #id_problem, #id_solution",
                }
            )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_COMMENT)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"), help_text=_("Images, PDF, HWP, Office files or text; at most 10 MB.")
    )


class CoauthorForm(forms.Form):
    username = forms.CharField(label=_("Co-author's username"), max_length=150)


class ConfidentialityForm(forms.Form):
    confidentiality = forms.ChoiceField(label=_("Who may read the call"), choices=Confidentiality.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = IdField(required=False)
    outcome = forms.CharField(required=False, max_length=20)
    order = forms.ChoiceField(
        required=False,
        choices=[
            ("recent", _("Newest")),
            ("relevance", _("Best match")),
            ("support", _("Most supported")),
            ("comments", _("Most discussed")),
        ],
    )
    within = forms.ChoiceField(required=False, choices=[("proposals", _("Proposals")), ("comments", _("Comments"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)


def _parse_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address (letters, digits, hyphens)"), max_length=80)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False, max_length=MAX_RICH)
    organisation = forms.ModelChoiceField(
        label=_("Organising body"), queryset=Organisation.objects.exclude(kind=OrgKind.DEPARTMENT)
    )
    audience = forms.ChoiceField(label=_("Who may propose"), choices=Audience.choices)
    submission_start = forms.DateField(label=_("Submission opens"), widget=forms.DateInput(attrs={"type": "date"}))
    submission_end = forms.DateField(label=_("Submission closes"), widget=forms.DateInput(attrs={"type": "date"}))
    review_end = forms.DateField(label=_("Review ends"), widget=forms.DateInput(attrs={"type": "date"}))
    selection_end = forms.DateField(label=_("Selection ends"), widget=forms.DateInput(attrs={"type": "date"}))
    follow_end = forms.DateField(label=_("Follow-through ends"), widget=forms.DateInput(attrs={"type": "date"}))
    required = forms.MultipleChoiceField(
        label=_("Required fields"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(f, f) for f in PROPOSAL_FIELDS],
    )
    categories = forms.CharField(
        label=_("Categories (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    criteria = forms.CharField(
        label=_("Review criteria (one per line: name | weight | highest score)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="실현 가능성 | 2 | 5\n기대 효과 | 2 | 5\n창의성 | 1 | 5",
    )
    hide_authors = forms.BooleanField(label=_("Hide authors' names and grades until selection"), required=False)
    verified_citizens_only = forms.BooleanField(
        label=_("Citizens must be verified to propose and support"), required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read the call"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PUBLIC,
        required=False,
    )

    def clean_confidentiality(self) -> str:
        return self.cleaned_data.get("confidentiality") or Confidentiality.PUBLIC

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "problem": _("Problem"),
            "solution": _("Proposed solution"),
            "expected_effect": _("Expected effect"),
            "suggested_department": _("Responsible department"),
        }
        choice(self, "required").choices = [(f, labels[f]) for f in PROPOSAL_FIELDS]

    def clean_criteria(self) -> list[CriterionSpec]:
        specs = []
        for line in _parse_lines(self.cleaned_data["criteria"]):
            parts = [p.strip() for p in line.split("|")]
            try:
                name, weight, top = (
                    parts[0],
                    Decimal(parts[1] if len(parts) > 1 else "1"),
                    int(parts[2] if len(parts) > 2 else "5"),
                )
            except (InvalidOperation, ValueError) as exc:
                raise forms.ValidationError(_("Could not read the line “%(l)s”.") % {"l": line}) from exc
            if not name or weight <= 0 or not 1 <= top <= 100 or len(name) > 100:
                raise forms.ValidationError(_("Could not read the line “%(l)s”.") % {"l": line})
            specs.append(CriterionSpec(name=name, weight=weight, max_score=top))
        if not specs:
            raise forms.ValidationError(_("Give at least one review criterion."))
        return specs

    def clean_categories(self) -> list[str]:
        names = _parse_lines(self.cleaned_data["categories"])
        if any(len(n) > 100 for n in names):
            raise forms.ValidationError(_("A category name may have at most 100 characters."))
        return names

    def phases(self) -> list[PhaseSpec]:
        d = self.cleaned_data
        tz = timezone.get_current_timezone()

        def at(day: date, end: bool = False) -> datetime:
            return datetime.combine(day, time.max if end else time.min, tzinfo=tz)

        bounds = [d["submission_start"], d["submission_end"], d["review_end"], d["selection_end"], d["follow_end"]]
        kinds = [PhaseKind.SUBMISSION, PhaseKind.REVIEW, PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH]
        specs = [PhaseSpec(kinds[0], at(bounds[0]), at(bounds[1], end=True))]
        for i, kind in enumerate(kinds[1:], start=1):
            specs.append(PhaseSpec(kind, specs[-1].ends_at, at(bounds[i + 1], end=True)))
        return specs

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        keys = ["submission_start", "submission_end", "review_end", "selection_end", "follow_end"]
        if all(data.get(k) for k in keys):
            values = [data[k] for k in keys]
            if any(b <= a for a, b in pairwise(values[1:])) or values[1] < values[0]:
                raise forms.ValidationError(
                    _(
                        "The dates must follow each other: opens ≤ closes < review ends < selection ends < "
                        "follow-through ends."
                    )
                )
        return data


PHASE_KINDS = [PhaseKind.SUBMISSION, PhaseKind.REVIEW, PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH]


class CallEditForm(forms.Form):
    """A call's text, audience, categories and each phase's dates, with the reason for the change."""

    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False, max_length=MAX_RICH)
    audience = forms.ChoiceField(label=_("Who may propose"), choices=Audience.choices)
    categories = forms.CharField(
        label=_("Categories (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=300, help_text=_("Shown with the change in the call's history.")
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, call: Call) -> None:
        phases = {p.kind: p for p in call.ordered_phases()}
        initial = {
            "description": call.description,
            "audience": call.audience,
            "categories": "\n".join(c.name for c in call.categories.all()),
        }
        tz = timezone.get_current_timezone()
        for kind in PHASE_KINDS:
            if kind in phases:
                initial[f"{kind}_starts"] = timezone.localtime(phases[kind].starts_at, tz).strftime("%Y-%m-%dT%H:%M")
                initial[f"{kind}_ends"] = timezone.localtime(phases[kind].ends_at, tz).strftime("%Y-%m-%dT%H:%M")
        super().__init__(data, initial=initial)
        self.phase_kinds = [k for k in PHASE_KINDS if k in phases]
        self.current = phases
        widget = {"type": "datetime-local"}
        for kind in self.phase_kinds:
            name = PhaseKind(kind).label
            self.fields[f"{kind}_starts"] = forms.DateTimeField(
                label=_("%(phase)s starts") % {"phase": name},
                widget=forms.DateTimeInput(attrs=widget, format="%Y-%m-%dT%H:%M"),
            )
            self.fields[f"{kind}_ends"] = forms.DateTimeField(
                label=_("%(phase)s ends") % {"phase": name},
                widget=forms.DateTimeInput(attrs=widget, format="%Y-%m-%dT%H:%M"),
            )
        self.order_fields(
            [
                "description",
                "audience",
                "categories",
                *[f"{k}_{e}" for k in self.phase_kinds for e in ("starts", "ends")],
                "reason",
            ]
        )

    def phases(self) -> list[PhaseSpec]:
        """The phases as given; a date shown to the minute and sent back unchanged keeps its seconds."""
        d = self.cleaned_data

        def same(given: datetime, current: datetime) -> datetime:
            return current if given == current.replace(second=0, microsecond=0) else given

        return [
            PhaseSpec(
                k, same(d[f"{k}_starts"], self.current[k].starts_at), same(d[f"{k}_ends"], self.current[k].ends_at)
            )
            for k in self.phase_kinds
        ]

    def category_names(self) -> list[str]:
        return _parse_lines(self.cleaned_data["categories"])


class CallActionForm(forms.Form):
    """Close submission now, move to review now, or take proposals until a later date."""

    action = forms.ChoiceField(choices=[("close", "close"), ("review", "review"), ("extend", "extend")])
    until = forms.DateTimeField(
        label=_("Take proposals until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == "extend" and not data.get("until"):
            self.add_error("until", _("Give the new closing date."))
        return data
