"""Receipt (접수): a gap-free number per office and year, the pack version in force that day kept for
good, the due dates that version sets, a ledger entry and the proposer's notice."""

from datetime import date

import pytest

from madang.calls import services as calls
from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import Notification, NotificationKind
from madang.inbox.services import describe
from madang.ledger.models import Entry
from madang.suggestions import services
from madang.suggestions.models import Suggestion, SuggestionKind
from madang.suggestions.tests.conftest import RECEIVED, fields, file

pytestmark = pytest.mark.django_db


def test_it_opens_an_office_with_an_always_open_call_that_hides_proposers_from_the_public(cast, office):
    call = office.standing_call
    assert call.organisation == cast.province
    assert call.is_taking_submissions()
    assert call.is_open_to_citizens() and call.is_open_to_officials()
    assert call.authors_hidden()


def test_it_lets_only_the_organisations_innovation_team_open_an_office(cast):
    for who in (cast.minji, cast.sohee, cast.yuna, cast.garam, cast.bada):
        with pytest.raises(Forbidden):
            services.open_office(actor=who, organisation=cast.province, citizen_pack="kr-citizen")
    with pytest.raises(DomainError) as e:
        services.open_office(actor=cast.doyun, organisation=cast.province, citizen_pack="kr-official")
    assert e.value.code == "wrong_pack"
    with pytest.raises(DomainError) as e:
        services.open_office(actor=cast.doyun, organisation=cast.province, citizen_pack="kr-nowhere")
    assert e.value.code == "unknown_pack"


def test_it_receives_a_citizens_suggestion_at_once_with_a_number_the_pack_and_its_due_dates(cast, office):
    s = file(cast, office)
    assert s.receipt_number == "2025-0001"
    assert (s.pack_id, s.pack_version) == ("kr-sejong", "2023-07-20")
    assert s.kind == SuggestionKind.STANDING and s.proposer_kind == "citizen"
    # 제6조제2항: 7 days from receipt, the first day not counted: Mon 3-10 → Mon 3-17.
    assert s.supplement_until == date(2025, 3, 17)
    # One month from Mon 3-10, counting from the 11th, ends the day before 4-11: Thu 4-10.
    assert s.decision_due == date(2025, 4, 10)
    entry = Entry.objects.get(kind="suggestion.received")
    assert entry.subject == f"proposal:{s.proposal_id}"
    note = Notification.objects.get(user=cast.garam, kind=NotificationKind.SUGGESTION)
    assert "2025-0001" in describe(note) and "2025-04-10" in describe(note)


def test_it_numbers_receipts_per_office_and_year_without_gaps(cast, office):
    a = file(cast, office, title="하나")
    with pytest.raises(DomainError):  # a refused filing (an empty title) takes no number
        services.file_suggestion(actor=cast.garam, office=office, fields=calls.ProposalFields(title=""), today=RECEIVED)
    b = file(cast, office, cast.minji, title="둘")
    c = file(cast, office, title="셋", on=date(2026, 1, 5))
    assert [a.receipt_number, b.receipt_number, c.receipt_number] == ["2025-0001", "2025-0002", "2026-0001"]


def test_it_gives_an_officials_suggestion_the_officials_pack_which_sets_no_clock(cast, office):
    s = file(cast, office, cast.minji)
    assert (s.pack_id, s.proposer_kind) == ("kr-official", "official")
    assert s.decision_due is None and s.supplement_until is None
    assert (
        Notification.objects.get(user=cast.minji, kind=NotificationKind.SUGGESTION).params["step"]
        == "received_no_clock"
    )


def test_it_refuses_an_implemented_suggestion_under_packs_that_do_not_know_the_type(cast, office):
    with pytest.raises(DomainError) as e:
        file(cast, office, kind=SuggestionKind.IMPLEMENTED, evidence="이미 시행")
    assert e.value.code == "bad_type"
    assert not Suggestion.objects.exists()


def test_it_takes_an_implemented_suggestion_with_its_evidence_where_the_pack_has_the_type(cast, office, later_packs):
    with pytest.raises(DomainError) as e:
        file(cast, office, on=date(2026, 2, 2), kind=SuggestionKind.IMPLEMENTED, evidence="")
    assert e.value.field == "evidence"
    office.citizen_pack = "kr-citizen"
    office.save()
    s = file(
        cast,
        office,
        on=date(2026, 2, 2),
        kind=SuggestionKind.IMPLEMENTED,
        evidence="3월부터 민원실에서 시행 중",
        in_place_since=date(2026, 1, 5),
    )
    assert s.kind == SuggestionKind.IMPLEMENTED and s.evidence == "3월부터 민원실에서 시행 중"


def test_it_receives_a_proposal_filed_through_the_ordinary_pages_only_by_the_office(cast, office):
    p = calls.create_proposal(actor=cast.garam, call=office.standing_call, fields=fields())
    p = calls.submit_proposal(actor=cast.garam, proposal=p)
    for who in (cast.minji, cast.sohee, cast.bada):
        with pytest.raises(Forbidden):
            services.receive(actor=who, proposal=p, today=RECEIVED)
    s = services.receive(actor=cast.doyun, proposal=p, today=RECEIVED)
    assert s.received_by == cast.doyun
    with pytest.raises(DomainError) as e:
        services.receive(actor=cast.doyun, proposal=p, today=RECEIVED)
    assert e.value.code == "duplicate"


def test_it_receives_a_contest_entry_as_a_contest_suggestion_where_the_pack_has_contests(cast, office):
    # 한빛도's other call is a contest (공모): the 세종 pack knows contests (제2조제1항); officials' pack does not.
    p = cast.proposal(author=cast.minji)
    with pytest.raises(DomainError) as e:
        services.receive(actor=cast.doyun, proposal=p, today=RECEIVED)
    assert e.value.code == "bad_type"
