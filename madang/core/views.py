from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from madang.calls.selectors import calls_for
from madang.followup.selectors import liaison_inbox
from madang.review.selectors import my_assignments


def home(request: HttpRequest) -> HttpResponse:
    calls = calls_for(request.user)
    return render(request, "core/home.html", {"calls": calls[:12]})


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "proposals": user.proposals.select_related("call").order_by("-updated_at")[:50],  # type: ignore[union-attr]
        "assignments": my_assignments(user)[:100],
        "routings": liaison_inbox(user)[:100],
    }
    return render(request, "core/my_work.html", context)


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: the process answers and the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
