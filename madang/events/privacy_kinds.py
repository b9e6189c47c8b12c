"""The personal data of event registrations, for the privacy notice and the destruction job
(madang/privacy/registry.py). Gender, job family (직렬) and region serve the grouping of one
event: they go once the event is over and the period has passed. The ledger commits to groups
as pseudonyms and to which attributes were diversified, never to a person's values, so its
entries stay verifiable."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.events.models import Event, Registration
from madang.privacy import registry
from madang.privacy.registry import DataKind, Destroyed

REGISTRATIONS = "events.registrations"
PROFILE = "events.registration_profile"


def destroy_profiles(now: datetime) -> Destroyed:
    kind = registry.get(PROFILE)
    last_day = timezone.localdate(now) - timedelta(days=kind.days if kind else 0)
    events = Event.objects.annotate(last=Max("days__date")).filter(last__lt=last_day)
    due = Registration.objects.filter(event__in=events).filter(~Q(gender="") | ~Q(job_family="") | ~Q(region=""))
    scopes = tuple(f"event:{pk}" for pk in sorted(set(due.values_list("event_id", flat=True))))
    count = due.update(gender="", job_family="", region="")
    return Destroyed(count, scopes)


KINDS = (
    DataKind(
        REGISTRATIONS,
        _("Event registrations"),
        _("Places, waiting lists, check-in, badges and the day's programme"),
        (_("name"), _("agency"), _("grade"), _("registration and check-in times")),
        _("Kept with the event's record under the agency's records schedule"),
        _("Personal Information Protection Act, Article 15(1)3: duties of a public institution"),
        (_("The event's organisers; other participants see names in published groups"),),
        order=30,
    ),
    DataKind(
        PROFILE,
        _("Registration profile"),
        _("Forming diverse discussion groups"),
        (_("gender"), _("job family (직렬)"), _("region")),
        _("%(days)d days after the event's last day"),
        _("Personal Information Protection Act, Article 15(1)1: given by the participant for the grouping"),
        (_("The event's organisers"),),
        days_setting="MADANG_PRIVACY_EVENT_DAYS",
        default_days=30,
        destroy=destroy_profiles,
        order=31,
    ),
)


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    registry.register("events", KINDS)
