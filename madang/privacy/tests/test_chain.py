"""The chain shows an edited, removed or re-hashed record; its head goes to the public ledger
without any record, and `madang ledger verify` checks it."""

import json

from django.db import connection

from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.privacy import chain, services, triggers
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import AccessRecord, Action


def _three(cast):
    for who, kind in ((cast.doyun, "events.registrations"), (cast.yuna, "citizens.invitations"), (cast.admin, "x")):
        services.record(who, action=Action.VIEW, kind=kind, subject=cast.minji)


def _sql(statement, *params):
    """What the database's owner could do, the triggers set aside (PostgreSQL: disabled by the
    table's owner, inside the test's transaction; SQLite: the function the trigger asks)."""
    postgres = connection.vendor == "postgresql"
    with triggers.unlocked(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("ALTER TABLE privacy_accessrecord DISABLE TRIGGER privacy_accessrecord_append_only")
        cursor.execute(statement, params)
        if postgres:
            cursor.execute("ALTER TABLE privacy_accessrecord ENABLE TRIGGER privacy_accessrecord_append_only")


def test_it_finds_an_edited_record(cast):
    _three(cast)
    _sql("UPDATE privacy_accessrecord SET subject_id = %s WHERE n = 2", cast.seojun.pk)
    breaks = chain.walk(chain.records_in_order()).breaks
    assert [(b.n, "changed" in b.what) for b in breaks] == [(2, True)]


def test_it_finds_a_removed_record(cast):
    _three(cast)
    _sql("DELETE FROM privacy_accessrecord WHERE n = 2")
    assert [b.n for b in chain.walk(chain.records_in_order()).breaks] == [3]


def test_it_anchors_the_head_and_count_only(cast):
    _three(cast)
    assert services.anchor_chain() == 3
    assert services.anchor_chain() is None  # nothing new since
    (entry,) = Entry.objects.filter(kind=PrivacyEntry.ACCESS_CHAIN)
    body = ledger.body_of(entry)
    assert body["count"] == 3 and body["head"] == AccessRecord.objects.get(n=3).digest
    text = json.dumps(body, ensure_ascii=False)
    assert cast.minji.display_name not in text and cast.doyun.display_name not in text
    assert body["actor"] is None


def test_it_lets_ledger_verify_find_a_record_rewritten_with_every_hash_after_it(cast):
    _three(cast)
    services.anchor_chain()
    assert verify_all() == []
    # Rewrite record 2 and re-hash it and record 3, so that the chain is consistent again.
    rows = list(AccessRecord.objects.order_by("n"))
    rows[1].subject_id = cast.seojun.pk
    prev = rows[0].digest
    for row in rows[1:]:
        digest = chain.digest(prev, chain.content(row))
        _sql(
            "UPDATE privacy_accessrecord SET subject_id = %s, prev = %s, digest = %s WHERE n = %s",
            row.subject_id,
            prev,
            digest,
            row.n,
        )
        prev = digest
    assert chain.walk(chain.records_in_order()).breaks == []
    found = [str(f) for f in verify_all()]
    assert len(found) == 1 and "no longer hash to the anchored head" in found[0], found


def test_it_lets_ledger_verify_find_records_cut_after_their_anchor(cast):
    _three(cast)
    services.anchor_chain()
    _sql("DELETE FROM privacy_accessrecord WHERE n = 3")
    assert any("anchors 3 records but the chain has 2" in str(f) for f in verify_all())


def test_it_anchors_and_destroys_from_the_command_line(cast):
    import io

    from django.core.management import call_command

    _three(cast)
    out = io.StringIO()
    call_command("privacy", "anchor", stdout=out)
    call_command("privacy", "anchor", stdout=out)
    call_command("privacy", "destroy", stdout=out)
    assert out.getvalue().splitlines() == [
        "anchored 3 records",
        "nothing new to anchor",
        "0 kind(s) of personal data destroyed.",
    ]
