"""Reads of the suggestion system: the office's desk, one suggestion's page, implementation
tracking, effects and awards, an idea's lineage, the packs an office may follow, and the steps the
public status page shows. Nothing here writes."""

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madang.calls import rules as calls_rules
from madang.calls import viewers
from madang.calls.models import Proposal, Status
from madang.core import sqlnames
from madang.core.errors import DomainError, NotFound
from madang.followup import timeline
from madang.followup.timeline import TimelineEvent
from madang.people import rules as people_rules
from madang.people.models import Kind, Organisation, OrgKind, Role, User
from madang.suggestions import clocks, packs, rules
from madang.suggestions.models import (
    Award,
    CannotImplement,
    Decision,
    DecisionOutcome,
    Effect,
    PersonnelCredit,
    Round,
    Stage,
    Suggestion,
    SuggestionKind,
    SuggestionOffice,
    Supplement,
)
from madang.suggestions.notices import notices as sent_notices
from madang.suggestions.packs import Pack, PackError

OPEN_STAGES = (Stage.REVIEWING, Stage.REEXAMINING, Stage.ADOPTED)
# Adopted, whatever became of it since: its effects may still be corrected.
ADOPTED_STAGES = (Stage.ADOPTED, Stage.IMPLEMENTED, Stage.NOT_IMPLEMENTABLE)


def _base() -> QuerySet[Suggestion]:
    return Suggestion.objects.select_related(
        "proposal__call__organisation",
        "proposal__author",
        "office__organisation",
        "office__standing_call__organisation",
        "department__parent",
    ).prefetch_related(
        "supplements",
        Prefetch("decisions", queryset=Decision.objects.prefetch_related("panel")),
        "proposal__coauthors",
        "decision_extensions",
    )


def access_suggestion(user: Any, suggestion_id: Any) -> Suggestion:
    """A suggestion this user may work on or follow; "not found" for a missing and a forbidden one alike."""
    if not isinstance(suggestion_id, int) or suggestion_id < 1:
        raise NotFound()
    s = _base().filter(pk=suggestion_id).first()
    if s is None or not rules.can_view(user, s):
        raise NotFound()
    return s


def access_supplement(suggestion: Suggestion, supplement_id: Any) -> Supplement:
    found = next((x for x in suggestion.supplements.all() if x.pk == supplement_id), None)
    if found is None:
        raise NotFound()
    return found


def offices_for(user: Any) -> list[SuggestionOffice]:
    """The offices this person works in (the innovation team over them, or a site administrator)."""
    if not people_rules.is_authenticated(user):
        return []
    offices = SuggestionOffice.objects.select_related("organisation", "standing_call__organisation").order_by(
        "organisation__path"
    )
    if people_rules.is_site_admin(user):
        return list(offices)
    if not people_rules.has_any_role(user, Role.INNOVATION_TEAM):
        return []
    return [o for o in offices if rules.is_office(user, o)]


def access_office(user: Any, office_id: Any) -> SuggestionOffice:
    found = next((o for o in offices_for(user) if o.pk == office_id), None)
    if found is None:
        raise NotFound()
    return found


def report_office(user: Any, code: Any) -> SuggestionOffice:
    """The office of the organisation with this code, for its innovation team (404 otherwise)."""
    found = next((o for o in offices_for(user) if o.organisation.code == code), None)
    if found is None:
        raise NotFound()
    return found


def implementers(s: Suggestion) -> QuerySet[User]:
    """Who may be recognised as the implementer: the implementing department's liaisons."""
    if s.department is None:
        return User.objects.none()
    ancestors = [p for p in s.department.path.strip("/").split("/") if p]
    return User.objects.filter(
        is_active=True, role_grants__role=Role.LIAISON, role_grants__organisation_id__in=ancestors
    ).distinct()


def credit_candidates(s: Suggestion) -> QuerySet[User]:
    """Who may get personnel credit: the officials who proposed it, and the implementer recognised."""
    ids = set(s.proposal.author_ids()) if s.proposer_kind == "official" else set()
    award = getattr(s, "award", None) if has_award(s) else None
    if award is not None and award.implementer_id:
        ids.add(award.implementer_id)
    return User.objects.filter(pk__in=ids, is_active=True)


