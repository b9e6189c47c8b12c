"""World Cafe: the rotation of people across tables round by round, its rounds on the day, and
the re-plan after no-shows and late arrivals."""

import json
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.events.ledger_entries import EventEntry
from madang.events.models import PlanState, Registration, RegState, Rotation, RotationPriority, Session, SessionKind
from madang.events.selectors.registration import present
from madang.events.services.profiles import diversity, same_agency_pairs
from madang.events.services.programme import Progress, no_progress, require_organiser
from madang.jobs import services as jobs
from madang.jobs.models import Job
from madang.ledger import services as ledger
from madang.people.models import User
from madang.solvers import rotation as rotation_solver
from madang.solvers.grouping.core import FloatArray

MAX_ROUNDS = 12
CAFE_ATTRIBUTES = ("level", "grade_band", "region", "job_family")


def configure_rotation(
    *,
    actor: User,
    session: Session,
    rounds: int,
    round_minutes: int = 20,
    seconds: float = 3.0,
    tables: int | None = None,
    priority: str = RotationPriority.PEOPLE,
) -> Rotation:
    """`tables`: how many of the event's tables (the first by number) this session uses; None = all.
    `priority`: which goal wins where both cannot be kept, new people or new tables (`RotationPriority`)."""
    require_organiser(actor, session.event)
    have = session.event.tables.count()
    if tables is not None and not 2 <= tables <= max(have, 2):
        raise DomainError(
            _("This session can use 2 to %(n)d tables (the event has %(n)d).") % {"n": have},
            code="bad_tables",
            field="tables",
        )
    if priority not in RotationPriority.values:
        raise DomainError(
            _("Choose what comes first: new people or new tables."), code="bad_priority", field="priority"
        )
    if session.kind != SessionKind.CAFE:
        raise DomainError(_("A rotation belongs to a World Cafe session."), code="wrong_kind")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise DomainError(_("Between 1 and 12 rounds."), code="bad_rounds", field="rounds")
    if not 1 <= round_minutes <= 240:
        raise DomainError(_("A round lasts 1 to 240 minutes."), code="bad_minutes", field="round_minutes")
    rotation, _created = Rotation.objects.update_or_create(
        session=session,
        defaults={
            "rounds": rounds,
            "round_minutes": round_minutes,
            "seconds": max(0.1, min(float(seconds), 30.0)),
            "tables": tables,
            "priority": priority,
        },
    )
    return rotation


def start_rotation(*, actor: User, rotation: Rotation) -> Job:
    require_organiser(actor, rotation.session.event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "rotation", "id": rotation.pk},
        actor=actor,
        subject=f"rotation:{rotation.pk}",
    )


def _session_tables(rotation: Rotation) -> int:
    have = rotation.session.event.tables.count()
    return min(rotation.tables, have) if rotation.tables else have


def _cafe_inputs(
    rotation: Rotation,
    regs: Sequence[Registration],
) -> tuple[dict[int, int], list[tuple[int, int]], FloatArray]:
    tables = list(rotation.session.event.tables.order_by("number"))[: _session_tables(rotation)]
    idx = {r.user_id: i for i, r in enumerate(regs)}
    hosts = {idx[t.host_id]: k for k, t in enumerate(tables) if t.host_id in idx}
    return hosts, same_agency_pairs(regs), diversity(regs, CAFE_ATTRIBUTES)


def compute_rotation(*, rotation_id: int, progress: Progress = no_progress) -> Rotation:
    rotation = Rotation.objects.select_related("session__event").get(pk=rotation_id)
    n_tables = _session_tables(rotation)
    regs = present(rotation.session)
    if n_tables < 2 or len(regs) < 2 * n_tables:
        raise DomainError(_("A World Cafe needs at least two tables and two people per table."), code="too_small")
    hosts, cannot, div = _cafe_inputs(rotation, regs)
    progress(0, 2, str(_("Planning the rounds")))
    res = rotation_solver.solve(
        len(regs),
        n_tables,
        rotation.rounds,
        cannot_link=cannot,
        hosts=hosts,
        diversity=div,
        seconds=rotation.seconds,
        seed=rotation.version,
        priority=rotation.priority,
    )
    progress(1, 2, str(_("Checking the plan")))
    verdict = rotation_solver.check(res.plan, cannot, hosts, people=range(len(regs)))
    if not verdict.ok:
        raise DomainError(
            _("No rotation keeps every hard rule with these tables; add tables or change the hosts."), code="infeasible"
        )
    rotation.plan = [[[regs[p].pk for p in t] for t in rd] for rd in res.plan]
    rotation.hosts = {str(t): regs[p].pk for p, t in hosts.items()}
    rotation.repeated_pairs, rotation.same_table = verdict.repeated_pairs, verdict.same_table
    rotation.state, rotation.computed_at, rotation.published_at = PlanState.DRAFT, timezone.now(), None
    rotation.current_round, rotation.round_started_at, rotation.last_replan = None, None, {}
    rotation.version += 1
    rotation.save()
    progress(2, 2, str(_("Checking the plan")))
    return rotation


def publish_rotation(*, actor: User, rotation: Rotation) -> Rotation:
    event = rotation.session.event
    require_organiser(actor, event)
    if not rotation.plan:
        raise DomainError(_("Compute the rotation first."), code="not_computed")
    with transaction.atomic():
        rotation.state, rotation.published_at = PlanState.PUBLISHED, timezone.now()
        rotation.save(update_fields=["state", "published_at"])
        ledger.record(
            kind=EventEntry.ROTATION_PUBLISHED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "session": rotation.session_id,
                "version": rotation.version,
                "rounds": len(rotation.plan),
                "tables": len(rotation.plan[0]),
                "repeated_pairs": rotation.repeated_pairs,
            },
            commitments={"plan": json.dumps(rotation.plan)},
        )
    return rotation


