"""The statutory suggestion system (제안 제도) walked in the browser, as issue 15 asks: one citizen's
proposal and one official's 실시제안 through supplement, decision, re-examination, adoption, delay,
implementation, effect and award, by the people who take each step.

강도윤 (innovation team) opens 한빛도's office and works its desk; 한가람 (citizen) and 김민지 (official)
file and follow their suggestions through "My work", "My suggestions", the inbox and the status
page; 최유나 sits on the first review, 정하늘 on the re-examination (a panel sharing no one with the
first); 윤소희, liaison of 교통과, plans and delays the implementation from implementation tracking.

The rules: the citizen's suggestion is received under a shipped pack, the 세종 rule on the national
국민 제안 규정 (`kr-sejong`), whose periods are read in the texts (decision in a month, supplement
stops, re-examination within 15 days). The official's 실시제안 needs a test pack: no shipped pack has
the type (the 공무원 제안 규정's 제2조제2호 was deleted in 2023, docs/suggestions.md), so the office
takes officials' suggestions under `test-awards-official` (madang/suggestions/tests/awards_packs.py),
the shipped official pack plus that type and a made-up grade table. The shipped official pack sets
no period, so the official's suggestion has no clock and no re-examination window; the citizen's
is the one re-examined. No shipped pack has award grades either, so the award is given to the
official's suggestion under the test pack, and the office is told on the citizen's why there is none.
"""

import os
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from madang.ledger.models import Entry
from madang.people.models import User
from madang.suggestions import packs
from madang.suggestions.ledger_entries import SuggestionEntry
from madang.suggestions.models import (
    Award,
    Decision,
    DelayNotice,
    Effect,
    PersonnelCredit,
    Plan,
    Reexamination,
    Ruling,
    Stage,
    Suggestion,
    SuggestionOffice,
    Supplement,
)
from madang.suggestions.tests.awards_packs import with_award_packs
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CITIZEN_IDEA = "버스 정류장 도착 안내 음성 지원"
OFFICIAL_IDEA = "민원 서식 한 장으로 줄이기"
GROUND = "일반 통념상 적용하기 어려운 것"  # the kr-citizen pack's label of 제2조제1호라목


def tr(lang: str, msgid: str, **params: Any) -> str:
    """What the page says in `lang`; the Korean must exist (an untranslated string fails the walk)."""
    with translation.override(lang):
        text = gettext(msgid)
    if lang == "ko":
        assert text != msgid, f"no Korean for {msgid!r}"
    return text % params if params else text


