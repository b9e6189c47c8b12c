"""Who may read what (issue 12 §4): the innovation team marks proposals internal (page and API,
with who and why), calls have a confidentiality setting enforced on every page, API, search,
export, dashboard and the ledger, and one definition of "a public proposal" serves them all."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from madang.calls import selectors, services
from madang.calls.models import Confidentiality, InternalMark, PhaseKind, Proposal
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.ledger.services import body_of
from madang.review import services as review
from madang.testing import phases_around, set_phase

ROLES = ["anonymous", "minji", "seojun", "jihoon", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


# ---------------------------------------------------------------- internal


def test_it_lets_the_team_mark_a_proposal_internal_and_back_on_the_page_with_who_and_why(cast):
    # Finding: "internal" could only be set from the shell (set_internal was never called).
    p = cast.proposal()
    for who in ("minji", "seojun", "garam", "yuna", "sohee"):
        r = client(cast, who).post(f"/calls/p/{p.pk}/internal/", {"internal": "1", "reason": "보안"})
        assert r.status_code in (403, 404), who
    assert not Proposal.objects.get(pk=p.pk).is_internal
    team = client(cast, "doyun")
    assert f"calls/p/{p.pk}/internal/" in team.get(f"/calls/p/{p.pk}/").content.decode()
    assert (
        team.post(f"/calls/p/{p.pk}/internal/", {"internal": "1", "reason": "시설 보안 정보 포함"}).status_code == 302
    )
    assert Proposal.objects.get(pk=p.pk).is_internal
    assert client(cast, "anonymous").get(f"/calls/p/{p.pk}/").status_code == 404
    assert client(cast, "seojun").get(f"/api/proposals/{p.pk}").status_code == 404
    # A reason is required.
    assert team.post(f"/calls/p/{p.pk}/internal/", {"internal": "0", "reason": ""}).status_code == 400
    r = team.post(
        f"/api/proposals/{p.pk}/internal",
        {"internal": False, "reason": "보안 검토 끝"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["is_internal"] is False
    marks = list(
        InternalMark.objects.filter(proposal=p)
        .order_by("marked_at", "id")
        .values_list("internal", "reason", "marked_by")
    )
    assert marks == [(True, "시설 보안 정보 포함", cast.doyun.pk), (False, "보안 검토 끝", cast.doyun.pk)]
    assert client(cast, "anonymous").get(f"/calls/p/{p.pk}/").status_code == 200
    assert (
        client(cast, "minji")
        .post(f"/api/proposals/{p.pk}/internal", {"internal": True, "reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )


def test_it_cannot_mark_a_draft_internal(cast):
    draft = cast.proposal(submit=False)
    with pytest.raises(Forbidden):
        services.set_internal(actor=cast.doyun, proposal=draft, internal=True, reason="보안")


# ---------------------------------------------------------------- confidential calls


@pytest.fixture
def listed(cast):
    """A call read only by officials of 한빛도 (its organiser): not by citizens, other provinces or the public."""
    call = services.create_call(
        actor=cast.doyun,
        slug="hanbit-closed-2026",
        title="한빛도 내부 보안 과제 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
        confidentiality=Confidentiality.LISTED,
        description="<p>청사 보안 개선</p>",
    )
    p = services.create_proposal(
        actor=cast.minji,
        call=call,
        fields=services.ProposalFields(
            title="청사 출입 보안 강화", problem="출입 기록이 종이로 남습니다.", solution="전자 출입 기록을 씁니다."
        ),
    )
    p = services.submit_proposal(actor=cast.minji, proposal=p)
    services.add_comment(actor=cast.jihoon, proposal=p, body="출입 보안 기록 전자화 찬성")
    return call, p


def test_it_keeps_a_listed_organisations_call_from_everyone_else_everywhere(cast, listed):
    # Finding: a call limited to some organisations was readable by anonymous visitors.
    call, p = listed
    readers = {"minji", "seojun", "jihoon", "yuna", "doyun", "sohee", "admin"}
    for who in ROLES:
        c = client(cast, who)
        ok = who in readers
        pages = [
            f"/calls/c/{call.slug}/",
            f"/calls/p/{p.pk}/",
            f"/calls/c/{call.slug}/export.csv",
            f"/calls/c/{call.slug}/export.xlsx",
            f"/followup/dashboard/{call.slug}/",
            f"/calls/c/{call.slug}/propose/similar/?title=출입+보안+강화",
        ]
        api = [
            f"/api/calls/{call.slug}",
            f"/api/calls/{call.slug}/proposals",
            f"/api/calls/{call.slug}/comments?q=출입",
            f"/api/proposals/{p.pk}",
            f"/api/calls/{call.slug}/similar?text=출입 보안 강화",
        ]
        for url in pages + api:
            assert c.get(url).status_code == (200 if ok else 404), (who, url)
        assert (call.slug in [x["slug"] for x in c.get("/api/calls").json()]) == ok, who
        assert ("한빛도 내부 보안 과제 공모" in c.get("/calls/").content.decode()) == ok, who
        assert ("청사 출입 보안 강화" in c.get("/followup/dashboard/").content.decode()) is False
    assert not Proposal.objects.public().filter(pk=p.pk).exists()
    assert Proposal.objects.shared().filter(pk=p.pk).exists()


def test_it_keeps_an_officials_only_call_from_citizens_and_the_public(cast):
    call = services.create_call(
        actor=cast.doyun,
        slug="officials-2026",
        title="공무원 전용 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
        confidentiality=Confidentiality.OFFICIALS,
    )
    got = {who: client(cast, who).get(f"/api/calls/{call.slug}").status_code for who in ROLES}
    assert got == {who: 404 if who in {"anonymous", "garam"} else 200 for who in ROLES}


def test_it_puts_no_title_of_a_confidential_call_in_the_public_ledger(cast, listed):
    call, _p = listed
    body = body_of(Entry.objects.get(kind="call.opened", subject=f"call:{call.pk}"))
    text = str(body)
    assert "한빛도 내부 보안 과제 공모" not in text and call.slug not in text
    assert len(body["title"]) == 64 and len(body["slug"]) == 64  # salted commitments only
    public = body_of(Entry.objects.get(kind="call.opened", subject=f"call:{cast.call.pk}"))
    assert public["title"] == cast.call.title


def test_it_refuses_to_make_a_call_confidential_once_its_title_is_in_the_public_log(cast, listed):
    with pytest.raises(DomainError) as err:
        services.set_call_confidentiality(actor=cast.doyun, call=cast.call, confidentiality=Confidentiality.LISTED)
    assert err.value.code == "already_public"
    call, _p = listed
    with pytest.raises(Forbidden):
        services.set_call_confidentiality(actor=cast.minji, call=call, confidentiality=Confidentiality.PUBLIC)
    r = client(cast, "doyun").put(
        f"/api/calls/{call.slug}/confidentiality", {"confidentiality": "officials"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["confidentiality"] == "officials"
    assert client(cast, "bada").get(f"/api/calls/{call.slug}").status_code == 200
    assert (
        client(cast, "doyun").post(f"/calls/c/{call.slug}/confidentiality/", {"confidentiality": "public"}).status_code
        == 302
    )
    assert client(cast, "anonymous").get(f"/api/calls/{call.slug}").status_code == 200


def test_it_refuses_a_confidential_call_open_to_citizens(cast):
    from madang.calls.models import Audience

    with pytest.raises(DomainError) as err:
        services.create_call(
            actor=cast.doyun,
            slug="mixed",
            title="혼합",
            organisation=cast.province,
            phases=phases_around(timezone.now()),
            audience=Audience.BOTH,
            confidentiality=Confidentiality.OFFICIALS,
        )
    assert err.value.field == "confidentiality"


# ---------------------------------------------------------------- one definition of "public"


def test_it_leaves_hidden_and_internal_proposals_out_of_the_dashboards(cast):
    # Finding: the dashboard's own definition of a public proposal (followup/views.py) kept hidden ones in.
    shown = cast.proposal(title="보이는 제안")
    hidden = cast.proposal(author=cast.seojun, title="숨긴 제안")
    internal = cast.proposal(author=cast.jihoon, title="내부 제안")
    cast.proposal(author=cast.yuna, title="초안", submit=False)
    services.hide_proposal(actor=cast.doyun, proposal=hidden, reason="개인정보")
    services.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="보안")
    set_phase(cast.call, PhaseKind.REVIEW)
    review.route_decision(
        actor=cast.doyun,
        proposal=Proposal.objects.get(pk=hidden.pk),
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=7),
    )
    for url in (
        f"/followup/dashboard/{cast.call.slug}/",
        "/followup/dashboard/",
        f"/followup/dashboard/?org={cast.province.pk}",
    ):
        r = client(cast, "anonymous").get(url)
        assert r.context["total"].received == 1, url
        assert r.context["total"].routed == 0, url
    assert list(Proposal.objects.public()) == [shown]
    assert list(selectors.visible_proposals(AnonymousUser(), cast.call)) == [shown]


def test_it_answers_each_role_alike_on_the_page_and_the_api_for_every_kind_of_proposal(cast):
    """The role × state matrix of proposal visibility, through the page and the API."""
    public = cast.proposal(title="공개")
    draft = cast.proposal(title="초안", submit=False)
    hidden = cast.proposal(title="숨김")
    services.hide_proposal(actor=cast.doyun, proposal=hidden, reason="욕설")
    withdrawn = cast.proposal(title="철회")
    services.withdraw_proposal(actor=cast.minji, proposal=withdrawn)
    internal = cast.proposal(title="내부")
    services.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="보안")
    set_phase(cast.call, PhaseKind.REVIEW)
    review.assign_reviewer(actor=cast.doyun, proposal=Proposal.objects.get(pk=internal.pk), reviewer=cast.yuna)
    review.route_decision(
        actor=cast.doyun,
        proposal=Proposal.objects.get(pk=internal.pk),
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=7),
    )
    everyone = set(ROLES)
    expected = {
        public.pk: everyone,
        draft.pk: {"minji"},
        hidden.pk: {"minji", "doyun", "admin"},
        withdrawn.pk: {"minji", "doyun", "admin"},
        internal.pk: {"minji", "doyun", "admin", "yuna", "sohee"},
    }
    for pk, seers in expected.items():
        for who in ROLES:
            c = client(cast, who)
            want = 200 if who in seers else 404
            assert c.get(f"/calls/p/{pk}/").status_code == want, (pk, who)
            assert c.get(f"/api/proposals/{pk}").status_code == want, (pk, who)
