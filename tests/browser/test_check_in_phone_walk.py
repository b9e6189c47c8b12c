"""Check-in at the door on a phone: 송하람 holds a 390 px phone, 120 people arrive; she finds
이승우 of 충청북도교육청 by agency, 김민준 by name and hk077 by the code on the badge, and checks
them in without the page ever scrolling sideways."""

import pytest
from playwright.sync_api import expect

from madang.events.models import Registration

from .hall import full_hall
from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_it_checks_people_in_at_the_door_on_a_phone(cast, open_page):
    hall = full_hall(cast)
    page = open_page("ko")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "haram")
    page.goto(page.base + "/events/hall/manage/")
    assert no_sideways_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    assert page.locator(".reg-list .reg").count() == 120

    # by agency, typed: the list narrows as she types (htmx), no button needed
    page.fill("#door-q", "충청북도교육청")
    expect(page.locator(".reg-list .reg")).to_have_count(2)
    assert page.locator(".reg-list .reg", has_text="이승우").count() == 1
    page.get_by_role("button", name="이승우 체크인").click()
    page.wait_for_load_state()
    assert "이승우 님이 체크인했습니다" in page.content()
    assert page.locator("#door-q").input_value() == "충청북도교육청"  # the search stays after checking in
    seungwoo = next(r for r in hall.regs if r.user.display_name == "이승우" and "충청북도" in r.agency.name)
    assert Registration.objects.get(pk=seungwoo.pk).checked_in_at is not None
    assert no_sideways_scroll(page)

    # by the code on the badge, with the search button (works without script too)
    page.fill("#door-q", "hk077")
    page.get_by_role("button", name="검색", exact=True).click()
    expect(page.locator(".reg-list .reg")).to_have_count(1)
    name = hall.users[77].display_name
    page.get_by_role("button", name=f"{name} 체크인").click()
    page.wait_for_load_state()
    assert Registration.objects.get(pk=hall.regs[77].pk).checked_in_at is not None

    # nobody: a clear line, not an empty page
    page.fill("#door-q", "없는사람")
    page.wait_for_selector("text=찾는 사람이 없습니다.")
    assert no_sideways_scroll(page)
