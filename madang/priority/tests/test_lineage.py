"""A refined idea counts from its first filing, on either side, and the first filing is proven by its own
receipt: 새벽도 declined its bus idea on 3-2 and received it refined on 3-12; 한빛도 received the same idea
on 3-10. 새벽도 filed first. The other way round, 한빛도's refinement keeps its first day against 새벽도."""

import base64
import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.core.errors import DomainError
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.priority import services
from madang.priority.models import Filing, Match
from madang.review import services as review
from madang.solvers import tlog
from madang.suggestions import services as suggestions
from madang.suggestions.tests.conftest import fields, file
from madang.suggestions.tests.test_lifecycle import not_adopted
from madang.testing import fresh_login, set_phase

from .test_export import read_ours
from .test_import import BUS, PARKING, refused

pytestmark = pytest.mark.django_db

REFINED = BUS + " 음성 안내도 함께 제공합니다."


def match_with(index):
    return Match.objects.select_related("filing").get(filing__log_index=index)


def test_a_refined_filing_there_counts_from_its_first_filing_proven_by_that_receipt(cast, office, saebyeok, peer):
    first = saebyeok.receive(BUS, date(2025, 3, 2), key="다른 기관 묶음이 쓰는 교환 키 (시험용)")
    refined = saebyeok.receive(REFINED, date(2025, 3, 12), refines=first)
    ours = file(cast, office, on=date(2025, 3, 10))

    services.import_export(actor=None, peer=peer, data=saebyeok.export())

    m = match_with(refined)
    assert m.suggestion == ours
    f = m.filing
    assert (f.received_on, f.first_filed_on, f.first_index) == (date(2025, 3, 12), date(2025, 3, 2), first)
    assert f.priority_date == date(2025, 3, 2)
    assert m.order == "theirs"  # received after ours, first filed before it
    # The office downloads the first filing's receipt: 새벽도's key alone shows the day.
    client = fresh_login(Client(), cast.doyun)
    html = client.get(f"/suggestions/{ours.pk}/").content.decode()
    assert 'data-order="theirs"' in html and 'data-first="2025-03-02"' in html and 'data-verified="yes"' in html
    response = client.get(f"/priority/filings/{f.pk}/first-receipt.tlog-proof")
    assert response.status_code == 200
    proof = tlog.parse_proof(response.content)
    tlog.verify_proof(proof, [tlog.parse_vkey(saebyeok.vkey)], entry=proof.extra, origin=saebyeok.origin)
    assert proof.index == first and b'"received_on":"2025-03-02"' in (proof.extra or b"")
    # The ruling says so in our ledger.
    services.rule(actor=cast.doyun, match=m, verdict="theirs_first", note="새벽도에 먼저 제출된 아이디어의 보완")
    body = ledger.body_of(ledger.entries_of("priority.ruled")[0])
    assert (body["peer_received_on"], body["peer_first_filed_on"]) == ("2025-03-12", "2025-03-02")


def test_a_chain_of_refinements_and_a_declined_ordinary_proposal_lead_back_to_the_first_day(
    cast, office, saebyeok, peer
):
    submitted = saebyeok.submit(date(2025, 2, 20))  # declined in an ordinary call there
    second = saebyeok.receive(PARKING, date(2025, 3, 1), refines=submitted)
    third = saebyeok.receive(BUS, date(2025, 3, 12), refines=second)
    file(cast, office, on=date(2025, 3, 10))

    services.import_export(actor=None, peer=peer, data=saebyeok.export())

    f = Filing.objects.get(log_index=third)
    assert (f.first_filed_on, f.first_index) == (date(2025, 2, 20), submitted)
    assert [link["index"] for link in json.loads(f.lineage)] == [second, submitted]
    assert match_with(third).order == "theirs"


def test_a_refinement_without_its_lineage_counts_from_its_own_receipt(cast, office, saebyeok, peer):
    first = saebyeok.receive(PARKING, date(2025, 3, 2))
    refined = saebyeok.receive(BUS, date(2025, 3, 12), refines=first)
    file(cast, office, on=date(2025, 3, 10))
    document = json.loads(saebyeok.export())
    document["filings"][1]["lineage"] = []  # the claim in the receipt, without the proof of it
    services.import_export(actor=None, peer=peer, data=saebyeok.resign(document))
    f = Filing.objects.get(log_index=refined)
    assert f.first_filed_on is None and f.priority_date == date(2025, 3, 12)
    assert match_with(refined).order == "ours"


