"""No-shows recorded at the start of a session leave the plans of that session."""

import pytest

from madang.core.errors import Forbidden
from madang.events import selectors, services
from madang.events.models import SessionKind

from .conftest import client, session


def test_it_records_no_shows_and_leaves_them_out_of_the_session(crowd):
    s = session(crowd.event, SessionKind.GROUPS)
    services.record_no_shows(actor=crowd.doyun, session=s, absent=crowd.regs[:2])
    assert len(selectors.present(s)) == 14
    # recording again replaces the list
    services.record_no_shows(actor=crowd.doyun, session=s, absent=crowd.regs[:1])
    assert len(selectors.present(s)) == 15 and s.no_shows.count() == 1


def test_it_records_no_shows_from_the_session_page(crowd):
    s = session(crowd.event, SessionKind.CAFE)
    r = client(crowd.doyun).post("/events/big-day/do/no_shows/", {"session": s.pk, "absent": [crowd.regs[3].pk]})
    assert r.status_code == 302 and s.no_shows.get().registration == crowd.regs[3]


def test_it_lets_only_organisers_record_no_shows(crowd):
    s = session(crowd.event, SessionKind.CAFE)
    with pytest.raises(Forbidden):
        services.record_no_shows(actor=crowd.regs[0].user, session=s, absent=crowd.regs[1:2])
    assert (
        client(crowd.regs[0].user)
        .post("/events/big-day/do/no_shows/", {"session": s.pk, "absent": [crowd.regs[1].pk]})
        .status_code
        == 403
    )
