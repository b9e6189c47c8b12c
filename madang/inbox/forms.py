from django import forms
from django.utils.translation import gettext_lazy as _

from madang.inbox.models import NotificationKind
from madang.people.models import EmailMode


class PreferencesForm(forms.Form):
    email_mode = forms.ChoiceField(label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect)
    receive = forms.MultipleChoiceField(
        label=_("Notify me about"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
