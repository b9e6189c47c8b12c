from django import forms
from django.utils.translation import gettext_lazy as _

from madang.insight.models import Choice, Opinion


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=280,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
        help_text=_("One short opinion others can agree or disagree with."),
    )


class OpinionVoteForm(forms.Form):
    statement = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    value = forms.TypedChoiceField(choices=Opinion.choices, coerce=int)


class ModerateForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    approve = forms.TypedChoiceField(choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1")


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("Your idea"), max_length=200, min_length=5, widget=forms.TextInput(attrs={"maxlength": 200})
    )


class PairVoteForm(forms.Form):
    pair = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    choice = forms.ChoiceField(choices=Choice.choices)


class MergeForm(forms.Form):
    proposal = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    into = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(required=False, max_length=1000)
