"""What a proposal's page asks the database (issue 18: the page of a national call's proposal
cost about 18 ms of server CPU, much of it ORM queries that find nothing).

The proposal's own query says whether it has co-authors and whether the privacy filter ever
screened it; most proposals have neither, and then neither is asked for on its own. A proposal
that has them shows them exactly as before.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from madang.calls import services
from madang.calls.models import PhaseKind
from madang.labs import services as labs
from madang.review import services as review
from madang.testing import set_phase

PHONE = "010-2345-6789"


def _page(user, proposal) -> tuple[str, list[str]]:
    c = Client()
    c.force_login(user)
    c.get(f"/calls/p/{proposal.pk}/")  # (what this process keeps of the call is read once)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(f"/calls/p/{proposal.pk}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_a_plain_proposal_asks_nothing_for_what_it_does_not_have(cast):
    """Co-authors, attachments, a screening, a lab, proposals merged into it, a suggestion."""
    p = cast.proposal()
    _html, asked = _page(cast.jihoon, p)
    assert not [q for q in asked if q.startswith('SELECT ("calls_proposal_coauthors"')], asked
    assert not [q for q in asked if q.startswith('SELECT "calls_attachment"')], asked
    assert not [q for q in asked if q.startswith('SELECT "labs_lab"')], asked
    assert not [q for q in asked if q.startswith('SELECT "suggestions_suggestion"')], asked  # (an EXISTS only)
    assert not [q for q in asked if '"calls_proposal"."merged_into_id" =' in q], asked
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


def test_a_selected_proposal_links_its_lab_and_the_proposals_merged_into_it(cast):
    selected = cast.proposal(title="현장 혁신 과제")
    merged = cast.proposal(author=cast.seojun, title="같은 문제의 다른 제안")
    set_phase(cast.call, PhaseKind.SELECTION)
    cast.call.refresh_from_db()
    review.select_proposal(actor=cast.doyun, proposal=selected, reason="랩 과제")
    review.merge_proposal(actor=cast.doyun, proposal=merged, into=selected, reason="같은 문제")
    selected.refresh_from_db()
    today = timezone.localdate()
    lab = labs.create_lab(
        actor=cast.doyun,
        proposal=selected,
        slug="field-lab",
        title="현장 혁신 랩",
        home=cast.doyun.department,
        starts_on=today,
        ends_on=today + timedelta(days=120),
    )
    html, _asked = _page(cast.jihoon, selected)
    assert reverse("labs:detail", args=[lab.slug]) in html and "현장 혁신 랩" in html
    assert reverse("calls:proposal", args=[merged.pk]) in html and "같은 문제의 다른 제안" in html
    other, _asked = _page(cast.jihoon, merged)
    assert reverse("calls:proposal", args=[selected.pk]) in other  # "merged into"
