"""A call's phases laid out around a moment, and moved so that a chosen phase runs now.

The demo uses these to tell a call's story in a few seconds, and the tests to put a call in any
phase; neither waits for real dates. (Phases are data: moving their dates is all it takes.)
"""

from datetime import datetime, timedelta

from django.utils import timezone

from madang.calls.models import Call, PhaseKind
from madang.calls.selectors import forget_call_copies
from madang.calls.services import PhaseSpec

ORDER = [PhaseKind.SUBMISSION, PhaseKind.REVIEW, PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH]


def phases_around(now: datetime, current: str = PhaseKind.SUBMISSION) -> list[PhaseSpec]:
    """Four consecutive two-week phases with `current` running now."""
    start = now - timedelta(days=7) - timedelta(days=14 * ORDER.index(PhaseKind(current)))
    specs = []
    for kind in ORDER:
        specs.append(PhaseSpec(kind, start, start + timedelta(days=14)))
        start += timedelta(days=14)
    return specs


def set_phase(call: Call, kind: str) -> None:
    """Move the call's dates so that `kind` is the running phase."""
    now = timezone.now()
    for spec in phases_around(now, kind):
        call.phases.filter(kind=spec.kind).update(starts_at=spec.starts_at, ends_at=spec.ends_at)
    if hasattr(call, "_prefetched_objects_cache"):
        call._prefetched_objects_cache.pop("phases", None)
    forget_call_copies()  # (update() sends no signal)
