"""Our export, as a peer agency fetches it from /priority/export.json: every receipt of ours that
commits to a fingerprint, proven to our signed checkpoint, and no text or name."""

import base64
import json
from datetime import date

import pytest
from django.test import Client

from madang.ledger import services as ledger
from madang.priority import exchange
from madang.solvers import fingerprint
from madang.suggestions.tests.conftest import file

from .agency import KEY

pytestmark = pytest.mark.django_db


def read_ours(data, *, seen=None):
    return exchange.read(
        data,
        peer="한빛도",
        origin=ledger.origin(),
        vkey=ledger.vkeys()[0],
        key_id=fingerprint.ExchangeKey(KEY).key_id,
        seen=seen,
    )


def test_it_serves_every_fingerprinted_receipt_with_its_proof_and_no_text(cast, office):
    bus = file(cast, office, on=date(2025, 3, 10))
    parking = file(cast, office, on=date(2025, 3, 11), title="공공 주차장 주말 개방")
    ledger.sequence()

    response = Client().get("/priority/export.json")  # anyone: it says nothing without the key
    assert response.status_code == 200
    proven = read_ours(response.content)
    assert [(f.number, f.received_on) for f in proven.filings] == [
        (bus.receipt_number, date(2025, 3, 10)),
        (parking.receipt_number, date(2025, 3, 11)),
    ]
    assert proven.filings[0].fingerprint_text == bus.fingerprint.value
    text = response.content.decode()
    for secret in ("버스", "주차장", "한가람", cast.garam.username, cast.garam.email):
        assert secret not in text


def test_it_proves_our_ledger_grew_since_a_size_the_peer_saw(cast, office):
    file(cast, office, on=date(2025, 3, 10))
    ledger.sequence()
    first = read_ours(Client().get("/priority/export.json").content)
    file(cast, office, on=date(2025, 3, 11), title="공공 주차장 주말 개방")
    ledger.sequence()
    seen = exchange.Seen(first.checkpoint.size, first.checkpoint.root_hash)
    later = Client().get(f"/priority/export.json?since={first.checkpoint.size}")
    assert len(read_ours(later.content, seen=seen).filings) == 2
    with pytest.raises(exchange.Refused):  # without the proof, the reader cannot tell
        read_ours(Client().get("/priority/export.json").content, seen=seen)
    too_far = Client().get("/priority/export.json?since=100000")
    assert too_far.status_code == 400


def test_it_serves_no_export_without_an_exchange_key(settings):
    settings.MADANG_FINGERPRINT_KEY = ""
    assert Client().get("/priority/export.json").status_code == 404


def test_it_leaves_out_receipts_not_yet_in_the_log_or_made_without_a_fingerprint(cast, office, settings):
    settings.MADANG_FINGERPRINT_KEY = ""
    file(cast, office, on=date(2025, 3, 9))
    ledger.sequence()
    settings.MADANG_FINGERPRINT_KEY = KEY
    logged = file(cast, office, on=date(2025, 3, 10), title="공공 주차장 주말 개방")
    ledger.sequence()
    file(cast, office, on=date(2025, 3, 11), title="폭염 쉼터 지도")  # recorded, not yet sequenced
    document = json.loads(Client().get("/priority/export.json").content)
    assert [json.loads(base64.b64decode(f["entry"]))["number"] for f in document["filings"]] == [logged.receipt_number]
