from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.citizens.lottery import ATTRIBUTE_LABELS, values_of
from madang.citizens.models import LOTTERY_ATTRIBUTES, REGIONS, AgeBand, Gender, Occupation, PoolPurpose
from madang.citizens.services import INTERESTS
from madang.core.formfields import choice, model_choice
from madang.people import seats
from madang.people.models import Organisation, OrgKind, User

INTEREST_LABELS = {
    "civil": _("Civil services"),
    "transport": _("Transport"),
    "welfare": _("Welfare"),
    "environment": _("Environment"),
    "economy": _("Economy and jobs"),
    "culture": _("Culture"),
    "safety": _("Safety"),
    "digital": _("Digital government"),
    "health": _("Health"),
    "education": _("Education"),
}


class JoinForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$", help_text=_("Letters, digits and @.+-_ only.")
    )
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
                validate_password(
                    data["password"], User(username=data.get("username", ""), email=data.get("email", ""))
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class AttributesForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that Madang keeps these answers to balance invitation lotteries."), required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Rather not say")), *Gender.choices], required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", _("Rather not say")), *AgeBand.choices], required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Rather not say")), *[(r, r) for r in REGIONS]], required=False
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=[("", _("Rather not say")), *Occupation.choices], required=False
    )
    interests = forms.MultipleChoiceField(
        label=_("Fields of interest"),
        choices=[(i, INTEREST_LABELS[i]) for i in INTERESTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput, strip=False, max_length=200
    )


# ---------------------------------------------------------------- invitation pools


class PoolForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    purpose = forms.ChoiceField(label=_("What it is for"), choices=PoolPurpose.choices)
    organisation = forms.ModelChoiceField(label=_("Organising body"), queryset=Organisation.objects.none())
    k = forms.IntegerField(label=_("Seats on the panel"), min_value=1, max_value=500)
    attributes = forms.MultipleChoiceField(
        label=_("Attributes with quotas"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(a, ATTRIBUTE_LABELS[a]) for a in LOTTERY_ATTRIBUTES],
    )
    opens_at = forms.DateTimeField(
        label=_("Volunteering opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Volunteering closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    answer_days = forms.IntegerField(label=_("Days to answer an invitation"), min_value=1, max_value=60, initial=7)
    event = forms.ChoiceField(
        label=_("Joint event whose citizen seats it draws"),
        required=False,
        help_text=_(
            "Citizen members then take part in that event only with a seat drawn here; "
            "volunteering must close before the event starts."
        ),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from madang.citizens.rules import can_organise_in

        allowed = [o.pk for o in Organisation.objects.exclude(kind=OrgKind.DEPARTMENT) if can_organise_in(user, o)]
        model_choice(self, "organisation").queryset = Organisation.objects.filter(pk__in=allowed)
        events = [
            (v.subject, f"{v.title} ({timezone.localtime(v.starts_at):%Y-%m-%d})" if v.starts_at else v.title)
            for v in seats.drawable_events(user)
        ]
        choice(self, "event").choices = [("", _("None: a meeting or an event without a lottery")), *events]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("Volunteering must close after it opens."))
        return data


class QuotasForm(forms.Form):
    """A minimum and a maximum for every value of every attribute the pool uses."""

    def __init__(self, *args: Any, pool: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.rows: list[tuple[str, str, str, str]] = []
        self.keys: list[tuple[str, str]] = []
        for attribute in pool.attributes:
            for value, label in values_of(attribute):
                lo, hi = pool.quotas.get(attribute, {}).get(value) or [0, pool.k]
                key = f"{attribute}__{value}"
                self.fields[f"{key}__min"] = forms.IntegerField(
                    min_value=0, max_value=pool.k, initial=lo, label=_("Minimum for %(v)s") % {"v": label}
                )
                self.fields[f"{key}__max"] = forms.IntegerField(
                    min_value=0, max_value=pool.k, initial=hi, label=_("Maximum for %(v)s") % {"v": label}
                )
                self.rows.append((str(ATTRIBUTE_LABELS[attribute]), str(label), f"{key}__min", f"{key}__max"))
                self.keys.append((attribute, value))

    def table(self, counts: dict[str, dict[str, int]]) -> list[tuple[str, str, int, Any, Any]]:
        return [
            (a, v, counts.get(attr, {}).get(value, 0), self[lo], self[hi])
            for (a, v, lo, hi), (attr, value) in zip(self.rows, self.keys, strict=True)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _a, label, lo, hi in self.rows:
            if data.get(lo) is not None and data.get(hi) is not None and data[lo] > data[hi]:
                self.add_error(hi, _("The maximum for %(v)s is below its minimum.") % {"v": label})
        return data

    def quotas(self) -> dict[str, dict[str, list[int]]]:
        d = self.cleaned_data
        return {
            a: {v: [d[f"{a}__{v}__min"], d[f"{a}__{v}__max"]] for v, _l in values_of(a)} for a in self.pool.attributes
        }


class SeedSourceForm(forms.Form):
    seed_source = forms.CharField(
        label=_("Where the public seed will come from"),
        max_length=300,
        help_text=_(
            "Announce it now, before anyone can know it: for example the winning numbers of a named lottery "
            "draw on a future date."
        ),
    )
    seed_due_at = forms.DateTimeField(
        label=_("When it will be published"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("After now. Draw the panel once it is published: the transparency page checks this order."),
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Public seed"), max_length=200, help_text=_("Type the announced value exactly as it was published.")
    )


class VolunteerForm(forms.Form):
    email_me = forms.BooleanField(label=_("E-mail me if I am drawn"), required=False)
