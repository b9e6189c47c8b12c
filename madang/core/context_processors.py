from django.conf import settings
from django.http import HttpRequest


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
            counted = user.notifications.filter(read_at__isnull=True).count()
        request._madang_unread = counted  # type: ignore[attr-defined]  # HttpRequest declares no such field; a per-request memo
    return counted