def start_round(*, actor: User, rotation: Rotation, round_no: int) -> Rotation:
    """The facilitator starts a round (0-based); the projector counts down to its end."""
    require_organiser(actor, rotation.session.event)
    if rotation.state != PlanState.PUBLISHED:
        raise DomainError(_("Publish the rotation before starting a round."), code="not_published")
    if not 0 <= round_no < len(rotation.plan):
        raise DomainError(_("There is no such round."), code="bad_round", field="round")
    rotation.current_round, rotation.round_started_at = round_no, timezone.now()
    rotation.save(update_fields=["current_round", "round_started_at"])
    return rotation


def start_replan(
    *, actor: User, rotation: Rotation, from_round: int, absent: Iterable[Registration], arrived: Iterable[Registration]
) -> Job:
    require_organiser(actor, rotation.session.event)
    if not rotation.plan:
        raise DomainError(_("Compute the rotation first."), code="not_computed")
    if not 0 <= from_round < len(rotation.plan):
        raise DomainError(_("There is no such round."), code="bad_round", field="from_round")
    seated = {p for t in rotation.plan[0] for p in t}
    absent_ids = sorted({r.pk for r in absent})
    arrived_ids = sorted({r.pk for r in arrived})
    if not set(absent_ids) <= seated:
        raise DomainError(_("Only people in the plan can be absent."), code="bad_absent", field="absent")
    confirmed = set(rotation.session.event.registrations.filter(state=RegState.CONFIRMED).values_list("pk", flat=True))
    if set(arrived_ids) & seated or not set(arrived_ids) <= confirmed:
        raise DomainError(
            _("Late arrivals are confirmed participants not yet in the plan."), code="bad_arrived", field="arrived"
        )
    if not absent_ids and not arrived_ids:
        raise DomainError(_("Mark who is absent or who arrived late."), code="nothing_changed")
    return jobs.enqueue(
        kind="events.compute",
        params={
            "task": "replan",
            "id": rotation.pk,
            "from_round": from_round,
            "absent": absent_ids,
            "arrived": arrived_ids,
        },
        actor=actor,
        subject=f"rotation:{rotation.pk}",
    )


def compute_replan(
    *,
    rotation_id: int,
    from_round: int,
    absent: list[int],
    arrived: list[int],
    actor_id: int | None = None,
    progress: Progress = no_progress,
) -> Rotation:
    rotation = Rotation.objects.select_related("session__event").get(pk=rotation_id)
    event = rotation.session.event
    in_plan = sorted({p for rd in rotation.plan for t in rd for p in t})
    order = in_plan + [a for a in arrived if a not in in_plan]
    regs_by_pk = {r.pk: r for r in event.registrations.select_related("agency")}
    regs = [regs_by_pk[pk] for pk in order]
    idx = {pk: i for i, pk in enumerate(order)}
    old = [[[idx[p] for p in t] for t in rd] for rd in rotation.plan]
    hosts = {idx[int(pk)]: int(t) for t, pk in rotation.hosts.items() if int(pk) not in absent and int(pk) in idx}
    cannot = same_agency_pairs(regs)
    progress(0, 1, str(_("Re-planning the remaining rounds")))
    res = rotation_solver.replan(
        old,
        from_round,
        absent=[idx[a] for a in absent],
        arrived=[idx[a] for a in arrived],
        cannot_link=cannot,
        hosts=hosts,
        diversity=diversity(regs, CAFE_ATTRIBUTES),
        seconds=min(rotation.seconds, 2.0),
        seed=rotation.version,
    )
    if res.violations:
        raise DomainError(_("No re-plan keeps every hard rule; add a table or change the hosts."), code="infeasible")
    new_plan = [[[order[p] for p in t] for t in rd] for rd in res.plan]
    changes = []
    for r in range(from_round, len(new_plan)):
        before = {p: t for t, members in enumerate(rotation.plan[r]) for p in members}
        after = {p: t for t, members in enumerate(new_plan[r]) for p in members}
        for p in sorted(set(before) | set(after)):
            if before.get(p) != after.get(p):
                changes.append([r, p, before.get(p), after.get(p)])
    with transaction.atomic():
        rotation.plan = new_plan
        rotation.repeated_pairs, rotation.same_table = res.repeated_pairs, res.same_table
        rotation.hosts = {str(t): order[p] for p, t in hosts.items()}
        rotation.last_replan = {
            "from_round": from_round,
            "absent": absent,
            "arrived": arrived,
            "changes": changes,
            "changed_seats": res.changed_seats,
            "at": timezone.now().isoformat(timespec="seconds"),
        }
        rotation.version += 1
        rotation.save()
        if rotation.state == PlanState.PUBLISHED:
            ledger.record(
                kind=EventEntry.ROTATION_REPLANNED,
                subject=f"event:{event.pk}",
                actor_id=actor_id,
                data={
                    "session": rotation.session_id,
                    "version": rotation.version,
                    "from_round": from_round,
                    "absent": len(absent),
                    "arrived": len(arrived),
                    "changed_seats": res.changed_seats,
                    "repeated_pairs": res.repeated_pairs,
                },
                commitments={"plan": json.dumps(new_plan)},
            )
    progress(1, 1, str(_("Re-planning the remaining rounds")))
    return rotation
