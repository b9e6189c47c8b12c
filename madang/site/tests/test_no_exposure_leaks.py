"""No page, export, document, notification or API answer shows a proposal's or a comment's flagged
personal data unmasked to anyone but its authors and the moderators (issue 17).

Every proposal and every comment of the demo gets a mobile number and a resident registration
number in its title and its text, confirmed by its author as the filter would have kept them (a
screening record: the text a moderator released). Then the site is crawled from its main pages,
following every link (exports, documents and printables included: CSV, XLSX, HWPX and PDF are read
back), as a visitor and as officials who wrote none of it; every GET route of the API is called
with the ids the demo has (a route the crawl cannot fill fails the test, so a new one is covered
when it is added); and notifications are read in the inbox and in the e-mail they send. Nothing
may show either number as written. The innovation team, who moderate, see the text as written on
a proposal's page, but not in a file they take away: their downloads are checked too.
"""

import json
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from madang.calls.models import Comment, Proposal, Status
from madang.events.models import Board, Event, Judging, Session
from madang.followup.models import Routing
from madang.inbox import services as inbox
from madang.inbox.models import NotificationKind
from madang.jobs.models import Job
from madang.labs.models import Lab
from madang.people import services as people
from madang.people.demo import DEMO_PASSWORD
from madang.people.models import EmailMode, Kind, Organisation, OrgKind, User
from madang.privacy import exposure
from madang.privacy import services as privacy
from madang.solvers.pii import attachments as files

MOBILE = "010-9876-5432"
RRN = "900101-1234568"
# Either number as written, whatever separates its parts (a space, a dot, a line break in a PDF).
LEAK = re.compile(r"9876\W{0,3}5432|010\W{0,3}9876|900101\W{0,3}1234568|1234568")

START = [
    "/",
    "/calls/",
    "/labs/",
    "/events/",
    "/followup/dashboard/",
    "/suggestions/",
    "/ledger/",
    "/me/",
    "/inbox/",
    "/calls/invitations/",
]
SKIP = re.compile(r"^/(admin|static|i18n|jobs/\d+/cancel)/|logout|/media/|\?.*\bpage=[3-9]")
PAGES_PER_KIND = 2
PAGES_PER_ROLE = 400


def seed() -> None:
    """Both numbers in every proposal's title and text and in every comment, confirmed by the author."""
    for p in Proposal.objects.select_related("call__organisation"):
        title = f"{p.title[:150]} {MOBILE} {RRN}"
        problem = f"<p>신청인 연락처 {MOBILE}, 주민등록번호 {RRN}</p>{p.problem}"
        solution = f"{p.solution}<p>담당 {MOBILE}</p>"
        Proposal.objects.filter(pk=p.pk).update(title=title, problem=problem, solution=solution)
        found = exposure.in_texts({"title": title}) + exposure.in_texts({"problem": problem}, rich=True)
        privacy.note_exposure(
            actor=p.author, place="calls.proposal", object_id=p.pk, found=found, organisation=p.call.organisation
        )
    for c in Comment.objects.select_related("proposal__call__organisation", "author"):
        body = f"{c.body} 연락 {MOBILE} 번호 {RRN}"
        Comment.objects.filter(pk=c.pk).update(body=body)
        privacy.note_exposure(
            actor=c.author,
            place="calls.comment",
            object_id=c.pk,
            found=exposure.in_texts({"body": body}),
            organisation=c.proposal.call.organisation,
            hold=False,
        )


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        href = a.get("href") if tag == "a" else None
        if href:
            self.links.append(href)


def text_of(url: str, response: Any) -> str:
    """What a reader gets from the response: the page or the JSON as sent, a file's text read back."""
    kind = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    name = {"pdf": "x.pdf", "spreadsheetml": "x.xlsx", "hwp": "x.hwpx", "zip": "x.zip"}
    for marker, filename in name.items():
        if marker in kind or url.split("?")[0].endswith(filename[1:]):
            extraction = files.extract(filename, data)
            assert extraction.complete or extraction.problem == "unsupported", (url, extraction.problem)
            return " ".join(s.text for s in extraction.segments) + data.decode("latin-1")
    return data.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    squashed = re.sub(r"\s+", "", text)
    return sorted({m.group(0) for m in LEAK.finditer(text)} | {m.group(0) for m in LEAK.finditer(squashed)})


@dataclass
class Crawl:
    found: dict[str, list[str]] = field(default_factory=dict)  # url: the numbers shown on it
    seen: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


