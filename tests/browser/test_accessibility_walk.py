"""What axe-core found on the pages named in issue 14, each checked on its own (every walk also runs axe on
every page it visits: see audit.py). Each failed before its fix."""

import pytest

from madang.calls.models import PhaseKind
from madang.inbox import services as inbox
from madang.inbox.models import NotificationKind
from madang.testing import set_phase

from .conftest import AUDIT
from .test_idea_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def rules_on(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The rules axe finds broken on the page now, each with the elements that break it."""
    found: dict[str, list[str]] = {}
    for f in AUDIT.run_now(page):
        found.setdefault(f.rule, []).append(f.target)
    return found


def test_the_unread_badge_in_the_header_is_legible(cast, open_page):
    """The unread badge was white on #e5534b, 3.7:1 at 12.8 px (WCAG 1.4.3 asks 4.5:1)."""
    proposal = cast.proposal()
    inbox.notify(users=[cast.minji], kind=NotificationKind.COMMENT, proposal=proposal, actor=cast.seojun)
    page = open_page("ko")
    login(page, "minji")
    page.goto(page.base + "/calls/")
    assert page.locator("header.site .badge").count() == 1
    assert "color-contrast" not in rules_on(page)


def test_the_list_of_calls_skips_no_heading_level(cast, open_page):
    page = open_page("ko")
    page.goto(page.base + "/calls/")
    assert page.locator("main .card h2, main .card h3").count() >= 1  # the cast's call is listed
    assert "heading-order" not in rules_on(page)


@pytest.mark.parametrize("path", ["/review/c/{slug}/", "/followup/dashboard/{slug}/", "/followup/dashboard/"])
def test_each_landmark_on_review_and_dashboard_pages_has_its_own_name(cast, open_page, path):
    """A table's scrolling region was labelled by the heading of the section around it: two
    landmarks of one name, which a screen reader's list of landmarks can't tell apart."""
    cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    page = open_page("ko")
    login(page, "doyun")
    page.goto(page.base + path.format(slug=cast.call.slug))
    assert page.locator("main [role=region]").count() >= 1
    assert "landmark-unique" not in rules_on(page)
