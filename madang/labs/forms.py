from django import forms
from django.utils.translation import gettext_lazy as _

from madang.calls.forms import DepartmentChoiceField
from madang.labs import selectors
from madang.labs.models import DUTIES, ExperimentState, LabOutcome, ReportKind
from madang.people.models import Organisation, OrgKind


class LabForm(forms.Form):
    slug = forms.SlugField(label=_("Address"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    mission = forms.CharField(
        label=_("Mission"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    home = forms.ModelChoiceField(
        label=_("Home organisation"), queryset=Organisation.objects.exclude(kind=OrgKind.DEPARTMENT)
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why you want to join"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DutiesForm(forms.Form):
    duties = forms.MultipleChoiceField(
        label=_("Routine duties I am released from"),
        choices=DUTIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Decision"), max_length=200)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    consent_days = forms.IntegerField(label=_("Days to object"), min_value=1, max_value=14, initial=3)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class JournalForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Entry"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    file = forms.FileField(label=_("Attachment (optional)"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class ExperimentForm(forms.Form):
    hypothesis = forms.CharField(label=_("Hypothesis"), max_length=300)
    method = forms.CharField(
        label=_("Method"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000
    )
    state = forms.ChoiceField(label=_("State"), choices=ExperimentState.choices)
    result = forms.CharField(
        label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000
    )
    lesson = forms.CharField(
        label=_("Lesson"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    body = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class ExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New end date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=LabOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    department = DepartmentChoiceField(
        label=_("Department (when handed over)"), required=False, queryset=selectors.handover_departments()
    )