def has_award(s: Suggestion) -> bool:
    try:
        return s.award is not None
    except Suggestion.award.RelatedObjectDoesNotExist:
        return False


def credits_of(office: SuggestionOffice, year: int) -> QuerySet[PersonnelCredit]:
    return PersonnelCredit.objects.filter(award__suggestion__office=office, recorded_on__year=year)


def ground_labels(office: SuggestionOffice) -> dict[str, str]:
    """The grounds' labels in the office's packs now in force (a report names each ground once)."""
    labels: dict[str, str] = {}
    known = packs.active()
    for pid in (office.official_pack, office.citizen_pack):
        if pid and pid in known.ids():
            labels.update({g.code: g.label for g in known.versions(pid)[-1].grounds.values()})
    return labels


def filing_office(office_id: Any) -> SuggestionOffice:
    """An office anyone may file with (its standing call is readable by whoever it is open to)."""
    if not isinstance(office_id, int) or office_id < 1:
        raise NotFound()
    office = (
        SuggestionOffice.objects.select_related("organisation", "standing_call__organisation")
        .filter(pk=office_id)
        .first()
    )
    if office is None:
        raise NotFound()
    return office


def filing_offices(user: Any) -> list[SuggestionOffice]:
    """The offices this person may file a suggestion with: their standing call is open to them (an
    official files with their own organisation) and they take this kind of proposer."""
    if not people_rules.is_authenticated(user):
        return []
    offices = SuggestionOffice.objects.select_related("organisation", "standing_call__organisation").order_by(
        "organisation__path"
    )
    offices = offices.exclude(citizen_pack="") if user.is_citizen else offices.exclude(official_pack="")
    return [o for o in offices if rules.can_file(user, o)]


def filing_kinds(user: Any, office: SuggestionOffice, *, today: date | None = None) -> list[str]:
    """The types of suggestion this person may file with this office: the standing type, and the
    already-implemented one (실시제안) only where the rules in force for their kind of proposer have it
    (no shipped pack does: the 공무원 제안 규정's 제2조제2호 was deleted in 2023)."""
    pid = office.citizen_pack if user.is_citizen else office.official_pack
    try:
        pack = packs.active().in_force(pid, today or timezone.localdate())
    except PackError:
        return [SuggestionKind.STANDING]  # filing is refused with the reason (services._pack_in_force)
    kinds: list[str] = [SuggestionKind.STANDING]
    if SuggestionKind.IMPLEMENTED in pack.types:
        kinds.append(SuggestionKind.IMPLEMENTED)
    return kinds


def my_suggestions(user: Any) -> QuerySet[Suggestion]:
    if not people_rules.is_authenticated(user):
        return Suggestion.objects.none()
    return _base().filter(Q(proposal__author=user) | Q(proposal__coauthors=user)).distinct().order_by("-received_at")


# ---------------------------------------------------------------- clocks as the desk shows them


@dataclass(frozen=True)
class ClockView:
    """Where a suggestion's running clock stands today. Never negative: past its due date it is
    overdue by so many days, with no working days left."""

    name: str  # decision, reexamination_decision, implementation_plan, implementation
    due: date | None  # None while a stop is open (then `projected` is the due date if it ran again tomorrow)
    working_days_left: int = 0
    overdue_days: int = 0
    stopped_since: date | None = None
    projected: date | None = None
    stopped_days: int = 0

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def stopped(self) -> bool:
        return self.stopped_since is not None


