"""Access records: who, when, from where, whose data, what; nothing for visitors; never changed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from madang.privacy import chain, services
from madang.privacy.models import AccessRecord, Action, AppendOnly, ChainHead, DestructionRecord


def _request(user, address="203.0.113.7", path="/events/hackathon/manage/"):
    request = RequestFactory().get(path, REMOTE_ADDR=address)
    request.user = user
    return request


def test_it_records_who_when_where_whose_and_what(cast):
    made = services.record(
        _request(cast.doyun), action=Action.VIEW, kind="events.registrations", subject=cast.minji, scope="event:4"
    )
    stored = AccessRecord.objects.get(pk=made.pk)
    assert (stored.actor_id, stored.address, stored.action, stored.subject_id) == (
        cast.doyun.pk,
        "203.0.113.7",
        "view",
        cast.minji.pk,
    )
    assert cast.doyun.display_name in stored.actor_name and cast.doyun.username in stored.actor_name
    assert (stored.kind, stored.scope, stored.count, stored.path) == (
        "events.registrations",
        "event:4",
        1,
        "/events/hackathon/manage/",
    )
    assert stored.n == 1 and stored.prev == chain.GENESIS and len(stored.salt) == 32


def test_it_records_nothing_for_an_anonymous_visitor(db):
    assert services.record(_request(AnonymousUser()), action=Action.VIEW, kind="x") is None
    assert not AccessRecord.objects.exists()


def test_it_chains_records_one_after_the_other(cast):
    first = services.record(cast.doyun, action=Action.VIEW, kind="a")
    second = services.record(cast.yuna, action=Action.EXPORT, kind="b", count=40, reason="감사 자료 제출")
    assert (first.n, second.n) == (1, 2)
    assert second.prev == first.digest
    assert ChainHead.objects.get().count == 2 and ChainHead.objects.get().head == second.digest
    assert chain.walk(chain.records_in_order()).breaks == []


def test_it_refuses_to_change_or_delete_a_record_through_the_application(cast):
    made = services.record(cast.doyun, action=Action.VIEW, kind="a")
    made.reason = "고쳐 쓴 사유"
    with pytest.raises(AppendOnly):
        made.save()
    with pytest.raises(AppendOnly):
        made.delete()
    with pytest.raises(AppendOnly):
        AccessRecord.objects.filter(pk=made.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        AccessRecord.objects.all().delete()
    row = DestructionRecord(kind="x", count=1, retention="1", basis="b")
    row.save()
    with pytest.raises(AppendOnly):
        DestructionRecord.objects.filter(pk=row.pk).update(count=0)
    assert AccessRecord.objects.get(pk=made.pk).reason == ""


@pytest.mark.parametrize("sql", ["UPDATE {t} SET reason = 'x'", "DELETE FROM {t}"])
@pytest.mark.parametrize("table", ["privacy_accessrecord", "privacy_destructionrecord"])
def test_it_has_the_database_refuse_updates_and_deletes(cast, sql, table):
    """The trigger of migration 0002, on SQLite and on PostgreSQL alike."""
    services.record(cast.doyun, action=Action.VIEW, kind="a")
    DestructionRecord(kind="x", count=1, retention="1", basis="b").save()
    statement = sql.format(t=table).replace("reason", "kind" if "destruction" in table else "reason")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessRecord.objects.count() == 1 and DestructionRecord.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the PostgreSQL trigger")
def test_it_has_postgresql_refuse_with_insufficient_privilege(cast):
    services.record(cast.doyun, action=Action.VIEW, kind="a")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'privacy_accessrecord'::regclass AND NOT tgisinternal"
        )
        assert [r[0] for r in cursor.fetchall()] == ["privacy_accessrecord_append_only"]
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_accessrecord")
    assert refused.value.__cause__.sqlstate == "42501"  # insufficient_privilege
    assert "append-only" in str(refused.value)
