"""Who may see and stop background jobs."""

from typing import Any

from madang.jobs.models import Job
from madang.people.rules import is_authenticated, is_site_admin


def can_view(user: Any, job: Job) -> bool:
    """Progress is no secret (state, percentage, a short message); results stay with the pages that use them."""
    return is_authenticated(user)


def can_cancel(user: Any, job: Job) -> bool:
    return is_authenticated(user) and (job.actor_id == user.pk or is_site_admin(user))