def running_clock(s: Suggestion, today: date, pack: Pack | None = None) -> ClockView | None:
    if s.stage == Stage.REVIEWING:
        pack = pack or clocks.pack_for(s)
        supplements = list(s.supplements.all())
        open_stop = next((x for x in supplements if x.is_open), None)
        deadline = clocks.decision_deadline(
            pack, s, supplements, as_of=max(today, open_stop.asked_on) if open_stop else None
        )
        if deadline is None:
            return None
        if open_stop is not None:
            return ClockView(
                "decision",
                None,
                stopped_since=open_stop.asked_on,
                projected=deadline.due,
                stopped_days=deadline.stopped_days,
            )
        due_on = deadline.due
        assert due_on is not None
        return ClockView(
            "decision",
            due_on,
            clocks.working_days_to(today, due_on),
            clocks.days_overdue(today, due_on),
            stopped_days=deadline.stopped_days,
        )
    if s.stage == Stage.REEXAMINING:
        due_on = s.reexamination.due
        name = "reexamination_decision"
    elif s.stage == Stage.ADOPTED:
        if _declaration_pending(s):
            return None  # the office's ruling is awaited; the implementation date is on hold
        if s.plan_due is not None and not has_plan(s):
            name, due_on = "implementation_plan", s.plan_due
        else:
            name, due_on = "implementation", s.implement_by
    else:
        return None
    if due_on is None:
        return None
    return ClockView(name, due_on, clocks.working_days_to(today, due_on), clocks.days_overdue(today, due_on))


def ruling_of(c: CannotImplement) -> Any:
    try:
        return c.ruling
    except CannotImplement.ruling.RelatedObjectDoesNotExist:
        return None


def _declaration_pending(s: Suggestion) -> bool:
    return any(ruling_of(c) is None for c in s.cannot_implement.all())


def has_plan(s: Suggestion) -> bool:
    try:
        return s.plan is not None
    except Suggestion.plan.RelatedObjectDoesNotExist:
        return False


@dataclass(frozen=True)
class DeskRow:
    suggestion: Suggestion
    clock: ClockView | None
    problem: str = ""  # a pack that cannot be used any more: the desk says so instead of failing


def _row(s: Suggestion, today: date) -> DeskRow:
    try:
        return DeskRow(s, running_clock(s, today))
    except DomainError as e:
        return DeskRow(s, None, str(e.message))


def desk(
    user: Any, *, office: SuggestionOffice | None = None, stage: str = "", today: date | None = None
) -> list[DeskRow]:
    """The office's suggestions with their clocks, the most urgent first: overdue, then by due date;
    stopped clocks after the running ones, then the closed."""
    today = today or timezone.localdate()
    offices = [office] if office is not None else offices_for(user)
    qs = _base().filter(office__in=offices)
    if stage:
        qs = qs.filter(stage=stage)
    rows = [_row(s, today) for s in qs.prefetch_related("cannot_implement")]

    def urgency(r: DeskRow) -> tuple[int, date, int]:
        c = r.clock
        if c is None:
            return (3, r.suggestion.received_on, -r.suggestion.pk)
        if c.stopped:
            return (2, c.projected or date.max, r.suggestion.pk)
        return (0 if c.overdue else 1, c.due or date.max, r.suggestion.pk)

    return sorted(rows, key=urgency)


def tracks_implementation(user: Any) -> bool:
    """Whether implementation tracking is for this person: the office, or the liaison of a department
    under an office (who plans, delays and declares for the suggestions their department implements)."""
    if offices_for(user):
        return True
    paths = people_rules.liaison_paths(user)
    if not paths:
        return False
    offices = SuggestionOffice.objects.values_list("organisation__path", flat=True)
    return any(path.startswith(office) for office in offices for path in paths)


def implementation_rows(user: Any, *, today: date | None = None) -> list[DeskRow]:
    """Adopted suggestions being implemented, and those whose implementation was ruled on: every
    one of the offices this person works in, and those their departments implement (as liaison)."""
    today = today or timezone.localdate()
    mine = Q(office__in=offices_for(user))
    for path in people_rules.liaison_paths(user):
        mine |= Q(department__path__startswith=path)
    qs = (
        _base()
        .filter(mine, stage__in=[Stage.ADOPTED, Stage.IMPLEMENTED, Stage.NOT_IMPLEMENTABLE])
        .prefetch_related("delays", "cannot_implement", "rulings")
    )
    rows = [_row(s, today) for s in qs]
    return sorted(
        rows,
        key=lambda r: (
            r.suggestion.stage != Stage.ADOPTED,
            r.clock.due if r.clock and r.clock.due else date.max,
            r.suggestion.pk,
        ),
    )


