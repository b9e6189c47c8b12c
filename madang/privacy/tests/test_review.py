"""The privacy officer's monthly review: large and bulk downloads, access outside Korean working
hours (weekends and public holidays too), per-person counts, and the month's records as CSV."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from madang.privacy import selectors, services
from madang.privacy.models import AccessRecord, Action

from .conftest import client

SEOUL = ZoneInfo("Asia/Seoul")


def at(monkeypatch, when):
    monkeypatch.setattr(services, "clock", lambda: when)


@pytest.fixture
def march(cast, monkeypatch):
    """강도윤 exports 40 registrations at 22:30 on a Tuesday; 최유나 downloads 150 people's data at
    10:00 with a reason; 박지훈 looks at one person on 2 March 2026 (삼일절's substitute holiday)
    and at another on a Wednesday afternoon."""
    made = {}
    for name, who, when, action, count in [
        ("large", cast.yuna, datetime(2026, 3, 3, 10, 0, tzinfo=SEOUL), Action.DOWNLOAD, 150),
        ("night", cast.doyun, datetime(2026, 3, 3, 22, 30, tzinfo=SEOUL), Action.EXPORT, 40),
        ("holiday", cast.jihoon, datetime(2026, 3, 2, 11, 0, tzinfo=SEOUL), Action.VIEW, 1),
        ("plain", cast.jihoon, datetime(2026, 3, 4, 14, 0, tzinfo=SEOUL), Action.VIEW, 1),
    ]:
        at(monkeypatch, when)
        made[name] = services.record(
            who,
            action=action,
            kind="events.registrations",
            count=count,
            reason="감사원 자료 요구" if count > 100 else "",
        )
    at(monkeypatch, datetime(2026, 4, 1, 9, 30, tzinfo=SEOUL))
    services.record(cast.doyun, action=Action.EXPORT, kind="x", count=500, reason="다음 달")
    monkeypatch.undo()
    return made


def test_it_flags_an_after_hours_bulk_export(march):
    r = selectors.review(date(2026, 3, 1))
    assert r.total == 4
    assert [x.pk for x in r.large] == [march["large"].pk]
    assert [x.pk for x in r.bulk] == [march["large"].pk, march["night"].pk]
    assert [x.pk for x in r.after_hours] == [march["night"].pk, march["holiday"].pk]


def test_it_counts_per_person(march, cast):
    people = {p.actor_id: p for p in selectors.review(date(2026, 3, 1)).people}
    assert (people[cast.yuna.pk].people, people[cast.yuna.pk].takeouts) == (150, 1)
    assert (people[cast.doyun.pk].after_hours, people[cast.doyun.pk].takeouts) == (1, 1)
    assert (people[cast.jihoon.pk].records, people[cast.jihoon.pk].after_hours) == (2, 1)


def test_it_knows_korean_working_hours():
    assert selectors.is_working_time(datetime(2026, 3, 4, 9, 0, tzinfo=SEOUL))
    assert not selectors.is_working_time(datetime(2026, 3, 4, 18, 0, tzinfo=SEOUL))
    assert not selectors.is_working_time(datetime(2026, 3, 7, 11, 0, tzinfo=SEOUL))  # a Saturday
    assert not selectors.is_working_time(datetime(2026, 2, 17, 11, 0, tzinfo=SEOUL))  # 설날


def test_it_shows_the_page_to_the_privacy_officer_and_records_the_look(march, officer):
    page = client(officer).get("/privacy/review/?month=2026-03", HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "강도윤" in text and "감사원 자료 요구" in text
    seen = AccessRecord.objects.order_by("n").last()
    assert (seen.actor_id, seen.action, seen.kind, seen.scope) == (
        officer.pk,
        "view",
        "privacy.access_records",
        "month:2026-03",
    )


@pytest.mark.parametrize("who", ["admin", "doyun", "garam", None])
def test_it_hides_the_page_from_everyone_else(cast, who):
    user = getattr(cast, who) if who else None
    for path in ("/privacy/review/", "/privacy/review/records.csv"):
        r = client(user).get(path)
        assert r.status_code in (302, 404) and (who is None) == (r.status_code == 302)
    assert not AccessRecord.objects.exists()


def test_it_exports_the_month_for_an_audit_and_records_that(march, officer):
    r = client(officer).get("/privacy/review/records.csv?month=2026-03")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["n", "at", "account"] and len(rows) == 5
    assert {row[0] for row in rows[1:]} == {str(x.n) for x in march.values()}
    last = AccessRecord.objects.order_by("n").last()
    assert (last.actor_id, last.action, last.kind, last.count) == (officer.pk, "download", "privacy.access_records", 3)


def test_it_takes_a_bad_month_for_this_month(officer):
    for month in ("2026-13", "abc", "99999-01", "-1"):
        assert client(officer).get(f"/privacy/review/?month={month}").status_code == 200
