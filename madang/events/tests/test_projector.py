"""The projector view: big type, the running round, a countdown that works without script."""

from madang.events import services
from madang.events.models import SessionKind

from .conftest import client, session


def test_it_shows_the_current_round_its_end_and_the_table_plan(crowd):
    s = session(crowd.event, SessionKind.CAFE)
    rot = services.configure_rotation(actor=crowd.doyun, session=s, rounds=3, round_minutes=15, seconds=0.3)
    services.start_rotation(actor=crowd.doyun, rotation=rot)
    rot.refresh_from_db()
    services.publish_rotation(actor=crowd.doyun, rotation=rot)
    services.start_round(actor=crowd.doyun, rotation=rot, round_no=1)
    r = client(crowd.doyun).get("/events/big-day/projector/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "월드카페" in html and "2" in html
    assert '<time datetime="' in html and 'class="seat-table"' in html
    assert 'http-equiv="refresh"' not in html and 'hx-trigger="every 20s"' in html
    assert "/static/events/countdown.js" in html
    # no inline script: every <script> has a src
    assert html.count("<script") == html.count("<script src=")
    first = rot.plan[1][0][0]
    name = next(x.user.display_name for x in crowd.regs if x.pk == first)
    assert name in html


def test_it_shows_the_next_session_when_nothing_runs(crowd):
    html = client(crowd.doyun).get("/events/big-day/projector/").content.decode()
    assert "<h1>" in html


def test_it_answers_htmx_with_the_partial_only(crowd):
    html = client(crowd.doyun).get("/events/big-day/projector/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "<h1>" in html


def test_it_shows_no_countdown_for_a_finished_event(crowd):
    s = session(crowd.event, SessionKind.CAFE)
    rot = services.configure_rotation(actor=crowd.doyun, session=s, rounds=2, round_minutes=15, seconds=0.3)
    services.start_rotation(actor=crowd.doyun, rotation=rot)
    rot.refresh_from_db()
    services.publish_rotation(actor=crowd.doyun, rotation=rot)
    services.start_round(actor=crowd.doyun, rotation=rot, round_no=0)
    for state in ("closed", "finished"):
        services.set_event_state(actor=crowd.doyun, event=crowd.event, state=state)
    html = client(crowd.doyun).get("/events/big-day/projector/").content.decode()
    assert "data-countdown" not in html and "hx-get" not in html and "행사가 끝났습니다" in html
