"""Registration: quotas, the waiting list, substitutes, check-in and no-shows."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.events import rules
from madang.events.models import (
    Event,
    EventState,
    Gender,
    JobFamily,
    NoShow,
    Registration,
    RegState,
    Session,
    Table,
)
from madang.events.selectors.registration import agency_of, junior_places, level_of
from madang.events.services.programme import require_organiser
from madang.people import seats
from madang.people.models import Organisation, User


def _region_of(agency: Organisation | None) -> str:
    """A local agency's region is the province (or metropolitan city) it sits in."""
    if agency is None or level_of(agency) != "local":
        return ""
    node = agency
    while node.parent is not None:
        node = node.parent
    return node.name[:40]


def _why_not(event: Event, agency_id: int | None, junior: bool, exclude: Registration | None = None) -> str:
    """Why one more confirmed registration would break a quota ("" = it fits).

    The share of juniors is a minimum over the event's places: other people may take at most
    capacity − ⌈capacity × share⌉ places, so the event can still fill with the share kept.
    """
    confirmed = event.registrations.filter(state=RegState.CONFIRMED)
    if exclude is not None:
        confirmed = confirmed.exclude(pk=exclude.pk)
    if confirmed.count() >= event.capacity:
        return "full"
    if (
        event.max_per_agency
        and agency_id is not None
        and confirmed.filter(agency_id=agency_id).count() >= event.max_per_agency
    ):
        return "agency"
    if event.junior_min_percent and not junior:
        others = confirmed.exclude(grade__gte=event.junior_grade).exclude(user__kind="citizen").count()
        if others >= event.capacity - junior_places(event):
            return "profile"
    return ""


def _is_junior(event: Event, user: User) -> bool:
    # Citizen members are not officials of any grade: they never take a place kept for juniors,
    # nor one of the places left to seniors.
    return user.is_citizen or (user.grade is not None and user.grade >= event.junior_grade)


def _check_profile(gender: str, job_family: str, region: str) -> None:
    if gender not in Gender.values:
        raise DomainError(_("Choose a valid gender or leave it empty."), code="bad_gender", field="gender")
    if job_family not in JobFamily.values:
        raise DomainError(_("Choose a valid job family."), code="bad_job_family", field="job_family")
    if len(region) > 40:
        raise DomainError(_("Too long: at most %(n)d characters.") % {"n": 40}, code="too_long", field="region")


def register(
    *, actor: User, event: Event, gender: str = "", job_family: str = "", region: str | None = None
) -> Registration:
    """Register; the registration is confirmed if every quota allows it, else it waits in line."""
    if event.state != EventState.OPEN:
        raise DomainError(_("Registration for this event is not open."), code="not_open")
    if actor.is_citizen and event.is_joint and not rules.may_attend(actor, event):
        # Citizens' seats come only from the event's lottery (people/seats.py): no first come, first served.
        draw = seats.lottery_for(f"event:{event.pk}")
        if draw is None:
            raise Forbidden(
                _("Citizen members take part in this event through a lottery, which is not open yet."),
                code="lottery_only",
            )
        raise Forbidden(
            _(
                "Citizen members take part in this event through its lottery: volunteer in “%(pool)s”, and "
                "register here once you have confirmed a seat drawn for you."
            )
            % {"pool": draw.title},
            code="lottery_only",
        )
    if not rules.may_attend(actor, event):
        raise Forbidden(
            _("This event is for public officials (and citizen members only when it is joint)."), code="not_eligible"
        )
    region = (region or "").strip()
    _check_profile(gender, job_family, region)
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()  # one registration decision at a time
        if rules.registration_of(actor, event) is not None:
            raise DomainError(_("You are already registered for this event."), code="already_registered")
        agency = agency_of(actor)
        why = _why_not(event, agency.pk if agency else None, _is_junior(event, actor))
        now = timezone.now()
        return Registration.objects.create(
            event=event,
            user=actor,
            state=RegState.WAITING if why else RegState.CONFIRMED,
            agency=agency,
            grade=actor.grade,
            region=region or _region_of(agency),
            gender=gender,
            job_family=job_family or ("citizen" if actor.is_citizen else ""),
            wait_reason=why,
            registered_at=now,
            queued_at=now,
            confirmed_at=None if why else now,
        )


def update_profile(
    *, actor: User, registration: Registration, gender: str, job_family: str, region: str
) -> Registration:
    if registration.user_id != actor.pk and not rules.is_organiser(actor, registration.event):
        raise Forbidden(_("Only the participant or an organiser changes this profile."))
    region = region.strip()
    _check_profile(gender, job_family, region)
    registration.gender, registration.job_family, registration.region = gender, job_family, region
    registration.save(update_fields=["gender", "job_family", "region"])
    return registration


