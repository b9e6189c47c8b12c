from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this download?"),
        help_text=_("Kept in the access records and read by the privacy officer in the monthly review."),
        min_length=5,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 60}),
    )
