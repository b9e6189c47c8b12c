"""The attack from issue 12 §1, as an anonymous outsider runs it on the demo.

Everything public is read: the ledger page, the signed checkpoint, every entry bundle in the
tile directory, receipts, and every public list, page and API response about proposals. Then
the outsider tries to link people: a pseudonym seen in one context (a hidden-author proposal's
entries, a scorecard, a lottery) that shows up in another entry's context or on a public page
ties that person's entries together, and a name shown elsewhere then names a hidden author, a
reviewer per scorecard, or a citizen drawn by lot. None of it may work.

(The separate leak of a co-author's name on their own comments while authors are hidden is
issue 12 §4, fixed elsewhere; this test covers linking through the ledger.)
"""

import json
import re
from collections import defaultdict

import pytest
from django.test import Client

from madang.calls.models import Call, Proposal
from madang.ledger import services as ledger
from madang.solvers import tlog

PSEUDONYM = re.compile(r"^[0-9a-f]{24}$|^[0-9a-f]{32}$")
# Where bodies hold people (by field name) in every version of the entry format.
PEOPLE_FIELDS = {
    "actor",
    "author",
    "reviewer",
    "member",
    "who",
    "panel_pseudonyms",
    "invited",
    "panel",
    "person",
    "implementer",
}


@pytest.fixture
def site(demo_module, db, settings):
    settings.MADANG_LEDGER_DIR = demo_module.ledger_dir
    settings.MADANG_LEDGER_ORIGIN = "127.0.0.1:8000/ledger"
    ledger.forget_open_logs()
    yield Client()
    ledger.forget_open_logs()


def _public_entries(client: Client) -> list[dict]:
    """The log exactly as a mirror or an outsider fetches it: checkpoint, then every bundle."""
    vkeys = [tlog.parse_vkey(v) for v in client.get("/ledger/vkey").content.decode().split()]
    checkpoint, _ = tlog.open_checkpoint(
        b"".join(client.get("/ledger/log/checkpoint").streaming_content).decode(), vkeys
    )
    bodies: list[bytes] = []
    full, partial = divmod(checkpoint.size, tlog.tiles.TILE_WIDTH)
    for n in range(full + (1 if partial else 0)):
        width = tlog.tiles.TILE_WIDTH if n < full else partial
        response = client.get(f"/ledger/log/{tlog.entries_path(n, width)}")
        assert response.status_code == 200
        bodies += tlog.decode_bundle(b"".join(response.streaming_content))
    assert len(bodies) == checkpoint.size > 100
    return [json.loads(b) for b in bodies]


def _people_in(body: dict) -> set[str]:
    found: set[str] = set()
    for name, value in body.items():
        values = value if isinstance(value, list) else [value]
        if name == "scores" and isinstance(value, list):  # judging: [candidate, juror, criterion, score]
            values = [row[1] for row in value if isinstance(row, list) and len(row) == 4]
        if name in PEOPLE_FIELDS or name == "scores":
            found |= {v for v in values if isinstance(v, str) and PSEUDONYM.match(v)}
    return found


def _role(kind: str) -> str:
    """Who acts in an entry, as an outsider reads the kind's name (one role per family)."""
    if kind.startswith("proposal."):
        return "author"
    if kind.startswith(("decision.", "call.")):
        return "team"
    if kind.startswith("events.judging") or kind == "events.award":
        return "jury"
    if kind in ("events.groups_formed", "events.group_moved"):
        return "groups"
    if kind == "lab.member_joined":
        return "member"
    return kind.split(".")[0] if kind != "review.scorecard" else "review"


def _public_pages(client: Client) -> str:
    texts = [
        client.get("/calls/").content.decode(),
        client.get("/ledger/").content.decode(),
        client.get("/api/calls").content.decode(),
    ]
    for call in Call.objects.all():
        texts.append(client.get(f"/calls/c/{call.slug}/").content.decode())
        texts.append(client.get(f"/api/calls/{call.slug}/proposals").content.decode())
    for pk in Proposal.objects.exclude(number=None).values_list("pk", flat=True):
        for url in (f"/calls/p/{pk}/", f"/api/proposals/{pk}"):
            response = client.get(url)
            if response.status_code == 200:
                texts.append(response.content.decode())
    return "\n".join(texts)


