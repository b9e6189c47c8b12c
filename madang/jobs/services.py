"""Starting, claiming and running background jobs.

Workers claim a job with a compare-and-set UPDATE (state and attempts must still be what the
worker read), so two workers never run the same job, on SQLite or PostgreSQL, without
holding a lock while the job runs. A running job writes a heartbeat; a job whose heartbeat
stopped (its worker was killed) is claimed again by the next worker, up to max_attempts.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from madang.core.errors import DomainError, Forbidden
from madang.jobs import registry
from madang.jobs.models import Job, State

log = logging.getLogger(__name__)

RETRY_DELAY = timedelta(seconds=10)


def stale_after() -> timedelta:
    """A running job whose heartbeat is older than this lost its worker; it may be claimed again."""
    return timedelta(seconds=settings.MADANG_JOBS_STALE_SECONDS)


def heartbeat_seconds() -> float:
    return max(0.2, min(5.0, settings.MADANG_JOBS_STALE_SECONDS / 4))


class Cancelled(Exception):
    """Raised inside a handler by ctx.progress() when someone cancelled the job."""


def enqueue(
    *, kind: str, params: dict[str, Any] | None = None, actor: Any = None, subject: str = "", max_attempts: int = 3
) -> Job:
    """Queue a job. With MADANG_JOBS_EAGER (tests, scripts) it runs at once, in this process."""
    if kind not in registry.HANDLERS:
        raise DomainError(gettext_lazy("Unknown kind of background job."), code="unknown_job")
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        subject=subject[:80],
        max_attempts=max_attempts,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    if getattr(settings, "MADANG_JOBS_EAGER", False):
        job.state, job.attempts, job.started_at = State.RUNNING, 1, timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
        run_claimed(job, heartbeat=False)
        job.refresh_from_db()
    return job


def cancel_job(*, actor: Any, job: Job) -> Job:
    from madang.jobs import rules

    if not rules.can_cancel(actor, job):
        raise Forbidden(gettext_lazy("You may not cancel this job."))
    if job.is_finished:
        return job
    # A queued job stops here; a running one stops at its next progress report.
    Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
        state=State.CANCELLED, finished_at=timezone.now(), cancel_requested=True
    )
    Job.objects.filter(pk=job.pk, state=State.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def claim_next(*, worker: str) -> Job | None:
    """Claim the oldest ready job (or one whose worker died) for this worker, or None."""
    now = timezone.now()
    ready = Q(state=State.QUEUED, run_after__lte=now) | Q(state=State.RUNNING, heartbeat_at__lt=now - stale_after())
    for candidate in Job.objects.filter(ready).order_by("run_after", "pk")[:10]:
        if candidate.attempts >= candidate.max_attempts:
            # Its last worker died on the final attempt: give up rather than loop forever.
            Job.objects.filter(pk=candidate.pk, state=candidate.state, attempts=candidate.attempts).update(
                state=State.FAILED, finished_at=now, error=gettext("The job stopped unexpectedly too many times.")
            )
            continue
        claimed = Job.objects.filter(pk=candidate.pk, state=candidate.state, attempts=candidate.attempts).update(
            state=State.RUNNING, attempts=candidate.attempts + 1, worker=worker[:80], started_at=now, heartbeat_at=now
        )
        if claimed == 1:
            return Job.objects.get(pk=candidate.pk)
    return None


@dataclass
class JobContext:
    job: Job
    _last_write: float = field(default=0.0)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int, message: str = "") -> None:
        # Writes are throttled: a tight loop may report every step without flooding the database.
        now = time.monotonic()
        if now - self._last_write < 0.25 and done < total:
            return
        self._last_write = now
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=max(0, done),
            progress_total=max(0, total),
            progress_message=str(message)[:200],
            heartbeat_at=timezone.now(),
        )
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise Cancelled()


class _Heartbeat(threading.Thread):
    """Keeps a running job's heartbeat fresh while its handler computes without reporting."""

    def __init__(self, job_id: int) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                Job.objects.filter(pk=self.job_id, state=State.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connection.close()


def run_claimed(job: Job, *, heartbeat: bool = True) -> Job:
    """Run a job this process has claimed, and record how it ended."""
    beat = _Heartbeat(job.pk) if heartbeat else None
    if beat:
        beat.start()
    state, result, error, retry = State.DONE, None, "", False
    try:
        handler = registry.resolve(job.kind)
        result = handler(JobContext(job), **job.params)
    except Cancelled:
        state = State.CANCELLED
    except DomainError as exc:
        state, error = State.FAILED, str(exc.message)
    except Exception:
        log.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        retry = job.attempts < job.max_attempts
        state = State.QUEUED if retry else State.FAILED
        error = gettext("The job failed unexpectedly; the administrators have been told.")
    finally:
        if beat:
            beat.stopped.set()
            beat.join()
    now = timezone.now()
    update: dict[str, Any] = {"state": state, "error": error, "heartbeat_at": now}
    if retry:
        update["run_after"] = now + RETRY_DELAY * job.attempts
    else:
        update["finished_at"] = now
        if state == State.DONE:
            update.update(result=result, progress_done=job.progress_total or 1, progress_total=job.progress_total or 1)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**update)
    job.refresh_from_db()
    return job


def _upkeep(due: dict[str, float]) -> None:
    """Run the periodic upkeep that is due; a failure is logged and tried again next time."""
    now = time.monotonic()
    for every, path in registry.PERIODIC:
        if now < due.get(path, 0.0):
            continue
        due[path] = now + every
        try:
            registry.resolve_path(path)()
        except Exception:
            log.exception("upkeep %s failed", path)


def work(
    *,
    worker: str,
    once: bool = False,
    poll: float = 0.5,
    stop: threading.Event | None = None,
    max_jobs: int | None = None,
) -> int:
    """The worker loop: claim, run, repeat. Returns how many jobs it ran."""
    stop = stop or threading.Event()
    ran = 0
    due = {path: 0.0 for _every, path in registry.PERIODIC}
    while not stop.is_set():
        if not connection.in_atomic_block:  # (never inside a caller's transaction, e.g. a test)
            close_old_connections()
        job = claim_next(worker=worker)
        if job is None:
            _upkeep(due)
            if once:
                break
            stop.wait(poll)
            continue
        log.info("job %s (%s) claimed by %s", job.pk, job.kind, worker)
        job = run_claimed(job)
        log.info("job %s (%s) ended %s", job.pk, job.kind, job.state)
        ran += 1
        if max_jobs is not None and ran >= max_jobs:
            break
    return ran
