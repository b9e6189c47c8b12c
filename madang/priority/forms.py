from django import forms
from django.utils.translation import gettext_lazy as _

from madang.priority.models import Verdict


class RuleForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Ruling"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
