"""The public ledger pages: anyone may read them and check a receipt; bad input is a 4xx."""

import pytest
from django.test import Client

from madang.ledger import services as ledger
from madang.ledger.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    p = cast.proposal()
    ledger.sequence()
    return p, Entry.objects.get(subject=f"proposal:{p.pk}", kind="proposal.submitted")


def test_it_shows_the_checkpoint_and_entries_to_anyone(submitted):
    page = Client().get("/ledger/")
    assert page.status_code == 200
    body = page.content.decode()
    assert ledger.vkeys()[0] in body
    assert "proposal.submitted" in body


def test_it_serves_the_tiles_and_checkpoint_as_static_files(submitted):
    checkpoint = Client().get("/ledger/log/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint["Cache-Control"] == "no-cache"
    assert b"".join(checkpoint.streaming_content).decode() == ledger.latest_checkpoint().note
    size = ledger.latest_checkpoint().size
    tile = Client().get(f"/ledger/log/tile/0/000.p/{size}")
    assert tile.status_code == 200
    assert len(b"".join(tile.streaming_content)) == 32 * size
    for bad in ("../../settings.py", "tile/0/999", ".lock", "tile/0/%2e%2e/x"):
        assert Client().get(f"/ledger/log/{bad}").status_code == 404


def test_it_verifies_a_pasted_receipt_and_refuses_a_forged_one(submitted):
    _p, entry = submitted
    text = Client().get(f"/ledger/receipt/{entry.log_index}/").content.decode()
    ok = Client().post("/ledger/", {"text": text})
    assert ok.status_code == 200
    assert "msg success" in ok.content.decode()
    forged = (
        text.replace("index ", "index 1", 1)
        if entry.log_index == 0
        else text.replace(f"index {entry.log_index}", "index 0")
    )
    bad = Client().post("/ledger/", {"text": forged})
    assert "msg error" in bad.content.decode()
    assert Client().post("/ledger/", {"text": "x" * 70_000}).status_code == 400
    assert Client().post("/ledger/", {}).status_code == 400
    assert Client().post("/ledger/", {"text": "not a receipt"}).status_code == 200


def test_it_lists_receipts_on_the_proposal_page(cast, submitted):
    p, entry = submitted
    page = Client().get(f"/calls/p/{p.pk}/").content.decode()
    assert f"/ledger/receipt/{entry.log_index}/" in page


def test_it_answers_not_found_for_an_entry_not_in_the_log(cast):
    assert Client().get("/ledger/entry/999/").status_code == 404
    assert Client().get("/ledger/receipt/999/").status_code == 404


def test_it_checks_an_earlier_checkpoint_against_the_current_log(cast, submitted):
    old = ledger.latest_checkpoint().note
    cast.proposal(title="두 번째 제안")
    ledger.sequence()
    page = Client().post("/ledger/", {"text": old.replace("\n", "\r\n")}).content.decode()
    assert "msg success" in page
    assert "the current log extends it" in page or "현재 로그" in page
    forged = old.replace(old.split("\n")[2], "A" * 43 + "=")
    assert "msg error" in Client().post("/ledger/", {"text": forged}).content.decode()
