from functools import cache as once
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from madang.calls.selectors import calls_for
from madang.core.pagecache import shared_for_anonymous
from madang.jobs import selectors as jobs_selectors
from madang.ledger import services as ledger_services
from madang.people.auth import signed_in
from madang.site import work

FAVICON = Path(__file__).resolve().parent.parent / "core" / "static" / "madang" / "favicon.ico"


@once
def _favicon() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: Madang's own icon (drawn for it, also
    as madang/favicon.svg), served from the package so that it needs no collected static files."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@shared_for_anonymous
def home(request: HttpRequest) -> HttpResponse:
    calls = calls_for(request.user)
    return render(request, "site/home.html", {"calls": calls[:12]})


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    queue = work.queue_for(user)
    cache.set(f"madang:work-count:{user.pk}", queue.waiting, work.COUNT_SECONDS)
    context = {
        "proposals": user.proposals.select_related("call")
        .prefetch_related("call__phases")
        .order_by("-updated_at")[:50],
        "q": queue,
        "work_count": queue.waiting,
        "suggestions": work.suggestion_links(user),
    }
    return render(request, "site/my_work.html", context)


@login_required
def work_count(request: HttpRequest) -> HttpResponse:
    """The number beside "My work" in the header, fetched after the page (it reads several apps;
    kept out of every page's own cost, and cached for a minute)."""
    return render(request, "site/_work_count.html", {"work_count": work.waiting_count(request.user)})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: the process answers and the database answers."""
    ok = _database_answers()
    return JsonResponse({"status": "ok" if ok else "unavailable", "database": ok}, status=200 if ok else 503)


def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (restart it if not). Touches nothing else."""
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: send traffic here only if everything a request needs answers (503 otherwise).

    database, the cache (Redis when configured), no unapplied migrations, the ledger's signing
    key; and, for information, the age of the oldest queued job (a stuck worker shows here).
    """
    checks = {"database": _database_answers(), "cache": _cache_answers(), "migrations": False, "ledger_key": False}
    if checks["database"]:
        checks["migrations"] = _migrations_applied()
    try:
        checks["ledger_key"] = bool(ledger_services.signers())
    except Exception:  # a missing or unreadable key file
        checks["ledger_key"] = False
    body: dict[str, object] = {"status": "ok" if all(checks.values()) else "unavailable", **checks}
    if checks["database"]:
        body["oldest_queued_job_seconds"] = jobs_selectors.oldest_queued_age()
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return False
    return True


def _cache_answers() -> bool:
    try:
        cache.set("madang:ready", "1", timeout=10)
        return cache.get("madang:ready") == "1"
    except Exception:  # Redis down or unreachable
        return False


_MIGRATED: list[bool] = []  # once all are applied they stay applied for this process's life


def _migrations_applied() -> bool:
    if _MIGRATED:
        return True
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return False
    if not pending:
        _MIGRATED.append(True)
    return not pending
