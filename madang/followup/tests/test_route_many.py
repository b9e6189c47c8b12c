"""강도윤 (innovation team) routes many proposals at once from the review board, each to its department,
on the page and over JSON; nobody else may, and each proposal is one decision with one ledger entry."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import Outcome, PhaseKind, Proposal
from madang.core.errors import DomainError, Forbidden
from madang.followup.models import Routing
from madang.ledger.models import Entry
from madang.review import services as review
from madang.review.models import Decision
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "garam", "bada", "yuna", "sohee", "doyun", "admin"]
TEAM = {"doyun", "admin"}


def client(cast, who: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def due(days: int = 14) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def three(cast):
    """Three submitted proposals for three departments; the call then moves to selection."""
    bus = cast.proposal(
        author=cast.jihoon,
        title="버스 도착 알림 문자",
        problem="정류장에서 버스를 오래 기다립니다.",
        solution="버스 도착 전에 문자로 알려 줍니다.",
    )
    care = cast.proposal(
        author=cast.seojun,
        title="돌봄 신청 한 번에",
        problem="돌봄 서비스를 기관마다 따로 신청합니다.",
        solution="복지 돌봄 신청 창구를 하나로 합칩니다.",
    )
    form = cast.proposal(
        title="민원 서식 쉬운 말", problem="민원 서식의 한자어가 어렵습니다.", solution="서식을 쉬운 말로 고칩니다."
    )
    set_phase(cast.call, PhaseKind.SELECTION)
    return bus, care, form


def page_data(cast, picks: dict[Proposal, object], **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "route": [str(p.pk) for p in picks],
        "answer_due": due(),
        "reason": "검토 후 답변 바랍니다.",
    }
    data.update({f"dept_{p.pk}": str(d.pk) if d is not None else "" for p, d in picks.items()})
    data.update(extra)
    return data


# ---------------------------------------------------------------- the service


def test_it_records_one_decision_one_routing_and_one_entry_for_each_proposal(cast):
    bus, care, form = three(cast)
    decisions = review.route_decisions(
        actor=cast.doyun,
        call=cast.call,
        answer_due=timezone.localdate() + timedelta(days=7),
        routes=[(bus, cast.transport), (care, cast.welfare), (form, cast.civil)],
        reason="일괄 이관",
    )
    assert [(d.proposal_id, d.kind, d.department_id, d.decided_by_id) for d in decisions] == [
        (bus.pk, "route", cast.transport.pk, cast.doyun.pk),
        (care.pk, "route", cast.welfare.pk, cast.doyun.pk),
        (form.pk, "route", cast.civil.pk, cast.doyun.pk),
    ]
    assert {(r.proposal_id, r.department_id) for r in Routing.objects.all()} == {
        (bus.pk, cast.transport.pk),
        (care.pk, cast.welfare.pk),
        (form.pk, cast.civil.pk),
    }
    entries = Entry.objects.filter(kind__in=["decision.route", "followup.routed"])
    assert sorted(entries.values_list("kind", "subject")) == sorted(
        ("decision.route", f"proposal:{p.pk}") for p in (bus, care, form)
    )
    assert set(Proposal.objects.filter(pk__in=[bus.pk, care.pk, form.pk]).values_list("outcome", flat=True)) == {
        Outcome.ROUTED
    }


def test_it_records_nothing_when_one_proposal_cannot_be_routed_and_names_it(cast):
    bus, care, form = three(cast)
    review.reject_proposal(actor=cast.doyun, proposal=care, reason="이미 추진 중입니다.")
    with pytest.raises(DomainError) as caught:
        review.route_decisions(
            actor=cast.doyun,
            call=cast.call,
            answer_due=timezone.localdate() + timedelta(days=7),
            routes=[(bus, cast.transport), (care, cast.welfare), (form, cast.civil)],
        )
    assert f"#{care.number}" in str(caught.value.message) and caught.value.code == "already_decided"
    assert not Routing.objects.exists() and Decision.objects.filter(kind="route").count() == 0


def test_it_lets_only_the_team_route_and_only_while_deciding_is_open(cast):
    bus, _care, _form = three(cast)
    for who in (cast.yuna, cast.minji, cast.sohee, cast.garam):
        with pytest.raises(Forbidden):
            review.route_decisions(
                actor=who, call=cast.call, answer_due=timezone.localdate(), routes=[(bus, cast.transport)]
            )
    set_phase(cast.call, PhaseKind.SUBMISSION)
    with pytest.raises(Forbidden):
        review.route_decisions(
            actor=cast.doyun, call=cast.call, answer_due=timezone.localdate(), routes=[(bus, cast.transport)]
        )
    assert not Routing.objects.exists()


def test_it_refuses_an_empty_or_repeated_list(cast):
    bus, _care, _form = three(cast)
    today = timezone.localdate()
    with pytest.raises(DomainError, match=r"하나 이상|at least one"):
        review.route_decisions(actor=cast.doyun, call=cast.call, answer_due=today, routes=[])
    with pytest.raises(DomainError) as caught:
        review.route_decisions(
            actor=cast.doyun, call=cast.call, answer_due=today, routes=[(bus, cast.transport), (bus, cast.civil)]
        )
    assert caught.value.code == "duplicate" and not Routing.objects.exists()


# ---------------------------------------------------------------- the page


def test_it_shows_the_team_each_undecided_proposal_with_a_suggested_department(cast):
    earlier = cast.proposal(
        author=cast.jihoon,
        title="버스 도착 시간 안내",
        problem="버스가 언제 오는지 모릅니다.",
        solution="정류장에 도착 시간을 안내합니다.",
    )
    bus, care, _form = three(cast)
    review.route_decision(
        actor=cast.doyun, proposal=earlier, department=cast.transport, answer_due=timezone.localdate()
    )
    page = client(cast, "doyun").get(f"/followup/c/{cast.call.slug}/route/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "버스 도착 알림 문자" in html and "돌봄 신청 한 번에" in html and "버스 도착 시간 안내" in html
    row = html[html.index(f'id="row-{bus.pk}"') : html.index(f'id="row-{care.pk}"')]
    # Suggested from where the similar proposal went, and preselected on the row's select, nothing ticked.
    assert "<strong>한빛도 › 교통과</strong>" in row and "버스 도착 시간 안내" in row
    assert f'<option value="{cast.transport.pk}" selected>한빛도 › 교통과</option>' in row
    assert 'name="route"' in row and "checked" not in row
    assert not Routing.objects.filter(proposal=bus).exists()  # showing a suggestion records nothing
    board = client(cast, "doyun").get(f"/review/c/{cast.call.slug}/").content.decode()
    assert f"/followup/c/{cast.call.slug}/route/" in board


def test_it_routes_the_ticked_proposals_from_the_page(cast):
    bus, care, form = three(cast)
    c = client(cast, "doyun")
    r = c.post(
        f"/followup/c/{cast.call.slug}/route/",
        page_data(cast, {bus: cast.transport, care: cast.welfare, form: cast.civil}),
    )
    assert r.status_code == 302
    assert {(r.proposal_id, r.department_id) for r in Routing.objects.all()} == {
        (bus.pk, cast.transport.pk),
        (care.pk, cast.welfare.pk),
        (form.pk, cast.civil.pk),
    }
    assert "제안 3건을 담당 부서로 보냈습니다." in c.get(r.url).content.decode()


def test_it_keeps_the_list_and_says_what_is_missing(cast):
    bus, care, form = three(cast)
    c = client(cast, "doyun")
    url = f"/followup/c/{cast.call.slug}/route/"
    r = c.post(url, page_data(cast, {bus: cast.transport, care: None}))
    assert r.status_code == 400 and "이 제안의 담당 부서를 고르세요." in r.content.decode()
    assert f'id="route-{bus.pk}" checked' in r.content.decode()  # what was ticked stays ticked
    r = c.post(url, {"answer_due": due(), "route": []})
    assert r.status_code == 400 and "하나 이상 선택하세요" in r.content.decode()
    review.reject_proposal(actor=cast.doyun, proposal=form, reason="중복입니다.")
    # A proposal decided meanwhile (in another tab) is no longer on the page: it cannot be ticked.
    r = c.post(url, page_data(cast, {bus: cast.transport, form: cast.civil}))
    assert r.status_code == 400
    r = c.post(url, page_data(cast, {bus: cast.transport}, answer_due=due(-3)))
    assert r.status_code == 400 and "지난 날짜로 정할 수 없습니다" in r.content.decode()
    assert not Routing.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_it_opens_the_page_to_the_team_only(cast, who):
    bus, _care, _form = three(cast)
    c = client(cast, who)
    url = f"/followup/c/{cast.call.slug}/route/"
    got = c.get(url).status_code
    posted = c.post(url, page_data(cast, {bus: cast.transport})).status_code
    if who in TEAM:
        assert (got, posted) == (200, 302)
        assert Routing.objects.filter(proposal=bus).count() == 1
    else:
        assert (got, posted) == ((302, 302) if who == "anonymous" else (404, 404))
        assert not Routing.objects.exists()


def test_it_tells_the_team_when_deciding_is_not_open(cast):
    bus = cast.proposal()
    c = client(cast, "doyun")
    url = f"/followup/c/{cast.call.slug}/route/"
    assert "심사, 선정, 후속 조치 단계에" in c.get(url).content.decode()
    r = c.post(url, page_data(cast, {bus: cast.transport}))
    assert r.status_code == 400 and not Routing.objects.exists()


# ---------------------------------------------------------------- the API


@pytest.mark.parametrize("who", ROLES)
def test_it_serves_suggestions_and_routes_over_json_for_the_team_only(cast, who):
    bus, care, _form = three(cast)
    c = client(cast, who)
    got = c.get(f"/api/followup/calls/{cast.call.slug}/suggestions")
    body = {
        "answer_due": due(),
        "routes": [
            {"proposal_id": bus.pk, "department_id": cast.transport.pk},
            {"proposal_id": care.pk, "department_id": cast.welfare.pk},
        ],
    }
    posted = c.post(f"/api/followup/calls/{cast.call.slug}/routings", body, content_type="application/json")
    if who in TEAM:
        assert got.status_code == 200 and [s["proposal_id"] for s in got.json()][:2] == [bus.pk, care.pk]
        assert posted.status_code == 201, posted.content
        assert [(d["proposal_id"], d["kind"], d["department_id"]) for d in posted.json()] == [
            (bus.pk, "route", cast.transport.pk),
            (care.pk, "route", cast.welfare.pk),
        ]
        assert Entry.objects.filter(kind="decision.route").count() == 2
    else:
        expected = 401 if who == "anonymous" else 404
        assert (got.status_code, posted.status_code) == (expected, expected)
        assert not Routing.objects.exists()


def test_it_answers_bad_routes_over_json_clearly(cast):
    bus, _care, _form = three(cast)
    c = client(cast, "doyun")
    url = f"/api/followup/calls/{cast.call.slug}/routings"
    r = c.post(
        url,
        {"answer_due": due(), "routes": [{"proposal_id": bus.pk, "department_id": cast.other_province.pk}]},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["field"]) == (404, "department_id")
    r = c.post(url, {"answer_due": due(), "routes": []}, content_type="application/json")
    assert r.status_code == 422
    set_phase(cast.call, PhaseKind.SUBMISSION)
    r = c.post(
        url,
        {"answer_due": due(), "routes": [{"proposal_id": bus.pk, "department_id": cast.transport.pk}]},
        content_type="application/json",
    )
    assert r.status_code == 403 and not Routing.objects.exists()
