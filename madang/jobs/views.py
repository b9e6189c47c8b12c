from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from madang.core.htmx import htmx_of
from madang.jobs import services
from madang.jobs.selectors import access_job


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    template = "jobs/_progress.html" if htmx_of(request) else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    services.cancel_job(actor=request.user, job=job)
    return redirect("jobs:detail", job_id=job.pk)