def office_of_call(call: Any) -> SuggestionOffice | None:
    return (
        SuggestionOffice.objects.filter(standing_call=call).select_related("standing_call__organisation").first()
        or SuggestionOffice.objects.filter(organisation_id=call.organisation_id)
        .select_related("standing_call__organisation")
        .first()
    )


def receivable(user: Any, proposal: Proposal) -> bool:
    """Whether this person may receive this submitted proposal as a suggestion (the office)."""
    if not (people_rules.is_site_admin(user) or people_rules.has_any_role(user, Role.INNOVATION_TEAM)):
        return False  # (the office is an innovation team: most readers need not look for one)
    office = office_of_call(proposal.call)
    return (
        office is not None
        and rules.can_receive(user, office)
        and not Suggestion.objects.filter(proposal=proposal).exists()
    )


def panel_candidates(office: SuggestionOffice) -> QuerySet[User]:
    """Who may sit on a review panel: active officials of the office's organisation."""
    return (
        User.objects.filter(kind=Kind.OFFICIAL, is_active=True, department__path__startswith=office.organisation.path)
        .select_related("department")
        .order_by("display_name")
    )


def departments(office: SuggestionOffice) -> QuerySet[Organisation]:
    """The departments that may implement an adopted suggestion: those of the office's organisation."""
    return Organisation.objects.filter(
        kind=OrgKind.DEPARTMENT, is_active=True, path__startswith=office.organisation.path
    )


def awaiting_receipt(office: SuggestionOffice) -> QuerySet[Proposal]:
    """Proposals submitted in the standing call through the ordinary pages, not yet received."""
    return (
        Proposal.objects.filter(call=office.standing_call, status=Status.SUBMITTED, suggestion__isnull=True)
        .select_related("author")
        .order_by("submitted_at", "pk")
    )


# ---------------------------------------------------------------- one suggestion


@dataclass
class SuggestionPage:
    suggestion: Suggestion
    pack: Pack | None
    problem: str
    clock: ClockView | None
    supplements: list[Supplement]
    decisions: list[Decision]
    can: dict[str, bool] = field(default_factory=dict)

    @property
    def first(self) -> Decision | None:
        return next((d for d in self.decisions if d.round == Round.FIRST), None)

    def grounds(self, outcome: str) -> list[tuple[str, str]]:
        if self.pack is None:
            return []
        return [(g.code, f"{g.label} ({g.cite})") for g in self.pack.grounds.values() if g.outcome == outcome]


def suggestion_page(user: Any, s: Suggestion, *, today: date | None = None) -> SuggestionPage:
    today = today or timezone.localdate()
    pack, problem, clock = None, "", None
    try:
        pack = clocks.pack_for(s)
        clock = running_clock(s, today, pack)
    except DomainError as e:
        problem = str(e.message)
    supplements = list(s.supplements.all())
    handle = rules.can_handle(user, s) and pack is not None
    proposer = rules.is_proposer(user, s)
    can = {
        "handle": handle,
        "supplement": handle
        and s.stage == Stage.REVIEWING
        and not any(x.is_open for x in supplements)
        and (s.supplement_until is None or today <= s.supplement_until),
        "decide": handle and s.stage == Stage.REVIEWING,
        "decide_reexamination": handle and s.stage == Stage.REEXAMINING,
        "answer": proposer and any(x.is_open for x in supplements),
        "reexamine": proposer and rules.reexamination_open(s, today),
        "implement": rules.can_implement(user, s),
        "plan": rules.can_implement(user, s) and not has_plan(s),
        "delay": rules.can_implement(user, s) and s.implement_by is not None,
        "rule": rules.can_rule(user, s),
        "extend": handle
        and pack is not None
        and rules.extension_open(s, today, (packs.extension_allowed(pack) or (None, None))[1]),
        "proposer": proposer,
        "office": rules.is_office(user, s.office),
        "notices": rules.can_read_notices(user, s),
    }
    awarded = has_award(s)
    rewardable = handle and s.stage in (Stage.ADOPTED, Stage.IMPLEMENTED)
    current = s.effects.filter(superseded_on__isnull=True).count()
    can["effect"] = rewardable and current < (2 if s.stage == Stage.IMPLEMENTED else 1)
    can["correct_effect"] = handle and current > 0 and s.stage in ADOPTED_STAGES
    can["refile"] = rules.can_refile(user, s.proposal, s)
    can["award"] = rewardable and not awarded and bool(pack and pack.grades)
    # The office is told why there is no award form, rather than left looking for one.
    can["no_grades"] = rewardable and not awarded and pack is not None and not pack.grades
    can["credit"] = handle and awarded and credit_candidates(s).exists()
    can["recommend"] = handle and awarded and s.award.recommended_on is None
    return SuggestionPage(s, pack, problem, clock, supplements, list(s.decisions.all()), can)


