"""Discussion groups: the facilitator's settings, the planner (a background job), moves by hand
and publication."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.events import ledger_entries as entries
from madang.events.ledger_entries import EventEntry
from madang.events.models import Event, Grouping, PlanState, Registration, RegState, Session, SessionKind
from madang.events.selectors.registration import present
from madang.events.services.profiles import ATTRIBUTE_KEYS, diversity, same_agency_pairs
from madang.events.services.programme import Progress, no_progress, require_organiser
from madang.jobs import services as jobs
from madang.jobs.models import Job
from madang.ledger import services as ledger
from madang.people.models import User
from madang.solvers import grouping as grouping_solver
from madang.solvers.rotation import table_sizes

MAX_GROUPS = 60


def _pairs(event: Event, pairs: Iterable[Sequence[int]], field: str) -> list[list[int]]:
    ids = set(event.registrations.filter(state=RegState.CONFIRMED).values_list("pk", flat=True))
    out = []
    for pair in pairs:
        a, b = int(pair[0]), int(pair[1])
        if a == b or a not in ids or b not in ids:
            raise DomainError(_("Each pair names two different confirmed participants."), code="bad_pair", field=field)
        out.append([a, b])
    return out


def configure_grouping(
    *,
    actor: User,
    session: Session,
    group_count: int = 0,
    sizes: Sequence[int] = (),
    attributes: Sequence[str] = ("agency", "level", "grade_band", "region"),
    separate_agencies: bool = True,
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[Sequence[int]] = (),
    seconds: float = 2.0,
) -> Grouping:
    require_organiser(actor, session.event)
    if session.kind != SessionKind.GROUPS:
        raise DomainError(_("Discussion groups belong to a discussion-group session."), code="wrong_kind")
    sizes = [int(s) for s in sizes]
    if not sizes and not 1 <= group_count <= MAX_GROUPS:
        raise DomainError(
            _("Give a number of groups (1 to 60) or the size of each group."), code="bad_sizes", field="group_count"
        )
    if sizes and (len(sizes) > MAX_GROUPS or any(s < 1 for s in sizes)):
        raise DomainError(_("Each group has at least one person (at most 60 groups)."), code="bad_sizes", field="sizes")
    unknown = [a for a in attributes if a not in ATTRIBUTE_KEYS]
    if unknown:
        raise DomainError(_("Unknown attribute to diversify."), code="bad_attribute", field="attributes")
    together_l = _pairs(session.event, together, "together")
    apart_l = _pairs(session.event, apart, "apart")
    if {tuple(sorted(p)) for p in together_l} & {tuple(sorted(p)) for p in apart_l}:
        raise DomainError(_("A pair cannot be both kept together and kept apart."), code="contradiction", field="apart")
    grouping, _created = Grouping.objects.update_or_create(
        session=session,
        defaults={
            "group_count": len(sizes) or group_count,
            "sizes": sizes,
            "attributes": list(attributes),
            "separate_agencies": separate_agencies,
            "together": together_l,
            "apart": apart_l,
            "seconds": max(0.1, min(float(seconds), 30.0)),
        },
    )
    return grouping


def start_grouping(*, actor: User, grouping: Grouping) -> Job:
    require_organiser(actor, grouping.session.event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "groups", "id": grouping.pk},
        actor=actor,
        subject=f"grouping:{grouping.pk}",
    )


@dataclass
class GroupRules:
    cannot: list[tuple[int, int]]
    must: list[tuple[int, int]]


def group_rules(grouping: Grouping, regs: Sequence[Registration]) -> GroupRules:
    """The hard rules as index pairs over `regs`: same agency apart, the facilitator's pairs."""
    idx = {r.pk: i for i, r in enumerate(regs)}
    cannot = same_agency_pairs(regs) if grouping.separate_agencies else []
    cannot += [(idx[a], idx[b]) for a, b in grouping.apart if a in idx and b in idx]
    must = [(idx[a], idx[b]) for a, b in grouping.together if a in idx and b in idx]
    return GroupRules(cannot, must)


