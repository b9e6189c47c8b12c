"""Background jobs: queued by a service, claimed by one worker only, resumed after a crash."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from madang.core.errors import DomainError, Forbidden
from madang.jobs import services
from madang.jobs.models import Job, State
from madang.jobs.selectors import latest

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    settings.MADANG_JOBS_EAGER = False


def test_it_runs_a_job_at_once_in_eager_mode(cast):
    job = services.enqueue(kind="jobs.selftest", params={"steps": 4}, actor=cast.doyun, subject="test:1")
    assert job.state == State.DONE
    assert job.result == {"steps": 4}
    assert job.percent == 100
    assert job.actor == cast.doyun
    assert latest(subject="test:1") == job


def test_it_refuses_an_unknown_kind(cast):
    with pytest.raises(DomainError):
        services.enqueue(kind="nope", actor=cast.doyun)
    assert not Job.objects.exists()


def test_it_leaves_a_job_queued_for_the_worker(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    assert job.state == State.QUEUED
    assert services.work(worker="w1", once=True) == 1
    job.refresh_from_db()
    assert job.state == State.DONE
    assert job.worker == "w1"
    assert job.attempts == 1


def test_it_gives_each_job_to_one_worker_only(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    first = services.claim_next(worker="w1")
    second = services.claim_next(worker="w2")
    assert first is not None
    assert first.pk == job.pk
    assert second is None


def test_it_refuses_a_claim_when_another_worker_won_the_race(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    # The other worker's UPDATE landed between our read and our compare-and-set.
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert services.claim_next(worker="w2") is None


def test_it_shows_a_domain_error_to_the_person_who_started_the_job(cast, queued):
    job = services.enqueue(kind="jobs.selftest", params={"fail": "정원이 부족합니다"}, actor=cast.doyun)
    services.work(worker="w1", once=True)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.error == "정원이 부족합니다"
    assert job.attempts == 1


def test_it_retries_a_crash_and_then_gives_up(cast, queued):
    job = services.enqueue(kind="jobs.selftest", params={"crash": True}, actor=cast.doyun, max_attempts=2)
    services.work(worker="w1", once=True)
    job.refresh_from_db()
    assert job.state == State.QUEUED
    assert job.run_after > timezone.now()
    assert job.error  # a generic message, no traceback
    assert "Traceback" not in job.error
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    services.work(worker="w1", once=True)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.attempts == 2


def test_it_takes_back_a_job_whose_worker_died(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    claimed = services.claim_next(worker="killed")
    assert claimed is not None
    # No heartbeat for longer than STALE_AFTER: the worker was killed with its job running.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - services.stale_after() - timedelta(seconds=1))
    assert services.work(worker="w2", once=True) == 1
    job.refresh_from_db()
    assert job.state == State.DONE
    assert job.worker == "w2"
    assert job.attempts == 2


def test_it_fails_a_job_whose_workers_kept_dying(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun, max_attempts=1)
    services.claim_next(worker="killed")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - services.stale_after() - timedelta(seconds=1))
    assert services.claim_next(worker="w2") is None
    job.refresh_from_db()
    assert job.state == State.FAILED


def test_it_cancels_a_queued_job_for_its_starter(cast, queued):
    job = services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    with pytest.raises(Forbidden):
        services.cancel_job(actor=cast.minji, job=job)
    job = services.cancel_job(actor=cast.doyun, job=job)
    assert job.state == State.CANCELLED
    assert services.work(worker="w1", once=True) == 0


def test_it_stops_a_running_job_at_its_next_progress_report(cast, queued):
    job = services.enqueue(kind="jobs.selftest", params={"steps": 5}, actor=cast.doyun)
    claimed = services.claim_next(worker="w1")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    services.run_claimed(claimed, heartbeat=False)
    job.refresh_from_db()
    assert job.state == State.CANCELLED
    assert job.result is None


def test_it_stops_the_worker_loop_when_told(cast, queued):
    stop = threading.Event()
    stop.set()
    services.enqueue(kind="jobs.selftest", actor=cast.doyun)
    assert services.work(worker="w1", stop=stop) == 0


def test_it_folds_pending_support_tallies_between_jobs(cast):
    from madang.calls import counters
    from madang.calls import services as calls

    p = cast.proposal()
    calls.support_proposal(actor=cast.seojun, proposal=p)
    calls.support_proposal(actor=cast.garam, proposal=p)
    assert counters.live(p.pk) == (0, 2)
    assert services.work(worker="w1", once=True) == 0
    assert counters.live(p.pk) == (2, 0)
