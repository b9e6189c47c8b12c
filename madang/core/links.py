"""The site's own address, for links that leave the page (e-mails, letters).

A link built while answering a request names the host that request came to, so it works on
whatever address serves the site (a test server on another port, a second domain); work done
without a request (the worker, daily digests) uses MADANG_SITE_URL, which settings.py derives
from MADANG_ALLOWED_HOSTS when it is not set in production. The public ledger's name
(MADANG_LEDGER_ORIGIN) is the one exception: it is signed into every checkpoint and receipt when
the log starts, so it can never follow the request (docs/ledger.md).
"""

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """ "https://host" without a trailing slash: the request's, else the configured one."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return str(settings.SITE_URL).rstrip("/")


def absolute(path: str, request: HttpRequest | None = None, *, site: str | None = None) -> str:
    """`path` ("/inbox/") on the site: `site` if given (a caller that already chose), else site_url(request)."""
    return (site or site_url(request)).rstrip("/") + path
