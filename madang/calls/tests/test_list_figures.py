"""What 김민지 reads about proposals on list pages: the live support tally, "submitted" while the call
still takes submissions, and phase dates with their year."""

import re

from django.test import Client
from django.utils import timezone

from madang.calls import counters
from madang.calls import services as calls
from madang.calls.models import PhaseKind, Proposal
from madang.people.models import User
from madang.testing import set_phase


def page(url: str, user: User | None = None) -> str:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c.get(url).content.decode()


def test_it_shows_the_live_support_tally_on_the_call_page_before_any_fold(cast):
    p = cast.proposal(title="버스 도착 알림")
    for supporter in (cast.seojun, cast.jihoon, cast.yuna):
        calls.support_proposal(actor=supporter, proposal=p)
    assert Proposal.objects.get(pk=p.pk).support_count == 0 and counters.live_count(p.pk) == 3  # not folded yet
    html = page(f"/calls/c/{cast.call.slug}/", cast.minji)
    item = html[html.index("버스 도착 알림") :]
    assert re.search(r"공감 3 ·", item[:600])
    counters.fold()
    item = page(f"/calls/c/{cast.call.slug}/", cast.minji)
    assert re.search(r"공감 3 ·", item[item.index("버스 도착 알림") :][:600])  # the same once folded


def test_it_reads_submitted_not_under_review_while_the_call_takes_submissions(cast):
    p = cast.proposal(title="민원 서류 간소화")
    for url in (f"/calls/p/{p.pk}/", f"/followup/p/{p.pk}/", f"/calls/c/{cast.call.slug}/"):
        html = page(url, cast.minji)
        assert '<span class="tag">제출 완료</span>' in html and "검토 중</span>" not in html, url
    set_phase(cast.call, PhaseKind.REVIEW)
    for url in (f"/calls/p/{p.pk}/", f"/followup/p/{p.pk}/", f"/calls/c/{cast.call.slug}/"):
        assert '<span class="tag">검토 중</span>' in page(url, cast.minji), url


def test_it_dates_every_phase_chip_with_its_year(cast):
    html = page(f"/calls/c/{cast.call.slug}/")
    chips = re.findall(r'<li class="tag[^"]*"[^>]*>([^<]*)</li>', html)
    phases = cast.call.ordered_phases()
    assert len(chips) == len(phases)
    for chip, ph in zip(chips, phases, strict=True):
        start, end = timezone.localtime(ph.starts_at), timezone.localtime(ph.ends_at)
        assert f"{start:%Y.%m.%d}–{end:%Y.%m.%d}" in chip, chip
