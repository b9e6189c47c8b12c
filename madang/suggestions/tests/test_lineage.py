"""Lineage of declined ideas: 한가람's suggestion is not adopted, and she reopens it, refined, as a new
suggestion. It gets its own receipt number and clocks, names the earlier one, keeps the first filing
date for any first-to-file question, shows the line on both status pages and is in the ledger with
no personal data. 김민지's proposal declined in an ordinary call can be reopened the same way."""

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind, Proposal
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.review import services as review
from madang.suggestions import rules, services
from madang.suggestions.models import Stage, Suggestion
from madang.suggestions.tests.conftest import RECEIVED, fields
from madang.suggestions.tests.test_lifecycle import PERSONA, ROLES, adopted, not_adopted, refused
from madang.testing import set_phase

pytestmark = pytest.mark.django_db

REFILED = date(2025, 5, 12)  # a Monday: a month from it ends Thu 2025-06-12


def refile(cast, s, who=None, on=REFILED, title="버스 정류장 도착 안내 개선 (보완)"):
    return services.refile_suggestion(actor=who or cast.garam, earlier=s.proposal, fields=fields(title), today=on)


@pytest.fixture
def declined(cast, citizen_suggestion):
    not_adopted(cast, citizen_suggestion)  # 2025-03-20, re-examination until 2025-04-04
    citizen_suggestion.refresh_from_db()
    return citizen_suggestion


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


def test_it_refiles_a_declined_suggestion_with_its_own_number_and_clocks_keeping_the_first_filing_date(cast, declined):
    later = refile(cast, declined)
    assert later.pk != declined.pk and later.proposal_id != declined.proposal_id
    assert later.receipt_number == "2025-0002" and later.received_on == REFILED
    assert later.refines_id == declined.proposal_id
    assert later.first_filed_on == RECEIVED and later.priority_date == RECEIVED
    # Its own decision clock, from its own receipt: one month from Mon 5-12 ends Thu 6-12.
    assert later.decision_due == date(2025, 6, 12) and later.stage == Stage.REVIEWING
    assert later.proposal.title == "버스 정류장 도착 안내 개선 (보완)"
    assert later.proposal.call_id == declined.office.standing_call_id
    assert rules.refined_as(declined) == later
    declined.refresh_from_db()
    assert declined.stage == Stage.NOT_ADOPTED  # the earlier decision stands as it was


def test_only_the_proposer_may_reopen_a_declined_idea(cast, declined):
    before = Proposal.objects.count()
    refused(cast, {"proposer"}, lambda u: refile(cast, declined, who=u))
    assert not Suggestion.objects.filter(refines__isnull=False).exists()
    assert Proposal.objects.count() == before  # no draft was left behind


@pytest.mark.parametrize("stage", ["reviewing", "adopted", "returned"])
def test_it_refuses_to_reopen_an_idea_that_was_not_declined(cast, citizen_suggestion, stage):
    s = citizen_suggestion
    if stage == "adopted":
        adopted(cast, s)
    elif stage == "returned":
        services.decide(
            actor=cast.doyun,
            suggestion=s,
            outcome="return",
            ground="mere_complaint",
            explanation="단순한 불만입니다.",
            panel=[cast.yuna],
            today=RECEIVED,
        )
    with pytest.raises(DomainError) as e:
        refile(cast, s)
    assert e.value.code == "not_declined"
    assert "채택되지 않은 제안뿐입니다" in str(e.value.message)


def test_it_reopens_an_idea_once_and_then_closes_its_re_examination(cast, declined):
    assert rules.reexamination_open(declined, date(2025, 3, 25))
    later = refile(cast, declined, on=date(2025, 3, 25))
    with pytest.raises(DomainError) as e:
        refile(cast, declined, on=date(2025, 3, 26))
    assert e.value.code == "duplicate" and later.receipt_number in str(e.value.message)
    declined = Suggestion.objects.get(pk=declined.pk)
    assert not rules.reexamination_open(declined, date(2025, 3, 26))
    with pytest.raises(DomainError) as e:
        services.request_reexamination(actor=cast.garam, suggestion=declined, reason="다시", today=date(2025, 3, 26))
    assert e.value.code == "refined"


def test_a_refinement_of_a_refinement_keeps_the_very_first_filing_date(cast, declined):
    second = refile(cast, declined)
    not_adopted(cast, second, on=date(2025, 5, 20))
    second.refresh_from_db()
    third = refile(cast, second, on=date(2025, 7, 1), title="세 번째 보완")
    assert third.first_filed_on == RECEIVED and third.refines_id == second.proposal_id
    assert third.receipt_number == "2025-0003"


