from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from madang.people.models import User

# The purpose of each sign-in field (autocomplete) lets a password manager or the browser fill it in:
# signing in then asks nobody to remember or retype anything (KWCAG 7.3.3, WCAG 1.3.5 and 3.3.8).
USERNAME = {"autocomplete": "username"}
CURRENT = {"autocomplete": "current-password"}
NEW = {"autocomplete": "new-password"}


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs=USERNAME))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs=CURRENT), max_length=200, strip=False
    )


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("ko", "한국어"), ("en", "English")])


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for the default. The token stops working after this."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["days"]).max_value = settings.MADANG_API_TOKEN_MAX_DAYS
        self.fields["days"].validators.append(MaxValueValidator(settings.MADANG_API_TOKEN_MAX_DAYS))
        self.fields["days"].widget.attrs.update(
            max=settings.MADANG_API_TOKEN_MAX_DAYS, placeholder=settings.MADANG_API_TOKEN_DAYS
        )


class PasswordForm(forms.Form):
    """The password again, for re-authentication before a sensitive action."""

    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs=CURRENT), max_length=200, strip=False
    )


class NewPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs=NEW), max_length=200, strip=False
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs=NEW), max_length=200, strip=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, self.user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs=CURRENT), max_length=200, strip=False
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("What to import"),
        choices=[("organisations", _("Organisations and departments")), ("staff", _("Staff"))],
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Korean headers, e.g. 아이디, 성명, 이메일, 부서코드, 직급, 직위, 역할"),
    )
    confirm = forms.BooleanField(label=_("Write the changes (leave unticked for a dry run)"), required=False)

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        return f
