"""The public status page shows each step of a proposal's way, in the reader's language."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.review import services as review
from madang.review.models import Assignment
from madang.testing import set_phase

STEPS = {
    "ko": ["제출", "심사위원 1명 심사 완료", "한빛도 교통과", "수용", "완료 (100%)"],
    "en": ["Submitted", "Reviewed by 1 reviewer", "Sent to 한빛도 교통과", "Accepted", "Done (100%)"],
}


def timeline(p, lang: str) -> str:
    html = Client(HTTP_ACCEPT_LANGUAGE=lang).get(f"/calls/p/{p.pk}/").content.decode()
    return html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_it_shows_every_step_to_the_public_as_it_happens(cast, lang):
    steps = STEPS[lang]
    p = cast.proposal()
    assert steps[0] in timeline(p, lang)

    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    assignment = Assignment.objects.get(proposal=p)
    review.submit_scorecard(
        actor=cast.yuna,
        assignment=assignment,
        scores={c.pk: 4 for c in cast.call.criteria.all()},
        verdict="feasible",
        comment="심사 의견은 혁신팀만 봅니다",
    )
    shown = timeline(p, lang)
    assert steps[1] in shown
    assert "최유나" not in shown and "80.0" not in shown and "심사 의견" not in shown  # who and what stay with the team

    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    assert steps[2] in timeline(p, lang)
    routing = Routing.objects.get(proposal=p)
    followup.answer_routing(actor=cast.sohee, routing=routing, kind="accept")
    assert steps[3] in timeline(p, lang)
    followup.post_execution_update(actor=cast.sohee, routing=routing, state="done", percent=100, note="전 부서 적용")
    assert steps[4] in timeline(p, lang)
