from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madang.citizens.models import REGIONS, AgeBand, Gender, Occupation
from madang.citizens.services import INTERESTS
from madang.people.models import User

INTEREST_LABELS = {
    "civil": _("Civil services"), "transport": _("Transport"), "welfare": _("Welfare"), "environment": _("Environment"),
    "economy": _("Economy and jobs"), "culture": _("Culture"), "safety": _("Safety"), "digital": _("Digital government"),
    "health": _("Health"), "education": _("Education"),
}


class JoinForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                help_text=_("Letters, digits and @.+-_ only."))
    display_name = forms.CharField(label=_("Name shown to others"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=200)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False, max_length=200)
    terms = forms.BooleanField(label=_("I agree to the terms of use and the privacy notice."))

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if User.objects.filter(username=name).exists():
            raise ValidationError(_("This username is taken."))
        return name

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", ""), email=data.get("email", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class AttributesForm(forms.Form):
    consent = forms.BooleanField(label=_("I agree that Madang keeps these answers to balance invitation lotteries."), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Rather not say")), *Gender.choices], required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", _("Rather not say")), *AgeBand.choices], required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Rather not say")), *[(r, r) for r in REGIONS]], required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=[("", _("Rather not say")), *Occupation.choices], required=False)
    interests = forms.MultipleChoiceField(label=_("Fields of interest"), choices=[(i, INTEREST_LABELS[i]) for i in INTERESTS],
                                          required=False, widget=forms.CheckboxSelectMultiple)


class DeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password, to confirm"), widget=forms.PasswordInput, strip=False, max_length=200)
