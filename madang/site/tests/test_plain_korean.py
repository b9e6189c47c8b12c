"""Korean pages speak Korean: a crawl of the demo as each role finds no raw code on any page.

What counts as raw: a lowercase Latin word (an untranslated English string, or a code such as
`meeting_papers`, `budget`, `proposal.submitted`), a ledger subject such as `proposal:37`, and a
slug with a number such as `gov-hackathon-2026-tasks-1` used as a link's text. Text the page marks
as not for translation (`translate="no"`: a public key, the logged JSON, a script to copy) and
preformatted blocks are left out; so are attributes (addresses, values of form fields).

The same crawl reads each page's markup strictly (KWCAG 8.1.1 마크업 오류 방지;
madang/core/tests/markup.py): no id twice, nothing misnested or left open.
"""

import re
from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client

from madang.core.tests.markup import problems
from madang.people.demo import DEMO_PASSWORD

ROLES = ["anonymous", "citizen", "official", "reviewer", "liaison", "team", "facilitator", "admin"]
# Pages where raw codes were found (issue 14), which the crawl must reach as these roles.
MUST_SEE = {
    "anonymous": ["/ledger/", "/ledger/entry/N/", "/calls/p/N/"],
    "team": [
        "/labs/one-submission-lab/",
        "/events/gov-hackathon-2026/outcomes/",
        "/events/gov-hackathon-winter/manage/",
        "/ledger/entry/N/",
    ],
    "facilitator": ["/events/gov-hackathon-2026/outcomes/", "/events/gov-hackathon-winter/manage/"],
}
START = [
    "/",
    "/calls/",
    "/labs/",
    "/events/",
    "/citizens/pools/",
    "/followup/dashboard/",
    "/ledger/",
    "/me/",
    "/inbox/",
    "/citizens/me/",
    "/people/settings/",
]
RAW = {
    "a ledger subject": re.compile(r"\b[a-z_]+:\d+\b"),
    "a slug with a number": re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+\b"),
    "a code in snake_case": re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b"),
    "an English word or a code": re.compile(r"\b[a-z]{3,}\b"),
}
NOT_PAGES = re.compile(
    r"^/(api|admin|static|media|i18n|jobs)/|logout|/export|\.(csv|xlsx|hwpx|pdf|json|txt|ics|zip|tlog-proof)$"
    r"|/receipt/|/log/|/download|/photo|/print/|/files?/"
)
PAGES_PER_ROLE = 90


class Text(HTMLParser):
    """The text a person reads, without what the page marks as code, and the page's links."""

    SKIP = {"script", "style", "pre", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skipping: list[str] = []  # open elements whose text is not read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in self.VOID:
            return
        if self.skipping or tag in self.SKIP or a.get("translate") == "no":
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _key(url: str) -> str:
    """Pages of one kind (every proposal, every routing) are visited once."""
    return re.sub(r"\d+", "N", url.split("?")[0])


@dataclass
class Crawl:
    raw: dict[str, list[str]]  # page: raw codes found on it
    markup: dict[str, list[str]]  # page: what is wrong with its markup
    seen: set[str]


def crawl(client: Client) -> Crawl:
    """Visit the site from its main pages as this client."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque(START)
    found: dict[str, list[str]] = {}
    markup: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen or kinds[_key(url)] >= 1:
            continue
        seen.add(url)
        kinds[_key(url)] += 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = Text()
        page.feed(html)
        text = " ".join(page.parts)
        hits = [f"{what}: {m}" for what, pattern in RAW.items() for m in pattern.findall(text)]
        if hits:
            found[url] = sorted(set(hits))
        wrong = problems(html)
        if wrong:
            markup[url] = wrong
        for href in page.links:
            href = href.split("#")[0]
            if href.startswith("/") and not NOT_PAGES.search(href) and href not in seen:
                queue.append(href)
    return Crawl(found, markup, seen)


# One crawl per role serves both tests: the demo is the same for the whole module.
CRAWLS: dict[str, Crawl] = {}


def crawl_as(role: str) -> Crawl:
    if role not in CRAWLS:
        client = Client(HTTP_ACCEPT_LANGUAGE="ko")
        if role != "anonymous":
            assert client.login(username=role, password=DEMO_PASSWORD)
        CRAWLS[role] = crawl(client)
    return CRAWLS[role]


@pytest.fixture
def demo(demo_module, db, settings):
    settings.DEBUG = True
    return demo_module


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_no_raw_code_on_any_korean_page(demo, role):
    result = crawl_as(role)
    assert result.raw == {}
    visited = {_key(url) for url in result.seen}
    assert len(result.seen) > 20 and not {_key(url) for url in MUST_SEE.get(role, [])} - visited, sorted(visited)


@pytest.mark.parametrize("role", ROLES)
def test_it_serves_every_page_with_well_formed_markup(demo, role):
    assert crawl_as(role).markup == {}


def test_the_crawl_would_see_the_raw_codes_it_looks_for():
    page = Text()
    page.feed(
        '<p>면제 업무: meeting_papers, budget · 대기 중 (agency) · <a href="/x/">gov-hackathon-2026-tasks-1</a></p>'
        "<table><tr><td>proposal.submitted</td><td>proposal:37</td></tr></table>"
        '<pre>python -m madang</pre><code translate="no">c2sp.org/tlog-proof@v1</code>'
        "<p>OK   entry 5 is in the log</p>"
    )
    text = " ".join(page.parts)
    found = {m for pattern in RAW.values() for m in pattern.findall(text)}
    assert {
        "meeting_papers",
        "budget",
        "agency",
        "gov-hackathon-2026-tasks-1",
        "proposal",
        "submitted",
        "proposal:37",
        "entry",
        "the",
        "log",
    } <= found
    assert not {"python", "madang", "c2sp"} & found
