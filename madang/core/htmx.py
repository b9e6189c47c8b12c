"""`request.htmx`, typed: django-htmx's middleware sets the attribute, the type checker can't know."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


def htmx_of(request: HttpRequest) -> HtmxDetails:
    """What htmx said about this request (false when it is not an htmx request)."""
    details = getattr(request, "htmx", None)
    return details if isinstance(details, HtmxDetails) else HtmxDetails(request)
