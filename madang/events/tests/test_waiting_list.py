"""The waiting list: first come, first promoted, skipping whoever still does not fit a quota."""

from madang.events import services
from madang.events.models import RegState

from .conftest import client


def _fill(folk, event):
    c = folk.cast
    regs = [
        services.register(actor=u, event=event)
        for u in (c.minji, c.seojun, folk.jia, folk.seungho, folk.min, folk.gaeun)
    ]
    assert all(r.state == RegState.CONFIRMED for r in regs)
    return regs


def test_it_promotes_the_first_in_line_when_someone_cancels(folk, event):
    regs = _fill(folk, event)
    first = services.register(actor=folk.cast.bada, event=event)
    second = services.register(actor=folk.cast.haneul, event=event)
    assert first.state == second.state == RegState.WAITING
    promoted = services.cancel_registration(actor=folk.jia, registration=regs[2])
    assert [p.pk for p in promoted] == [first.pk]
    second.refresh_from_db()
    assert second.state == RegState.WAITING


def test_it_skips_someone_whose_agency_is_still_full(folk, event):
    regs = _fill(folk, event)
    same_agency = services.register(actor=folk.cast.jihoon, event=event)  # 한빛도 already has two
    other = services.register(actor=folk.cast.bada, event=event)
    promoted = services.cancel_registration(actor=folk.min, registration=regs[4])
    assert [p.pk for p in promoted] == [other.pk]
    same_agency.refresh_from_db()
    assert same_agency.state == RegState.WAITING and same_agency.wait_reason == "agency"
    # when a 한빛도 colleague cancels, the agency's place goes to the one waiting
    assert [p.pk for p in services.cancel_registration(actor=folk.cast.minji, registration=regs[0])] == [same_agency.pk]


def test_it_does_not_promote_when_a_waiting_person_cancels(folk, event):
    _fill(folk, event)
    waiting = services.register(actor=folk.cast.bada, event=event)
    assert services.cancel_registration(actor=folk.cast.bada, registration=waiting) == []


def test_it_lets_only_the_registrant_or_an_organiser_cancel(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    r = client(folk.cast.seojun).post("/events/hackathon/do/cancel/", {"registration": reg.pk})
    assert r.status_code == 403
    assert client(folk.haram).post("/events/hackathon/do/cancel/", {"registration": reg.pk}).status_code == 302
    reg.refresh_from_db()
    assert reg.state == RegState.CANCELLED
