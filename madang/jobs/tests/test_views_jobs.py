"""The progress page and its htmx partial, and the API: who sees what."""

import pytest
from django.test import Client

from madang.jobs import services
from madang.jobs.models import State
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(cast, settings):
    settings.MADANG_JOBS_EAGER = False
    return services.enqueue(kind="jobs.selftest", params={"steps": 10}, actor=cast.doyun)


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_it_shows_progress_to_people_who_are_logged_in(cast, job):
    page = login(cast.minji).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()
    partial = login(cast.minji).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()


def test_it_sends_anonymous_visitors_to_log_in(job):
    assert Client().get(f"/jobs/{job.pk}/").status_code == 302


def test_it_answers_not_found_for_an_unknown_job(cast):
    assert login(cast.minji).get("/jobs/999999/").status_code == 404


def test_it_stops_polling_once_the_job_is_finished(cast, job):
    services.work(worker="w1", once=True)
    body = login(cast.doyun).get(f"/jobs/{job.pk}/").content.decode()
    # (the header's work count loads once with hx-trigger="load"; only the job's own poll matters)
    assert 'hx-trigger="every' not in body
    assert "100%" in body


def test_it_lets_only_the_starter_cancel(cast, job):
    assert login(cast.minji).post(f"/jobs/{job.pk}/cancel/").status_code == 403
    job.refresh_from_db()
    assert job.state == State.QUEUED
    assert login(cast.doyun).post(f"/jobs/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.state == State.CANCELLED


def test_it_reports_progress_in_the_api(cast, job):
    client = login(cast.doyun)
    answer = client.get(f"/api/jobs/{job.pk}")
    assert answer.status_code == 200
    assert answer.json()["state"] == "queued"
    assert Client().get(f"/api/jobs/{job.pk}").status_code == 401
    assert client.get("/api/jobs/0").status_code == 422
