"""What a proposal's page asks the database (issue 18: the page of a national call's proposal
cost about 18 ms of server CPU, much of it ORM queries that find nothing).

The proposal's own query says whether it has co-authors and whether the privacy filter ever
screened it; most proposals have neither, and then neither is asked for on its own. A proposal
that has them shows them exactly as before.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from madang.calls import services

PHONE = "010-2345-6789"


def _page(user, proposal) -> tuple[str, list[str]]:
    c = Client()
    c.force_login(user)
    c.get(f"/calls/p/{proposal.pk}/")  # (what this process keeps of the call is read once)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(f"/calls/p/{proposal.pk}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_a_plain_proposal_asks_nothing_for_co_authors_attachments_or_screenings(cast):
    p = cast.proposal()
    _html, asked = _page(cast.jihoon, p)
    assert not [q for q in asked if q.startswith('SELECT ("calls_proposal_coauthors"')], asked
    assert not [q for q in asked if q.startswith('SELECT "calls_attachment"')], asked
    assert not [q for q in asked if q.startswith('SELECT "privacy_screening"')], asked


def test_co_authors_are_shown_and_count_as_authors(cast):
    p = cast.proposal()
    p.coauthors.add(cast.seojun)
    html, asked = _page(cast.jihoon, p)
    assert sum('"calls_proposal_coauthors"' in q for q in asked) == 2  # its flag, then the names
    assert html.count(cast.seojun.display_name) == 1
    own, _asked = _page(cast.seojun, p)
    assert "이 제안 신고" not in own  # (offered to its readers, not to its authors)
    assert "이 제안 신고" in html


def test_attachments_are_listed(cast):
    p = cast.proposal(submit=False)
    services.add_attachment(
        actor=cast.minji, proposal=p, upload=SimpleUploadedFile("계획.txt", "시범 운영 계획".encode())
    )
    services.submit_proposal(actor=cast.minji, proposal=p)
    html, asked = _page(cast.jihoon, p)
    assert "계획.txt" in html
    assert sum(q.startswith('SELECT "calls_attachment"') for q in asked) == 1


def test_a_screened_proposal_is_still_masked_for_other_readers(cast):
    p = cast.proposal(submit=False, problem=f"<p>담당자 휴대폰 {PHONE}로 문의</p>")
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    other, asked = _page(cast.jihoon, p)
    assert PHONE not in other and "010-****-6789" in other
    assert sum(q.startswith('SELECT "privacy_screening"') for q in asked) == 1  # the screening itself
    own, _asked = _page(cast.minji, p)
    assert PHONE in own