def effects_of(s: Suggestion) -> list[Effect]:
    """Every effect record, corrections after the records they replace (superseded ones included)."""
    return list(s.effects.select_related("corrects").order_by("measure", "created_at", "id"))


def current_effects(s: Suggestion) -> QuerySet[Effect]:
    return s.effects.filter(superseded_on__isnull=True)


def access_effect(s: Suggestion, effect_id: Any) -> Effect:
    found = s.effects.filter(pk=effect_id).first() if isinstance(effect_id, int) else None
    if found is None:
        raise NotFound()
    return found


def awards_for(user: Any, *, office: SuggestionOffice | None = None, year: int | None = None) -> QuerySet[Award]:
    """The awards of the offices this person works in (none for anyone else), the newest first."""
    offices = [office] if office is not None else offices_for(user)
    qs = (
        Award.objects.filter(suggestion__office__in=offices)
        .select_related("suggestion__proposal", "suggestion__office__organisation", "implementer")
        .prefetch_related("credits__person")
        .order_by("-awarded_on", "-id")
    )
    return qs.filter(awarded_on__year=year) if year is not None else qs


# ---------------------------------------------------------------- lineage (a declined idea reopened)


@dataclass(frozen=True)
class Lineage:
    """Where a suggestion stands in its idea's line: the proposal it refines (and that proposal's
    suggestion, if it was one), the suggestion that refines it, and the first filing date."""

    refines: Proposal | None
    earlier: Suggestion | None
    later: Suggestion | None
    first_filed_on: date | None
    # Whether each side may be named to whoever reads the other (see `names_public`).
    earlier_public: bool = True
    later_public: bool = True

    def __bool__(self) -> bool:
        return self.refines is not None or self.later is not None


def names_public(earlier: Proposal) -> bool:
    """Whether a lineage may name one side to the readers of the other: only when the earlier
    proposal is in a standing call too, whose proposers stay hidden from the public for good.
    A proposal of an ordinary call (or a contest suggestion) shows its author: naming the
    refinement there, or it on the refinement's status page, would name its hidden proposer."""
    return SuggestionOffice.objects.filter(standing_call_id=earlier.call_id).exists()


def lineage(s: Suggestion) -> Lineage:
    earlier = None
    refines = s.refines if s.refines_id else None
    if refines is not None:
        earlier = Suggestion.objects.filter(proposal=refines).select_related("proposal").first()
    later = rules.refined_as(s)
    return Lineage(
        refines,
        earlier,
        later,
        s.first_filed_on,
        earlier_public=refines is not None and earlier is not None and names_public(refines),
        later_public=later is not None and names_public(s.proposal),
    )


def refinable(user: Any, proposal: Proposal) -> tuple[Suggestion | None, SuggestionOffice] | None:
    """For the refile page: the earlier suggestion (if the proposal was one) and the office the
    refinement goes to, when this person may reopen the proposal's idea; None otherwise."""
    if not calls_rules.is_author(user, proposal):
        return None  # (only its proposer may: `rules.can_refile`)
    earlier = Suggestion.objects.filter(proposal=proposal).select_related("office__standing_call").first()
    if not rules.can_refile(user, proposal, earlier):
        return None
    office = earlier.office if earlier is not None else office_of_call(proposal.call)
    if office is None or not rules.can_file(user, office):
        return None
    return earlier, office


