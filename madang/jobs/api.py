"""Background jobs: progress of long work, for clients that started it."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from madang.jobs import services
from madang.jobs.models import Job
from madang.jobs.selectors import access_job
from madang.people.api_auth import ERRORS, Id, api_user

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    state: str
    percent: int | None
    message: str
    error: str
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_message(obj: Job) -> str:
        return obj.progress_message


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request: HttpRequest, job_id: Id) -> Any:
    return access_job(api_user(request), job_id)


@router.post("/jobs/{job_id}/cancel", response={200: JobOut, **ERRORS})
def cancel(request: HttpRequest, job_id: Id) -> Any:
    job = access_job(api_user(request), job_id)
    return services.cancel_job(actor=api_user(request), job=job)
