from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.jobs.models import Job
from madang.site import views


@pytest.mark.django_db
def test_it_says_it_is_alive_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/live/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_it_is_ready_when_everything_answers():
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "database": True,
        "cache": True,
        "migrations": True,
        "ledger_key": True,
        "oldest_queued_job_seconds": None,
    }


@pytest.mark.django_db
def test_it_reports_how_long_the_oldest_due_job_has_waited():
    Job.objects.create(kind="jobs.selftest", run_after=timezone.now() - timedelta(minutes=5))
    Job.objects.create(kind="jobs.selftest", run_after=timezone.now() + timedelta(hours=1))  # not due yet
    waited = Client().get("/health/ready/").json()["oldest_queued_job_seconds"]
    assert 295 <= waited <= 400


@pytest.mark.django_db
@pytest.mark.parametrize("broken", ["database", "cache", "migrations", "ledger_key"])
def test_it_is_not_ready_when_one_part_fails(broken, monkeypatch, settings):
    if broken == "database":
        monkeypatch.setattr(views, "_database_answers", lambda: False)
    elif broken == "cache":
        monkeypatch.setattr(views.cache, "get", lambda key: None)
    elif broken == "migrations":
        monkeypatch.setattr(views, "_MIGRATED", [])
        monkeypatch.setattr(views.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)])
    else:
        settings.MADANG_LEDGER_KEY_FILE = ""
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body[broken] is False
    # Migrations are only checked when the database answers.
    unaffected = (
        {"database", "cache", "migrations", "ledger_key"}
        - {broken}
        - ({"migrations"} if broken == "database" else set())
    )
    assert all(body[name] for name in unaffected)
