"""The journal over JSON: members write it, officials and the team read it, nobody else."""

from datetime import timedelta

from django.utils import timezone

from madang.labs import services

from .conftest import client


def test_it_lets_a_member_write_and_a_colleague_read(cast, running):
    r = client(cast.minji).post(
        f"/api/labs/{running.slug}/journal",
        {"body": "민원실 인터뷰 5건", "happened_on": "2026-01-05"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json() == {
        "id": r.json()["id"],
        "author": "김민지",
        "happened_on": "2026-01-05",
        "body": "민원실 인터뷰 5건",
        "attachments": [],
    }
    listed = client(cast.seojun).get(f"/api/labs/{running.slug}/journal").json()
    assert [e["body"] for e in listed] == ["민원실 인터뷰 5건"]


def test_it_dates_an_entry_today_and_refuses_the_future(cast, running):
    c = client(cast.jihoon)
    r = c.post(f"/api/labs/{running.slug}/journal", {"body": "회의"}, content_type="application/json")
    assert r.json()["happened_on"] == timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = c.post(
        f"/api/labs/{running.slug}/journal",
        {"body": "내일 회의", "happened_on": tomorrow},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "happened_on"


def test_it_keeps_the_journal_from_citizens_and_anonymous_visitors(cast, running):
    services.add_journal_entry(actor=cast.minji, lab=running, body="내부 메모")
    assert client(cast.garam).get(f"/api/labs/{running.slug}/journal").status_code == 404
    assert client().get(f"/api/labs/{running.slug}/journal").status_code == 401
    assert "내부 메모" not in client().get(f"/labs/{running.slug}/").content.decode()
    assert "내부 메모" in client(cast.bada).get(f"/labs/{running.slug}/").content.decode()  # any official reads it


def test_it_lists_entries_newest_first(cast, running):
    today = timezone.localdate()
    services.add_journal_entry(actor=cast.minji, lab=running, body="첫날", happened_on=today - timedelta(days=3))
    services.add_journal_entry(actor=cast.minji, lab=running, body="오늘", happened_on=today)
    assert [e["body"] for e in client(cast.doyun).get(f"/api/labs/{running.slug}/journal").json()] == ["오늘", "첫날"]
