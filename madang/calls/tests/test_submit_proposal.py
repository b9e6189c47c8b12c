import pytest

from madang.calls import services
from madang.calls.models import PhaseKind, Status
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.testing import set_phase


def test_it_numbers_submitted_proposals_in_order(cast):
    first = cast.proposal(title="첫 제안")
    second = cast.proposal(author=cast.seojun, title="둘째 제안")
    assert (first.number, second.number) == (1, 2)
    assert first.status == Status.SUBMITTED


def test_it_writes_a_ledger_entry_on_submission(cast):
    p = cast.proposal()
    entry = Entry.objects.filter(kind="proposal.submitted", subject=f"proposal:{p.pk}").get()
    assert b'"number":1' in bytes(entry.body)
    assert b"minji" not in bytes(entry.body)


def test_it_refuses_officials_of_another_province(cast):
    with pytest.raises(Forbidden):
        cast.proposal(author=cast.bada)


def test_it_refuses_citizens_in_an_officials_only_call(cast):
    with pytest.raises(Forbidden):
        cast.proposal(author=cast.garam)


def test_it_refuses_edits_after_the_deadline(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    p.call.refresh_from_db()
    with pytest.raises(DomainError) as err:
        services.update_proposal(actor=cast.minji, proposal=p, fields=services.ProposalFields(title="바뀐 제목"))
    assert err.value.code == "closed"
    p.refresh_from_db()
    assert p.title == "민원 서류 간소화"


def test_it_keeps_the_edit_history(cast):
    p = cast.proposal(submit=False)
    services.update_proposal(
        actor=cast.minji, proposal=p, fields=services.ProposalFields(title="고친 제목", problem="문제")
    )
    assert [r.fields["title"] for r in p.revisions.all()] == ["민원 서류 간소화", "고친 제목"]


def test_it_strips_scripts_from_rich_text(cast):
    p = cast.proposal(
        problem='<p onclick="x()">문제<script>alert(1)</script></p><a href="javascript:alert(1)">링크</a>'
    )
    assert "script" not in p.problem and "onclick" not in p.problem and "javascript" not in p.problem
    assert "문제" in p.problem


def test_it_requires_the_fields_the_call_requires(cast):
    p = cast.proposal(submit=False, solution="")
    with pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    assert err.value.field == "solution"
