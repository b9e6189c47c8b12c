"""Every route of the site, pages and API, sent the shapes of bad input that once gave 500s.

The routes come from Django's resolver (madang.urls), so a new page is covered the day it is
added. Path converters get real ids and slugs from the demo; every parameter name a view, form
or API operation reads gets, in turn, "²", "¹", a 25-digit number, "-1", "0", a NUL byte, an
empty string and a very long string, in the query string and in the form (or JSON body), as an
anonymous visitor and as `official`, the demo's innovation-team member (the long string goes into
a query string only under the names the route reads: `Reads`). No answer may be a 5xx.
The findings of the outside probe are checked one by one first, with the answer each should get.
"""

import ast
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import madang

SHAPES = ["²", "¹", "9999999999999999999999999", "-1", "0", "\x00", "", "9" * 500 + "가" * 500]
# The shapes a database answers differently: PostgreSQL refuses a NUL byte in text, a number
# beyond bigint and a string beyond a column's length, where SQLite stores or converts them.
# The PostgreSQL pass of `make test` (MADANG_ROUTE_SHAPES=storage) sends only these; the rest
# are parsed before any query, the same on either database, and the SQLite pass sends them all.
STORAGE = ["9999999999999999999999999", "\x00", "9" * 500 + "가" * 500]
if os.environ.get("MADANG_ROUTE_SHAPES") == "storage":
    SHAPES = STORAGE
POSTED = [s for s in SHAPES if s != "¹"]  # "¹" is "²" again to every parser; the time goes to the rest
SKIP = ("admin/", "media/", "^media/", "api/openapi.json", "api/docs", "health/", "people/logout/", "i18n/")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes() -> list[tuple[str, URLPattern]]:
    def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p

    return [
        (route, p) for route, p in walk(get_resolver().url_patterns) if not route.startswith(SKIP) and route != "api/"
    ]


def parameter_names() -> list[str]:
    """Every name a view reads from request.GET/POST, every form field, every API parameter."""
    import django.forms
    from django.apps import apps

    from madang.api import api

    names: set[str] = set()
    for path in Path(madang.__file__).parent.rglob("*.py"):
        if "tests" in path.parts or "solvers" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            # request.GET.get("x"), request.POST["x"], r.POST.getlist("x")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.args
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in {"GET", "POST"}
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in {"GET", "POST"}
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                names.add(node.slice.value)
    for config in apps.get_app_configs():
        if not config.name.startswith("madang."):
            continue
        try:
            module = __import__(f"{config.name}.forms", fromlist=["*"])
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django.forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
    schema = api.get_openapi_schema()
    for operations in schema["paths"].values():
        for op in operations.values():
            names.update(p["name"] for p in op.get("parameters", []))
    for component in schema.get("components", {}).get("schemas", {}).values():
        names.update(component.get("properties", {}))
    return sorted(n for n in names if n not in {"csrfmiddlewaretoken", "next"})


