import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Call
from madang.calls.selectors import readable_calls
from madang.core import params
from madang.core.formfields import choice, model_choice
from madang.events.models import (
    ATTRIBUTES,
    Audience,
    Board,
    BoardKind,
    Event,
    EventState,
    Gender,
    JobFamily,
    JudgingOf,
    Registration,
    RegState,
    RotationPriority,
    Session,
    SessionKind,
    Table,
)
from madang.events.selectors.open_space import shared_topics
from madang.events.services.judging import CriterionIn
from madang.people.models import Organisation, User
from madang.privacy import exposure

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


class EventForm(forms.Form):
    slug = forms.SlugField(label=_("Address"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    organisation = forms.ModelChoiceField(label=_("Organising body"), queryset=Organisation.objects.none())
    audience = forms.ChoiceField(label=_("Who may register"), choices=Audience.choices)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=5000)
    max_per_agency = forms.IntegerField(
        label=_("At most per agency (empty: no limit)"), min_value=1, max_value=1000, required=False
    )
    junior_grade = forms.IntegerField(label=_("Juniors are grade … and below"), min_value=1, max_value=9, initial=6)
    junior_min_percent = forms.IntegerField(
        label=_("Minimum share of juniors (%)"), min_value=0, max_value=100, initial=0
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            model_choice(self, "organisation").queryset = organisations


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=EventState.choices)


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class SessionForm(forms.Form):
    day = forms.ModelChoiceField(label=_("Day"), queryset=Event.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs=DATETIME))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs=DATETIME))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Event.objects.none(), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "day").queryset = event.days.all()
        model_choice(self, "room").queryset = event.rooms.all()


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room"), max_length=100)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=5000)


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=100)
    capacity = forms.IntegerField(label=_("Seats per table"), min_value=1, max_value=50, initial=8)


def _confirmed(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.filter(state=RegState.CONFIRMED).select_related("user").order_by("user__display_name", "pk")
    )


def _with_agency(reg: Registration, none: str) -> str:
    return f"{reg.user.display_name} ({reg.agency.name if reg.agency else none})"


class RegistrationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Registration) -> str:
        return _with_agency(obj, str(_("Citizen member")))


class RegistrationsChoice(params.IdsChoiceField):
    def label_from_instance(self, obj: Registration) -> str:
        return _with_agency(obj, str(_("Citizen member")))


class HostForm(forms.Form):
    table = forms.ModelChoiceField(label=_("Table"), queryset=Event.objects.none())
    host = RegistrationChoice(label=_("Host"), queryset=Registration.objects.none(), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "table").queryset = event.tables.all()
        model_choice(self, "host").queryset = _confirmed(event)


class ProfileForm(forms.Form):
    gender = forms.ChoiceField(label=_("Gender (optional)"), choices=Gender.choices, required=False)
    job_family = forms.ChoiceField(label=_("Job family (optional)"), choices=JobFamily.choices, required=False)
    region = forms.CharField(label=_("Region (optional)"), max_length=40, required=False)


