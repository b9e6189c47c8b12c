"""Every page form, posted garbage by the person allowed to use it: a 4xx in Korean, never a 500.

Each form gets over-long text, wrong types, unknown ids, lists where one value is expected and
control characters in every field it reads. Nothing may be written half-way.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind, Proposal
from madang.followup.models import Routing
from madang.ledger.models import Entry
from madang.review import services as review
from madang.review.models import Assignment, Decision
from madang.testing import set_phase

GARBAGE = [
    "",
    "가" * 100_001,
    "abc",
    "-1",
    "99999999999999999999",
    "1.5",
    "2026-13-45",
    "\x00",
    "<script>x</script>",
    ["1", "abc"],
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c


def pound(c: Client, url: str, base: dict[str, object]) -> None:
    """Post `base` with each field in turn (and one unknown field) replaced by each garbage value."""
    for field in [*base, "unknown"]:
        for junk in GARBAGE:
            data = {**base, field: junk}
            r = c.post(url, data)
            assert r.status_code < 500, (url, field, junk, r.status_code)
            if (
                400 <= r.status_code < 500
                and r.status_code != 404
                and r.headers.get("Content-Type", "").startswith("text/html")
            ):
                assert HANGUL.search(r.content.decode()), (url, field, junk)


@pytest.fixture
def scored(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    return p, Assignment.objects.get(proposal=p)


def test_it_survives_garbage_in_the_proposal_forms(cast):
    minji = client(cast.minji)
    draft = cast.proposal(title="초안", submit=False)
    entries = Entry.objects.count()
    base = {
        "title": "제목",
        "problem": "문제",
        "solution": "해결",
        "expected_effect": "효과",
        "suggested_department": str(cast.civil.pk),
        "category": str(cast.call.categories.first().pk),
    }
    pound(minji, f"/calls/c/{cast.call.slug}/propose/", {**base, "save": "1"})
    pound(minji, f"/calls/p/{draft.pk}/edit/", {**base, "save": "1"})
    pound(minji, f"/calls/p/{draft.pk}/coauthors/", {"username": "seojun"})
    pound(minji, f"/calls/p/{draft.pk}/attachments/", {"file": "not a file"})
    assert minji.post(f"/calls/attachments/{10**12}/remove/").status_code == 404
    assert Entry.objects.count() == entries  # nothing was submitted, so nothing reached the ledger
    assert not Proposal.objects.filter(status="submitted").exists()


def test_it_survives_garbage_in_supports_comments_and_reports(cast):
    p = cast.proposal()
    seojun, doyun = client(cast.seojun), client(cast.doyun)
    pound(seojun, f"/calls/p/{p.pk}/comment/", {"body": "좋아요", "parent": "1"})
    pound(seojun, f"/calls/p/{p.pk}/report/", {"reason": "부적절", "comment": "1"})
    pound(doyun, f"/calls/p/{p.pk}/hide/", {"reason": "개인정보"})
    assert doyun.post(f"/calls/comments/{10**12}/hide/", {"reason": "x"}).status_code == 404
    for junk in GARBAGE:
        assert seojun.post(f"/calls/p/{p.pk}/support/", {"action": junk}).status_code < 500


def test_it_survives_garbage_in_the_call_form(cast):
    doyun = client(cast.doyun)
    today = timezone.localdate()
    base = {
        "title": "새 공모",
        "slug": "new-call",
        "description": "설명",
        "organisation": str(cast.province.pk),
        "audience": "officials",
        "submission_start": today.isoformat(),
        "submission_end": (today + timedelta(days=10)).isoformat(),
        "review_end": (today + timedelta(days=20)).isoformat(),
        "selection_end": (today + timedelta(days=30)).isoformat(),
        "follow_end": (today + timedelta(days=90)).isoformat(),
        "required": "problem",
        "categories": "민원",
        "criteria": "효과 | 1 | 5",
    }
    base_without_slug = {k: v for k, v in base.items() if k != "slug"}
    pound(doyun, "/calls/new/", {**base_without_slug, "slug": "x" * 81})


def test_it_survives_garbage_in_review_and_decisions(cast, scored):
    p, assignment = scored
    doyun, yuna = client(cast.doyun), client(cast.yuna)
    pound(doyun, f"/review/c/{cast.call.slug}/", {"reviewers": str(cast.yuna.pk), "per_proposal": "abc"})
    criteria = {f"c{c.pk}": "3" for c in cast.call.criteria.all()}
    pound(yuna, f"/review/assignments/{assignment.pk}/", {**criteria, "verdict": "nonsense", "comment": "의견"})
    pound(
        doyun,
        f"/review/p/{p.pk}/decide/",
        {"kind": "route", "department": str(10**12), "answer_due": "2026-99-99", "reason": "사유", "merge_into": "abc"},
    )
    assert Decision.objects.count() == 0


def test_it_survives_garbage_in_the_answer_and_execution_forms(cast, scored):
    p, _ = scored
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    routing = Routing.objects.get(proposal=p)
    sohee = client(cast.sohee)
    pound(
        sohee,
        f"/followup/r/{routing.pk}/",
        {"form": "answer", "kind": "transfer", "reason": "이송", "transfer_to": str(10**12)},
    )
    routing.refresh_from_db()
    assert not hasattr(routing, "answer")
    assert sohee.post(f"/followup/r/{routing.pk}/", {"form": "answer", "kind": "accept"}).status_code == 302
    pound(
        sohee,
        f"/followup/r/{routing.pk}/",
        {"form": "execution", "state": "in_progress", "percent": "101", "happened_on": "2026-02-30", "note": "메모"},
    )
    assert routing.updates.count() == 0


def test_it_survives_garbage_in_settings_tokens_import_and_log_in(cast):
    minji, admin = client(cast.minji), client(cast.admin)
    pound(minji, "/people/settings/", {"language": "xx", "email_mode": "sometimes", "receive": "nothing"})
    pound(minji, "/people/settings/tokens/", {"name": "가" * 300})
    assert minji.post(f"/people/settings/tokens/{10**12}/revoke/").status_code == 404
    pound(admin, "/people/import/", {"what": "galaxies", "confirm": "maybe", "file": "text"})
    fake = SimpleUploadedFile(
        "staff.xlsx", b"PK\x03\x04 not really a workbook", content_type="application/vnd.ms-excel"
    )
    r = admin.post("/people/import/", {"what": "staff", "file": fake})
    assert r.status_code < 500
    pound(Client(HTTP_ACCEPT_LANGUAGE="ko"), "/people/login/", {"username": "minji", "password": "wrong"})
    pound(minji, "/inbox/read/", {"ids": "1"})
    pound(minji, "/i18n/setlang/", {"language": "en", "next": "/"})
