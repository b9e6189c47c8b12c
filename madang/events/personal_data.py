"""What events hold about a person, for their export (madang/people/personal_data.py): the profile
given at registration (gender, job family, region, grade, agency), and what they did at events."""

from typing import Any

from madang.events.models import (
    Award,
    Board,
    BoardItem,
    Dot,
    Event,
    Interest,
    Juror,
    NoShow,
    Registration,
    Score,
    Supplement,
    Table,
    Task,
    Topic,
    TopicCheckIn,
    Unavailability,
    Vote,
)
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _registrations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "event": r.event.title,
            "state": r.state,
            "agency": r.agency.name if r.agency else None,
            "grade": r.grade,
            "region": r.region,
            "gender": r.gender,
            "job_family": r.job_family,
            "waiting_because": r.wait_reason,
            "registered": when(r.registered_at),
            "confirmed": when(r.confirmed_at),
            "cancelled": when(r.cancelled_at),
            "checked_in": when(r.checked_in_at),
            "absent_from_sessions": [n.session_id for n in r.no_shows.all()],
        }
        for r in Registration.objects.filter(user=user).select_related("event", "agency").prefetch_related("no_shows")
    ]


def _open_space(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "topic convened", "event": t.event_id, "title": t.title, "at": when(t.created_at)}
        for t in Topic.objects.filter(convener=user)
    ]
    done += [
        {"what": "interested in a topic", "topic": i.topic_id, "at": when(i.created_at)}
        for i in Interest.objects.filter(user=user)
    ]
    done += [
        {"what": "unavailable for a session", "session": u.session_id} for u in Unavailability.objects.filter(user=user)
    ]
    done += [
        {"what": "checked in to a topic", "topic": c.topic_id, "session": c.session_id, "at": when(c.at)}
        for c in TopicCheckIn.objects.filter(user=user)
    ]
    done += [{"what": "table host", "event": t.event_id, "table": t.number} for t in Table.objects.filter(host=user)]
    return done


def _boards(user: User) -> list[dict[str, Any]]:
    # Anonymous contributions are the person's too: the board shows them without a name, the export does not hide them.
    done = [
        {
            "what": "board item",
            "board": i.board_id,
            "text": i.text,
            "anonymous": i.anonymous,
            "at": when(i.created_at),
            "removed": when(i.removed_at),
        }
        for i in BoardItem.objects.filter(author=user)
    ]
    done += [
        {"what": "supplement", "board": s.board_id, "text": s.body, "anonymous": s.anonymous, "at": when(s.created_at)}
        for s in Supplement.objects.filter(author=user)
    ]
    done += [{"what": "dots", "item": d.item_id, "count": d.count} for d in Dot.objects.filter(user=user)]
    return done


def _judging(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "vote", "candidate": v.candidate_id, "label": v.candidate.label, "at": when(v.created_at)}
        for v in Vote.objects.filter(user=user).select_related("candidate")
    ]
    done += [{"what": "juror", "judging": j.judging_id} for j in Juror.objects.filter(user=user)]
    done += [
        {"what": "score", "candidate": s.candidate_id, "criterion": s.criterion_id, "value": s.value}
        for s in Score.objects.filter(juror=user)
    ]
    return done


def _work(user: User) -> list[dict[str, Any]]:
    """What the person did as an organiser."""
    done = [
        {"what": "event created", "event": e.pk, "at": when(e.created_at)}
        for e in Event.objects.filter(created_by=user)
    ]
    done += [
        {"what": "checked someone in", "registration": r.pk, "at": when(r.checked_in_at)}
        for r in Registration.objects.filter(checked_in_by=user)
    ]
    done += [
        {"what": "no-show recorded", "registration": n.registration_id, "at": when(n.recorded_at)}
        for n in NoShow.objects.filter(recorded_by=user)
    ]
    done += [
        {"what": "board opened", "board": b.pk, "at": when(b.created_at)} for b in Board.objects.filter(created_by=user)
    ]
    done += [
        {"what": "task written", "task": t.pk, "at": when(t.created_at)} for t in Task.objects.filter(created_by=user)
    ]
    done += [
        {"what": "award given", "award": a.pk, "at": when(a.awarded_at)} for a in Award.objects.filter(awarded_by=user)
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("event_registrations", _registrations, owner="events", covers=["events.Registration.user"])
    add(
        "event_open_space",
        _open_space,
        owner="events",
        covers=[
            "events.Topic.convener",
            "events.Topic.interested",
            "events.Interest.user",
            "events.Unavailability.user",
            "events.TopicCheckIn.user",
            "events.Table.host",
        ],
    )
    add(
        "event_boards",
        _boards,
        owner="events",
        covers=["events.BoardItem.author", "events.Supplement.author", "events.Dot.user"],
    )
    add(
        "event_votes_and_judging",
        _judging,
        owner="events",
        covers=["events.Vote.user", "events.Juror.user", "events.Score.juror"],
    )
    add(
        "events_work",
        _work,
        owner="events",
        covers=[
            "events.Event.created_by",
            "events.Registration.checked_in_by",
            "events.NoShow.recorded_by",
            "events.Board.created_by",
            "events.Task.created_by",
            "events.Award.awarded_by",
        ],
    )
