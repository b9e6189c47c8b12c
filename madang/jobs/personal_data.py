"""What the job queue holds about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.jobs.models import Job
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _jobs(user: User) -> list[dict[str, Any]]:
    return [
        {"kind": j.kind, "subject": j.subject, "state": j.state, "at": when(j.created_at)}
        for j in Job.objects.filter(actor=user)
    ]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("jobs_started", _jobs, owner="jobs", covers=["jobs.Job.actor"])
