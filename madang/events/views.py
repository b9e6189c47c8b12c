from collections.abc import Callable
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.core import params
from madang.core.errors import DomainError, NotFound
from madang.core.htmx import htmx_of
from madang.events import forms, pictures, printables, rules, selectors, services
from madang.events.models import (
    ATTRIBUTES,
    Board,
    Event,
    EventState,
    Gender,
    Grouping,
    JobFamily,
    Judging,
    Registration,
    RegState,
    Rotation,
    RotationPriority,
    Schedule,
    Session,
    SessionKind,
)
from madang.events.privacy_kinds import REGISTRATIONS
from madang.jobs.selectors import latest as latest_job
from madang.people import seats
from madang.people.auth import signed_in
from madang.privacy import reasons
from madang.privacy import services as privacy
from madang.privacy.models import Action


def events_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/list.html",
        {"events": selectors.events_for(request.user), "can_create": rules.can_create_events(request.user)},
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not rules.can_create_events(request.user):
        raise NotFound()
    form = forms.EventForm(request.POST or None, organisations=selectors.organisations_for(request.user))
    if request.method == "POST" and form.is_valid():
        event = services.create_event(actor=signed_in(request), **form.cleaned_data)
        return redirect("events:manage", event.slug)
    return render(request, "events/new.html", {"form": form}, status=400 if form.errors else 200)


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    reg = rules.registration_of(request.user, event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "days": event.days.prefetch_related("sessions__room"),
            "reg": reg,
            "counts": selectors.counts(event),
            "can_register": rules.can_register(request.user, event),
            "is_organiser": rules.is_organiser(request.user, event),
            "profile_form": forms.ProfileForm(),
            "can_see_plans": rules.can_see_plans(request.user, event),
            "lottery": seats.lottery_for(f"event:{event.pk}") if event.is_joint else None,
        },
    )


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug, perm="organise")
    q = request.GET.get("q", "")[:100].strip()
    registrations = selectors.registrations(event, q)
    privacy.record(
        request,
        action=Action.SEARCH if q else Action.VIEW,
        kind=REGISTRATIONS,
        scope=f"event:{event.pk}",
        count=len(registrations),
    )
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "days": event.days.prefetch_related("sessions__room"),
            "rooms": event.rooms.all(),
            "q": q,
            "tables": event.tables.select_related("host"),
            "registrations": registrations,
            "counts": selectors.counts(event),
            # One page, many forms with fields of one name (title, capacity): each form its own ids,
            # so no two fields share one and every label points at its own field (KWCAG 8.1.1, 7.3.2).
            "state_form": forms.StateForm(initial={"state": event.state}, auto_id="state-%s"),
            "day_form": forms.DayForm(auto_id="day-%s"),
            "session_form": forms.SessionForm(event=event, auto_id="session-%s"),
            "room_form": forms.RoomForm(auto_id="room-%s"),
            "tables_form": forms.TablesForm(auto_id="tables-%s"),
            "host_form": forms.HostForm(event=event, auto_id="host-%s"),
            "by_name_form": forms.ColleagueByNameForm(auto_id="by-name-%s"),
        },
    )


