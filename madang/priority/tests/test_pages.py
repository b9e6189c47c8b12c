"""The office of 한빛도 reads, on a suggestion's page, that 새벽도 received the same idea first, proven by
a receipt it can download and check anywhere, and records its ruling in the ledger. The proposer
and other officials see none of it."""

from datetime import date

import pytest
from django.test import Client

from madang.core.errors import DomainError
from madang.ledger import services as ledger
from madang.ledger.verify import verify_all
from madang.people import personal_data
from madang.priority import services
from madang.priority.models import Filing, Match, Ruling
from madang.solvers import tlog
from madang.suggestions.tests.conftest import file
from madang.testing import fresh_login

from .conftest import file_idea
from .test_import import BUS, PARKING

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(cast, office, saebyeok, peer):
    """새벽도 received the bus idea on 3-4 and the parking idea on 3-20; 한빛도 both on 3-10."""
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.receive(PARKING, date(2025, 3, 20))
    bus = file(cast, office, on=date(2025, 3, 10))
    parking = file_idea(
        cast,
        office,
        "공공 주차장 주말 개방",
        "빈자리를 지도에 실시간으로 보여 주고",
        "주말에는 무료로 개방합니다.",
        date(2025, 3, 10),
    )
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    return Match.objects.get(suggestion=bus), Match.objects.get(suggestion=parking)


def page(user, s):
    return fresh_login(Client(), user).get(f"/suggestions/{s.pk}/")


def test_it_tells_the_office_an_earlier_filing_exists_elsewhere_proven_by_receipt(cast, matched):
    theirs_first, ours_first = matched
    html = page(cast.doyun, theirs_first.suggestion).content.decode()
    assert 'data-order="theirs"' in html and "새벽도" in html and "2025-03-04" in html
    assert f"/priority/filings/{theirs_first.filing_id}/receipt.tlog-proof" in html
    assert 'data-verified="yes"' in html
    html = page(cast.doyun, ours_first.suggestion).content.decode()
    assert 'data-order="ours"' in html and "2025-03-20" in html


def test_it_checks_the_kept_receipt_again_each_time_it_is_shown(cast, matched):
    theirs_first, _ = matched
    kept = bytes(theirs_first.filing.entry).replace(b"2025-03-04", b"2025-02-04")
    Filing.objects.filter(pk=theirs_first.filing_id).update(entry=kept)
    assert 'data-verified="no"' in page(cast.doyun, theirs_first.suggestion).content.decode()


def test_it_shows_the_check_to_the_office_only(cast, matched):
    theirs_first, _ = matched
    html = page(cast.garam, theirs_first.suggestion).content.decode()  # the proposer sees the suggestion
    assert "h-priority" not in html and "새벽도" not in html
    client = fresh_login(Client(), cast.garam)
    assert client.get(f"/priority/filings/{theirs_first.filing_id}/receipt.tlog-proof").status_code == 404
    assert client.get("/priority/").status_code == 404
    assert fresh_login(Client(), cast.seojun).get(f"/suggestions/{theirs_first.suggestion_id}/").status_code == 404


def test_it_hands_out_a_receipt_that_verifies_with_the_peers_key_alone(cast, matched, saebyeok):
    theirs_first, _ = matched
    response = fresh_login(Client(), cast.doyun).get(f"/priority/filings/{theirs_first.filing_id}/receipt.tlog-proof")
    assert response.status_code == 200
    proof = tlog.parse_proof(response.content)
    checked = tlog.verify_proof(proof, [tlog.parse_vkey(saebyeok.vkey)], entry=proof.extra, origin=saebyeok.origin)
    assert checked.checkpoint.size == 2
    assert b'"received_on":"2025-03-04"' in proof.extra


def test_it_records_the_offices_ruling_in_the_ledger(cast, matched):
    theirs_first, _ = matched
    client = fresh_login(Client(), cast.doyun)
    response = client.post(
        f"/priority/matches/{theirs_first.pk}/rule/",
        {"verdict": "theirs_first", "note": "같은 취지의 제안이 새벽도에 먼저 접수됨"},
    )
    assert response.status_code == 302
    ruling = Ruling.objects.get(match=theirs_first)
    assert (ruling.verdict, ruling.ruled_by) == ("theirs_first", cast.doyun)
    entry = ledger.entries_of("priority.ruled")[0]
    body = ledger.body_of(entry)
    assert (body["verdict"], body["peer"], body["peer_index"], body["peer_received_on"]) == (
        "theirs_first",
        "saebyeok.example.go.kr/ledger",
        0,
        "2025-03-04",
    )
    assert "새벽도에 먼저" not in bytes(entry.body).decode()
    assert 'data-ruling="theirs_first"' in page(cast.doyun, theirs_first.suggestion).content.decode()
    [mine] = personal_data.export(cast.doyun)["priority_work"]  # in the official's own data export
    assert (mine["peer"], mine["verdict"], mine["their_number"]) == ("새벽도", "theirs_first", "2025-0001")
    ledger.sequence()
    assert [str(f) for f in verify_all()] == []
    Ruling.objects.filter(pk=ruling.pk).update(verdict="different")
    assert any(f.field == "verdict" and "priority.ruled" in f.where for f in verify_all())


def test_it_refuses_a_ruling_the_receipts_contradict(cast, matched):
    theirs_first, ours_first = matched
    with pytest.raises(DomainError) as caught:
        services.rule(actor=cast.doyun, match=theirs_first, verdict="ours_first", note="우리가 먼저")
    assert caught.value.code == "order"
    with pytest.raises(DomainError) as caught:
        services.rule(actor=cast.doyun, match=ours_first, verdict="theirs_first", note="저쪽이 먼저")
    assert caught.value.code == "order"
    services.rule(actor=cast.doyun, match=ours_first, verdict="ours_first", note="우리 접수가 먼저")
    with pytest.raises(DomainError) as caught:
        services.rule(actor=cast.doyun, match=ours_first, verdict="different", note="다시")
    assert caught.value.code == "duplicate"


def test_it_lets_only_the_office_rule(cast, matched):
    theirs_first, _ = matched
    for who in (cast.garam, cast.seojun):
        response = fresh_login(Client(), who).post(
            f"/priority/matches/{theirs_first.pk}/rule/", {"verdict": "different", "note": "아님"}
        )
        assert response.status_code == 404
    assert not Ruling.objects.exists()


def test_it_lists_the_matches_waiting_for_a_ruling(cast, matched):
    theirs_first, ours_first = matched
    services.rule(actor=cast.doyun, match=ours_first, verdict="different", note="다른 제안")
    html = fresh_login(Client(), cast.doyun).get("/priority/").content.decode()
    assert f'data-match="{theirs_first.pk}"' in html and f'data-match="{ours_first.pk}"' not in html


def test_it_says_when_no_similar_filing_was_found(cast, office, saebyeok, peer):
    saebyeok.receive(PARKING, date(2025, 3, 4))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    s = file(cast, office, on=date(2025, 3, 10))
    html = page(cast.doyun, s).content.decode()
    assert "h-priority" in html and "data-match" not in html and "새벽도" in html
