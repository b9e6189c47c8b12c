"""강도윤 reads the review board's chart: each bar names its proposal, and nothing is cut off at the edge."""

import re

from django.test import Client

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.core.tests.test_charts import parse, texts_outside
from madang.review import services as review
from madang.testing import set_phase

LONG = "버스 정류장 실시간 혼잡도 안내와 저상버스 예약 호출을 한 앱에서 함께 제공하는 방안"


def test_it_labels_each_bar_with_the_proposals_number_and_title_inside_the_chart(cast):
    long = cast.proposal(title=LONG)
    short = cast.proposal(author=cast.jihoon, title="민원 서식 쉬운 말")
    set_phase(cast.call, PhaseKind.REVIEW)
    for p in (long, short):
        a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
        full = {c.pk: c.max_score for c in cast.call.criteria.all()}
        review.submit_scorecard(actor=cast.yuna, assignment=a, scores=full, verdict="feasible")
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    html = c.get(f"/review/c/{cast.call.slug}/").content.decode()
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    labels = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}text") if (t.text or "").startswith("#")]
    assert f"#{short.number} 민원 서식 쉬운 말" in labels
    cut = next(label for label in labels if label.startswith(f"#{long.number} "))
    assert cut.endswith("…") and LONG.startswith(cut[len(f"#{long.number} ") : -1].rstrip())
    assert "100.0 / 100.0" in svg and texts_outside(svg) == []


def test_it_shows_the_live_support_tally_on_the_board_and_the_decision_page(cast):
    p = cast.proposal(title="민원 서식 쉬운 말")
    for supporter in (cast.seojun, cast.jihoon):
        calls.support_proposal(actor=supporter, proposal=p)  # not folded yet: support_count is still 0
    set_phase(cast.call, PhaseKind.SELECTION)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    board = c.get(f"/review/c/{cast.call.slug}/").content.decode()
    row = board[board.index("민원 서식 쉬운 말") :]
    assert re.search(r'<td class="num">2</td><td><span class="tag">', row)
    assert "공감 2</p>" in c.get(f"/review/p/{p.pk}/decide/").content.decode()
