"""Browser tests: Debian's Chromium driven by Playwright (no browser download).

Playwright's sync API runs an event loop in the test thread, so Django's guard against
ORM calls inside async code must be lifted for these tests only.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


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
def open_page(browser, live_server):  # type: ignore[no-untyped-def]
    """open_page(lang) -> a fresh browser context (own cookies) speaking `lang`."""
    contexts = []

    def make(lang: str = "ko"):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(
            locale="ko-KR" if lang == "ko" else "en-US", extra_http_headers={"Accept-Language": lang}
        )
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.base = live_server.url  # type: ignore[attr-defined]
        page.lang = lang  # type: ignore[attr-defined]
        return page

    yield make
    for ctx in contexts:
        ctx.close()
