from typing import Any

from madang.core.errors import NotFound
from madang.jobs import rules
from madang.jobs.models import Job


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