def _promote(event: Event) -> list[Registration]:
    """Walk the waiting list in order and confirm everyone who now fits."""
    promoted = []
    for reg in event.registrations.filter(state=RegState.WAITING).select_related("user").order_by("queued_at", "pk"):
        why = _why_not(event, reg.agency_id, _is_junior(event, reg.user))
        if why == "full":
            break
        if why:
            if reg.wait_reason != why:
                reg.wait_reason = why
                reg.save(update_fields=["wait_reason"])
            continue
        reg.state, reg.wait_reason, reg.confirmed_at = RegState.CONFIRMED, "", timezone.now()
        reg.save(update_fields=["state", "wait_reason", "confirmed_at"])
        promoted.append(reg)
    return promoted


def cancel_registration(*, actor: User, registration: Registration) -> list[Registration]:
    """Cancel; returns whoever the freed place went to (promoted from the waiting list)."""
    if not rules.can_cancel(actor, registration):
        raise Forbidden(_("You cannot cancel this registration."))
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=registration.event_id).first()
        was_confirmed = registration.state == RegState.CONFIRMED
        registration.state, registration.cancelled_at = RegState.CANCELLED, timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        Table.objects.filter(event_id=registration.event_id, host_id=registration.user_id).update(host=None)
        return _promote(registration.event) if was_confirmed else []


def substitute(*, actor: User, registration: Registration, colleague: User) -> Registration:
    """The agency sends `colleague` instead: same agency, same place (confirmed or in line)."""
    event = registration.event
    if not rules.can_substitute(actor, registration):
        raise Forbidden(_("Only the registrant, their agency's liaison or an organiser can send a substitute."))
    agency = agency_of(colleague)
    if not colleague.is_official or agency is None or agency.pk != registration.agency_id:
        raise DomainError(_("A substitute is an official of the same agency."), code="other_agency", field="colleague")
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
        if rules.registration_of(colleague, event) is not None:
            raise DomainError(_("This colleague is already registered."), code="already_registered", field="colleague")
        if (
            registration.state == RegState.CONFIRMED
            and event.junior_min_percent
            and not _is_junior(event, colleague)
            and _why_not(event, None, False, exclude=registration) == "profile"
        ):
            raise DomainError(
                _(
                    "This swap would break the minimum share of junior officials: "
                    "send a colleague of grade %(g)d or below."
                )
                % {"g": event.junior_grade},
                code="profile",
                field="colleague",
            )
        old_state = registration.state
        registration.state, registration.cancelled_at = RegState.SUBSTITUTED, timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        Table.objects.filter(event=event, host_id=registration.user_id).update(host=None)
        return Registration.objects.create(
            event=event,
            user=colleague,
            state=old_state,
            agency=agency,
            grade=colleague.grade,
            region=registration.region or _region_of(agency),
            job_family=registration.job_family,
            wait_reason=registration.wait_reason,
            queued_at=registration.queued_at,
            substitute_for=registration,
            confirmed_at=timezone.now() if registration.confirmed_at else None,
        )


def check_in(*, actor: User, registration: Registration) -> Registration:
    """A facilitator checks someone in from the list."""
    require_organiser(actor, registration.event)
    if registration.state != RegState.CONFIRMED:
        raise DomainError(_("Only confirmed participants check in."), code="not_confirmed")
    if registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = timezone.now(), actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration


def check_in_with_code(*, actor: User, event: Event, code: str) -> Registration:
    """A participant checks themself in with the code shown at the venue."""
    reg = rules.registration_of(actor, event)
    if reg is None or reg.state != RegState.CONFIRMED:
        raise DomainError(_("You have no confirmed place at this event."), code="not_confirmed")
    if event.state not in (EventState.OPEN, EventState.CLOSED):
        raise DomainError(_("Check-in is not open."), code="not_open")
    if (code or "").strip().upper().replace(" ", "") != event.check_in_code:
        raise DomainError(_("That is not the check-in code shown at the venue."), code="wrong_code", field="code")
    if reg.checked_in_at is None:
        reg.checked_in_at, reg.checked_in_by = timezone.now(), actor
        reg.save(update_fields=["checked_in_at", "checked_in_by"])
    return reg


def record_no_shows(*, actor: User, session: Session, absent: Iterable[Registration]) -> int:
    """Who was missing when the session started (replaces what was recorded before)."""
    require_organiser(actor, session.event)
    absent = list(absent)
    if any(r.event_id != session.event_id or r.state != RegState.CONFIRMED for r in absent):
        raise DomainError(_("Only confirmed participants of this event can be marked absent."), code="foreign")
    with transaction.atomic():
        session.no_shows.exclude(registration__in=absent).delete()
        have = set(session.no_shows.values_list("registration_id", flat=True))
        NoShow.objects.bulk_create(
            [NoShow(session=session, registration=r, recorded_by=actor) for r in absent if r.pk not in have]
        )
    return len(absent)
