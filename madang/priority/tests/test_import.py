"""Importing 새벽도's export: what it proves is kept and matched with our suggestions; an export that
does not prove what it says is refused whole, with the reason, even when 새벽도 itself signs the lie."""

import base64
import json
from datetime import date

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.ledger import services as ledger
from madang.priority import services
from madang.priority.models import Filing, Match, PeerCheckpoint
from madang.priority.tests.agency import OtherAgency
from madang.solvers import tlog
from madang.suggestions.tests.conftest import file

pytestmark = pytest.mark.django_db

BUS = "버스 정류장 도착 안내 개선 도착 안내가 자주 틀립니다. 실시간 위치 자료를 정류장 안내판에 연결합니다."
PARKING = "공공 주차장 주말 개방 빈자리를 지도에 실시간으로 보여 주고 주말에는 무료로 개방합니다."


def refused(peer, data, code):
    with pytest.raises(DomainError) as caught:
        services.import_export(actor=None, peer=peer, data=data)
    assert caught.value.code == code, caught.value.message
    peer.refresh_from_db()
    assert peer.last_error == str(caught.value.message)
    return caught.value


def test_it_keeps_what_the_export_proves_and_finds_the_earlier_filing(cast, office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.log_something_else()
    saebyeok.receive(PARKING, date(2025, 3, 5))
    ours = file(cast, office, on=date(2025, 3, 10))  # the bus idea, received here six days later

    done = services.import_export(actor=cast.admin, peer=peer, data=saebyeok.export())

    assert (done.size, done.new, done.known, done.other_key, done.matches) == (3, 2, 0, 0, 1)
    assert [(f.log_index, f.number, f.received_on) for f in Filing.objects.order_by("log_index")] == [
        (0, "2025-0001", date(2025, 3, 4)),
        (2, "2025-0002", date(2025, 3, 5)),
    ]
    match = Match.objects.get()
    assert match.suggestion == ours and match.filing.log_index == 0
    assert match.order == "theirs" and match.similarity > 0.8
    # Nothing of their texts came with it: only the fingerprint line.
    assert all("버스" not in f.fingerprint and "버스".encode() not in bytes(f.entry) for f in Filing.objects.all())


def test_it_takes_again_only_what_it_did_not_have_from_a_grown_log(cast, office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    saebyeok.receive(PARKING, date(2025, 3, 5))
    done = services.import_export(actor=None, peer=peer, data=saebyeok.export(since=1))
    assert (done.size, done.new, done.known) == (2, 1, 1)
    assert list(PeerCheckpoint.objects.values_list("size", flat=True)) == [2, 1]


def test_it_refuses_an_export_signed_with_another_key(cast, saebyeok, peer):
    impostor = OtherAgency(origin=saebyeok.origin)  # same name, its own key: a key change nobody vouched for
    impostor.receive(BUS, date(2025, 3, 1))
    error = refused(peer, impostor.export(), "unsigned_key_change")
    assert "새벽도" in str(error.message)
    # A key of another name altogether: not 새벽도's.
    skey, impostor.vkey = tlog.generate_key("someone-else.example")
    impostor.signer = tlog.parse_skey(skey)
    error = refused(peer, impostor.export(), "wrong_key")
    assert "새벽도" in str(error.message)
    assert Filing.objects.count() == 0 and PeerCheckpoint.objects.count() == 0


def test_it_refuses_an_export_from_another_ledger(cast, peer):
    other = OtherAgency(origin="elsewhere.example.go.kr/ledger")
    other.receive(BUS, date(2025, 3, 1))
    refused(peer, other.export(), "wrong_origin")


def test_it_refuses_an_export_changed_after_it_was_signed(saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    document = json.loads(saebyeok.export())
    document["generated_at"] = "2020-01-01T00:00:00+09:00"
    refused(peer, json.dumps(document).encode(), "tampered")


def test_it_refuses_a_receipt_whose_date_was_moved_even_when_the_agency_signs_again(saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 14))
    document = json.loads(saebyeok.export())
    entry = json.loads(base64.b64decode(document["filings"][0]["entry"]))
    entry["received_on"] = "2025-03-01"  # backdated, to win priority
    document["filings"][0]["entry"] = base64.b64encode(ledger.canonical(entry)).decode()
    refused(peer, saebyeok.resign(document), "bad_proof")


def test_it_refuses_a_changed_inclusion_proof(saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.receive(PARKING, date(2025, 3, 5))
    document = json.loads(saebyeok.export())
    document["filings"][0]["proof"] = document["filings"][1]["proof"]
    refused(peer, saebyeok.resign(document), "bad_proof")


def test_it_refuses_a_fingerprint_the_receipt_did_not_commit_to(saebyeok, peer):
    saebyeok.receive(PARKING, date(2025, 3, 4))
    document = json.loads(saebyeok.export())
    # Their receipt of the parking idea, shown with the fingerprint of our bus idea: a claim of
    # priority for an idea they never received then.
    other = OtherAgency()
    other.receive(BUS, date(2025, 3, 4))
    document["filings"][0]["fingerprint"] = other.items[0].fingerprint
    refused(peer, saebyeok.resign(document), "bad_fingerprint")


def test_it_refuses_an_entry_that_is_not_a_receipt(saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    index, entry = saebyeok.log_something_else()
    document = json.loads(saebyeok.export())
    document["filings"][0].update(
        index=index,
        entry=base64.b64encode(entry).decode(),
        proof=[base64.b64encode(h).decode() for h in saebyeok.tree.inclusion_proof(index)],
    )
    refused(peer, saebyeok.resign(document), "not_a_receipt")


def test_it_refuses_a_ledger_rewritten_or_rolled_back_after_we_saw_it(saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.receive(PARKING, date(2025, 3, 5))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())

    # The same key, another history of the same size: the bus idea dated a week earlier.
    rewritten = OtherAgency()
    rewritten.signer, rewritten.vkey = saebyeok.signer, saebyeok.vkey
    rewritten.receive(BUS, date(2025, 2, 25))
    rewritten.receive(PARKING, date(2025, 3, 5))
    refused(peer, rewritten.export(), "forked")
    # Grown from the rewritten history: the consistency proof from what we saw fails.
    rewritten.receive(PARKING + " 추가", date(2025, 3, 6))
    refused(peer, rewritten.export(since=2), "forked")
    # Grown without proving it, or shorter than what we saw.
    saebyeok.receive(PARKING + " 추가", date(2025, 3, 6))
    refused(peer, saebyeok.export(), "no_consistency")
    shorter = OtherAgency()
    shorter.signer, shorter.vkey = saebyeok.signer, saebyeok.vkey
    shorter.receive(BUS, date(2025, 3, 4))
    refused(peer, shorter.export(), "rolled_back")
    assert Filing.objects.count() == 2


def test_it_counts_filings_under_another_exchange_key_apart(cast, office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4), key="다른 기관 묶음이 쓰는 교환 키 (시험용)")
    saebyeok.receive(PARKING, date(2025, 3, 5))
    done = services.import_export(actor=None, peer=peer, data=saebyeok.export())
    assert (done.new, done.other_key) == (1, 1)


def test_it_lets_only_a_site_administrator_import(cast, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    with pytest.raises(Forbidden):
        services.import_export(actor=cast.doyun, peer=peer, data=saebyeok.export())


def test_it_refuses_a_peer_key_that_is_not_a_ledger_key(cast):
    with pytest.raises(DomainError) as caught:
        services.add_peer(actor=cast.admin, name="가짜도", origin="fake.example/ledger", vkey="not a key")
    assert caught.value.code == "bad_vkey"
    with pytest.raises(Forbidden):
        services.add_peer(actor=cast.doyun, name="가짜도", origin="fake.example/ledger", vkey="x")


def test_it_matches_a_suggestion_received_after_an_import_at_the_next_one(cast, office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    assert not Match.objects.exists()
    ours = file(cast, office, on=date(2025, 3, 10))
    done = services.import_export(actor=None, peer=peer, data=saebyeok.export())  # the same log: nothing new
    assert (done.new, done.known, done.matches) == (0, 1, 1)
    assert Match.objects.get().suggestion == ours


def test_it_keeps_no_checkpoint_of_an_empty_log(saebyeok, peer):
    done = services.import_export(actor=None, peer=peer, data=saebyeok.export())
    assert (done.size, done.new) == (0, 0) and not PeerCheckpoint.objects.exists()
    saebyeok.receive(BUS, date(2025, 3, 4))
    assert services.import_export(actor=None, peer=peer, data=saebyeok.export()).new == 1