# ---------------------------------------------------------------- opening an office


def organisation_by_id(organisation_id: Any) -> Organisation | None:
    if not isinstance(organisation_id, int) or organisation_id < 1:
        return None
    return Organisation.objects.filter(pk=organisation_id).first()


def openable_organisations(user: Any) -> list[Organisation]:
    """The organisations this person may open a suggestion office for, that have none yet
    (agencies and local governments, not their departments)."""
    if not rules.may_open_offices(user):
        return []
    candidates = (
        Organisation.objects.filter(is_active=True, suggestion_office__isnull=True)
        .exclude(kind=OrgKind.DEPARTMENT)
        .order_by("path")
    )
    return [o for o in candidates if rules.can_open_office(user, o)]


@dataclass(frozen=True)
class PackChoice:
    """A pack an office may follow, as the page and the API offer it: the version in force on the
    day (or, if none is yet, the first to come) and any later version already known."""

    id: str
    title: str
    version: str
    effective: date
    in_force: bool
    proposers: tuple[str, ...]
    extends: str | None
    later: tuple[tuple[str, date], ...]


def pack_choices(who: str = "", *, today: date | None = None) -> list[PackChoice]:
    """The installed packs (for citizens' or officials' suggestions when `who` says so)."""
    today = today or timezone.localdate()
    known = packs.active()
    out = []
    for pid in known.ids():
        versions = known.versions(pid)
        current = next((v for v in reversed(versions) if v.effective <= today), None)
        shown = current or versions[0]
        if who and shown.proposers and who not in shown.proposers:
            continue
        out.append(
            PackChoice(
                id=pid,
                title=shown.title,
                version=shown.version,
                effective=shown.effective,
                in_force=current is not None,
                proposers=shown.proposers,
                extends=shown.extends,
                later=tuple((v.version, v.effective) for v in versions if v.effective > shown.effective),
            )
        )
    return out


# ---------------------------------------------------------------- the public status page's steps


def _at(d: date, stamp: datetime) -> datetime:
    """A step's moment for ordering: the record's time, but never on a different day than its legal date."""
    if timezone.localdate(stamp) == d:
        return stamp
    return timezone.make_aware(datetime.combine(d, time(12)))


@functools.cache
def _linked_sql() -> str:
    """`_linked`'s query, made once from the model's table and column names."""
    table = sqlnames.table(Suggestion)
    received, refines = sqlnames.column(Suggestion, "proposal"), sqlnames.column(Suggestion, "refines")
    return (
        f"SELECT EXISTS(SELECT 1 FROM {table} WHERE {received} = %s) OR "  # noqa: S608 (names from the model)
        f"EXISTS(SELECT 1 FROM {table} WHERE {refines} = %s)"
    )


def _linked(proposal_id: int) -> bool:
    """Whether a suggestion was received as this proposal or reopened its idea, asked as one plain
    EXISTS on the two unique columns (the ORM query that finds nothing costs about 0.5 ms)."""
    with connection.cursor() as cursor:
        cursor.execute(_linked_sql(), [proposal_id, proposal_id])
        return bool(cursor.fetchone()[0])


def link_suggestions(proposal: Proposal) -> bool:
    """Whether this proposal was received as a suggestion, asked once for the page: one query
    finds both the suggestion it was received as and the one that reopened its idea, and leaves
    them in the proposal's own caches of `suggestion` and `refined_as` (most proposals have
    neither, and the page's sections then ask nothing more)."""
    if not Proposal.suggestion.is_cached(proposal) or not Proposal.refined_as.is_cached(proposal):
        received = refined = None
        rows = Suggestion.objects.filter(Q(proposal=proposal) | Q(refines=proposal)) if _linked(proposal.pk) else ()
        for row in rows:
            if row.proposal_id == proposal.pk:
                received = row
            if row.refines_id == proposal.pk:
                refined = row
        Proposal.suggestion.related.set_cached_value(proposal, received)
        Proposal.refined_as.related.set_cached_value(proposal, refined)
    return Proposal.suggestion.related.get_cached_value(proposal) is not None