def _kind(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def crawl(client: Client, start: list[str], *, downloads_only: bool = False) -> Crawl:
    result = Crawl()
    queue, queued = deque(start), set(start)
    while queue and len(result.seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if result.kinds[_kind(url)] >= PAGES_PER_KIND:
            continue
        result.kinds[_kind(url)] += 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        result.seen.append(url)
        html = "text/html" in response.get("Content-Type", "")
        text = text_of(url, response)
        if (hits := leaks(text)) and not (downloads_only and html):
            result.found[url] = hits
        if html:
            page = Links()
            page.feed(text)
            for href in page.links:
                href = href.split("#")[0]
                if href.startswith("/") and not SKIP.search(href) and href not in queued:
                    queued.add(href)
                    queue.append(href)
    return result


# ---------------------------------------------------------------- the API


def api_values() -> dict[frozenset[str], list[dict[str, Any]]]:
    """Values for each set of path parameters the API's GET routes take, from the demo."""
    calls = list(Proposal.objects.values_list("call__slug", flat=True).distinct())
    events = list(Event.objects.values_list("slug", flat=True))
    labs = list(Lab.objects.values_list("slug", flat=True))
    proposals = list(Proposal.objects.filter(status=Status.SUBMITTED).order_by("pk").values_list("pk", flat=True)[:4])
    routings = list(Routing.objects.order_by("pk").values_list("pk", flat=True)[:3])
    from madang.citizens.models import InvitationPool
    from madang.priority.models import Match
    from madang.suggestions.models import Suggestion

    pools = list(InvitationPool.objects.values_list("pk", flat=True)[:3])
    suggestions = list(Suggestion.objects.order_by("pk").values_list("pk", flat=True)[:4])
    orgs = list(
        Organisation.objects.filter(kind__in=[OrgKind.PROVINCE, OrgKind.MINISTRY]).values_list("pk", flat=True)[:3]
    )
    return {
        frozenset(): [{}],
        frozenset({"slug"}): [{"slug": s} for s in [*calls, *events, *labs]],
        frozenset({"pk"}): [{"pk": pk} for pk in [*proposals, *routings, *pools]],
        frozenset({"slug", "session_id"}): [
            {"slug": s.event.slug, "session_id": s.pk} for s in Session.objects.select_related("event")[:30]
        ],
        frozenset({"slug", "board_id"}): [
            {"slug": b.session.event.slug, "board_id": b.pk} for b in Board.objects.select_related("session__event")[:8]
        ],
        frozenset({"slug", "judging_id"}): [
            {"slug": j.event.slug, "judging_id": j.pk} for j in Judging.objects.select_related("event")
        ],
        frozenset({"pk", "comment_id"}): [
            {"pk": c.proposal_id, "comment_id": c.pk}
            for c in Comment.objects.filter(parent=None, proposal_id__in=proposals).order_by("pk")[:6]
        ],
        frozenset({"job_id"}): [{"job_id": pk} for pk in Job.objects.order_by("pk").values_list("pk", flat=True)[:3]],
        frozenset({"suggestion_id"}): [{"suggestion_id": pk} for pk in suggestions],
        frozenset({"org", "year"}): [{"org": o, "year": y} for o in orgs for y in (2025, 2026, 2027)],
        frozenset({"match_id"}): [
            {"match_id": pk} for pk in Match.objects.order_by("pk").values_list("pk", flat=True)[:3]
        ],
    }


QUERIES = {"/api/calls/{slug}/similar": "?title=민원 서류 간소화", "/api/events/{slug}/boards/search": "?q=민원"}


def call_api(client: Client) -> Crawl:
    schema = client.get("/api/openapi.json").json()
    values = api_values()
    result = Crawl()
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        names = frozenset(re.findall(r"{(\w+)}", path))
        assert names in values, f"the crawl cannot fill {sorted(names)} in GET {path}: add values for them"
        for params in values[names]:
            url = path.format(**params) + QUERIES.get(path, "")
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200:
                result.seen.append(url)
                if hits := leaks(json.dumps(response.json(), ensure_ascii=False)):
                    result.found[url] = hits
    return result


# ---------------------------------------------------------------- who reads


@pytest.fixture
def demo(demo_module, db, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_module.media_dir
    settings.MADANG_PRIVACY_REASON_OVER = 10**9  # exports and documents without asking why
    seed()
    return demo_module


def outsider(username: str = "crawler", kind: str = Kind.OFFICIAL) -> User:
    """A new official of the demo province (or a citizen member) who wrote nothing and moderates nothing."""
    department = Organisation.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).order_by("pk").first()
    user = people.create_user(
        actor=None,
        username=username,
        display_name="크롤러",
        email=f"{username}@hanbit.example.kr",
        kind=kind,
        department=department if kind == Kind.OFFICIAL else None,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def reader(role: str) -> str | None:
    """The user name to crawl as: a new account for a plain official and a citizen, the demo's own
    reviewer and liaison (who wrote nothing), or nobody."""
    if role == "official":
        return outsider().username
    if role == "citizen":
        return outsider("crawler-citizen", Kind.CITIZEN).username
    if role == "anonymous":
        return None
    assert authors_nothing(role), f"the demo's {role} wrote a proposal or a comment: crawl as someone else"
    return role


def login(username: str | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if username is not None:
        assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def starts() -> list[str]:
    calls = [f"/calls/c/{slug}/" for slug in Proposal.objects.values_list("call__slug", flat=True).distinct()]
    exports = [f"{c}export.{fmt}" for c in calls for fmt in ("csv", "xlsx")]
    some = Proposal.objects.filter(status=Status.SUBMITTED).order_by("pk").values_list("pk", flat=True)[:3]
    return [*START, *calls, *exports, *(f"/calls/p/{pk}/" for pk in some)]


def authors_nothing(username: str) -> bool:
    user = User.objects.get(username=username)
    return not (
        Proposal.objects.filter(author=user).exists()
        or Proposal.objects.filter(coauthors=user).exists()
        or Comment.objects.filter(author=user).exists()
    )


@pytest.mark.parametrize("role", ["anonymous", "official", "reviewer", "liaison", "citizen"])
def test_no_page_shows_a_flagged_number_to_other_readers(demo, role):
    result = crawl(login(reader(role)), starts())
    assert result.found == {}, "\n".join(f"{u}: {h}" for u, h in sorted(result.found.items()))
    assert len(result.seen) > 40
    if role == "anonymous":
        assert any(u.endswith("export.xlsx") for u in result.seen) and any("/calls/p/" in u for u in result.seen)


@pytest.mark.parametrize("role", ["anonymous", "official", "reviewer", "liaison"])
def test_no_api_answer_shows_a_flagged_number_to_other_readers(demo, role):
    result = call_api(login(reader(role)))
    assert result.found == {}, "\n".join(f"{u}: {h}" for u, h in sorted(result.found.items()))
    assert any("/proposals" in u for u in result.seen)


def test_no_file_the_moderators_take_away_shows_it(demo):
    """The innovation team reads a proposal as written on its page; exports and documents leave Madang."""
    result = crawl(login("team"), starts(), downloads_only=True)
    assert result.found == {}, "\n".join(f"{u}: {h}" for u, h in sorted(result.found.items()))
    downloads = {u.split("?")[0].rsplit(".", 1)[-1] for u in result.seen if "." in u.split("?")[0].rsplit("/", 1)[-1]}
    assert {"csv", "xlsx", "hwpx", "pdf"} <= downloads, sorted(result.seen)


def test_no_notification_shows_it_in_the_inbox_or_the_mail(demo):
    person = outsider()
    person.email_mode = EmailMode.IMMEDIATE
    person.save()
    proposals = list(Proposal.objects.filter(status=Status.SUBMITTED).order_by("pk")[:3])
    mail.outbox = []
    for p in proposals:
        for kind in NotificationKind.values:
            inbox.notify(users=[person], kind=kind, proposal=p, params={"reason": "검토", "detail": "검토"})
    # A lab's notice names a decision by its title, in the notification's parameters.
    inbox.notify(
        users=[person],
        kind=NotificationKind.LAB,
        proposal=proposals[0],
        params={"event": "decision_proposed", "member": "김민지", "decision": f"회신 {MOBILE}", "until": "2026-12-31"},
    )
    notes = list(person.notifications.select_related("proposal"))
    inbox.send_immediate([n.pk for n in notes])
    assert len(mail.outbox) == len(notes) > 0
    sent = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    assert leaks(sent) == []
    client = login("crawler")
    for url in ("/inbox/", "/api/inbox/notifications"):
        response = client.get(url)
        assert response.status_code == 200 and leaks(response.content.decode()) == [], url
    assert "010-****-5432" in client.get("/inbox/").content.decode()


def test_the_crawl_sees_what_it_looks_for():
    assert leaks(f"제목 {MOBILE}") and leaks("010 9876\n5432") and leaks(f"주민 {RRN}") and leaks("9001011234568")
    assert leaks("010-****-5432 900101-1******") == []