def day(d: date | None) -> str:
    assert d is not None
    return d.isoformat()


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    # Each person has chosen the walk's language in their settings; log-in applies it.
    User.objects.filter(username=username).update(language=page.lang)
    page.goto(page.base + "/people/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # the log-in page's own address also ends in "/": wait until the browser has left it, or a
    # goto() right after may cancel the log-in (a walk then went on signed out, now and then)
    page.wait_for_url(lambda url: "/people/login/" not in url, wait_until="networkidle")


def follow(page, link) -> None:  # type: ignore[no-untyped-def]
    """Click a link (or a form's button) and wait for the page it leads to."""
    with page.expect_navigation():
        link.click()


def main(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("main").inner_text()


def my_work(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """From the header's "My work" to one of the suggestion system's pages listed there."""
    follow(page, page.locator("header nav a[href='/me/']"))
    follow(page, page.locator("main section[aria-labelledby=h-suggestions]").get_by_role("link", name=name, exact=True))


def inbox(page) -> str:  # type: ignore[no-untyped-def]
    follow(page, page.locator("header nav a[href='/inbox/']"))
    return main(page)


def from_inbox(page, notice: str) -> None:  # type: ignore[no-untyped-def]
    """Open the notice's proposal from the inbox, then its suggestion."""
    inbox(page)
    follow(page, page.locator("main li a", has_text=notice).first)
    follow(page, page.get_by_role("link", name=tr(page.lang, "Open the suggestion"), exact=True))


def told(lang: str, title: str, detail: str, **params: Any) -> str:
    """An inbox line about a suggestion's step."""
    return tr(lang, "Suggestion “%(title)s”: %(detail)s", title=title, detail=tr(lang, detail, **params))


def opened(page, summary: str):  # type: ignore[no-untyped-def]
    """Open the <details> with this summary on the suggestion's page and return it."""
    box = page.locator("details").filter(has=page.get_by_text(summary, exact=True))
    box.locator("summary").click()
    return box


def submit(page, box, button: str) -> None:  # type: ignore[no-untyped-def]
    """Press a step's button and wait for the suggestion's page to come back saying it was saved."""
    follow(page, box.get_by_role("button", name=button, exact=True))
    page.get_by_text(tr(page.lang, "Saved."), exact=True).wait_for()


def status(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The public status page's steps by kind (suggestion.received, suggestion.first.not_adopt, …),
    each as its reader sees it; followed from the suggestion's page."""
    follow(page, page.get_by_role("link", name=tr(page.lang, "Public status page"), exact=True))
    return steps(page)


def steps(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    lines = page.locator("ol.timeline li")
    return {li.get_attribute("data-kind"): li.inner_text() for li in lines.all()}


def visit(page, s: Suggestion) -> str:  # type: ignore[no-untyped-def]
    page.goto(page.base + f"/suggestions/{s.pk}/")
    return main(page)


@pytest.fixture
def walk_packs(monkeypatch):  # type: ignore[no-untyped-def]
    """The shipped packs and the test packs with the 실시제안 type and grades (the live server runs in
    this process, so it reads the same)."""
    ps = with_award_packs()
    monkeypatch.setattr(packs, "active", lambda: ps)
    return ps


# Korean only in make test: the walk costs about two minutes a language, and the English interface of
# these pages is read by the view tests. MADANG_WALK_ENGLISH=1 adds the English run (it passed in
# both languages when it was written).
@pytest.mark.parametrize("lang", ["ko", "en"] if os.environ.get("MADANG_WALK_ENGLISH") == "1" else ["ko"])
def test_a_citizens_proposal_and_an_officials_jissi_suggestion_go_from_filing_to_award(
    cast, open_page, walk_packs, lang
):
    today = timezone.localdate()
    t = lambda msgid, **kw: tr(lang, msgid, **kw)  # noqa: E731

    # The innovation team opens 한빛도's suggestion office from "My work", choosing the rules.
    office_page = open_page(lang)
    login(office_page, "doyun")
    my_work(office_page, t("Open a suggestion office"))
    office_page.locator("select[name=organisation]").select_option(str(cast.province.pk))
    office_page.locator("select[name=citizen_pack]").select_option("kr-sejong")
    office_page.locator("select[name=official_pack]").select_option("test-awards-official")
    follow(office_page, office_page.get_by_role("button", name=t("Open the office"), exact=True))
    office_page.get_by_text(t("The suggestion office of %(org)s is open.", org="한빛도"), exact=True).wait_for()
    office = SuggestionOffice.objects.get(organisation=cast.province)
    assert (office.citizen_pack, office.official_pack) == ("kr-sejong", "test-awards-official")
    assert t("No suggestions.") in main(office_page)

    # 한가람 (citizen) finds the office under "My suggestions" and files; it is received at once.
    garam = open_page(lang)
    login(garam, "garam")
    my_work(garam, t("My suggestions"))
    assert t("You have not filed a suggestion yet.") in main(garam)
    follow(garam, garam.get_by_role("link", name=t("File a suggestion with %(org)s", org="한빛도"), exact=True))
    # The 세종 pack has no 실시제안: the form offers no choice of type the office would refuse.
    assert garam.locator("input[name=kind]").count() == 0 and garam.locator("[name=evidence]").count() == 0
    garam.fill("input[name=title]", CITIZEN_IDEA)
    garam.fill("textarea[name=problem]", "정류장 안내판이 글자로만 되어 있어 시각장애인이 도착 정보를 알 수 없습니다.")
    garam.fill("textarea[name=solution]", "안내판에 버튼식 음성 안내를 붙입니다.")
    garam.fill("textarea[name=expected_effect]", "시각장애인의 버스 이용 시간 단축")
    follow(garam, garam.get_by_role("button", name=t("File the suggestion"), exact=True))
    citizen = Suggestion.objects.get(proposal__title=CITIZEN_IDEA)
    assert garam.url.endswith(f"/suggestions/{citizen.pk}/")
    assert (citizen.pack_id, citizen.kind, citizen.stage) == ("kr-sejong", "standing", Stage.REVIEWING)
    assert citizen.received_on == today and citizen.decision_due is not None and citizen.decision_due > today
    due = day(citizen.decision_due)
    seen = main(garam)
    assert t("Your suggestion was received as no. %(n)s.", n=citizen.receipt_number) in seen
    assert "세종특별자치시 제안제도" in seen and t("Under review") in seen and due in seen
    line = status(garam)["suggestion.received"]
    assert (
        t("Received as suggestion no. %(n)s (%(type)s)", n=citizen.receipt_number, type=t("Standing suggestion"))
        in line
    )
    assert t("Decision due by %(date)s", date=due) in line
    received = "received as no. %(number)s; the decision is due by %(due)s."
    assert told(lang, CITIZEN_IDEA, received, number=citizen.receipt_number, due=due) in inbox(garam)

    # 김민지 (official) files a 실시제안: what she has already put in place, since when.
    minji = open_page(lang)
    login(minji, "minji")
    my_work(minji, t("My suggestions"))
    follow(minji, minji.get_by_role("link", name=t("File a suggestion with %(org)s", org="한빛도"), exact=True))
    minji.fill("input[name=title]", OFFICIAL_IDEA)
    minji.fill("textarea[name=problem]", "전입 신고 서식이 세 장이라 민원인이 같은 내용을 여러 번 씁니다.")
    minji.fill("textarea[name=solution]", "세 서식을 한 장으로 합쳤습니다.")
    minji.locator("input[name=kind][value=implemented]").check()
    minji.fill("textarea[name=evidence]", "민원과 창구에서 한 장 서식을 쓰고 있습니다. 처리 대장 사본 첨부.")
    since = today - timedelta(days=20)
    minji.fill("input[name=in_place_since]", day(since))
    follow(minji, minji.get_by_role("button", name=t("File the suggestion"), exact=True))
    jissi = Suggestion.objects.get(proposal__title=OFFICIAL_IDEA)
    assert minji.url.endswith(f"/suggestions/{jissi.pk}/")
    assert (jissi.pack_id, jissi.kind, jissi.proposer_kind) == ("test-awards-official", "implemented", "official")
    assert jissi.in_place_since == since and jissi.decision_due is None  # the official pack sets no period
    seen = main(minji)
    assert t("Already in place") in seen and "한 장 서식을 쓰고 있습니다" in seen and day(since) in seen
    assert t("Already-implemented suggestion") in seen
    assert told(lang, OFFICIAL_IDEA, "received as no. %(number)s.", number=jissi.receipt_number) in inbox(minji)

    # The desk: the citizen's decision is due in a month; the official's has no clock.
    my_work(office_page, t("Suggestion desk"))
    row = office_page.locator(f"tr[data-suggestion='{citizen.pk}']").inner_text()
    assert citizen.receipt_number in row and due in row
    row = office_page.locator(f"tr[data-suggestion='{jissi.pk}']").inner_text()
    assert jissi.receipt_number in row and t("Already-implemented suggestion") in row and "—" in row

    # Supplement: the office asks the citizen; the decision clock stops, on every page that shows it.
    follow(office_page, office_page.get_by_role("link", name=CITIZEN_IDEA, exact=True))
    box = opened(office_page, t("Ask for a supplement"))
    question = "음성 안내가 필요한 정류장을 알려 주십시오."
    box.locator("textarea[name=question]").fill(question)
    answer_by = today + timedelta(days=5)
    box.locator("input[name=answer_by]").fill(day(answer_by))
    submit(office_page, box, t("Ask"))
    asked = Supplement.objects.get(suggestion=citizen)
    assert asked.is_open and asked.asked_on == today
    citizen.refresh_from_db()
    assert citizen.decision_due is None  # stopped: no due date until the answer comes
    seen = main(office_page)
    assert t("Stopped (supplement)") in seen and t("since %(since)s", since=day(today)) in seen
    assert t("Waiting for the answer: the clock is stopped") in seen
    lines = status(office_page)
    stop = lines["suggestion.supplement_requested"]
    assert t("Supplement requested: the processing period stops") in stop
    assert t("Supplement asked for by %(date)s", date=day(answer_by)) in stop
    assert t("Decision due by %(date)s", date=due) not in lines["suggestion.received"]  # no due date while stopped
    assert (
        t("Notice sent to the proposer: %(notice)s", notice=t("Supplement request"))
        in lines["suggestion.notice.supplement"]
    )
    my_work(office_page, t("Suggestion desk"))
    assert t("Stopped (supplement)") in office_page.locator(f"tr[data-suggestion='{citizen.pk}']").inner_text()

    # The public reads the same status page, without the question or the proposer's name.
    public = open_page(lang)
    public.goto(public.base + f"/followup/p/{citizen.proposal_id}/")
    seen = main(public)
    assert steps(public)["suggestion.supplement_requested"] == stop
    assert question not in seen and "한가람" not in seen

    # The citizen reads the request in her inbox and sends the supplement; the clock runs again.
    request = told(
        lang,
        CITIZEN_IDEA,
        "please supplement it by %(date)s (%(text)s). The processing period stops until your answer.",
        date=day(answer_by),
        text=question,
    )
    assert request in inbox(garam)
    from_inbox(garam, request)
    assert garam.url.endswith(f"/suggestions/{citizen.pk}/")
    assert t("Stopped (supplement)") in main(garam)
    garam.locator("textarea[name=answer]").fill("시청 앞, 터미널, 종합병원 정류장입니다.")
    submit(garam, garam.locator("section[aria-labelledby=h-sup]"), t("Send the supplement"))
    asked.refresh_from_db()
    citizen.refresh_from_db()
    assert asked.answered_on == today and not asked.is_open
    assert citizen.decision_due is not None
    due = day(citizen.decision_due)
    seen = main(garam)
    assert t("Stopped (supplement)") not in seen and due in seen
    lines = status(garam)
    assert t("Supplement received: the processing period runs again") in lines["suggestion.supplement_answered"]
    assert t("Decision due by %(date)s", date=due) in lines["suggestion.received"]
    answered = told(
        lang, CITIZEN_IDEA, "the proposer sent the supplement; the decision is now due by %(due)s.", due=due
    )
    assert answered in inbox(office_page)

    # Decision: not adopted, on a ground of the pack with its article, by 최유나's panel.
    visit(office_page, citizen)
    box = opened(office_page, t("Record the decision"))
    box.locator("input[name=outcome][value=not_adopt]").check()
    box.locator("select[name=ground]").select_option("impracticable")
    box.locator("textarea[name=explanation]").fill("정류장마다 전원 공사가 필요해 올해 예산으로는 어렵습니다.")
    box.locator(f"input[name=panel][value='{cast.yuna.pk}']").check()
    submit(office_page, box, t("Decide and notify the proposer"))
    first = Decision.objects.get(suggestion=citizen, round="first")
    assert first.outcome == "not_adopt" and first.ground == "impracticable" and first.on_time
    assert list(first.panel.all()) == [cast.yuna] and first.reexamination_until is not None
    until = day(first.reexamination_until)
    seen = office_page.locator("section[aria-labelledby=h-dec]").inner_text()
    assert t("Not adopted") in seen and GROUND in seen and "제2조제1호라목" in seen and "최유나" in seen
    assert t("Re-examination may be asked for until %(d)s.", d=until) in seen

    # Re-examination: the citizen asks for it, from the notice, within the window.
    refused = told(
        lang,
        CITIZEN_IDEA,
        "not adopted (%(ground)s). You may ask for re-examination until %(date)s.",
        ground=GROUND,
        date=until,
    )
    from_inbox(garam, refused)
    seen = main(garam)
    assert "전원 공사" in seen and "최유나" not in seen  # the explanation is hers; the panel is the office's
    box = garam.locator("section[aria-labelledby=h-re]")
    box.locator("textarea[name=reason]").fill("태양광 안내판이면 전원 공사가 필요 없습니다. 견적을 붙입니다.")
    submit(garam, box, t("Ask for re-examination"))
    assert Reexamination.objects.get(suggestion=citizen).requested_on == today
    assert Suggestion.objects.get(pk=citizen.pk).stage == Stage.REEXAMINING
    lines = status(garam)
    line = lines["suggestion.first.not_adopt"]
    assert (
        t("Not adopted") in line
        and GROUND in line
        and t("Re-examination may be asked for until %(d)s.", d=until) in line
    )
    assert "전원 공사" not in line  # the explanation stays on the suggestion's page
    assert t("Re-examination requested") in lines["suggestion.reexamination_requested"]

    # The office decides it with another panel: 최유나 is not offered, 정하늘 is. Adopted, for 교통과.
    from_inbox(office_page, told(lang, CITIZEN_IDEA, "the proposer asked for re-examination."))
    box = opened(office_page, t("Record the re-examination"))
    assert box.locator(f"input[name=panel][value='{cast.yuna.pk}']").count() == 0
    box.locator("input[name=outcome][value=adopt]").check()
    box.locator("textarea[name=explanation]").fill("태양광 안내판 견적으로 비용 문제가 풀려 채택합니다.")
    box.locator(f"input[name=panel][value='{cast.haneul.pk}']").check()
    box.locator("select[name=department]").select_option(str(cast.transport.pk))
    adopted_by = today + timedelta(days=60)
    box.locator("input[name=implement_by]").fill(day(adopted_by))
    submit(office_page, box, t("Decide and notify the proposer"))
    again = Decision.objects.get(suggestion=citizen, round="reexamination")
    assert again.outcome == "adopt" and list(again.panel.all()) == [cast.haneul]
    citizen.refresh_from_db()
    assert (
        citizen.stage == Stage.ADOPTED and citizen.department == cast.transport and citizen.implement_by == adopted_by
    )
    seen = main(office_page)
    assert t("Re-examination") + ": " + t("Adopted") in seen and "교통과" in seen and day(adopted_by) in seen
    # The shipped rules set no award grade: the office is told so where the award form would be.
    assert (
        t(
            "The rules %(pack)s set no award grades: none could be confirmed in their text.",
            pack="세종특별자치시 제안제도",
        )
        in seen
    )
    assert t("Award a grade") not in seen

    # 정하늘, who sat on the re-examination, reads the suggestion (as the office's link gives it) but
    # takes no step and reads no notice.
    haneul = open_page(lang)
    login(haneul, "haneul")
    seen = visit(haneul, citizen)
    assert t("Re-examination") + ": " + t("Adopted") in seen and t("Not adopted") in seen
    assert haneul.locator("main form").count() == 0 and t("Notices sent to the proposer") not in seen
    assert told(lang, CITIZEN_IDEA, "adopted on re-examination.") in inbox(garam)

    # 윤소희 (교통과's liaison) hears of the adoption and finds it under implementation tracking.
    sohee = open_page(lang)
    login(sohee, "sohee")
    assert told(lang, CITIZEN_IDEA, "adopted on re-examination.") in inbox(sohee)
    my_work(sohee, t("Implementation tracking"))
    row = sohee.locator(f"tr[data-suggestion='{citizen.pk}']").inner_text()
    assert "교통과" in row and day(adopted_by) in row
    follow(sohee, sohee.get_by_role("link", name=CITIZEN_IDEA, exact=True))
    planned = implement(sohee, citizen, plan_by=adopted_by, delay_to=today + timedelta(days=90))
    my_work(sohee, t("Implementation tracking"))
    row = sohee.locator(f"tr[data-suggestion='{citizen.pk}']")
    assert day(planned) in row.inner_text() and row.locator("td").nth(5).inner_text() == "1"  # one delay notice

    # The citizen is told of the plan and the delay; the status page shows both.
    seen = inbox(garam)
    assert (
        told(lang, CITIZEN_IDEA, "the implementation plan is set: implementation by %(date)s.", date=day(adopted_by))
        in seen
    )
    assert (
        told(lang, CITIZEN_IDEA, "implementation is delayed to %(date)s: %(text)s", date=day(planned), text=DELAY)
        in seen
    )
    visit(garam, citizen)
    lines = status(garam)
    assert t("Re-examined: %(outcome)s", outcome=t("Adopted")) in lines["suggestion.reexamination.adopt"]
    assert t("Implementation planned by %(date)s", date=day(adopted_by)) in lines["suggestion.planned"]
    line = lines["suggestion.delayed"]
    assert t("Implementation delayed to %(date)s", date=day(planned)) in line and DELAY in line

    # The office rules it implemented and records the projected and actual effect.
    visit(office_page, citizen)
    implemented_and_measured(office_page, citizen)
    assert t("Award a grade") not in main(office_page) and office_page.locator("[data-no-grades]").count() == 1
    assert told(lang, CITIZEN_IDEA, "implemented.") in inbox(garam)
    my_work(garam, t("My suggestions"))
    assert t("Implemented") in garam.locator("main li", has_text=CITIZEN_IDEA).inner_text()

    # The official's 실시제안: a supplement (no clock to stop under her pack), then adopted for 교통과.
    visit(office_page, jissi)
    assert "—" in office_page.locator("dl.facts").inner_text()
    box = opened(office_page, t("Ask for a supplement"))
    box.locator("textarea[name=question]").fill("한 장 서식을 쓴 건수를 알려 주십시오.")
    box.locator("input[name=answer_by]").fill(day(today + timedelta(days=3)))
    submit(office_page, box, t("Ask"))
    visit(minji, jissi)
    minji.locator("textarea[name=answer]").fill("한 달 동안 312건입니다.")
    submit(minji, minji.locator("section[aria-labelledby=h-sup]"), t("Send the supplement"))
    assert Supplement.objects.get(suggestion=jissi).answered_on == today
    assert told(lang, OFFICIAL_IDEA, "the proposer sent the supplement.") in inbox(office_page)
    visit(office_page, jissi)
    box = opened(office_page, t("Record the decision"))
    box.locator("input[name=outcome][value=adopt]").check()
    box.locator("textarea[name=explanation]").fill("다른 창구에도 퍼뜨릴 만합니다.")
    box.locator(f"input[name=panel][value='{cast.yuna.pk}']").check()
    box.locator("select[name=department]").select_option(str(cast.transport.pk))
    submit(office_page, box, t("Decide and notify the proposer"))
    jissi.refresh_from_db()
    assert jissi.stage == Stage.ADOPTED and jissi.implement_by is None
    seen = visit(minji, jissi)
    assert t("Adopted") in seen and t("Ask for re-examination") not in seen
    assert told(lang, OFFICIAL_IDEA, "adopted.") in inbox(minji)

    # The liaison plans and delays it; the office rules it implemented and measures it.
    from_inbox(sohee, told(lang, OFFICIAL_IDEA, "adopted."))
    planned = implement(sohee, jissi, plan_by=today + timedelta(days=30), delay_to=today + timedelta(days=45))
    visit(office_page, jissi)
    implemented_and_measured(office_page, jissi)

    # Award: a grade of the test pack with its amount, 윤소희 recognised as the implementer; then a
    # personnel credit for the official who proposed it and the recommendation upward.
    box = opened(office_page, t("Award a grade"))
    assert "3,000,000" in box.inner_text()
    box.locator("input[name=grade][value=gold]").check()
    box.locator("textarea[name=note]").fill("창구 대기 시간을 크게 줄였습니다.")
    box.locator("select[name=implementer]").select_option(str(cast.sohee.pk))
    box.locator("textarea[name=implementer_note]").fill("교통과 민원 창구에 서식을 넓혔습니다.")
    submit(office_page, box, t("Award and notify the proposer"))
    award = Award.objects.get(suggestion=jissi)
    assert (award.grade, award.amount_krw, award.implementer) == ("gold", 3_000_000, cast.sohee)
    assert award.pack_key.startswith("test-awards-official")
    box = opened(office_page, t("Record personnel credit"))
    box.locator("select[name=person]").select_option(str(cast.minji.pk))
    box.locator("input[name=kind][value=merit_points]").check()
    box.locator("input[name=points]").fill("1.5")
    box.locator("textarea[name=note]").fill("실시제안 금상")
    submit(office_page, box, t("Record"))
    credit = PersonnelCredit.objects.get(award=award)
    assert (credit.person, credit.kind, str(credit.points)) == (cast.minji, "merit_points", "1.50")
    box = opened(office_page, t("Recommend upward"))
    box.locator("textarea[name=note]").fill("자체우수제안 추천: 서식 간소화 사례")
    submit(office_page, box, t("Recommend"))
    award.refresh_from_db()
    assert award.recommended_on == today
    seen = office_page.locator("section[aria-labelledby=h-effect]").inner_text()
    assert "금상" in seen and "3000000" in seen and "윤소희" in seen
    assert t("Recommended as an excellent suggestion") in seen

    # The official reads her award, its notice and her credit; the liaison is told of the recognition.
    seen = inbox(minji)
    assert told(lang, OFFICIAL_IDEA, "awarded: %(text)s.", text="금상") in seen
    assert (
        told(lang, OFFICIAL_IDEA, "a personnel credit was recorded for you: %(text)s.", text=t("Merit points")) in seen
    )
    assert told(lang, OFFICIAL_IDEA, "recommended upward as an excellent suggestion.") in seen
    seen = visit(minji, jissi)
    assert "금상" in seen and t("Award notice") in seen
    assert minji.locator("li[data-notice=award] a", has_text="PDF").count() == 1
    assert told(lang, OFFICIAL_IDEA, "you are recognised for implementing it (%(text)s).", text="금상") in inbox(sohee)
    lines = status(minji)
    assert t("Notice sent to the proposer: %(notice)s", notice=t("Award notice")) in lines["suggestion.notice.award"]
    assert t("Implemented") in lines["suggestion.ruling.implemented"]
    assert "금상" not in " ".join(lines.values())  # the status page says a notice went, not what it says

    # Every step is in the ledger.
    kinds = set(Entry.objects.filter(kind__startswith="suggestion.").values_list("kind", flat=True))
    assert kinds == {str(k) for k in SuggestionEntry} - {
        SuggestionEntry.TRANSFERRED,
        SuggestionEntry.CANNOT_IMPLEMENT,
        SuggestionEntry.OVERDUE,
        SuggestionEntry.REFILED,
        SuggestionEntry.EFFECT_CORRECTED,
        SuggestionEntry.DECISION_EXTENDED,  # no shipped pack allows an extension; its own tests cover it
    }


DELAY = "안내판 납품이 늦어지고 있습니다."


def implement(page, s: Suggestion, *, plan_by: date, delay_to: date) -> date:  # type: ignore[no-untyped-def]
    """The liaison, on the suggestion's page: sets the plan, then notifies a delay with its reason."""
    t = lambda msgid, **kw: tr(page.lang, msgid, **kw)  # noqa: E731
    box = opened(page, t("Set the implementation plan"))
    assert box.locator("select[name=department]").count() == 0  # the office chose the department
    box.locator("textarea[name=text]").fill("정류장 안내판을 차례로 바꿉니다.")
    box.locator("input[name=implement_by]").fill(day(plan_by))
    submit(page, box, t("Save the plan"))
    plan = Plan.objects.get(suggestion=s)
    assert plan.implement_by == plan_by and plan.planned_by.username == "sohee"
    box = opened(page, t("Notify a delay"))
    box.locator("textarea[name=reason]").fill(DELAY)
    box.locator("input[name=new_date]").fill(day(delay_to))
    submit(page, box, t("Notify the proposer"))
    notice = DelayNotice.objects.get(suggestion=s)
    assert (notice.previous_date, notice.new_date) == (plan_by, delay_to)
    assert Suggestion.objects.get(pk=s.pk).implement_by == delay_to
    seen = page.locator("section[aria-labelledby=h-impl]").inner_text()
    assert f"{day(plan_by)} → {day(delay_to)}" in seen and DELAY in seen
    return delay_to


def implemented_and_measured(page, s: Suggestion) -> None:  # type: ignore[no-untyped-def]
    """The office, on the suggestion's page: rules it implemented, then records the projected and the
    actual effect."""
    t = lambda msgid, **kw: tr(page.lang, msgid, **kw)  # noqa: E731
    box = opened(page, t("Rule on implementation"))
    box.locator("input[name=kind][value=implemented]").check()
    box.locator("textarea[name=note]").fill("현장 확인 결과 실시되었습니다.")
    submit(page, box, t("Record the ruling"))
    ruling = Ruling.objects.get(suggestion=s)
    assert ruling.kind == "implemented"
    assert Suggestion.objects.get(pk=s.pk).stage == Stage.IMPLEMENTED
    for measure, budget, hours in (("projected", "12000000", "300"), ("actual", "9500000", "410")):
        box = opened(page, t("Record the effect"))
        box.locator(f"input[name=measure][value={measure}]").check()
        box.locator("input[name=budget_saved_krw]").fill(budget)
        box.locator("input[name=citizen_hours]").fill(hours)
        box.locator("textarea[name=evidence]").fill(f"{measure} 효과 산출 자료")
        submit(page, box, t("Record"))
    effects = {e.measure: e for e in Effect.objects.filter(suggestion=s)}
    assert effects["projected"].budget_saved_krw == 12_000_000 and effects["actual"].citizen_hours == 410
    seen = page.locator("section[aria-labelledby=h-effect]").inner_text()
    assert t("Projected effect") in seen and t("Actual effect") in seen and "9500000" in seen