def timeline_steps(proposal: Proposal) -> list[TimelineEvent]:
    """What the status page shows everyone who may read the proposal: dates, decisions and their
    coded grounds. Questions, answers, explanations and the panel stay on the suggestion's page."""
    s = (
        Suggestion.objects.filter(proposal=proposal)
        .select_related("department__parent", "refines__call")
        .prefetch_related("supplements", "decisions", "delays", "rulings", "cannot_implement", "decision_extensions")
        .first()
        if link_suggestions(proposal)
        else None
    )
    later = rules.later_of(proposal)
    if s is None:
        # A proposal declined in an ordinary call whose idea was reopened as a suggestion.
        return [_refined_as_step(later, named=False)] if later is not None else []
    try:
        pack: Pack | None = clocks.pack_for(s)
    except DomainError:
        pack = None
    steps = [
        TimelineEvent(
            _at(s.received_on, s.received_at),
            "suggestion.received",
            _("Received as suggestion no. %(n)s (%(type)s)") % {"n": s.receipt_number, "type": s.get_kind_display()},
            _by(_("Rules: %(pack)s") % {"pack": pack.title if pack else s.pack_key}, s.decision_due),
            "ok",
            s.decision_due,
        )
    ]
    if s.refines_id is not None:
        steps.append(_refines_step(s))
    for x in s.supplements.all():
        steps.append(
            TimelineEvent(
                _at(x.asked_on, x.created_at),
                "suggestion.supplement_requested",
                _("Supplement requested: the processing period stops"),
                _("Supplement asked for by %(date)s") % {"date": x.answer_by.isoformat()},
                "warn",
                x.answer_by,
            )
        )
        if x.answered_on:
            steps.append(
                TimelineEvent(
                    _at(x.answered_on, x.closed_at or x.created_at),
                    "suggestion.supplement_answered",
                    _("Supplement received: the processing period runs again"),
                    "",
                    "ok",
                )
            )
    for e in s.decision_extensions.all():
        steps.append(
            TimelineEvent(
                _at(e.extended_on, e.created_at),
                "suggestion.decision_extended",
                _("Decision period extended to %(date)s") % {"date": e.new_due.isoformat()},
                e.reason,
                "warn",
                e.new_due,
            )
        )
    for d in s.decisions.all():
        label = pack.grounds[d.ground].label if pack and d.ground in pack.grounds else d.ground
        title = (
            d.get_outcome_display()
            if d.round == Round.FIRST
            else _("Re-examined: %(outcome)s") % {"outcome": d.get_outcome_display()}
        )
        late = "" if d.on_time in (True, None) else " " + _("(late)")
        state = "ok" if d.outcome == DecisionOutcome.ADOPT else ("" if d.outcome == DecisionOutcome.TRANSFER else "bad")
        steps.append(
            TimelineEvent(
                _at(d.decided_on, d.created_at),
                f"suggestion.{d.round}.{d.outcome}",
                f"{title}{late}",
                " · ".join(filter(None, [label, _reexamination_window(d)])),
                state,
                d.reexamination_until,
            )
        )
    if rules.has_reexamination(s):
        request = s.reexamination
        steps.append(
            TimelineEvent(
                _at(request.requested_on, request.created_at),
                "suggestion.reexamination_requested",
                _("Re-examination requested"),
                _by("", request.due),
                "warn",
                request.due,
            )
        )
    if has_plan(s):
        p = s.plan
        steps.append(
            TimelineEvent(
                _at(p.planned_on, p.created_at),
                "suggestion.planned",
                _("Implementation planned by %(date)s") % {"date": p.implement_by.isoformat()},
                s.department.label() if s.department else "",
                "ok",
                p.implement_by,
            )
        )
    for n in s.delays.all():
        steps.append(
            TimelineEvent(
                _at(n.notified_on, n.created_at),
                "suggestion.delayed",
                _("Implementation delayed to %(date)s") % {"date": n.new_date.isoformat()},
                n.reason,
                "warn",
                n.new_date,
            )
        )
    for c in s.cannot_implement.all():
        steps.append(
            TimelineEvent(
                _at(c.declared_on, c.created_at),
                "suggestion.cannot_implement",
                _("Declared impossible to implement; the office will rule"),
                c.reason,
                "warn",
            )
        )
    for r in s.rulings.all():
        steps.append(
            TimelineEvent(
                _at(r.ruled_on, r.created_at),
                f"suggestion.ruling.{r.kind}",
                str(r.get_kind_display()),
                r.note,
                "ok" if r.kind == "implemented" else ("bad" if r.kind == "cannot_accepted" else "warn"),
                r.new_date,
            )
        )
    if later is not None:
        steps.append(_refined_as_step(later, named=names_public(proposal)))
    # That the proposer was sent a notice, and when; the notice itself is on the suggestion's page.
    for sent in sent_notices(s):
        steps.append(
            TimelineEvent(
                _at(sent.sent_on, sent.sent_at),
                f"suggestion.notice.{sent.step}",
                _("Notice sent to the proposer: %(notice)s") % {"notice": sent.label},
                "",
                "",
            )
        )
    return steps