class SubstituteForm(forms.Form):
    colleague = forms.ModelChoiceField(label=_("Colleague who goes instead"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency is not None:
            model_choice(self, "colleague").queryset = User.objects.filter(
                agency.subtree_q("department"), kind="official", is_active=True
            ).order_by("display_name")


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Check-in code shown at the venue"), max_length=12)


class NoShowForm(forms.Form):
    absent = RegistrationsChoice(
        label=_("Absent"), queryset=Registration.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "absent").queryset = _confirmed(event)


PAIR = re.compile(r"[\s,;/]+")


PEOPLE = re.compile(r"\s*[,;/·]\s*")


def parse_pairs(text: str, event: Event, field: str) -> list[list[int]]:
    """Lines of two people ("김민지, 이서준") → pairs of registration ids. A person is named as the
    facilitator knows them: by name, by name with the agency in brackets where two share a name
    ("이승우 (서울특별시)"), or by user name."""
    regs = list(_confirmed(event).select_related("agency"))
    lookup: dict[str, set[int]] = {}
    for r in regs:
        agency = r.agency.name if r.agency else ""
        for key in (
            r.user.username,
            r.user.display_name,
            f"{r.user.display_name} ({agency})",
            f"{r.user.display_name}({agency})",
        ):
            lookup.setdefault(key.strip(), set()).add(r.pk)
    by_pk = {r.pk: r for r in regs}
    out = []
    for line in text.splitlines():
        line = line.strip()
        names = [n for n in (PEOPLE.split(line) if PEOPLE.search(line) else PAIR.split(line)) if n]
        if not names:
            continue
        if len(names) != 2:
            raise forms.ValidationError(
                _("Write two people a line, separated by a comma: %(line)s") % {"line": line[:60]}
            )
        pair = []
        for name in names:
            found = lookup.get(name, set())
            if not found:
                raise forms.ValidationError(_("Nobody called %(name)s has a confirmed place.") % {"name": name[:40]})
            if len(found) > 1:
                options = ", ".join(sorted(_with_agency(by_pk[p], "-") for p in found))
                raise forms.ValidationError(
                    _("More than one person is called %(name)s: add the agency in brackets, as in %(options)s.")
                    % {"name": name[:40], "options": options}
                )
            pair.append(next(iter(found)))
        out.append(pair)
    return out


class GroupingForm(forms.Form):
    group_count = forms.IntegerField(
        label=_("Number of groups (even sizes)"), min_value=1, max_value=60, required=False
    )
    sizes = forms.CharField(label=_("Or the size of each group, e.g. 8, 8, 7"), max_length=400, required=False)
    attributes = forms.MultipleChoiceField(
        label=_("Mix by"),
        choices=ATTRIBUTES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=["agency", "level", "grade_band", "region"],
    )
    separate_agencies = forms.BooleanField(
        label=_("Never two people of the same agency in one group"), required=False, initial=True
    )
    together = forms.CharField(
        label=_("Put these two in one group (two names a line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
        help_text=_("For example: 김민지, 이서준"),
    )
    apart = forms.CharField(
        label=_("Put these two in different groups (two names a line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
        help_text=_("Where two people share a name, add the agency: 이승우 (서울특별시), 김민지"),
    )
    seconds = forms.FloatField(
        label=_("Time to look for a better mix (seconds)"), min_value=0.1, max_value=30, initial=2
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_sizes(self) -> list[int]:
        text = self.cleaned_data.get("sizes") or ""
        parts = [p for p in PAIR.split(text.strip()) if p]
        try:
            return [params.parse_int(p, field="sizes", lo=1, hi=500) for p in parts]
        except params.BadParameter:
            raise forms.ValidationError(_("Write the sizes as whole numbers separated by commas.")) from None

    def clean_together(self) -> list[list[int]]:
        return parse_pairs(self.cleaned_data.get("together") or "", self.event, "together")

    def clean_apart(self) -> list[list[int]]:
        return parse_pairs(self.cleaned_data.get("apart") or "", self.event, "apart")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("group_count") and not data.get("sizes") and not self.errors:
            raise forms.ValidationError(_("Give a number of groups or the size of each group."))
        return data


class MoveForm(forms.Form):
    registration = forms.IntegerField(min_value=1, max_value=2**62)
    to_group = forms.IntegerField(label=_("Move to group"), min_value=1, max_value=60)


class RotationForm(forms.Form):
    rounds = forms.IntegerField(label=_("Rounds"), min_value=1, max_value=12, initial=3)
    round_minutes = forms.IntegerField(label=_("Minutes per round"), min_value=1, max_value=240, initial=20)
    seconds = forms.FloatField(
        label=_("Time to look for a better mix (seconds)"), min_value=0.1, max_value=30, initial=3
    )
    tables = forms.IntegerField(
        label=_("Tables this session"),
        min_value=2,
        max_value=100,
        required=False,
        help_text=_("Leave empty to use all the event's tables."),
    )
    priority = forms.ChoiceField(
        label=_("When both cannot be kept"),
        choices=RotationPriority.choices,
        initial=RotationPriority.PEOPLE,
        required=False,  # left out (an older client, the API's shape): new people first, as before
        widget=forms.RadioSelect,
        help_text=_(
            "With as many people as tables squared, nobody can both meet only new people and sit only at new tables."
        ),
    )

    def clean_priority(self) -> str:
        return self.cleaned_data.get("priority") or RotationPriority.PEOPLE


class RoundForm(forms.Form):
    round = forms.IntegerField(label=_("Round"), min_value=1, max_value=12)


class ReplanForm(forms.Form):
    from_round = forms.IntegerField(label=_("Re-plan from round"), min_value=1, max_value=12)
    absent = RegistrationsChoice(
        label=_("Absent"), queryset=Registration.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    arrived = RegistrationsChoice(
        label=_("Arrived late"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "absent").queryset = _confirmed(event)
        model_choice(self, "arrived").queryset = _confirmed(event)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("What you want to talk about"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AvailabilityForm(forms.Form):
    sessions = params.IdsChoiceField(
        label=_("Open Space sessions I cannot make"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "sessions").queryset = event.sessions.filter(kind=SessionKind.OPEN_SPACE)


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return exposure.shown(obj.title)  # organisers are not moderators: flagged text masked (events/screening.py)


class TopicMoveForm(forms.Form):
    topic = TopicChoiceField(label=_("Topic"), queryset=Event.objects.none())
    room = forms.ModelChoiceField(label=_("Room"), queryset=Event.objects.none())
    session = forms.ModelChoiceField(label=_("Session"), queryset=Event.objects.none())

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "topic").queryset = shared_topics(event).filter(withdrawn_at__isnull=True)
        model_choice(self, "room").queryset = event.rooms.all()
        model_choice(self, "session").queryset = event.sessions.filter(kind=SessionKind.OPEN_SPACE)


class ColleagueByNameForm(forms.Form):
    """Organisers swap anyone, naming the colleague by user name."""

    colleague = forms.CharField(label=_("User name of the colleague who goes instead"), max_length=150)

    def clean_colleague(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["colleague"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No such user."))
        return user


# ---------------------------------------------------------------- boards, judging, outcomes


class BoardForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    kind = forms.ChoiceField(label=_("Method"), choices=[])
    title = forms.CharField(label=_("Title"), max_length=200)
    prompt = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    group = forms.IntegerField(label=_("Group number (empty: none)"), min_value=1, max_value=60, required=False)
    table = forms.ModelChoiceField(label=_("Table"), queryset=Table.objects.none(), required=False)
    round_no = forms.IntegerField(label=_("Round (harvest notes)"), min_value=1, max_value=12, required=False)
    dots_per_person = forms.IntegerField(label=_("Dots per person"), min_value=1, max_value=20, initial=3)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "session").queryset = event.sessions.all()
        model_choice(self, "table").queryset = event.tables.all()
        choice(self, "kind").choices = BoardKind.choices


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    anonymous = forms.BooleanField(label=_("Post without my name and grade (organisers still see it)"), required=False)


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo of the table's visual"))
    caption = forms.CharField(label=_("Caption"), max_length=300)
    anonymous = forms.BooleanField(label=_("Post without my name and grade (organisers still see it)"), required=False)


class SupplementForm(forms.Form):
    body = forms.CharField(
        label=_("Add to this group's results"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    anonymous = forms.BooleanField(label=_("Post without my name and grade (organisers still see it)"), required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000
    )
    board = forms.ModelChoiceField(label=_("From the board"), queryset=Board.objects.none(), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "board").queryset = event.boards.all()


class JudgingForm(forms.Form):
    of = forms.ChoiceField(label=_("What is judged"), choices=[])
    title = forms.CharField(label=_("Title"), max_length=200)
    criteria = forms.CharField(
        label=_("Rubric: one criterion a line, as name;weight;highest score"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        initial="실현 가능성;3;5\n효과;3;5\n창의성;2;5",
    )
    jury_percent = forms.IntegerField(
        label=_("Weight of the jury (%); the rest is the participants' vote"), min_value=0, max_value=100, initial=70
    )
    votes_per_person = forms.IntegerField(label=_("Votes per participant"), min_value=1, max_value=10, initial=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "of").choices = JudgingOf.choices

    def clean_criteria(self) -> list[CriterionIn]:
        out = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                out.append(
                    CriterionIn(
                        parts[0], int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 5
                    )
                )
            except ValueError:
                raise forms.ValidationError(_("Write each criterion as name;weight;highest score.")) from None
        return out


class JurorsForm(forms.Form):
    usernames = forms.CharField(label=_("Jurors' user names, separated by spaces or commas"), max_length=2000)

    def clean_usernames(self) -> list[User]:
        names = [n for n in re.split(r"[\s,]+", self.cleaned_data["usernames"]) if n]
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(_("No such user: %(names)s") % {"names": ", ".join(missing)})
        return users


class AwardForm(forms.Form):
    title = forms.CharField(label=_("Award"), max_length=100, initial="대상")


class SendTaskForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call that receives the proposal"), queryset=Call.objects.none())
    answer_due = forms.DateField(label=_("Answer due"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the calls this organiser may read (a confidential call of another body is not offered).
        model_choice(self, "call").queryset = readable_calls(user).filter(is_published=True).order_by("-pk")


class BoardSearchForm(forms.Form):
    """Search an event's boards: words, what kind of contribution, which session, in what order."""

    q = forms.CharField(label=_("Search the boards"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("note", _("Notes")),
            ("worse", _("Ways to make it worse")),
            ("fix", _("Fixes")),
            ("photo", _("Photos")),
            ("supplement", _("Comments from other groups")),
        ],
    )
    session = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[("recent", _("Newest")), ("relevance", _("Best match"))]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10000)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = [
            (s.pk, s.title) for s in event.sessions.filter(boards__isnull=False).distinct().order_by("starts_at", "pk")
        ]
        choice(self, "session").choices = [("", _("All sessions")), *sessions]
