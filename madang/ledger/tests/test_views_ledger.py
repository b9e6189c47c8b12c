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
    assert "제안 제출" in body  # the kind's label (calls/ledger_entries.py), not `proposal.submitted`


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
    assert "현재 원장은 그 뒤로 이어집니다" in page
    forged = old.replace(old.split("\n")[2], "A" * 43 + "=")
    assert "msg error" in Client().post("/ledger/", {"text": forged}).content.decode()


def test_it_names_kinds_and_subjects_in_korean_and_links_public_subjects(cast, submitted):
    p, entry = submitted
    body = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/ledger/").content.decode()
    assert "proposal.submitted" not in body and f"proposal:{p.pk}" not in body
    assert f'<a href="/calls/p/{p.pk}/">{p.title}</a>' in body
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/ledger/").content.decode()
    assert "Proposal submitted" in english
    detail = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/ledger/entry/{entry.log_index}/").content.decode()
    assert "제안 제출" in detail and f'<a href="/calls/p/{p.pk}/">{p.title}</a>' in detail


def test_it_does_not_name_a_subject_that_is_not_public(cast):
    from madang.calls import services as calls

    draft = cast.proposal(title="비공개로 돌릴 제안")
    calls.set_internal(actor=cast.doyun, proposal=draft, internal=True, reason="개인정보가 들어 있음")
    ledger.sequence()
    body = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/ledger/").content.decode()
    assert "비공개로 돌릴 제안" not in body
    assert f"제안 {draft.pk}번" in body


def test_it_words_the_receipt_check_in_the_readers_language(submitted):
    _p, entry = submitted
    text = Client().get(f"/ledger/receipt/{entry.log_index}/").content.decode()
    korean = Client(HTTP_ACCEPT_LANGUAGE="ko").post("/ledger/", {"text": text}).content.decode()
    assert f"{entry.log_index}번 기록은" in korean
    assert "OK   " not in korean and "is in the log at size" not in korean
    english = Client(HTTP_ACCEPT_LANGUAGE="en").post("/ledger/", {"text": text}).content.decode()
    assert f"Entry {entry.log_index} is in the log" in english
    broken = (
        Client(HTTP_ACCEPT_LANGUAGE="ko")
        .post("/ledger/", {"text": text.replace("index ", "index 9", 1)})
        .content.decode()
    )
    assert "msg error" in broken and "FAIL " not in broken


def test_every_kind_of_entry_has_a_korean_label():
    from django.utils import translation

    from madang.ledger import kinds

    declared = [
        k for book in kinds.books() if book.app != "tests" for k in book.kinds
    ]  # (tests/conftest.py's own kinds aside)
    assert len(declared) > 40
    unlabelled = [str(k.name) for k in declared if not kinds.has_label(k.name)]
    assert unlabelled == []
    with translation.override("ko"):
        untranslated = [str(k.name) for k in declared if not any("가" <= ch <= "힣" for ch in kinds.label(k.name))]
    assert untranslated == []


def test_the_proposal_page_names_its_entries_by_label(cast, submitted):
    p, _entry = submitted
    page = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/calls/p/{p.pk}/").content.decode()
    assert "제안 제출" in page and "proposal.submitted" not in page