def compute_groups(*, grouping_id: int, progress: Progress = no_progress) -> Grouping:
    grouping = Grouping.objects.select_related("session__event").get(pk=grouping_id)
    regs = present(grouping.session)
    n = len(regs)
    sizes = list(grouping.sizes) or (table_sizes(n, grouping.group_count) if grouping.group_count else [])
    if not sizes or sum(sizes) != n:
        raise DomainError(
            _("The group sizes add up to %(s)d but %(n)d people are present.") % {"s": sum(sizes), "n": n},
            code="bad_sizes",
        )
    hard = group_rules(grouping, regs)
    d = diversity(regs, grouping.attributes)
    steps = 4
    best = None
    progress(0, steps, str(_("Mixing the groups")))
    try:
        for step in range(steps):
            res = grouping_solver.solve(
                d,
                sizes,
                sizes,
                cannot_link=hard.cannot,
                must_link=hard.must,
                seconds=grouping.seconds / steps,
                seed=step,
                initial=best.assignment if best else None,
            )
            if best is None or res.objective >= best.objective:
                best = res
            progress(step + 1, steps, str(_("Mixing the groups")))
    except grouping_solver.InfeasibleGrouping as exc:
        raise DomainError(
            _("No grouping meets these sizes and rules (for example, more people of one agency than groups)."),
            code="infeasible",
        ) from exc
    assert best is not None
    verdict = grouping_solver.check(d, best.assignment, sizes, sizes, cannot_link=hard.cannot, must_link=hard.must)
    if not verdict.ok:
        raise DomainError(
            _("No grouping meets these sizes and rules (for example, more people of one agency than groups)."),
            code="infeasible",
        )
    groups: list[list[int]] = [[] for _s in sizes]
    for reg, g in zip(regs, best.assignment, strict=True):
        groups[g].append(reg.pk)
    grouping.groups, grouping.computed_sizes, grouping.objective = groups, sizes, verdict.objective
    grouping.state, grouping.computed_at, grouping.published_at = PlanState.DRAFT, timezone.now(), None
    grouping.save()
    return grouping


def group_problems(grouping: Grouping, groups: Sequence[Sequence[int]]) -> list[str]:
    """Every hard rule the groups break, recomputed from scratch (used by hand moves and tests)."""
    regs = {r.pk: r for r in grouping.session.event.registrations.all()}
    where = {pk: g for g, members in enumerate(groups) for pk in members}
    problems = []
    for members in groups:
        agencies = [regs[pk].agency_id for pk in members if regs[pk].agency_id is not None]
        if grouping.separate_agencies and len(agencies) != len(set(agencies)):
            problems.append("same_agency")
    for a, b in grouping.apart:
        if a in where and where.get(a) == where.get(b):
            problems.append("apart")
    for a, b in grouping.together:
        if a in where and b in where and where[a] != where[b]:
            problems.append("together")
    return problems


def move_group_member(*, actor: User, grouping: Grouping, registration: Registration, to_group: int) -> Grouping:
    """A facilitator's move by hand, re-checked against every hard rule."""
    event = grouping.session.event
    require_organiser(actor, event)
    groups = [list(g) for g in grouping.groups]
    source = next((g for g, members in enumerate(groups) if registration.pk in members), None)
    if source is None:
        raise DomainError(_("This person is not in any group."), code="not_grouped")
    if not 0 <= to_group < len(groups) or to_group == source:
        raise DomainError(_("Choose another group."), code="bad_group", field="to_group")
    groups[source].remove(registration.pk)
    groups[to_group].append(registration.pk)
    sizes = grouping.computed_sizes or [len(g) for g in grouping.groups]
    if len(groups[to_group]) > sizes[to_group] + 1 or len(groups[source]) < max(1, sizes[source] - 1):
        raise DomainError(
            _("That would make the groups too uneven: move someone back the other way first."), code="uneven"
        )
    problems = group_problems(grouping, groups)
    if problems:
        messages = {
            "same_agency": _("Two people of the same agency would share a group."),
            "apart": _("This would put together two people the facilitator keeps apart."),
            "together": _("This would split a pair the facilitator keeps together."),
        }
        raise DomainError(messages[problems[0]], code=problems[0])
    with transaction.atomic():
        grouping.groups = groups
        grouping.save(update_fields=["groups"])
        if grouping.state == PlanState.PUBLISHED:
            ledger.record(
                kind=EventEntry.GROUP_MOVED,
                subject=f"event:{event.pk}",
                actor_id=actor.pk,
                data={
                    "session": grouping.session_id,
                    "member": entries.group_member(event.pk, registration.user_id),
                    "from": source + 1,
                    "to": to_group + 1,
                },
            )
    return grouping


def publish_groups(*, actor: User, grouping: Grouping) -> Grouping:
    event = grouping.session.event
    require_organiser(actor, event)
    if not grouping.groups:
        raise DomainError(_("Compute the groups first."), code="not_computed")
    problems = group_problems(grouping, grouping.groups)
    if problems:
        raise DomainError(_("These groups break a hard rule; compute them again."), code=problems[0])
    with transaction.atomic():
        grouping.state, grouping.published_at = PlanState.PUBLISHED, timezone.now()
        grouping.save(update_fields=["state", "published_at"])
        ledger.record(
            kind=EventEntry.GROUPS_FORMED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "session": grouping.session_id,
                "sizes": [len(g) for g in grouping.groups],
                "attributes": grouping.attributes,
                "separate_agencies": grouping.separate_agencies,
                "objective": round(grouping.objective or 0.0, 6),
            },
            commitments={"groups": entries.groups_text(event.pk, grouping.groups)},
        )
    return grouping