def test_it_refuses_a_refiling_dated_before_the_first_filing(cast, declined):
    with pytest.raises(DomainError) as e:
        refile(cast, declined, on=date(2025, 3, 1))
    assert e.value.code == "bad_date"
    assert not Suggestion.objects.filter(refines__isnull=False).exists()


def test_the_ledger_records_the_line_with_no_personal_data_and_verify_rebuilds_it(cast, declined):
    later = refile(cast, declined)
    entry = Entry.objects.get(kind="suggestion.refiled")
    body = json.loads(bytes(entry.body))
    assert entry.subject == f"proposal:{later.proposal_id}"
    assert body["kind"] == "suggestion.refiled"  # no field of the body overwrote the envelope
    assert {k: body[k] for k in ("suggestion", "number", "refines", "earlier_suggestion", "earlier_number")} == {
        "suggestion": later.pk,
        "number": "2025-0002",
        "refines": declined.proposal_id,
        "earlier_suggestion": declined.pk,
        "earlier_number": "2025-0001",
    }
    assert body["first_filed_on"] == "2025-03-10" and body["received_on"] == "2025-05-12"
    assert set(body) == {"v", "kind", "subject", "actor", "at", "suggestion", "number", "refines"} | {
        "earlier_suggestion",
        "earlier_number",
        "first_filed_on",
        "received_on",
    }
    text = bytes(entry.body).decode()
    for person in (cast.garam, cast.doyun):
        assert person.display_name not in text and person.username not in text and person.email not in text
    assert isinstance(body["actor"], str) and len(body["actor"]) == 32  # a pseudonym in this entry's context
    assert [str(f) for f in verify_all()] == []
    Suggestion.objects.filter(pk=later.pk).update(first_filed_on=date(2025, 3, 1))
    assert any(f.field == "first_filed_on" for f in verify_all())


def test_a_proposal_declined_in_an_ordinary_call_can_be_reopened_as_a_suggestion(cast, office):
    p = cast.proposal(cast.minji, title="민원 서류 간소화")
    set_phase(cast.call, PhaseKind.SELECTION)
    review.reject_proposal(actor=cast.doyun, proposal=p, reason="이미 추진 중입니다.")
    p.refresh_from_db()
    refused(
        cast,
        {"proposer"},
        lambda u: services.refile_suggestion(actor=u, earlier=p, fields=fields("보완")),
    )
    # The proposal was submitted today (the cast is built now): the refinement is received today too.
    s = services.refile_suggestion(actor=cast.minji, earlier=p, fields=fields("민원 서류 간소화 (보완)"))
    assert s.refines_id == p.pk and s.proposer_kind == "official" and s.pack_id == "kr-official"
    assert s.first_filed_on == timezone.localdate(p.submitted_at) == s.received_on
    assert s.proposal.call_id == office.standing_call_id
    body = json.loads(bytes(Entry.objects.get(kind="suggestion.refiled").body))
    assert body["earlier_suggestion"] is None and body["refines"] == p.pk


def test_a_refinement_of_a_named_proposal_is_not_tied_to_it_in_public(cast, office):
    """김민지's proposal in the ordinary call shows her name; the standing call hides its proposers.
    Naming one side on the other's public pages would name the suggestion's proposer."""
    p = cast.proposal(cast.minji, title="민원 서류 간소화")
    set_phase(cast.call, PhaseKind.SELECTION)
    review.reject_proposal(actor=cast.doyun, proposal=p, reason="이미 추진 중입니다.")
    s = services.refile_suggestion(actor=cast.minji, earlier=p, fields=fields("민원 서류 간소화 (보완)"))
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="채택",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport),
    )
    later_status = client().get(f"/followup/p/{s.proposal_id}/").content.decode()
    assert "채택되지 않은 이전 아이디어를 보완한 제안" in later_status and p.reference not in later_status
    earlier_status = client(cast.jihoon).get(f"/followup/p/{p.pk}/").content.decode()
    assert "보완하여 새 제안으로 다시 제출됨" in earlier_status and s.receipt_number not in earlier_status
    colleague = client(cast.jihoon).get(f"/calls/p/{p.pk}/").content.decode()
    assert "이 아이디어는 보완되어 새 제안으로 다시 제출되었습니다." in colleague
    assert s.receipt_number not in colleague
    assert s.receipt_number in client(cast.minji).get(f"/calls/p/{p.pk}/").content.decode()
    # The panel and the implementing liaison read the suggestion, not who proposed it.
    for who in (cast.yuna, cast.sohee):
        page = client(who).get(f"/suggestions/{s.pk}/").content.decode()
        assert 'data-lineage="refines"' in page and p.reference not in page and f"/calls/p/{p.pk}/" not in page
        line = client(who).get(f"/api/suggestions/{s.pk}").json()["lineage"]
        assert line["refines_proposal_id"] is None and line["first_filed_on"] == s.priority_date.isoformat()
    line = client(cast.doyun).get(f"/api/suggestions/{s.pk}").json()["lineage"]
    assert line["refines_proposal_id"] == p.pk