def _by(detail: str, due: date | None) -> str:
    """A step's detail with the decision's due date, which the status page's reader should see (a
    due date stopped by an open supplement is None: the supplement's step says so)."""
    if due is None:
        return detail
    return " · ".join(filter(None, [detail, _("Decision due by %(date)s") % {"date": due.isoformat()}]))


def _reexamination_window(d: Decision) -> str:
    if d.reexamination_until is None:
        return ""
    return _("Re-examination may be asked for until %(d)s.") % {"d": d.reexamination_until.isoformat()}


def _refines_step(s: Suggestion) -> TimelineEvent:
    # Receipt numbers and dates only, and only between standing calls (`names_public`): the other
    # proposal may not be readable by whoever reads this one, or may name its author.
    assert s.refines is not None
    earlier = Suggestion.objects.filter(proposal=s.refines).first()
    if earlier is None or not names_public(s.refines):
        return TimelineEvent(
            _at(s.received_on, s.received_at),
            "suggestion.refines",
            _("Refines an earlier idea that was not adopted"),
            _("It keeps that idea's first filing date for priority."),
            "ok",
        )
    first = s.first_filed_on or s.received_on
    return TimelineEvent(
        _at(s.received_on, s.received_at),
        "suggestion.refines",
        _("Refines suggestion no. %(n)s, which was not adopted") % {"n": earlier.receipt_number},
        _("First filed on %(date)s: that day counts for priority.") % {"date": first.isoformat()},
        "ok",
    )


def _refined_as_step(later: Suggestion, *, named: bool) -> TimelineEvent:
    if named:
        title = _("Reopened for refinement as suggestion no. %(n)s") % {"n": later.receipt_number}
    else:
        title = _("Reopened for refinement as a new suggestion")
    return TimelineEvent(_at(later.received_on, later.received_at), "suggestion.refined_as", title, "", "")


# ---------------------------------------------------------------- registered with lower apps


def _worked_on_ids(user: Any) -> QuerySet[Any] | None:
    paths = people_rules.liaison_paths(user)
    cond = Q(decisions__panel=user)
    for p in paths:
        cond |= Q(department__path__startswith=p)
    return Suggestion.objects.filter(cond).values("proposal_id")


def _works_on(user: Any, proposal: Proposal) -> bool:
    s = Suggestion.objects.filter(proposal=proposal).select_related("department").first()
    return s is not None and (rules.is_implementer(user, s) or rules.sat_on_panel(user, s))


def register_steps() -> None:
    """Called from SuggestionsConfig.ready(): the status page shows the suggestion's steps, and its
    panels and implementing liaisons may read its proposal while it is internal."""
    timeline.register("suggestions", timeline_steps)
    viewers.register("suggestions.workers", viewers.Workers(proposal_ids=_worked_on_ids, works_on=_works_on))
