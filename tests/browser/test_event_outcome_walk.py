"""Day two in the browser: a reverse-brainstorm board, judging by a jury and the participants,
and an agreed task arriving in an agency's follow-through inbox."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.events import selectors, services
from madang.events.models import BoardKind, JudgingOf, SessionKind
from madang.events.tests.conftest import agency, at, official

from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_runs_day_two_from_a_reverse_board_to_an_agencys_inbox(cast, open_page):
    doyun = cast.doyun  # the innovation team: organises the event and routes the call's proposals
    event = services.create_event(
        actor=doyun, organisation=cast.province, slug="day2", title="둘째 날", capacity=20, max_per_agency=2
    )
    services.set_event_state(actor=doyun, event=event, state="open")
    day = services.add_day(actor=doyun, event=event, date=timezone.localdate())
    s = services.add_session(
        actor=doyun, event=event, day=day, title="분임 토의", kind=SessionKind.GROUPS, starts_at=at(9), ends_at=at(10)
    )
    services.register(actor=cast.minji, event=event)
    services.register(actor=cast.sohee, event=event)
    other = official("w00", "참가자00", agency("walkx", "기관가"), 7)
    services.register(actor=other, event=event)
    board = services.create_board(
        actor=doyun,
        session=s,
        kind=BoardKind.REVERSE,
        title="민원 역발상",
        group=1,
        prompt="민원을 더 느리게 만들려면?",
    )

    # a reverse-brainstorm board: a way to make it worse, posted anonymously, then turned into a fix
    minji = open_page("ko")
    login(minji, "minji")
    minji.goto(minji.base + f"/events/day2/boards/{board.pk}/")
    minji.fill("#item-form textarea[name=text]", "서류를 세 번 떼게 한다")
    minji.check("#item-form input[name=anonymous]")
    minji.locator("#item-form button[type=submit]").click()
    minji.wait_for_selector("#fix-form")
    minji.fill("#id_fix_text", "행정정보 공동이용으로 한 번에")
    minji.locator("#fix-form button[type=submit]").click()
    minji.wait_for_selector(".fixes li")
    assert "행정정보 공동이용으로 한 번에" in minji.locator(".fixes").inner_text()
    sohee = open_page("ko")
    login(sohee, "sohee")
    sohee.goto(sohee.base + f"/events/day2/boards/{board.pk}/")
    live = sohee.locator("#board-live").inner_text()
    assert (
        "서류를 세 번 떼게 한다" in live and "김민지" not in live.split("행정정보")[0]
    )  # the anonymous one has no name

    # judging: the jury scores on the rubric, participants vote, the organiser publishes
    worse = board.items.get(kind="worse")
    task = services.create_task(actor=doyun, event=event, title="서류 없는 민원", board=board, item=worse)
    services.create_task(actor=doyun, event=event, title="쉬운 공문서")
    j = services.create_judging(
        actor=doyun,
        event=event,
        of=JudgingOf.TASKS,
        title="최우수 과제",
        jury_percent=50,
        criteria=[services.CriterionIn("효과", 2, 5), services.CriterionIn("실현 가능성", 1, 5)],
    )
    services.assign_jurors(actor=doyun, judging=j, users=[cast.yuna])
    cand = j.candidates.get(task=task)
    yuna = open_page("ko")
    login(yuna, "yuna")
    yuna.goto(yuna.base + f"/events/day2/judging/{j.pk}/")
    for inp in yuna.locator(f"#cand-{cand.pk} form.scorecard input[type=number]").all():
        inp.fill("5")
    yuna.locator(f"#cand-{cand.pk} form.scorecard button[type=submit]").click()
    yuna.wait_for_load_state()
    assert cand.scores.count() == 2
    minji.goto(minji.base + f"/events/day2/judging/{j.pk}/")
    assert minji.locator("#results").count() == 0
    minji.locator(f"#cand-{cand.pk} form button[type=submit]").first.click()
    minji.wait_for_selector(f"#cand-{cand.pk} button[aria-pressed=true]")
    fac = open_page("ko")
    login(fac, "doyun")
    fac.goto(fac.base + f"/events/day2/judging/{j.pk}/")
    fac.locator("form[action$='/do/publish/'] button").click()
    fac.wait_for_selector("#results")
    fac.locator(f"#cand-{cand.pk} form[action$='/do/award/'] button").click()
    fac.wait_for_selector("#awards")
    minji.goto(minji.base + f"/events/day2/judging/{j.pk}/")
    assert "서류 없는 민원" in minji.locator("#results tbody tr").first.inner_text()
    assert "50%" in minji.locator("#method").inner_text()

    # outcomes: the task is agreed and sent through a call open to every participating agency
    # (a call routes only to the departments it reaches); 교통과's liaison finds it in the inbox
    cast.call.eligible_organisations.add(*selectors.participating_agencies(task.event))
    fac.goto(fac.base + "/events/day2/outcomes/")
    fac.locator(f"#task-{task.pk} form[action$='/do/agree_task/'] button").click()
    fac.wait_for_selector(f"#task-{task.pk} select[name=call]")
    fac.select_option(f"#task-{task.pk} select[name=call]", str(cast.call.pk))
    fac.fill(f"#task-{task.pk} input[name=answer_due]", (timezone.localdate() + timedelta(days=14)).isoformat())
    fac.locator(f"#task-{task.pk} form[action$='/do/send_task/'] button").click()
    fac.wait_for_selector(f"#task-{task.pk} table")
    assert "기관가" in fac.locator(f"#task-{task.pk} table").inner_text()
    sohee.goto(sohee.base + "/followup/")
    assert "서류 없는 민원" in sohee.locator("main").inner_text()
