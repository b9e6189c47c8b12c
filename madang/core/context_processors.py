import functools
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from madang.core import sqlnames


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_URL": settings.SITE_URL, "unread_count": unread_count(request)}


def unread_count(request: HttpRequest) -> int:
    """The signed-in reader's unread notifications, counted once a request (a page may render
    more than one template with the request: a shared part, then the page around it)."""
    counted = getattr(request, "_madang_unread", None)
    if counted is None:
        user = getattr(request, "user", None)
        counted = 0
        if user is not None and user.is_authenticated:
            counted = _count_unread(user)
        request._madang_unread = counted  # type: ignore[attr-defined]  # HttpRequest declares no such field; a per-request memo
    return counted


@functools.cache
def _unread_sql(model: Any) -> str:
    table, who, read = sqlnames.table(model), sqlnames.column(model, "user"), sqlnames.column(model, "read_at")
    return f"SELECT COUNT(*) FROM {table} WHERE {who} = %s AND {read} IS NULL"  # noqa: S608 (names from the model)


def _count_unread(user: Any) -> int:
    """One plain COUNT on the (user, read_at) index: every signed-in page asks it, and the ORM
    query cost more to compile than to run. (The model is reached through the user's relation:
    core imports no app.)"""
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(user.notifications.model), [user.pk])
        return int(cursor.fetchone()[0])
