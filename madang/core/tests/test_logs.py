import json
import logging

import pytest
from django.test import Client

from madang.calls import views as call_views
from madang.core import logs
from madang.core.middleware import RequestIdFilter


@pytest.fixture
def json_log(settings):
    """Capture what the JSON formatter writes for madang.request and django.request."""
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Capture()
    handler.setFormatter(logs.JsonFormatter())
    loggers = [logging.getLogger("madang.request"), logging.getLogger("django.request")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in lines]
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_it_scrubs_personal_data_and_secrets():
    text = (
        "mail kim.minji@example.go.kr, tel 010-1234-5678, 주민 900101-1234567, Authorization: Bearer abc.def "
        "password=hunter22"
    )
    assert (
        logs.scrub(text)
        == "mail [email], tel [phone], 주민 [rrn], Authorization: Bearer [redacted] password=[redacted]"
    )


def test_it_tags_users_by_a_keyed_pseudonym(settings):
    tag = logs.user_tag(42)
    assert tag == logs.user_tag(42) != logs.user_tag(43)
    assert tag.startswith("u-") and "42" not in tag
    settings.SECRET_KEY = "another deployment"
    assert logs.user_tag(42) != tag


def test_it_writes_one_json_line_per_request_with_its_id_and_no_query_string(cast, json_log):
    c = Client()
    c.force_login(cast.seojun)
    response = c.get(f"/calls/c/{cast.call.slug}/?q=민원 kim@example.com")
    assert response.status_code == 200
    [line] = [r for r in json_log() if r["logger"] == "madang.request"]
    assert line["request_id"] == response["X-Request-Id"]
    assert (line["method"], line["path"], line["status"]) == ("GET", f"/calls/c/{cast.call.slug}/", 200)
    assert line["user"] == logs.user_tag(cast.seojun.pk)
    assert line["duration_ms"] >= 0
    assert "kim@example.com" not in json.dumps(line) and "seojun" not in json.dumps(line)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("t=1700000000.250", 750.0),  # nginx: seconds with milliseconds
        ("1700000000250", 750.0),  # milliseconds
        ("t=1700000000250000", 750.0),  # microseconds
        ("t=1700000001.500", 0.0),  # the proxy's clock a little ahead: no negative wait
        (None, None),
        ("", None),
        ("t=abc", None),
        ("t=0", None),
        ("t=nan", None),
        ("t=1690000000", None),  # months ago: a wrong clock or a forged header, not a queue
    ],
)
def test_it_reads_how_long_the_proxy_held_the_request(header, expected):
    assert logs.queue_ms(header, now=1700000001.0) == expected


def test_it_logs_the_wait_before_django_when_the_proxy_stamps_the_request(cast, json_log):
    import time

    c = Client(HTTP_X_REQUEST_START=f"t={time.time() - 0.4:.3f}")
    c.get(f"/calls/c/{cast.call.slug}/")
    [line] = [r for r in json_log() if r["logger"] == "madang.request"]
    assert line["queue_ms"] >= 400
    Client().get(f"/calls/c/{cast.call.slug}/")
    assert "queue_ms" not in [r for r in json_log() if r["logger"] == "madang.request"][-1]


def test_it_reports_a_server_error_with_its_context_and_without_personal_data(cast, json_log, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("could not render for lee.yuna@example.go.kr")

    monkeypatch.setattr(call_views.selectors, "read_proposal", crash)
    c = Client(raise_request_exception=False, HTTP_X_REQUEST_ID="trace42")
    c.force_login(cast.yuna)
    response = c.get("/calls/p/1/")
    assert response.status_code == 500
    assert response["X-Request-Id"] == "trace42"
    error = next(r for r in json_log() if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["request_id"] == "trace42"
    assert (error["path"], error["status"], error["error"]) == ("/calls/p/1/", 500, "RuntimeError")
    assert "in crash" in error["traceback"] and "[email]" in error["traceback"]
    assert "example.go.kr" not in json.dumps(error)
    assert "sessionid" not in json.dumps(error).lower()


@pytest.mark.django_db
def test_it_tags_a_5xx_answer_logged_after_the_middleware_with_the_request_id(json_log, monkeypatch):
    from madang.site import views

    monkeypatch.setattr(views, "_database_answers", lambda: False)
    handler = logging.getLogger("django.request").handlers[-1]
    handler.addFilter(RequestIdFilter())
    response = Client(HTTP_X_REQUEST_ID="ready7").get("/health/ready/")
    assert response.status_code == 503
    line = next(r for r in json_log() if r["logger"] == "django.request")
    assert (line["request_id"], line["status"], line["path"]) == ("ready7", 503, "/health/ready/")


def security_events(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "madang.security"]


def test_it_logs_failed_and_locked_log_ins_as_security_events_without_the_username(cast, caplog, settings):
    settings.MADANG_LOGIN_FREE_FAILURES = 2
    c = Client()
    for _attempt in range(3):
        c.post("/people/login/", {"username": "seojun", "password": "wrong password"})
    events = security_events(caplog)
    assert [r.event for r in events] == ["login_failed", "login_failed", "login_throttled"]
    assert len({r.account for r in events}) == 1 and len({r.address for r in events}) == 1
    formatted = [logs.JsonFormatter().format(r) for r in events]
    assert all("seojun" not in line and "127.0.0.1" not in line for line in formatted)
    assert json.loads(formatted[0])["event"] == "login_failed"


def test_it_logs_refusals_and_rate_limits_as_security_events(cast, caplog, settings):
    settings.MADANG_RATE_LIMITS = "support=1/60"
    first, second = cast.proposal(title="하나"), cast.proposal(title="둘")
    c = Client()
    c.force_login(cast.seojun)
    c.post(f"/api/proposals/{first.pk}/support")
    assert c.post(f"/api/proposals/{second.pk}/support").status_code == 429
    garam = Client()
    garam.force_login(cast.garam)
    patch = garam.patch(f"/api/proposals/{first.pk}", {"title": "바꿔 보기"}, content_type="application/json")
    assert patch.status_code == 403
    events = {r.event: r for r in security_events(caplog)}
    assert (events["forbidden"].user, events["forbidden"].path) == (
        logs.user_tag(cast.garam.pk),
        f"/api/proposals/{first.pk}",
    )
    assert events["rate_limited"].scope == "support"
    assert events["rate_limited"].user == logs.user_tag(cast.seojun.pk)
