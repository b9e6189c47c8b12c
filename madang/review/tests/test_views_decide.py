"""The decision page shows the team what was decided, by whom and when, once it is recorded."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.review import services as review
from madang.testing import set_phase


def test_it_shows_who_recorded_the_decision_and_when(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.route_decision(
        actor=cast.doyun,
        proposal=p,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=7),
        reason="교통과 소관입니다.",
    )
    for lang, words in [
        ("ko", ["담당 부서로 이관", "한빛도 교통과", "기록: 강도윤", "교통과 소관입니다."]),
        ("en", ["Routed to a department", "한빛도 교통과", "recorded by 강도윤"]),
    ]:
        c = Client(HTTP_ACCEPT_LANGUAGE=lang)
        c.force_login(cast.doyun)
        html = c.get(f"/review/p/{p.pk}/decide/").content.decode()
        for word in words:
            assert word in html, (lang, word)
        assert timezone.localtime(p.decisions.get().decided_at).strftime("%Y-%m-%d %H:%M") in html
        assert 'name="kind"' not in html  # decided once: no second form


def test_it_keeps_the_decision_page_from_everyone_but_the_team(cast):
    p = cast.proposal()
    for user in (cast.minji, cast.yuna, cast.sohee):
        c = Client()
        c.force_login(user)
        assert c.get(f"/review/p/{p.pk}/decide/").status_code == 404