@login_required
def me(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    reg = rules.registration_of(request.user, event)
    if reg is None:
        raise NotFound()
    stops = selectors.itinerary(event, reg) if reg.state == RegState.CONFIRMED else []
    colleague_form = forms.SubstituteForm(agency=reg.agency)
    return render(
        request,
        "events/me.html",
        {
            "event": event,
            "reg": reg,
            "stops": stops,
            "code_form": forms.CodeForm(),
            "colleague_form": colleague_form,
            "profile_form": forms.ProfileForm(
                initial={"gender": reg.gender, "job_family": reg.job_family, "region": reg.region}
            ),
        },
    )


def _labels(reg: Registration) -> dict[str, str]:
    return {
        "agency": reg.agency.name if reg.agency else _("Citizen member"),
        "level": str(selectors.LEVELS[selectors.level_of(reg.agency)]),
        "grade_band": _("Grade %(n)d") % {"n": reg.grade} if reg.grade else "",
        "region": reg.region,
        "gender": str(Gender(reg.gender).label) if reg.gender else "",
        "job_family": str(JobFamily(reg.job_family).label) if reg.job_family else "",
    }


class GroupCard(TypedDict):
    number: int
    people: list[tuple[Registration, dict[str, str]]]  # with their labels
    picture: SafeString  # how mixed the group is


def _groups_context(event: Event, grouping: Grouping) -> list[GroupCard]:
    regs = {r.pk: r for r in event.registrations.select_related("user", "agency")}
    names = dict(ATTRIBUTES)
    attributes = grouping.attributes or ["agency", "level", "grade_band", "region"]
    out = []
    for g, members in enumerate(grouping.groups):
        people = [regs[pk] for pk in members if pk in regs]
        labels = [_labels(r) for r in people]
        rows = [(str(names[a]), [lab[a] for lab in labels]) for a in attributes]
        out.append(
            GroupCard(
                number=g + 1,
                people=list(zip(people, labels, strict=True)),
                picture=pictures.diversity_picture(rows, title=_("Group %(n)d: how mixed it is") % {"n": g + 1}),
            )
        )
    return out


def _session_context(request: HttpRequest, event: Event, session: Session) -> dict[str, Any]:
    organiser = rules.is_organiser(request.user, event)
    plan = selectors.plan_of(session)
    if plan is not None and not rules.can_see_plan(request.user, event, plan):
        plan = None
    ctx: dict[str, Any] = {"event": event, "session": session, "is_organiser": organiser, "plan": plan, "job": None}
    if isinstance(plan, Grouping):
        ctx["job"] = latest_job(subject=f"grouping:{plan.pk}")
        ctx["groups"] = _groups_context(event, plan)
    elif isinstance(plan, Rotation):
        ctx["job"] = latest_job(subject=f"rotation:{plan.pk}")
        ctx.update(selectors.rotation_cards(event, plan, request.user))
        if organiser:
            gone = session.no_shows.values_list("registration_id", flat=True)
            seated = {p for t in plan.plan[0] for p in t} if plan.plan else set()
            late = (
                event.registrations.filter(state=RegState.CONFIRMED).exclude(checked_in_at=None).exclude(pk__in=seated)
            )
            # Beside the no-show form, which asks "absent" too: its own ids (KWCAG 8.1.1, 7.3.2).
            ctx["replan_form"] = forms.ReplanForm(
                event=event,
                auto_id="replan-%s",
                initial={
                    "from_round": (plan.current_round or 0) + 1,
                    "absent": [pk for pk in gone if pk in seated],
                    "arrived": list(late),
                },
            )
    if organiser:
        ctx["present"] = len(selectors.present(session))
        ctx["no_show_form"] = forms.NoShowForm(
            event=event, initial={"absent": list(session.no_shows.values_list("registration_id", flat=True))}
        )
        if session.kind == SessionKind.GROUPS:
            g = plan if isinstance(plan, Grouping) else None
            ctx["grouping_form"] = forms.GroupingForm(
                event=event,
                initial={
                    "group_count": g.group_count if g else None,
                    "attributes": g.attributes if g else ["agency", "level", "grade_band", "region"],
                    "separate_agencies": g.separate_agencies if g else True,
                    "seconds": g.seconds if g else 2,
                },
            )
        if session.kind == SessionKind.CAFE:
            r = plan if isinstance(plan, Rotation) else None
            ctx["rotation_form"] = forms.RotationForm(
                initial={
                    "rounds": r.rounds if r else 3,
                    "round_minutes": r.round_minutes if r else 20,
                    "seconds": r.seconds if r else 3,
                    "tables": r.tables if r else None,
                    "priority": r.priority if r else RotationPriority.PEOPLE,
                }
            )
    return ctx


@login_required
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_plans(request.user, event):
        raise NotFound()
    session = selectors.access_session(event, session_id)
    ctx = _session_context(request, event, session)
    template = "events/_plan.html" if htmx_of(request) else "events/session.html"
    return render(request, template, ctx)


def _market_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    organiser = rules.is_organiser(request.user, event)
    schedule = selectors.schedule_of(event)
    if schedule is not None and not rules.can_see_plan(request.user, event, schedule):
        schedule = None
    topics = selectors.shown_topics(request.user, event)
    mine = {t.pk for t in topics if request.user.pk in {u.pk for u in t.interested.all()}}
    slots = list(event.sessions.filter(kind=SessionKind.OPEN_SPACE))
    rooms = list(event.rooms.all())
    grid = []
    here = selectors.checked_in_topics(request.user, event)
    if schedule is not None and schedule.computed_at:
        by_cell = {(c[0], c[1]): int(t) for t, c in schedule.placements.items()}
        titles = {t.pk: t for t in topics}
        for s in slots:
            grid.append(
                {
                    "slot": s,
                    "cells": [(r, titles.get(by_cell.get((r.pk, s.pk), 0))) for r in rooms],
                    "here": here.get(s.pk),
                }
            )
    return {
        "event": event,
        "topics": [(t, t.pk in mine) for t in topics],
        "schedule": schedule,
        "grid": grid,
        "rooms": rooms,
        "is_organiser": organiser,
        "can_use": rules.can_use_market(request.user, event),
        "job": latest_job(subject=f"schedule:{schedule.pk}") if schedule and organiser else None,
        "topic_form": forms.TopicForm(),
        "availability_form": forms.AvailabilityForm(
            event=event,
            initial={"sessions": list(event.sessions.filter(unavailable__user_id=request.user.pk))}
            if request.user.is_authenticated
            else None,
        ),
        "move_form": forms.TopicMoveForm(event=event) if organiser else None,
        "unscheduled": [t for t in topics if schedule and str(t.pk) not in schedule.placements]
        if schedule and schedule.computed_at
        else [],
    }


@login_required
def openspace(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_plans(request.user, event):
        raise NotFound()
    ctx = _market_context(request, event)
    return render(request, "events/_schedule.html" if htmx_of(request) else "events/openspace.html", ctx)


@login_required
@require_POST
def interest(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    topic = selectors.access_topic(request.user, event, topic_id)
    wanted = {"1": True, "0": False}.get(request.POST.get("interested", ""))
    now = services.toggle_interest(actor=signed_in(request), topic=topic, interested=wanted)
    if htmx_of(request):
        return render(
            request,
            "events/_topic.html",
            {
                "event": event,
                "topic": topic,
                "mine": now,
                "can_use": True,
                "is_organiser": rules.is_organiser(request.user, event),
            },
        )
    return redirect("events:openspace", event.slug)


@login_required
def projector(request: HttpRequest, slug: str) -> HttpResponse:
    """The projector: every name at every table, refreshed by htmx polling its own partial (no
    full-page reload); a finished event shows no countdown."""
    event = selectors.access_event(request.user, slug, perm="organise")
    finished = event.state == EventState.FINISHED
    now = selectors.now_showing(event)
    title, tables = ("", []) if finished else selectors.seating(event, now)
    ctx = {
        "event": event,
        "now": now,
        "finished": finished,
        "plan_title": title,
        "tables": tables,
        "people": sum(len(t.seats) for t in tables),
    }
    template = "events/_projector.html" if getattr(request, "htmx", False) else "events/projector.html"
    return render(request, template, ctx)


# ---------------------------------------------------------------- actions (POST /events/<slug>/do/<action>/)


def _reg(r: HttpRequest, event: Event) -> Registration:
    return selectors.access_registration(event, r.POST.get("registration", ""))


def _session(r: HttpRequest, event: Event) -> Session:
    return selectors.access_session(event, r.POST.get("session", ""))


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
            for f, e in form.errors.items()
        )
        raise DomainError(errors, code="invalid")
    return dict(form.cleaned_data)


def _to_manage(event: Event) -> str:
    return reverse("events:manage", args=[event.slug])


def _to_session(event: Event, session: Session) -> str:
    return reverse("events:session", args=[event.slug, session.pk])


def _to_market(event: Event) -> str:
    return reverse("events:openspace", args=[event.slug])


# the programme


def _state(r: HttpRequest, e: Event) -> str:
    services.set_event_state(actor=signed_in(r), event=e, state=_valid(forms.StateForm(r.POST))["state"])
    return _to_manage(e)


def _code(r: HttpRequest, e: Event) -> str:
    services.new_check_in_code(actor=signed_in(r), event=e)
    return _to_manage(e)


def _day(r: HttpRequest, e: Event) -> str:
    services.add_day(actor=signed_in(r), event=e, **_valid(forms.DayForm(r.POST)))
    return _to_manage(e)


def _add_session(r: HttpRequest, e: Event) -> str:
    services.add_session(actor=signed_in(r), event=e, **_valid(forms.SessionForm(r.POST, event=e)))
    return _to_manage(e)


def _room(r: HttpRequest, e: Event) -> str:
    services.add_room(actor=signed_in(r), event=e, **_valid(forms.RoomForm(r.POST)))
    return _to_manage(e)


def _tables(r: HttpRequest, e: Event) -> str:
    services.add_tables(actor=signed_in(r), event=e, **_valid(forms.TablesForm(r.POST)))
    return _to_manage(e)


def _host(r: HttpRequest, e: Event) -> str:
    d = _valid(forms.HostForm(r.POST, event=e))
    services.set_table_host(actor=signed_in(r), table=d["table"], host=d["host"].user if d["host"] else None)
    return _to_manage(e)


# registration and the day's attendance


def _register(r: HttpRequest, e: Event) -> str:
    reg = services.register(actor=signed_in(r), event=e, **_valid(forms.ProfileForm(r.POST)))
    if reg.state == RegState.WAITING:
        messages.info(r, _("The places you could take are full: you are on the waiting list."))
    else:
        messages.success(r, _("You are registered."))
    return reverse("events:detail", args=[e.slug])


def _cancel(r: HttpRequest, e: Event) -> str:
    promoted = services.cancel_registration(actor=signed_in(r), registration=_reg(r, e))
    if promoted:
        messages.info(
            r,
            _("Promoted from the waiting list: %(names)s")
            % {"names": ", ".join(p.user.display_name for p in promoted)},
        )
    return _to_manage(e) if rules.is_organiser(r.user, e) else reverse("events:detail", args=[e.slug])


def _substitute(r: HttpRequest, e: Event) -> str:
    reg = _reg(r, e)
    form = (
        forms.ColleagueByNameForm(r.POST)
        if r.POST.get("by") == "name"
        else forms.SubstituteForm(r.POST, agency=reg.agency)
    )
    new = services.substitute(actor=signed_in(r), registration=reg, colleague=_valid(form)["colleague"])
    messages.success(r, _("%(name)s goes instead.") % {"name": new.user.display_name})
    return _to_manage(e) if rules.is_organiser(r.user, e) else reverse("events:detail", args=[e.slug])


def _profile(r: HttpRequest, e: Event) -> str:
    reg = rules.registration_of(r.user, e)
    if reg is None:
        raise NotFound()
    services.update_profile(actor=signed_in(r), registration=reg, **_valid(forms.ProfileForm(r.POST)))
    return reverse("events:me", args=[e.slug])


def _check_in(r: HttpRequest, e: Event) -> str:
    reg = services.check_in(actor=signed_in(r), registration=_reg(r, e))
    privacy.record(r, action=Action.EDIT, kind=REGISTRATIONS, subject=reg.user_id, scope=f"event:{e.pk}")
    messages.success(r, _("%(name)s is checked in.") % {"name": reg.user.display_name})
    q = r.POST.get("q", "")[:100].strip()
    return _to_manage(e) + (f"?{urlencode({'q': q})}" if q else "") + "#registrations"


def _check_in_code(r: HttpRequest, e: Event) -> str:
    services.check_in_with_code(actor=signed_in(r), event=e, **_valid(forms.CodeForm(r.POST)))
    messages.success(r, _("You are checked in. Welcome!"))
    return reverse("events:me", args=[e.slug])


def _no_shows(r: HttpRequest, e: Event) -> str:
    s = _session(r, e)
    services.record_no_shows(actor=signed_in(r), session=s, absent=_valid(forms.NoShowForm(r.POST, event=e))["absent"])
    return _to_session(e, s)


# discussion groups


def _grouping(r: HttpRequest, e: Event) -> str:
    s = _session(r, e)
    d = _valid(forms.GroupingForm(r.POST, event=e))
    g = services.configure_grouping(
        actor=signed_in(r),
        session=s,
        group_count=d["group_count"] or 0,
        sizes=d["sizes"],
        attributes=d["attributes"],
        separate_agencies=d["separate_agencies"],
        together=d["together"],
        apart=d["apart"],
        seconds=d["seconds"],
    )
    services.start_grouping(actor=signed_in(r), grouping=g)
    return _to_session(e, s)


def _grouping_of(r: HttpRequest, e: Event) -> tuple[Session, Grouping]:
    s = _session(r, e)
    g = selectors.grouping_of(s)
    if g is None:
        raise NotFound()
    return s, g


def _group_move(r: HttpRequest, e: Event) -> str:
    s, g = _grouping_of(r, e)
    d = _valid(forms.MoveForm(r.POST))
    reg = selectors.access_registration(e, d["registration"])
    services.move_group_member(actor=signed_in(r), grouping=g, registration=reg, to_group=d["to_group"] - 1)
    return _to_session(e, s)


def _groups_publish(r: HttpRequest, e: Event) -> str:
    s, g = _grouping_of(r, e)
    services.publish_groups(actor=signed_in(r), grouping=g)
    return _to_session(e, s)


# World Cafe


def _rotation_of(r: HttpRequest, e: Event) -> tuple[Session, Rotation]:
    s = _session(r, e)
    rot = selectors.rotation_of(s)
    if rot is None:
        raise NotFound()
    return s, rot


def _rotation(r: HttpRequest, e: Event) -> str:
    s = _session(r, e)
    rot = services.configure_rotation(actor=signed_in(r), session=s, **_valid(forms.RotationForm(r.POST)))
    services.start_rotation(actor=signed_in(r), rotation=rot)
    return _to_session(e, s)


def _rotation_publish(r: HttpRequest, e: Event) -> str:
    s, rot = _rotation_of(r, e)
    services.publish_rotation(actor=signed_in(r), rotation=rot)
    return _to_session(e, s)


def _round(r: HttpRequest, e: Event) -> str:
    s, rot = _rotation_of(r, e)
    services.start_round(actor=signed_in(r), rotation=rot, round_no=_valid(forms.RoundForm(r.POST))["round"] - 1)
    return _to_session(e, s)


def _replan(r: HttpRequest, e: Event) -> str:
    s, rot = _rotation_of(r, e)
    d = _valid(forms.ReplanForm(r.POST, event=e))
    services.start_replan(
        actor=signed_in(r), rotation=rot, from_round=d["from_round"] - 1, absent=d["absent"], arrived=d["arrived"]
    )
    return _to_session(e, s)


# Open Space


def _topic(r: HttpRequest, e: Event) -> str:
    services.post_topic(
        actor=signed_in(r), event=e, personal_data_ok=_personal_data_ok(r), **_valid(forms.TopicForm(r.POST))
    )
    return _to_market(e)


def _withdraw(r: HttpRequest, e: Event) -> str:
    services.withdraw_topic(actor=signed_in(r), topic=selectors.access_topic(r.user, e, r.POST.get("topic", "")))
    return _to_market(e)


def _availability(r: HttpRequest, e: Event) -> str:
    services.set_unavailability(
        actor=signed_in(r), event=e, sessions=_valid(forms.AvailabilityForm(r.POST, event=e))["sessions"]
    )
    return _to_market(e)


def _schedule(r: HttpRequest, e: Event) -> str:
    services.start_schedule(actor=signed_in(r), event=e)
    return _to_market(e)


def _schedule_of(e: Event) -> Schedule:
    schedule = selectors.schedule_of(e)
    if schedule is None:
        raise NotFound()
    return schedule


def _topic_move(r: HttpRequest, e: Event) -> str:
    services.move_topic(actor=signed_in(r), schedule=_schedule_of(e), **_valid(forms.TopicMoveForm(r.POST, event=e)))
    return _to_market(e)


def _schedule_publish(r: HttpRequest, e: Event) -> str:
    services.publish_schedule(actor=signed_in(r), schedule=_schedule_of(e))
    return _to_market(e)


def _topic_check_in(r: HttpRequest, e: Event) -> str:
    services.check_in_to_topic(actor=signed_in(r), topic=selectors.access_topic(r.user, e, r.POST.get("topic", "")))
    messages.success(r, _("Checked in. You may move to another session at any time."))
    return _to_market(e)


# boards, judging and outcomes: what is created or decided for the whole event (their own actions are below)


def _new_board(r: HttpRequest, e: Event) -> str:
    board = services.create_board(actor=signed_in(r), **_valid(forms.BoardForm(r.POST, event=e)))
    return reverse("events:board", args=[e.slug, board.pk])


def _new_judging(r: HttpRequest, e: Event) -> str:
    j = services.create_judging(actor=signed_in(r), event=e, **_valid(forms.JudgingForm(r.POST)))
    return reverse("events:judging", args=[e.slug, j.pk])


def _new_task(r: HttpRequest, e: Event) -> str:
    services.create_task(actor=signed_in(r), event=e, **_valid(forms.TaskForm(r.POST, event=e)))
    return reverse("events:outcomes", args=[e.slug])


def _agree_task(r: HttpRequest, e: Event) -> str:
    services.agree_task(actor=signed_in(r), task=selectors.access_task(e, r.POST.get("task", "")))
    return reverse("events:outcomes", args=[e.slug])


def _send_task(r: HttpRequest, e: Event) -> str:
    task = selectors.access_task(e, r.POST.get("task", ""))
    routings = services.send_task(actor=signed_in(r), task=task, **_valid(forms.SendTaskForm(r.POST, user=r.user)))
    messages.success(r, _("Sent to %(n)d agencies.") % {"n": len(routings)})
    return reverse("events:outcomes", args=[e.slug])


# Every action on the event, by the name in its URL; each handler returns where to go next.
ACTIONS: dict[str, Callable[[HttpRequest, Event], str]] = {
    # the programme
    "state": _state,
    "code": _code,
    "day": _day,
    "session": _add_session,
    "room": _room,
    "tables": _tables,
    "host": _host,
    # registration and the day's attendance
    "register": _register,
    "cancel": _cancel,
    "substitute": _substitute,
    "profile": _profile,
    "check_in": _check_in,
    "check_in_code": _check_in_code,
    "no_shows": _no_shows,
    # discussion groups
    "grouping": _grouping,
    "group_move": _group_move,
    "groups_publish": _groups_publish,
    # World Cafe
    "rotation": _rotation,
    "rotation_publish": _rotation_publish,
    "round": _round,
    "replan": _replan,
    # Open Space
    "topic": _topic,
    "withdraw": _withdraw,
    "availability": _availability,
    "schedule": _schedule,
    "topic_move": _topic_move,
    "schedule_publish": _schedule_publish,
    "topic_check_in": _topic_check_in,
    # boards, judging and outcomes
    "board": _new_board,
    "judging": _new_judging,
    "task": _new_task,
    "agree_task": _agree_task,
    "send_task": _send_task,
}


@login_required
@require_POST
def action(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    handler = ACTIONS.get(name)
    if handler is None:
        raise NotFound()
    return redirect(handler(request, event))


# ---------------------------------------------------------------- boards and the day-two gallery


def _board_context(request: HttpRequest, event: Event, board: Board) -> dict[str, Any]:
    organiser = rules.is_organiser(request.user, event)
    supplements = selectors.board_supplements(request.user, board)
    return {
        "event": event,
        "board": board,
        "items": selectors.board_items(request.user, board),
        "is_organiser": organiser,
        "can_post": rules.can_post_on_board(request.user, board),
        "dots_left": selectors.dots_left(board, request.user),
        "supplements": supplements,
        "can_supplement": rules.can_use_market(request.user, event),
        # Both forms ask "anonymous": each its own ids (KWCAG 8.1.1, 7.3.2).
        "item_form": forms.ItemForm(),
        "photo_form": forms.PhotoForm(),
        "supplement_form": forms.SupplementForm(auto_id="supplement-form-%s"),
    }


@login_required
def boards(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_plans(request.user, event):
        raise NotFound()
    by_group: dict[int | None, list[Board]] = {}
    for b in event.boards.select_related("session", "table").prefetch_related("items", "supplements"):
        by_group.setdefault(b.group, []).append(b)
    organiser = rules.is_organiser(request.user, event)
    return render(
        request,
        "events/boards.html",
        {
            "event": event,
            "groups": sorted(by_group.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)),
            "is_organiser": organiser,
            "board_form": forms.BoardForm(event=event) if organiser else None,
        },
    )


@login_required
def board_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Search every board of the event: contributions and the gallery's comments, highlighted."""
    event = selectors.access_event(request.user, slug)
    form = forms.BoardSearchForm(request.GET, event=event)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q") or ""
    hits = selectors.search_boards(
        request.user,
        event,
        query=q,
        kind=data.get("kind") or "",
        session=data.get("session"),
        order=data.get("order") or "recent",
    )
    page = Paginator(hits, 20).get_page(data.get("page") or 1)
    ctx = {"event": event, "form": form, "q": q, "page": page, "limit": selectors.BOARD_SEARCH_LIMIT}
    template = (
        "events/_board_hits.html"
        if htmx_of(request) and htmx_of(request).target == "board-hits"
        else "events/board_search.html"
    )
    return render(request, template, ctx)


@login_required
def board_detail(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    board = selectors.access_board(request.user, event, board_id)
    ctx = _board_context(request, event, board)
    return render(request, "events/_board.html" if htmx_of(request) else "events/board.html", ctx)


@login_required
def board_photo(request: HttpRequest, slug: str, board_id: int, item_id: int) -> FileResponse:
    event = selectors.access_event(request.user, slug)
    item = selectors.access_item(selectors.access_board(request.user, event, board_id), item_id)
    if not item.photo or not selectors.can_see_item(request.user, item):  # (held by the personal-data filter)
        raise NotFound()
    response = FileResponse(item.photo.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _b_item(r: HttpRequest, b: Board) -> None:
    d = _valid(forms.ItemForm(r.POST))
    turns = selectors.access_item(b, r.POST["turns"]) if r.POST.get("turns") else None
    services.post_item(
        actor=signed_in(r),
        board=b,
        text=d["text"],
        anonymous=d["anonymous"],
        turns=turns,
        personal_data_ok=_personal_data_ok(r),
    )


def _personal_data_ok(r: HttpRequest) -> bool:
    """The author ticked "this is not personal data" (shown once the filter has found something)."""
    return r.POST.get("personal_data_ok") == "1"


def _b_photo(r: HttpRequest, b: Board) -> None:
    d = _valid(forms.PhotoForm(r.POST, r.FILES))
    services.add_photo(
        actor=signed_in(r),
        board=b,
        upload=d["file"],
        caption=d["caption"],
        anonymous=d["anonymous"],
        personal_data_ok=_personal_data_ok(r),
    )


def _b_remove(r: HttpRequest, b: Board) -> None:
    services.remove_item(actor=signed_in(r), item=selectors.access_item(b, r.POST.get("item", "")))


def _b_dot(r: HttpRequest, b: Board) -> None:
    services.place_dot(actor=signed_in(r), item=selectors.access_item(b, r.POST.get("item", "")))


def _b_undot(r: HttpRequest, b: Board) -> None:
    services.remove_dot(actor=signed_in(r), item=selectors.access_item(b, r.POST.get("item", "")))


def _b_supplement(r: HttpRequest, b: Board) -> None:
    d = _valid(forms.SupplementForm(r.POST))
    services.add_supplement(
        actor=signed_in(r), board=b, body=d["body"], anonymous=d["anonymous"], personal_data_ok=_personal_data_ok(r)
    )


def _b_close(r: HttpRequest, b: Board) -> None:
    services.close_board(actor=signed_in(r), board=b)


# What participants and organisers do on one board, by the name in its URL.
BOARD_ACTIONS: dict[str, Callable[[HttpRequest, Board], None]] = {
    "item": _b_item,
    "photo": _b_photo,
    "remove": _b_remove,
    "dot": _b_dot,
    "undot": _b_undot,
    "supplement": _b_supplement,
    "close": _b_close,
}


@login_required
@require_POST
def board_action(request: HttpRequest, slug: str, board_id: int, name: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    board = selectors.access_board(request.user, event, board_id)
    handler = BOARD_ACTIONS.get(name)
    if handler is None:
        raise NotFound()
    handler(request, board)
    if htmx_of(request):
        return render(request, "events/_board.html", _board_context(request, event, board))
    return redirect("events:board", event.slug, board.pk)


# ---------------------------------------------------------------- judging


@login_required
def judging_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_judgings(request.user, event):
        raise NotFound()
    organiser = rules.is_organiser(request.user, event)
    return render(
        request,
        "events/judgings.html",
        {
            "event": event,
            "judgings": event.judgings.all(),
            "is_organiser": organiser,
            "judging_form": forms.JudgingForm() if organiser else None,
        },
    )


def _judging_context(request: HttpRequest, event: Event, judging: Judging) -> dict[str, Any]:
    user = request.user
    criteria = list(judging.criteria.all())
    candidates = list(judging.candidates.select_related("task"))
    mine = selectors.my_card(user, judging)
    see = rules.can_see_scores(user, judging)
    return {
        "event": event,
        "judging": judging,
        "criteria": criteria,
        "is_organiser": rules.is_organiser(user, event),
        "cards": [(c, [(k, mine.scores.get((c.pk, k.pk))) for k in criteria], c.pk in mine.votes) for c in candidates],
        "can_score": rules.can_score(user, judging),
        "can_vote": rules.can_vote(user, judging),
        "votes_left": judging.votes_per_person - len(mine.votes),
        "can_see_scores": see,
        "results": selectors.judging_results(judging) if see else [],
        "scores": selectors.scoresheet(judging) if see else [],
        "jury_weight": judging.jury_percent,
        "vote_weight": 100 - judging.jury_percent,
        "jurors": judging.jurors.select_related("user"),
        "awards": judging.awards.select_related("candidate"),
        "jurors_form": forms.JurorsForm(),
        "award_form": forms.AwardForm(),
    }


@login_required
def judging_detail(request: HttpRequest, slug: str, judging_id: int) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    judging = selectors.access_judging(request.user, event, judging_id)
    return render(request, "events/judging.html", _judging_context(request, event, judging))


def _j_jurors(r: HttpRequest, j: Judging) -> None:
    services.assign_jurors(actor=signed_in(r), judging=j, users=_valid(forms.JurorsForm(r.POST))["usernames"])


def _j_score(r: HttpRequest, j: Judging) -> None:
    c = selectors.access_candidate(j, r.POST.get("candidate", ""))
    services.check_can_score(actor=signed_in(r), judging=j)
    values = {}
    for k in j.criteria.all():
        raw = r.POST.get(f"c{k.pk}", "")
        if not raw.strip():
            raise DomainError(_("Score every criterion of the rubric."), code="incomplete")
        values[k.pk] = params.parse_int(raw, field=k.name, lo=0, hi=k.max_score)
    services.score_candidate(actor=signed_in(r), candidate=c, values=values)


def _j_vote(r: HttpRequest, j: Judging) -> None:
    services.cast_vote(actor=signed_in(r), candidate=selectors.access_candidate(j, r.POST.get("candidate", "")))


def _j_unvote(r: HttpRequest, j: Judging) -> None:
    services.withdraw_vote(actor=signed_in(r), candidate=selectors.access_candidate(j, r.POST.get("candidate", "")))


def _j_publish(r: HttpRequest, j: Judging) -> None:
    services.publish_results(actor=signed_in(r), judging=j)


def _j_award(r: HttpRequest, j: Judging) -> None:
    c = selectors.access_candidate(j, r.POST.get("candidate", ""))
    services.give_award(actor=signed_in(r), judging=j, candidate=c, title=_valid(forms.AwardForm(r.POST))["title"])


# What the jury, participants and organisers do in one judging, by the name in its URL.
JUDGING_ACTIONS: dict[str, Callable[[HttpRequest, Judging], None]] = {
    "jurors": _j_jurors,
    "score": _j_score,
    "vote": _j_vote,
    "unvote": _j_unvote,
    "publish": _j_publish,
    "award": _j_award,
}


@login_required
@require_POST
def judging_action(request: HttpRequest, slug: str, judging_id: int, name: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    judging = selectors.access_judging(request.user, event, judging_id)
    handler = JUDGING_ACTIONS.get(name)
    if handler is None:
        raise NotFound()
    handler(request, judging)
    return redirect("events:judging", event.slug, judging.pk)


# ---------------------------------------------------------------- outcomes, printables, report


@login_required
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_plans(request.user, event):
        raise NotFound()
    organiser = rules.is_organiser(request.user, event)
    tasks = [(t, selectors.task_standings(t)) for t in event.tasks.select_related("board", "proposal__call")]
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "tasks": tasks,
            "is_organiser": organiser,
            "task_form": forms.TaskForm(event=event) if organiser else None,
            "send_form": forms.SendTaskForm(user=request.user) if organiser else None,
            "agencies": len(selectors.participating_agencies(event)),
        },
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def print_badges(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug, perm="organise")
    people = selectors.counts(event).confirmed
    if (asked := reasons.ask(request, count=people)) is not None:
        return asked
    privacy.record(
        request,
        action=Action.DOWNLOAD,
        kind=REGISTRATIONS,
        scope=f"event:{event.pk}",
        count=people,
        reason=reasons.given(request),
    )
    return _pdf(printables.badges(event), f"{event.slug}-badges.pdf")


@login_required
def print_tables(request: HttpRequest, slug: str) -> HttpResponse:
    """Table cards name each table's host."""
    event = selectors.access_event(request.user, slug, perm="organise")
    people = printables.hosts(event)
    if people:
        privacy.record(request, action=Action.DOWNLOAD, kind=REGISTRATIONS, scope=f"event:{event.pk}", count=people)
    return _pdf(printables.table_cards(event), f"{event.slug}-tables.pdf")


@login_required
def print_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in desk's list of every confirmed participant: recorded, with a reason above the threshold."""
    event = selectors.access_event(request.user, slug, perm="organise")
    people = selectors.counts(event).confirmed
    if (asked := reasons.ask(request, count=people)) is not None:
        return asked
    privacy.record(
        request,
        action=Action.DOWNLOAD,
        kind=REGISTRATIONS,
        scope=f"event:{event.pk}",
        count=people,
        reason=reasons.given(request),
    )
    return _pdf(printables.check_in_list(event), f"{event.slug}-check-in.pdf")


@login_required
def print_itinerary(request: HttpRequest, slug: str) -> HttpResponse:
    """A participant's own itinerary: recorded as their download of their own data."""
    event = selectors.access_event(request.user, slug)
    reg = rules.registration_of(request.user, event)
    if reg is None or reg.state != RegState.CONFIRMED:
        raise NotFound()
    privacy.record(request, action=Action.DOWNLOAD, kind=REGISTRATIONS, subject=reg.user_id, scope=f"event:{event.pk}")
    return _pdf(printables.itinerary(event, reg), f"{event.slug}-itinerary.pdf")


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    if not rules.can_see_plans(request.user, event):
        raise NotFound()
    data = selectors.report(event)
    if request.GET.get("format") == "pdf":
        return _pdf(printables.report(event, data), f"{event.slug}-report.pdf")
    return render(
        request, "events/report.html", {"event": event, "r": data, "chart": pictures.participation_chart(data)}
    )
