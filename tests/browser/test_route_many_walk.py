"""강도윤 (innovation team) routes three proposals at once from the review board, in Chromium: the
chart names each proposal inside its frame, one department is suggested from a similar proposal
routed before, another is found with the department search, the third picked from the list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from madang.calls.models import PhaseKind
from madang.followup.models import Routing
from madang.ledger.models import Entry
from madang.review import services as review
from madang.testing import set_phase

from .test_idea_walk import login

pytestmark = pytest.mark.django_db(transaction=True)

# Every text of the board's chart that the browser draws past the chart's frame (its viewBox).
OUTSIDE = """() => {
  const svg = document.querySelector('svg.chart');
  const vb = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].filter(t => {
    const b = t.getBBox();
    return b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5;
  }).map(t => t.textContent);
}"""


def test_it_routes_three_proposals_at_once(cast, open_page):
    earlier = cast.proposal(
        author=cast.jihoon,
        title="버스 도착 시간 안내",
        problem="버스가 언제 오는지 몰라 정류장에서 오래 기다립니다.",
        solution="정류장 안내판에 버스 도착 시간을 보여 줍니다.",
    )
    bus = cast.proposal(
        author=cast.jihoon,
        title="버스 도착 알림 문자 보내기로 정류장에서 기다리는 시간을 줄이는 방안",
        problem="정류장에서 버스를 오래 기다립니다.",
        solution="버스 도착 전에 문자로 알려 줍니다.",
    )
    care = cast.proposal(
        author=cast.seojun, title="돌봄 신청 한 번에", problem="돌봄 서비스를 기관마다 따로 신청합니다."
    )
    form = cast.proposal(title="서식 쉬운 말", problem="서식의 한자어가 어렵습니다.", solution="쉬운 말로 고칩니다.")
    set_phase(cast.call, PhaseKind.REVIEW)
    for p in (bus, care, form):
        a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
        full = {c.pk: c.max_score for c in cast.call.criteria.all()}
        review.submit_scorecard(actor=cast.yuna, assignment=a, scores=full, verdict="feasible")
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(
        actor=cast.doyun, proposal=earlier, department=cast.transport, answer_due=timezone.localdate() + timedelta(7)
    )

    team = open_page("ko")
    login(team, "doyun")
    team.goto(team.base + f"/review/c/{cast.call.slug}/")
    assert team.evaluate(OUTSIDE) == []
    assert team.locator("svg.chart text", has_text=f"#{bus.number} 버스 도착 알림").count() == 1
    team.get_by_role("link", name="여러 제안을 한꺼번에 부서로 보내기").click()
    team.wait_for_url(re.compile(r".*/followup/c/.+/route/$"))

    # 1. Suggested from where the similar 버스 도착 시간 안내 went, and preselected; nothing ticked yet.
    bus_row = team.locator(f"#row-{bus.pk}")
    expect(bus_row).to_contain_text("한빛도 › 교통과")
    expect(bus_row).to_contain_text("버스 도착 시간 안내")
    expect(team.locator(f"#id_dept_{bus.pk}")).to_have_value(str(cast.transport.pk))
    # 2. Found by searching: the options narrow on the server as she types (htmx), the match is chosen.
    search = team.locator(f"#row-{care.pk} input[type=search]")
    expect(search).to_be_visible()
    search.fill("복지")
    expect(team.locator(f"#id_dept_{care.pk} option")).to_have_count(1)
    expect(team.locator(f"#id_dept_{care.pk}")).to_have_value(str(cast.welfare.pk))
    # 3. Picked from the list, grouped by agency.
    team.select_option(f"#id_dept_{form.pk}", str(cast.civil.pk))
    for p in (bus, care, form):
        team.check(f"#route-{p.pk}")
    team.fill("#id_reason", "검토 후 2주 안에 답변 바랍니다.")
    team.get_by_role("button", name="선택한 제안을 부서로 보내기").click()
    team.wait_for_load_state()
    expect(team.locator(".messages")).to_contain_text("제안 3건을 담당 부서로 보냈습니다.")
    expect(team.locator("main")).to_contain_text("이 공모의 모든 제안에 결정이 기록되었습니다.")

    assert {(r.proposal_id, r.department_id) for r in Routing.objects.exclude(proposal=earlier)} == {
        (bus.pk, cast.transport.pk),
        (care.pk, cast.welfare.pk),
        (form.pk, cast.civil.pk),
    }
    routed = Entry.objects.filter(kind="decision.route").values_list("subject", flat=True)
    assert sorted(routed) == sorted(f"proposal:{p.pk}" for p in (earlier, bus, care, form))