def test_a_pending_proposal_cannot_be_reopened(cast, office):
    p = cast.proposal(cast.minji)
    with pytest.raises(DomainError) as e:
        services.refile_suggestion(actor=cast.minji, earlier=p, fields=fields("보완"))
    assert e.value.code == "not_declined"


def test_both_status_pages_and_both_suggestion_pages_show_the_line(cast, declined):
    later = refile(cast, declined)
    earlier_status = client().get(f"/followup/p/{declined.proposal_id}/").content.decode()
    assert "보완하여 제안 2025-0002호로 다시 제출됨" in earlier_status
    later_status = client().get(f"/followup/p/{later.proposal_id}/").content.decode()
    assert "채택되지 않은 제안 2025-0001호를 보완한 제안" in later_status
    assert "최초 제출일 2025-03-10" in later_status
    assert "한가람" not in earlier_status + later_status
    page = client(cast.garam).get(f"/suggestions/{later.pk}/").content.decode()
    assert 'data-lineage="refines"' in page and f'href="/suggestions/{declined.pk}/"' in page and "2025-03-10" in page
    page = client(cast.doyun).get(f"/suggestions/{declined.pk}/").content.decode()
    assert 'data-lineage="later"' in page and f'href="/suggestions/{later.pk}/"' in page


def test_the_proposer_reopens_it_from_the_page_and_no_one_else_reaches_the_page(cast, declined):
    url = f"/suggestions/refile/{declined.proposal_id}/"
    page = client(cast.garam).get(f"/suggestions/{declined.pk}/").content.decode()
    assert f'href="{url}"' in page
    for role in ROLES:
        if role == "proposer":
            continue
        who = getattr(cast, PERSONA[role])
        assert client(who).get(url).status_code == 404, role
        assert (
            client(who).post(url, {"title": "x", "problem": "x", "solution": "x", "kind": "standing"}).status_code
            == 404
        )
    assert client().get(url).status_code == 302  # to the log-in
    form = client(cast.garam).get(url)
    assert form.status_code == 200 and "버스 정류장 도착 안내 개선" in form.content.decode()
    assert "2025-03-10" in form.content.decode()  # the first filing date it will keep
    r = client(cast.garam).post(
        url,
        {
            "title": "정류장 안내 보완",
            "problem": "여전히 틀립니다",
            "solution": "음성 안내도 더합니다",
            "kind": "standing",
        },
    )
    later = Suggestion.objects.get(refines=declined.proposal)
    assert r.status_code == 302 and r["Location"] == f"/suggestions/{later.pk}/"
    assert client(cast.garam).get(url).status_code == 404  # once only


def test_the_api_reopens_a_declined_idea_for_its_proposer_only(cast, declined):
    body = {"proposal_id": declined.proposal_id, "title": "보완", "problem": "문제", "solution": "해결"}
    for role in ROLES:
        if role == "proposer":
            continue
        c = client(getattr(cast, PERSONA[role]))
        r = c.post("/api/suggestions/refilings", body, content_type="application/json")
        assert r.status_code in (403, 404), role
        assert r.json()["code"] in ("forbidden", "not_found")
    assert client().post("/api/suggestions/refilings", body, content_type="application/json").status_code == 401
    r = client(cast.garam).post("/api/suggestions/refilings", body, content_type="application/json")
    assert r.status_code == 201
    out = r.json()
    assert out["lineage"]["refines_suggestion_id"] == declined.pk and out["lineage"]["refines_number"] == "2025-0001"
    assert out["lineage"]["first_filed_on"] == RECEIVED.isoformat() and out["number"].endswith("-0001")
    again = client(cast.garam).post("/api/suggestions/refilings", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    earlier = client(cast.garam).get(f"/api/suggestions/{declined.pk}").json()
    assert earlier["lineage"]["refined_as_suggestion_id"] == out["id"] and earlier["can"]["reexamine"] is False


def test_forbidden_is_refused_before_anything_is_written(cast, declined):
    with pytest.raises(Forbidden):
        refile(cast, declined, who=cast.doyun)
    assert Entry.objects.filter(kind="suggestion.refiled").count() == 0