def test_it_refuses_a_lineage_that_does_not_lead_to_the_first_day_the_receipt_names(cast, saebyeok, peer):
    unrelated = saebyeok.receive(PARKING, date(2025, 2, 1))
    first = saebyeok.receive(PARKING + " 둘", date(2025, 3, 2))
    saebyeok.receive(BUS, date(2025, 3, 12), refines=first)
    document = json.loads(saebyeok.export())
    # Their refinement shown as refining an older receipt than the one it names.
    document["filings"][2]["lineage"] = [document["filings"][unrelated]]
    error = refused(peer, saebyeok.resign(document), "bad_lineage")
    assert "2" in str(error.message)
    # A receipt that names no earlier proposal, given a lineage.
    document = json.loads(saebyeok.export())
    document["filings"][0]["lineage"] = [document["filings"][1]]
    refused(peer, saebyeok.resign(document), "bad_lineage")
    assert not Filing.objects.exists()


def test_it_refuses_a_lineage_entry_that_is_not_in_the_log(cast, saebyeok, peer):
    first = saebyeok.receive(PARKING, date(2025, 3, 2))
    saebyeok.receive(BUS, date(2025, 3, 12), refines=first)
    document = json.loads(saebyeok.export())
    entry = json.loads(base64.b64decode(document["filings"][1]["lineage"][0]["entry"]))
    entry["received_on"] = "2025-02-02"  # the first filing backdated
    document["filings"][1]["lineage"][0]["entry"] = base64.b64encode(ledger.canonical(entry)).decode()
    refused(peer, saebyeok.resign(document), "bad_proof")


def test_our_refined_suggestion_counts_from_its_first_filing(cast, office, saebyeok, peer):
    declined = file(cast, office, on=date(2025, 3, 3))
    not_adopted(cast, declined, on=date(2025, 3, 5))
    declined.refresh_from_db()
    ours = suggestions.refile_suggestion(
        actor=cast.garam, earlier=declined.proposal, fields=fields(), today=date(2025, 3, 14)
    )
    saebyeok.receive(BUS, date(2025, 3, 10))

    services.import_export(actor=None, peer=peer, data=saebyeok.export())

    m = Match.objects.get(suggestion=ours)
    assert m.order == "ours"  # received after theirs, first filed before it
    with pytest.raises(DomainError) as caught:
        services.rule(actor=cast.doyun, match=m, verdict="theirs_first", note="저쪽이 먼저")
    assert caught.value.code == "order"
    html = fresh_login(Client(), cast.doyun).get(f"/suggestions/{ours.pk}/").content.decode()
    assert 'data-our-first="2025-03-03"' in html


def test_our_export_proves_a_refined_ideas_first_filing_by_its_first_receipt(cast, office):
    declined = file(cast, office, on=date(2025, 3, 3))
    not_adopted(cast, declined, on=date(2025, 3, 5))
    declined.refresh_from_db()
    second = suggestions.refile_suggestion(
        actor=cast.garam, earlier=declined.proposal, fields=fields("보완 1"), today=date(2025, 3, 14)
    )
    not_adopted(cast, second, on=date(2025, 3, 20))
    second.refresh_from_db()
    third = suggestions.refile_suggestion(
        actor=cast.garam, earlier=second.proposal, fields=fields("보완 2"), today=date(2025, 4, 1)
    )
    ledger.sequence()

    proven = {f.number: f for f in read_ours(Client().get("/priority/export.json").content).filings}

    assert proven[declined.receipt_number].first is None
    for s in (second, third):
        first = proven[s.receipt_number].first
        assert first is not None and first.filed_on == date(2025, 3, 3)
        root = Entry.objects.get(kind="suggestion.received", subject=f"proposal:{declined.proposal_id}")
        assert first.index == root.log_index and first.lineage[-1].entry == bytes(root.body)
    assert len(proven[third.receipt_number].first.lineage) == 2


def test_our_export_proves_a_first_filing_in_an_ordinary_call_by_its_submission(cast, office):
    p = cast.proposal(cast.minji, title="민원 서류 간소화")
    set_phase(cast.call, PhaseKind.SELECTION)
    review.reject_proposal(actor=cast.doyun, proposal=p, reason="이미 추진 중입니다.")
    p.refresh_from_db()
    s = suggestions.refile_suggestion(actor=cast.minji, earlier=p, fields=fields("민원 서류 간소화 (보완)"))
    ledger.sequence()

    [proven] = read_ours(Client().get("/priority/export.json").content).filings

    assert proven.number == s.receipt_number
    assert proven.first is not None and proven.first.filed_on == timezone.localdate(p.submitted_at)
    submitted = Entry.objects.get(kind="proposal.submitted", subject=f"proposal:{p.pk}")
    assert proven.first.index == submitted.log_index
