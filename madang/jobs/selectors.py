from typing import Any

from django.utils import timezone

from madang.core.errors import NotFound
from madang.jobs import rules
from madang.jobs.models import Job, State


def access_job(user: Any, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not rules.can_view(user, job):
        raise NotFound()
    return job


def latest(*, subject: str, kind: str | None = None) -> Job | None:
    qs = Job.objects.filter(subject=subject)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk").first()


def oldest_queued_age() -> float | None:
    """Seconds the oldest job that is due has been waiting for a worker (None: none waiting)."""
    now = timezone.now()
    oldest = (
        Job.objects.filter(state=State.QUEUED, run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return None if oldest is None else round((now - oldest).total_seconds(), 1)
