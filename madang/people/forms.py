from django import forms
from django.utils.translation import gettext_lazy as _

from madang.inbox.models import NotificationKind
from madang.people.models import EmailMode


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200, strip=False)


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("ko", "한국어"), ("en", "English")])
    email_mode = forms.ChoiceField(label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect)
    receive = forms.MultipleChoiceField(
        label=_("Notify me about"), choices=NotificationKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=_("What to import"), choices=[("organisations", _("Organisations and departments")), ("staff", _("Staff"))])
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("Korean headers, e.g. 아이디, 성명, 이메일, 부서코드, 직급, 직위, 역할"))
    confirm = forms.BooleanField(label=_("Write the changes (leave unticked for a dry run)"), required=False)

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        return f
