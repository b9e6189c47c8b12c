"""새벽도 changes its ledger key. While both keys sign, its export names the new key in a statement signed
by the old key and the new one: 한빛도 follows, writes the change to its ledger, and still verifies the
receipts 새벽도 signed with the old key. A key change no trusted key vouched for is refused with the
reason, until a site administrator records the new key with theirs. 한빛도's own rotation puts the same
statement in its export."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from madang.core.errors import DomainError, Forbidden
from madang.ledger import services as ledger
from madang.ledger.verify import verify_all
from madang.priority import exchange, services
from madang.priority.models import Filing, KeyChange, Match, PeerCheckpoint, PeerKey
from madang.solvers import fingerprint, tlog
from madang.suggestions.tests.conftest import file
from madang.testing import fresh_login

from .agency import KEY
from .test_import import BUS, PARKING, refused

pytestmark = pytest.mark.django_db


def page(user, s):
    return fresh_login(Client(), user).get(f"/suggestions/{s.pk}/").content.decode()


def test_it_follows_a_key_change_the_old_key_vouches_for_and_keeps_old_receipts_verifiable(
    cast, office, saebyeok, peer
):
    old_vkey = saebyeok.vkey
    saebyeok.receive(BUS, date(2025, 3, 4))
    ours = file(cast, office, on=date(2025, 3, 10))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    before = Match.objects.get(suggestion=ours).filing

    old_signer = saebyeok.signer
    saebyeok.rotate()  # both keys sign; the export names the new one, signed by both
    saebyeok.receive(PARKING, date(2025, 3, 5))
    services.import_export(actor=None, peer=peer, data=saebyeok.export(since=1))
    peer.refresh_from_db()
    assert peer.vkey == saebyeok.vkey
    assert [(k.vkey, k.how) for k in PeerKey.objects.filter(peer=peer)] == [
        (old_vkey, KeyChange.INITIAL),
        (saebyeok.vkey, KeyChange.SIGNED),
    ]
    # The change is over: only the new key signs. Still accepted.
    saebyeok.retire_old_key()
    saebyeok.receive(PARKING + " 추가", date(2025, 3, 6))
    done = services.import_export(actor=None, peer=peer, data=saebyeok.export(since=2))
    assert done.new == 1
    first, *_rest, last = PeerCheckpoint.objects.order_by("size")
    assert (first.key.vkey, last.key.vkey) == (old_vkey, saebyeok.vkey)
    # The old key alone no longer speaks for 새벽도, though the statement in the export names it.
    new_signer, saebyeok.signer = saebyeok.signer, old_signer
    refused(peer, saebyeok.export(since=3), "retired_key")
    saebyeok.signer = new_signer

    # The receipt the old key signed still verifies, with the old key, on the office's page.
    assert Filing.objects.get(pk=before.pk).checkpoint.key.vkey == old_vkey
    assert 'data-verified="yes"' in page(cast.doyun, ours)
    # The change is in our ledger, and verify rebuilds it.
    entry = ledger.entries_of("priority.peer_key")[0]
    body = ledger.body_of(entry)
    assert (body["peer"], body["key"], body["previous"], body["how"]) == (
        saebyeok.origin,
        saebyeok.vkey,
        old_vkey,
        "signed",
    )
    ledger.sequence()
    assert [str(f) for f in verify_all()] == []
    PeerKey.objects.filter(how=KeyChange.SIGNED).update(vkey=old_vkey + "x")
    assert any(f.field == "key" and "priority.peer_key" in f.where for f in verify_all())


def test_a_peer_that_missed_the_change_follows_the_statement_kept_in_later_exports(cast, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    saebyeok.rotate()
    saebyeok.retire_old_key()  # we did not fetch while both keys signed
    saebyeok.receive(PARKING, date(2025, 3, 5))
    assert services.import_export(actor=None, peer=peer, data=saebyeok.export(since=1)).new == 1
    peer.refresh_from_db()
    assert peer.vkey == saebyeok.vkey


def test_it_refuses_a_key_change_no_trusted_key_vouched_for(cast, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    old_vkey = saebyeok.vkey
    saebyeok.rotate(announce=False)
    saebyeok.receive(PARKING, date(2025, 3, 5))
    error = refused(peer, saebyeok.export(since=1), "unsigned_key_change")
    new_id = saebyeok.vkey.split("+")[1]
    assert "새벽도" in str(error.message) and new_id in str(error.message)
    assert "madang priority key" in str(error.message)
    peer.refresh_from_db()
    assert peer.vkey == old_vkey and Filing.objects.count() == 1 and PeerKey.objects.count() == 1


@pytest.mark.parametrize("signed_by", ["old", "new"])
def test_a_statement_not_signed_by_both_keys_is_not_followed(cast, saebyeok, peer, signed_by):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.rotate(signed_by=signed_by)
    saebyeok.retire_old_key()
    refused(peer, saebyeok.export(), "unsigned_key_change")


def test_a_site_administrator_records_a_new_key_with_the_reason(cast, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    saebyeok.rotate(announce=False)
    with pytest.raises(Forbidden):
        services.record_peer_key(actor=cast.doyun, peer=peer, vkey=saebyeok.vkey, reason="공문으로 받음")
    with pytest.raises(DomainError):
        services.record_peer_key(actor=cast.admin, peer=peer, vkey=saebyeok.vkey, reason=" ")
    key = services.record_peer_key(
        actor=cast.admin, peer=peer, vkey=saebyeok.vkey, reason="새벽도 공문 제2025-31호로 새 키를 받음"
    )
    assert (key.how, key.recorded_by) == (KeyChange.RECORDED, cast.admin)
    saebyeok.receive(PARKING, date(2025, 3, 5))
    assert services.import_export(actor=None, peer=peer, data=saebyeok.export(since=1)).new == 1
    entry = ledger.entries_of("priority.peer_key")[0]
    assert ledger.body_of(entry)["how"] == "recorded" and "공문" not in bytes(entry.body).decode()
    ledger.sequence()
    assert [str(f) for f in verify_all()] == []


def test_adding_the_peer_again_with_another_key_is_refused(cast, saebyeok, peer):
    other, _vkey = tlog.generate_key(saebyeok.origin)
    with pytest.raises(DomainError) as caught:
        services.add_peer(
            actor=cast.admin, name="새벽도", origin=saebyeok.origin, vkey=tlog.parse_skey(other).verifier().vkey()
        )
    assert caught.value.code == "key_change" and "madang priority key" in str(caught.value.message)


def test_our_export_names_both_keys_during_our_rotation(cast, office, settings, tmp_path, ledger_key_file):
    file(cast, office, on=date(2025, 3, 10))
    ledger.sequence()
    old_vkey = ledger.vkeys()[0]
    skey, new_vkey = tlog.generate_key(ledger.origin())
    both = tmp_path / "both.key"
    both.write_text(skey + "\n" + Path(ledger_key_file).read_text())  # the new key first, as docs/ledger.md says
    settings.MADANG_LEDGER_KEY_FILE = str(both)
    ledger.forget_open_logs()
    assert services.announce_keys() is not None
    file(cast, office, on=date(2025, 3, 11), title="공공 주차장 주말 개방")
    ledger.sequence()

    # Then the old private key is removed: exports are signed by the new key alone.
    only_new = tmp_path / "new.key"
    only_new.write_text(skey + "\n")
    settings.MADANG_LEDGER_KEY_FILE = str(only_new)
    settings.MADANG_LEDGER_OLD_VKEYS = [old_vkey]
    ledger.forget_open_logs()
    file(cast, office, on=date(2025, 3, 12), title="폭염 쉼터 지도")
    ledger.sequence()
    data = Client().get("/priority/export.json").content
    assert len(json.loads(data)["keys"]) == 1
    # A peer that knows only our old key follows to the new one.
    proven = exchange.read(
        data,
        peer="한빛도",
        origin=ledger.origin(),
        vkey=old_vkey,
        key_id=fingerprint.ExchangeKey(KEY).key_id,
        seen=None,
    )
    assert [k.vkey for k in proven.new_keys] == [new_vkey] and proven.signed_by == new_vkey
    assert len(proven.filings) == 3
