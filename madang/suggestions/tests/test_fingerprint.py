"""A suggestion's receipt commits to its text's fingerprint when the site has an exchange key (for the
first-to-file check across agencies): the public entry holds only a salted commitment, the salt
opens it, and `madang ledger verify` finds a fingerprint changed in the database."""

import json

import pytest

from madang.ledger import services as ledger
from madang.ledger.verify import verify_all
from madang.solvers import fingerprint
from madang.suggestions import fingerprints
from madang.suggestions.models import ReceiptFingerprint
from madang.suggestions.tests.conftest import file

pytestmark = pytest.mark.django_db

KEY = "한빛도와 새벽도가 합의한 제안 교환 키 (시험용)"


def received_entry(s):
    return ledger.entries_of("suggestion.received", subject=f"proposal:{s.proposal_id}")[0]


def test_it_commits_to_the_fingerprint_of_the_text_at_receipt(cast, office, settings):
    settings.MADANG_FINGERPRINT_KEY = KEY
    s = file(cast, office)
    stored = ReceiptFingerprint.objects.get(suggestion=s).value
    made = fingerprint.parse(stored)
    expected = fingerprint.of_text(
        "버스 정류장 도착 안내 개선 도착 안내가 자주 틀립니다. 실시간 위치 자료를 정류장 안내판에 연결합니다.",
        fingerprint.ExchangeKey(KEY),
    )
    assert made == expected
    entry = received_entry(s)
    body = ledger.body_of(entry)
    assert body["fingerprint"] == ledger.commitment(stored, entry.salts["fingerprint"])[1]
    assert stored not in bytes(entry.body).decode() and "버스" not in bytes(entry.body).decode()
    ledger.sequence()
    assert [str(f) for f in verify_all()] == []


def test_it_makes_no_fingerprint_without_an_exchange_key(cast, office, settings):
    settings.MADANG_FINGERPRINT_KEY = ""
    s = file(cast, office)
    assert not ReceiptFingerprint.objects.filter(suggestion=s).exists()
    assert json.loads(bytes(received_entry(s).body))["fingerprint"] is None
    assert fingerprints.stored(s) == ""


def test_it_finds_a_fingerprint_changed_in_the_database(cast, office, settings):
    settings.MADANG_FINGERPRINT_KEY = KEY
    s = file(cast, office)
    other = fingerprint.of_text("공공 주차장 주말 개방", fingerprint.ExchangeKey(KEY))
    ReceiptFingerprint.objects.filter(suggestion=s).update(value=other.encode())
    ledger.sequence()
    assert any(f.field == "fingerprint" and "suggestion.received" in f.where for f in verify_all())