def path_values() -> dict[str, list[str]]:
    """Real ids and slugs of the demo, by the route's prefix and the converter's name."""
    from madang.calls.models import Attachment, Call, Comment, Proposal, Status
    from madang.citizens.models import Invitation, InvitationPool, Lottery
    from madang.events import views as event_views
    from madang.events.models import Board, BoardItem, Event, Judging, Session, Topic
    from madang.followup.models import Routing
    from madang.jobs.models import Job
    from madang.labs import views as lab_views
    from madang.labs.models import Lab
    from madang.people.models import ApiToken
    from madang.review.models import Assignment

    def first(model, **filters):  # type: ignore[no-untyped-def]
        return str(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first() or 1)

    call = Call.objects.order_by("pk").first()
    lab = Lab.objects.order_by("pk").first()
    event = Event.objects.filter(boards__isnull=False).order_by("pk").first() or Event.objects.order_by("pk").first()
    board = Board.objects.filter(session__event=event).order_by("pk").first() if event else None
    from madang.citizens import views as citizen_views

    return {
        "calls:slug": [call.slug],
        "review:slug": [call.slug],
        "followup:slug": [call.slug],
        "insight:slug": [call.slug],
        "labs:slug": [lab.slug if lab else "lab"],
        "events:slug": [event.slug if event else "event"],
        "calls:pk": [first(Proposal, status=Status.SUBMITTED)],
        "review:pk": [first(Assignment)],
        "followup:pk": [first(Routing)],
        "citizens:pk": [first(InvitationPool)],
        "proposals:pk": [first(Proposal, status=Status.SUBMITTED)],
        "attachments:pk": [first(Attachment)],
        "comments:pk": [first(Comment)],
        "invitations:pk": [first(Invitation)],
        "assignments:pk": [first(Assignment)],
        "routings:pk": [first(Routing)],
        "pools:pk": [first(InvitationPool)],
        "token_id": [first(ApiToken)],
        "proposal_id": [first(Proposal, status=Status.SUBMITTED)],
        "session_id": [first(Session, event=event)],
        "topic_id": [first(Topic, event=event)],
        "board_id": [str(board.pk) if board else "1"],
        "item_id": [first(BoardItem, board=board)],
        "judging_id": [first(Judging, event=event)],
        "job_id": [first(Job)],
        "lottery_id": [first(Lottery)],
        "reg_id": ["1"],
        "index": ["0"],
        "token": ["abc"],
        "fmt": ["csv", "json"],
        "labs:action": sorted(lab_views.ACTIONS),
        "events:name": sorted(event_views.ACTIONS),
        "boards:name": sorted(event_views.BOARD_ACTIONS),
        "judging:name": sorted(event_views.JUDGING_ACTIONS),
        "citizens:action": sorted({*citizen_views.CITIZEN_ACTIONS, *citizen_views.ORGANISER_ACTIONS}),
        "path": ["checkpoint", "tile", "tile/", "tile/0/000", "\x00", "../../etc/passwd"],
        "rest": ["nothing"],
    }


def urls_for(route: str, values: dict[str, list[str]]) -> list[str]:
    """The route with every converter filled, once per value of the (at most one) varying part."""
    filled = [""]
    pos = 0
    segments = [s for s in route.strip("^$").split("/") if s] or [""]
    for match in CONVERTER.finditer(route):
        name = match.group(2)
        keyed = [f"{seg}:{name}" for seg in reversed(segments) if not seg.startswith("<")]
        key = next((k for k in keyed if k in values), name)
        choices = values.get(key) or ["1"]
        filled = [f + route[pos : match.start()] + choice for f in filled for choice in choices]
        pos = match.end()
    return ["/" + f + route[pos:].rstrip("$") for f in filled]


def is_api(url: str) -> bool:
    return url.startswith("/api/")


class Bodies:
    """Every name set to one shape, encoded once per shape: as a query string, a form body and a
    JSON body. (With the long shape the query string is 2.8 MB; the test client encoded it again
    for every request, a fifth of those requests' time under the profiler.)"""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.encoded: dict[str, tuple[str, str]] = {}

    def __call__(self, shape: str) -> tuple[str, str]:
        if shape not in self.encoded:
            data = dict.fromkeys(self.names, shape)
            self.encoded[shape] = (urlencode(data), json.dumps(data))
        return self.encoded[shape]


LONG = SHAPES[-1]


