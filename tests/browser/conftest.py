"""Browser tests: Debian's Chromium driven by Playwright (no browser download).

Playwright's sync API runs an event loop in the test thread, so Django's guard against
ORM calls inside async code must be lifted for these tests only.
"""

import os
import shutil
import threading
from collections.abc import Iterator

import pytest

from madang.core.tests.markup import problems

from . import audit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MADANG_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# The live server and the test share one in-memory SQLite connection (pytest-django passes it to the
# server's thread), and the server answers each browser connection in a thread of its own. Two
# requests at once (a page and its htmx fragments), or a request while the walk reads the database,
# then use one sqlite3 connection from two threads: statements interleave, and once in a while a
# query fails ("bad parameter or other API misuse") or a page renders without part of its data.
# So the server answers one request at a time, and the walk's own queries wait for it.
ONE_AT_A_TIME = threading.RLock()


def _serialise_live_server() -> None:
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test import testcases

    class OneRequestAtATime(ThreadedWSGIServer):
        def get_app(self):  # type: ignore[no-untyped-def]
            app = super().get_app()

            def serialised(environ, start_response):  # type: ignore[no-untyped-def]
                with ONE_AT_A_TIME:
                    result = app(environ, start_response)
                    try:
                        return [b"".join(result)]  # the whole body, read while the lock is held
                    finally:
                        if hasattr(result, "close"):
                            result.close()  # request_finished: Django's end-of-request work, still locked

            return serialised

    testcases.LiveServerThread.server_class = OneRequestAtATime


def _queries_wait_for_the_server(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    with ONE_AT_A_TIME:
        return execute(sql, params, many, context)


_serialise_live_server()


@pytest.fixture(autouse=True)
def _walk_queries_wait(request):  # type: ignore[no-untyped-def]
    """Every query on the shared connection (the walk's and the server's) runs under the lock."""
    if "live_server" not in request.fixturenames and "open_page" not in request.fixturenames:
        yield
        return
    from django.db import connection

    with connection.execute_wrapper(_queries_wait_for_the_server):
        yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


AUDIT = audit.Audit()
PAGES = pytest.StashKey[list]()
SERVED = pytest.StashKey[list]()  # (path, html) of every HTML answer the live server gave in this test


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):  # type: ignore[no-untyped-def]
    """A walk that passed fails after all if axe found anything on a page it visited."""
    result = yield
    pages = item.stash.get(PAGES, [])
    if pages and audit.enabled():
        for page in pages:
            AUDIT.check(page)  # where each page was left
        if AUDIT.found:
            pytest.fail(AUDIT.report(), pytrace=False)
    wrong = markup_report(item.stash.get(SERVED, []))
    if wrong:
        pytest.fail(wrong, pytrace=False)
    return result


def markup_report(served: list[tuple[str, str]]) -> str:
    """Every page and htmx answer the walk was served, read strictly (KWCAG 8.1.1; madang/core/tests/markup.py)."""
    found: dict[str, list[str]] = {}
    for path, html in served:
        for problem in problems(html):
            if problem not in found.setdefault(path, []):
                found[path].append(problem)
    found = {path: wrong for path, wrong in found.items() if wrong}
    if not found:
        return ""
    lines = [f"markup errors on {len(found)} page(s) served:"]
    for path, wrong in found.items():
        lines.append(f"  {path}:\n      " + "\n      ".join(wrong[:8]))
    return "\n".join(lines)


def _record_html(monkeypatch: pytest.MonkeyPatch, served: list[tuple[str, str]]) -> None:
    """The live server runs in this process: keep each HTML answer it gives, page or htmx fragment."""
    from django.core.handlers.base import BaseHandler

    get_response = BaseHandler.get_response

    def recording(self, request):  # type: ignore[no-untyped-def]
        response = get_response(self, request)
        if "text/html" in response.get("Content-Type", "") and not response.streaming:
            served.append((request.get_full_path(), response.content.decode(response.charset or "utf-8")))
        return response

    monkeypatch.setattr(BaseHandler, "get_response", recording)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if AUDIT.checks:
        terminalreporter.write_line(
            f"axe: {AUDIT.checks} page states checked, {AUDIT.calls} looks at a page, {AUDIT.seconds:.1f} s in all"
            f" ({AUDIT.skipped} skipped: the page was navigating away)"
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, live_server, request, monkeypatch):  # type: ignore[no-untyped-def]
    """open_page(lang) -> a fresh browser context (own cookies) speaking `lang`.

    Unless MADANG_AXE=0, every page it opens is checked by axe-core as the walk goes (audit.py). Every
    HTML answer the live server gives during the test is read for markup errors at its end.
    """
    contexts = []
    request.node.stash[SERVED] = []
    _record_html(monkeypatch, request.node.stash[SERVED])
    checked = audit.enabled()
    if checked:
        audit.install(monkeypatch)
        AUDIT.begin_test()
        request.node.stash[PAGES] = []

    def make(lang: str = "ko"):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(
            locale="ko-KR" if lang == "ko" else "en-US", extra_http_headers={"Accept-Language": lang}
        )
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.base = live_server.url  # type: ignore[attr-defined]
        page.lang = lang  # type: ignore[attr-defined]
        if checked:
            page._madang_audit = AUDIT  # type: ignore[attr-defined]
            page.keyboard._madang_page = page  # type: ignore[attr-defined]
            request.node.stash[PAGES].append(page)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
