import pytest

from madang.calls import counters, services
from madang.calls.models import PhaseKind, Support
from madang.core.errors import DomainError
from madang.testing import set_phase


def test_it_counts_a_colleagues_support(cast):
    p = cast.proposal()
    assert services.support_proposal(actor=cast.seojun, proposal=p) == (True, 1)
    assert services.support_proposal(actor=cast.jihoon, proposal=p) == (True, 2)
    assert counters.live_count(p.pk) == 2


def test_it_counts_a_second_support_by_the_same_person_once(cast):
    p = cast.proposal()
    services.support_proposal(actor=cast.seojun, proposal=p)
    assert services.support_proposal(actor=cast.seojun, proposal=p) == (False, 1)
    assert Support.objects.filter(proposal=p).count() == 1


def test_it_lets_a_supporter_change_their_mind(cast):
    p = cast.proposal()
    services.support_proposal(actor=cast.seojun, proposal=p)
    assert services.withdraw_support(actor=cast.seojun, proposal=p) == (True, 0)
    assert services.withdraw_support(actor=cast.seojun, proposal=p) == (False, 0)
    assert services.support_proposal(actor=cast.seojun, proposal=p) == (True, 1)


def test_it_refuses_support_for_ones_own_proposal(cast):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.support_proposal(actor=cast.minji, proposal=p)
    assert err.value.code == "own_proposal"
    assert not Support.objects.exists()


def test_it_refuses_support_from_a_coauthor(cast):
    p = cast.proposal(submit=False)
    cast.coauthor(p, cast.seojun)
    p = services.submit_proposal(actor=cast.minji, proposal=p)
    with pytest.raises(DomainError) as err:
        services.support_proposal(actor=cast.seojun, proposal=p)
    assert err.value.code == "own_proposal"


def test_it_takes_supports_during_review_too(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    assert services.support_proposal(actor=cast.jihoon, proposal=p) == (True, 1)


def test_it_refuses_supports_once_selection_starts(cast):
    p = cast.proposal()
    services.support_proposal(actor=cast.seojun, proposal=p)
    set_phase(cast.call, PhaseKind.SELECTION)
    with pytest.raises(DomainError) as err:
        services.support_proposal(actor=cast.jihoon, proposal=p)
    assert err.value.code == "closed"
    with pytest.raises(DomainError) as err:
        services.withdraw_support(actor=cast.seojun, proposal=p)
    assert err.value.code == "closed"
    assert counters.live_count(p.pk) == 1


def test_it_refuses_support_for_a_draft(cast):
    p = cast.proposal(submit=False)
    with pytest.raises(DomainError) as err:
        services.support_proposal(actor=cast.seojun, proposal=p)
    assert err.value.code == "closed"


def test_it_refuses_support_for_a_withdrawn_proposal(cast):
    p = cast.proposal()
    services.withdraw_proposal(actor=cast.minji, proposal=p)
    p.refresh_from_db()
    with pytest.raises(DomainError) as err:
        services.support_proposal(actor=cast.seojun, proposal=p)
    assert err.value.code == "closed"


def test_it_refuses_support_for_a_hidden_proposal(cast):
    p = cast.proposal()
    services.hide_proposal(actor=cast.doyun, proposal=p, reason="개인정보 포함")
    with pytest.raises(DomainError):
        services.support_proposal(actor=cast.seojun, proposal=p)


def test_it_logs_the_tally_without_naming_supporters(cast):
    from madang.ledger.models import Entry

    first = cast.proposal(title="첫 제안")
    cast.proposal(author=cast.jihoon, title="둘째 제안")
    services.support_proposal(actor=cast.seojun, proposal=first)
    assert services.snapshot_support_tally(actor=cast.doyun, call=cast.call) == 2
    body = bytes(Entry.objects.get(kind="call.support_tally").body)
    assert b'"tally":[[1,1],[2,0]]' in body
    assert b"seojun" not in body
    assert "이서준".encode() not in body