class Reads:
    """The names a route's views read one by one from a query string or form (`request.GET["x"]`,
    `.get`, `.getlist`, `in`), recorded while the route's other shapes are sent, so that the long
    shape in a query string can go to those names only.

    With all 564 names the long shape's query string is 2.8 MB, which no production server
    forwards (gunicorn refuses a request line over 4,094 bytes, nginx over 8 KB), and parsing and
    echoing it took 44 of the official's 97 seconds of requests (2026-12-07). A view that reads a
    name gets the long value there as before; one that only echoes the query string whole
    (`urlencode`, `get_full_path`) gets it in one name, `q`. An API operation reads the query
    parameters its schema declares (Django Ninja walks every key of the query string and keeps
    those), so there the long shape goes to exactly those."""

    PICKED = ("__getitem__", "get", "getlist", "__contains__")
    # Building the dict, writing to it and walking over every name (a copy, `urlencode`, `dict`)
    # look names up inside; those are not reads. `items`, `lists` and `values` are generators:
    # their lookups happen while the caller iterates.
    WALKS = (
        "__init__",
        "appendlist",
        "setlistdefault",
        "setlist",
        "__setitem__",
        "copy",
        "urlencode",
        "dict",
        "__copy__",
        "__deepcopy__",
    )
    GENERATORS = ("items", "lists", "values")

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.walking = 0

    @contextmanager
    def recording(self) -> Iterator["Reads"]:
        from django.http import QueryDict

        own = {name: QueryDict.__dict__.get(name) for name in (*self.PICKED, *self.WALKS, *self.GENERATORS)}

        def picked(original):  # type: ignore[no-untyped-def]
            def read(data, key, *args, **kwargs):  # type: ignore[no-untyped-def]
                if isinstance(key, str) and not self.walking:
                    self.names.add(key)
                return original(data, key, *args, **kwargs)

            return read

        def walk(original):  # type: ignore[no-untyped-def]
            def read(data, *args, **kwargs):  # type: ignore[no-untyped-def]
                self.walking += 1
                try:
                    return original(data, *args, **kwargs)
                finally:
                    self.walking -= 1

            return read

        def generator(original):  # type: ignore[no-untyped-def]
            def read(data, *args, **kwargs):  # type: ignore[no-untyped-def]
                inner = original(data, *args, **kwargs)
                while True:
                    self.walking += 1
                    try:
                        item = next(inner)
                    except StopIteration:
                        return
                    finally:
                        self.walking -= 1
                    yield item

            return read

        for names, wrap in ((self.PICKED, picked), (self.WALKS, walk), (self.GENERATORS, generator)):
            for name in names:
                setattr(QueryDict, name, wrap(getattr(QueryDict, name)))
        try:
            yield self
        finally:
            for name, original in own.items():
                if original is None:
                    delattr(QueryDict, name)
                else:
                    setattr(QueryDict, name, original)


def api_query_names() -> dict[str, set[str]]:
    """The query parameters each API path declares, by the path as the resolver writes it."""
    from madang.api import api

    out: dict[str, set[str]] = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for op in operations.values():
            names = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            out.setdefault(path, set()).update(names)
    return out


def long_query(url: str, route: str, reads: Reads, declared: dict[str, set[str]]) -> str:
    if is_api(url):
        names = declared.get("/" + CONVERTER.sub(lambda m: "{" + m.group(2) + "}", route), set())
    else:
        names = reads.names
    return urlencode(dict.fromkeys(sorted(names | {"q"}), LONG))


