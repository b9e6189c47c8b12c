"""Access records are purged once their retention period is over, oldest first, and the chain of
what is kept stays verifiable: the purged prefix's head goes to the public ledger before a
record is deleted, and the database lets nothing younger than a year go."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from madang.jobs import registry as jobs
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.privacy import chain, services
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import AccessRecord, Action, ChainHead, DestructionRecord
from madang.privacy.tests.test_chain import _sql


def _record_at(monkeypatch, when, who, subject):
    monkeypatch.setattr(services, "clock", lambda: when)
    return services.record(who, action=Action.VIEW, kind="events.registrations", subject=subject)


def _history(monkeypatch, cast, *, old=3, young=2):
    """강도윤 looked at registrations `old` times 800 days ago and `young` times this week."""
    now = timezone.now()
    for i in range(old):
        _record_at(monkeypatch, now - timedelta(days=800, minutes=old - i), cast.doyun, cast.minji)
    services.anchor_chain()  # the hourly anchor saw the old records
    for i in range(young):
        _record_at(monkeypatch, now - timedelta(days=2, minutes=young - i), cast.doyun, cast.seojun)
    services.anchor_chain()
    monkeypatch.undo()


def test_it_purges_the_records_past_the_period_and_anchors_their_head_first(cast, monkeypatch):
    _history(monkeypatch, cast)
    last_old = AccessRecord.objects.get(n=3)
    done = services.destroy_due_data()
    assert [(d.kind, d.count, d.scopes) for d in done] == [("privacy.access_records", 3, ["access:1-3"])]
    assert list(AccessRecord.objects.values_list("n", flat=True)) == [4, 5]
    (purge,) = Entry.objects.filter(kind=PrivacyEntry.ACCESS_PURGED)
    body = ledger.body_of(purge)
    assert (body["count"], body["from"], body["head"]) == (3, 0, last_old.digest)
    assert AccessRecord.objects.get(n=4).prev == last_old.digest  # the first record kept names it
    head = ChainHead.objects.get()
    assert (head.purged_through, head.purged_head) == (3, last_old.digest)
    assert DestructionRecord.objects.get().kind == "privacy.access_records"
    assert verify_all() == []


def test_it_keeps_checking_the_records_after_the_purge(cast, monkeypatch):
    _history(monkeypatch, cast)
    services.destroy_due_data()
    services.record(cast.yuna, action=Action.VIEW, kind="citizens.invitations", subject=cast.garam)
    services.anchor_chain()
    assert verify_all() == []
    _sql("UPDATE privacy_accessrecord SET subject_id = %s WHERE n = 4", cast.bada.pk)
    found = [str(f) for f in verify_all()]
    assert any("record 4" in f and "changed" in f for f in found)


def test_it_finds_records_deleted_without_a_purge(cast, monkeypatch):
    _history(monkeypatch, cast)
    services.destroy_due_data()
    _sql("DELETE FROM privacy_accessrecord WHERE n = 4")
    assert any("missing" in str(f) for f in verify_all())


def test_it_purges_again_from_where_the_last_purge_ended(cast, monkeypatch):
    _history(monkeypatch, cast, old=2, young=0)
    services.destroy_due_data()
    _record_at(monkeypatch, timezone.now() - timedelta(days=750), cast.doyun, cast.jihoon)
    monkeypatch.undo()
    services.anchor_chain()
    (done,) = services.destroy_due_data()
    assert done.scopes == ["access:3-3"] and not AccessRecord.objects.exists()
    bodies = [ledger.body_of(e) for e in Entry.objects.filter(kind=PrivacyEntry.ACCESS_PURGED).order_by("seq")]
    assert [(b["from"], b["count"]) for b in bodies] == [(0, 2), (2, 3)]
    services.record(cast.doyun, action=Action.VIEW, kind="events.registrations", subject=cast.minji)
    assert AccessRecord.objects.get().prev == bodies[-1]["head"]
    assert verify_all() == []


def test_it_purges_only_the_prefix_older_than_the_period(cast, monkeypatch):
    now = timezone.now()
    _record_at(monkeypatch, now - timedelta(days=800), cast.doyun, cast.minji)
    _record_at(monkeypatch, now - timedelta(days=100), cast.doyun, cast.minji)
    _record_at(monkeypatch, now - timedelta(days=900), cast.doyun, cast.minji)  # a clock set back: not before 2
    monkeypatch.undo()
    services.destroy_due_data()
    assert list(AccessRecord.objects.values_list("n", flat=True)) == [2, 3]


def test_it_never_purges_a_broken_chain(cast, monkeypatch):
    _history(monkeypatch, cast)
    _sql("UPDATE privacy_accessrecord SET reason = 'edited' WHERE n = 2")
    assert services.destroy_due_data() == []
    assert AccessRecord.objects.count() == 5 and not Entry.objects.filter(kind=PrivacyEntry.ACCESS_PURGED).exists()


def test_it_keeps_at_least_a_year_whatever_the_setting(cast, monkeypatch, settings):
    settings.MADANG_PRIVACY_ACCESS_RECORD_DAYS = 30
    _record_at(monkeypatch, timezone.now() - timedelta(days=200), cast.doyun, cast.minji)
    monkeypatch.undo()
    assert services.destroy_due_data() == [] and AccessRecord.objects.count() == 1


def test_it_keeps_the_two_years_by_default(cast, monkeypatch):
    _record_at(monkeypatch, timezone.now() - timedelta(days=500), cast.doyun, cast.minji)
    monkeypatch.undo()
    assert services.destroy_due_data() == [] and AccessRecord.objects.count() == 1


def test_the_database_refuses_to_delete_a_young_record_whatever_the_chain_head_says(cast):
    services.record(cast.doyun, action=Action.VIEW, kind="a")
    ChainHead.objects.filter(pk=1).update(purged_through=10)  # what a compromised application could do
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_accessrecord")
    assert AccessRecord.objects.count() == 1


def test_the_database_refuses_to_delete_an_old_record_outside_the_purged_prefix(cast, monkeypatch):
    _record_at(monkeypatch, timezone.now() - timedelta(days=800), cast.doyun, cast.minji)
    monkeypatch.undo()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_accessrecord")
    assert AccessRecord.objects.count() == 1


def test_the_workers_hourly_upkeep_purges(cast, monkeypatch):
    _history(monkeypatch, cast, old=1, young=1)
    upkeep = dict((path, every) for every, path in jobs.PERIODIC)
    assert upkeep["madang.privacy.services.destroy_due_data"] == 3600.0
    jobs.resolve_path("madang.privacy.services.destroy_due_data")()
    assert list(AccessRecord.objects.values_list("n", flat=True)) == [2]
    walked = chain.walk(chain.records_in_order(after=1), start=(1, ChainHead.objects.get().purged_head))
    assert walked.breaks == []