def test_it_links_no_hidden_author_reviewer_or_lottery_participant(site):
    entries = _public_entries(site)
    # Every context a pseudonym value was seen in: (subject, role).
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    sensitive: set[str] = set()
    hidden = {f"proposal:{pk}" for pk in Proposal.objects.filter(call__hide_authors=True).values_list("pk", flat=True)}
    for body in entries:
        values = _people_in(body)
        for value in values:
            seen[value].add((body["subject"], _role(body["kind"])))
        if body["subject"] in hidden or body["kind"] == "review.scorecard" or body["kind"].startswith("citizens."):
            sensitive |= values
    assert sensitive, "the demo has hidden-author proposals, scorecards and a lottery in its log"
    linked = {v: sorted(ctx) for v, ctx in seen.items() if v in sensitive and len(ctx) > 1}
    assert not linked, (
        f"{len(linked)} pseudonyms tie entries of different contexts together, e.g. {next(iter(linked.items()))}"
    )

    pages = _public_pages(site)
    on_pages = {v for v in sensitive if v in pages.replace(site.get("/ledger/").content.decode(), "")}
    assert not on_pages


def test_it_names_no_hidden_author_through_a_shown_one(site):
    """The attack of the issue: a hidden proposal's actor, matched with a proposal whose page names its author."""
    entries = _public_entries(site)
    actors_by_subject: dict[str, set[str]] = defaultdict(set)
    for body in entries:
        if body["kind"].startswith("proposal."):
            actors_by_subject[body["subject"]] |= _people_in(body)
    names = {}
    for p in Proposal.objects.filter(call__hide_authors=False).exclude(number=None).select_related("author"):
        page = site.get(f"/calls/p/{p.pk}/").content.decode()
        if p.author.display_name in page:
            for actor in actors_by_subject[f"proposal:{p.pk}"]:
                names[actor] = p.author.display_name
    named = {}
    for p in Proposal.objects.filter(call__hide_authors=True).exclude(number=None):
        for actor in actors_by_subject[f"proposal:{p.pk}"]:
            if actor in names:
                named[p.pk] = names[actor]
    assert names, "the demo shows some authors (the open call)"
    assert not named


def test_it_lets_the_author_prove_an_entry_is_theirs_offline(site, tmp_path, capsys):
    from madang.calls.ledger_entries import author_opening
    from madang.ledger.models import Entry
    from madang.solvers.tlog.__main__ import main

    p = Proposal.objects.filter(call__hide_authors=True).exclude(number=None).first()
    entry = Entry.objects.get(subject=f"proposal:{p.pk}", kind="proposal.submitted")
    receipt = tmp_path / "receipt"
    receipt.write_bytes(site.get(f"/ledger/receipt/{entry.log_index}/").content)
    argv = ["verify", *(x for v in ledger.vkeys() for x in ("--vkey", v)), "--receipt", str(receipt)]
    assert main([*argv, "--opening", author_opening(p.pk, p.author_id)]) == 0
    assert "named in the entry as actor, author" in capsys.readouterr().out
    someone_else = Proposal.objects.exclude(author=p.author).exclude(number=None).first()
    assert main([*argv, "--opening", author_opening(p.pk, someone_else.author_id)]) == 1
    # The author sees the opening on their own page, and nobody else does.
    author = Client()
    author.force_login(p.author)
    assert author_opening(p.pk, p.author_id) in author.get(f"/calls/p/{p.pk}/").content.decode()
    assert author_opening(p.pk, p.author_id) not in site.get(f"/calls/p/{p.pk}/").content.decode()
    # The ledger page's receipt check takes the opening too.
    response = site.post(
        "/ledger/",
        {"text": receipt.read_text(), "opening": author_opening(p.pk, p.author_id)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "which the entry names (actor, author)" in response.content.decode()
    korean = site.post(
        "/ledger/",
        {"text": receipt.read_text(), "opening": author_opening(p.pk, p.author_id)},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert "이 기록에 그 가명이 있습니다(actor, author)" in korean.content.decode()


def test_it_verifies_the_whole_demo(site):
    from madang.ledger.verify import verify_all

    assert [str(f) for f in verify_all()] == []