def send(c: Client, method: str, url: str, bodies: Bodies, shape: str, query: str | None = None):  # type: ignore[no-untyped-def]
    form, body = bodies(shape)
    if method == "GET":
        return c.get(f"{url}?{query if query is not None else form}")
    if is_api(url):
        return c.generic(method, url, body, content_type="application/json")
    # A browser's form post (application/x-www-form-urlencoded), which views read as request.POST.
    return c.generic(method, url, form, content_type="application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def site(demo_module, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        from madang.people.models import User

        return {"official": User.objects.get(username="official"), "values": path_values(), "names": parameter_names()}


def client_as(site, who: str) -> Client:  # type: ignore[no-untyped-def]
    c = Client(HTTP_ACCEPT_LANGUAGE="ko", raise_request_exception=False)
    if who != "anonymous":
        c.force_login(site[who])
    return c


# ---------------------------------------------------------------- the probe's findings, one by one


def test_it_answers_the_probes_requests_with_a_clear_4xx(site, db):
    from madang.calls.models import Comment
    from madang.events.models import Candidate, Judging
    from madang.labs.models import Lab
    from madang.people.models import User

    values = site["values"]
    call, proposal = values["calls:slug"][0], values["calls:pk"][0]
    official, anonymous = client_as(site, "official"), client_as(site, "anonymous")
    stranger = Client(HTTP_ACCEPT_LANGUAGE="ko", raise_request_exception=False)
    stranger.force_login(
        User.objects.filter(is_staff=False, lab_memberships__isnull=True).exclude(username="official").first()
    )
    assert Comment.objects.exists()
    expected = [
        (official.get("/followup/dashboard/?org=%C2%B2"), 400),
        (anonymous.get(f"/calls/c/{call}/propose/similar/?title=abcd+efgh&exclude=%C2%B9"), 400),
        (anonymous.get(f"/calls/c/{call}/?category=9999999999999999999999999"), 200),  # an invalid filter is ignored
        (anonymous.get("/ledger/log/tile"), 404),
        (anonymous.get("/ledger/log/tile/"), 404),
        (anonymous.get("/ledger/log/%00"), 404),
        (anonymous.post("/ledger/log/checkpoint"), 405),
        (anonymous.delete("/ledger/log/checkpoint"), 405),
        (official.post(f"/calls/p/{proposal}/report/", {"comment": "²", "reason": "욕설"}), 400),
    ]
    lab = Lab.objects.order_by("pk").first()
    for action, field in [("confirm", "membership"), ("milestone_done", "milestone"), ("resolve", "objection")]:
        expected.append((stranger.post(f"/labs/{lab.slug}/{action}/", {field: "²", "text": "²"}), 404))
    judging = Judging.objects.filter(candidates__isnull=False).order_by("pk").first()
    if judging is not None:
        candidate = Candidate.objects.filter(judging=judging).first()
        url = f"/api/events/{judging.event.slug}/judgings/{judging.pk}/scores"
        body = json.dumps({"candidate": candidate.pk, "scores": {"²": 1}})
        # Not on the jury: refused for that, before the scorecard is read.
        r = stranger.generic("POST", url, body, content_type="application/json")
        expected.append((r, 403 if r.status_code != 404 else 404))
        assert r.json()["code"] in {"forbidden", "not_found"}, r.json()
    for response, status in expected:
        assert response.status_code == status, (response.request["PATH_INFO"], response.status_code)


def test_the_long_shape_reaches_every_name_a_route_reads(site, db):
    """The long shape's query string holds the names the route's views read under the other
    shapes (a page's filters, an API operation's declared parameters), and is a few kilobytes."""
    slug = site["values"]["calls:slug"][0]
    reads = Reads()
    with reads.recording():
        client_as(site, "official").get(f"/calls/c/{slug}/?category=0&outcome=0&order=0&page=0&unread=0")
    assert {"category", "outcome", "order", "page"} <= reads.names, reads.names
    assert "unread" not in reads.names
    page = long_query(f"/calls/c/{slug}/", "calls/c/<slug:slug>/", reads, {})
    assert page.count("=") == len(reads.names | {"q"}) and 1_000 < len(page) < 200_000
    declared = api_query_names()
    api = long_query(f"/api/calls/{slug}/proposals", "api/calls/<slug>/proposals", Reads(), declared)
    wanted = declared["/api/calls/{slug}/proposals"]
    assert wanted and {name.split("=")[0] for name in api.split("&")} == wanted | {"q"}


def test_it_names_the_bad_field_in_korean(site, db):
    r = client_as(site, "official").get("/followup/dashboard/?org=%C2%B2")
    assert "org" in r.content.decode() and "숫자" in r.content.decode()


# ---------------------------------------------------------------- every route, every shape


@pytest.mark.parametrize("who", ["anonymous", "official"])
def test_it_never_answers_bad_shapes_with_a_server_error(site, db, who):
    bodies, values, declared = Bodies(site["names"]), site["values"], api_query_names()
    failures = []
    sent = 0
    reads = Reads()
    with reads.recording():  # (once for the whole walk: each route starts with no names read)
        for route, _pattern in routes():
            for url in urls_for(route, values):
                c = client_as(site, who)  # each route afresh: an earlier one may have logged out or changed the session
                reads.names.clear()
                for method in ("GET", "POST"):
                    for shape in SHAPES if method == "GET" else POSTED:
                        long = method == "GET" and shape == LONG
                        r = send(
                            c, method, url, bodies, shape, long_query(url, route, reads, declared) if long else None
                        )
                        sent += 1
                        if r.status_code >= 500:
                            failures.append((method, url, repr(shape[:20]), r.status_code))
                        if r.status_code == 405 or (r.status_code == 302 and "/login/" in r.get("Location", "")):
                            break  # the method is not taken, or the visitor is sent to log in: nothing is read
    assert not failures, failures[:40]
    assert sent > 125 * len(SHAPES)  # over 1,000 with every shape
