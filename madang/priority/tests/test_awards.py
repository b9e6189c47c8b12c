"""No double award for one idea across agencies: 한빛도's office cannot award a suggestion whose idea
새벽도 received first, as the office ruled, nor while such a match waits for its ruling. An idea
filed here first, or ruled another idea, is awarded as usual. (The shipped packs have no grades: the
test packs of `suggestions/tests/awards_packs.py` give some.)"""

from datetime import date

import pytest

from madang.calls import services as calls
from madang.core.errors import DomainError
from madang.ledger.models import Entry
from madang.priority import services
from madang.priority.models import Match
from madang.suggestions import services as suggestions
from madang.suggestions.models import Award
from madang.suggestions.tests.awards_packs import open_award_office
from madang.suggestions.tests.conftest import award_packs, file  # noqa: F401 (award_packs: a fixture)
from madang.suggestions.tests.test_lifecycle import adopted, not_adopted

from .test_import import BUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def award_office(cast, award_packs):  # noqa: F811 (the fixture imported above)
    return open_award_office(cast)


def award(cast, s):
    return suggestions.award(actor=cast.doyun, suggestion=s, grade="silver", note="안내 정확도 개선")


def refused(cast, s, code):
    with pytest.raises(DomainError) as caught:
        award(cast, s)
    assert caught.value.code == code, caught.value.message
    assert not Award.objects.exists() and not Entry.objects.filter(kind="suggestion.awarded").exists()
    return caught.value


def test_it_refuses_to_award_an_idea_another_agency_received_first(cast, award_office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    ours = file(cast, award_office, on=date(2025, 3, 10))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    adopted(cast, ours)
    ours.refresh_from_db()
    match = Match.objects.get(suggestion=ours)

    # The match waits for the office's ruling: no award yet.
    error = refused(cast, ours, "priority_unruled")
    assert "새벽도" in str(error.message) and "2025-03-04" in str(error.message)
    # Ruled: the same idea, filed there first.
    services.rule(actor=cast.doyun, match=match, verdict="theirs_first", note="새벽도에 먼저 접수된 같은 제안")
    error = refused(cast, ours, "filed_first_elsewhere")
    assert "새벽도" in str(error.message) and "2025-0001" in str(error.message)


def test_it_awards_an_idea_filed_here_first_or_ruled_another_idea(cast, award_office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.receive(BUS, date(2025, 3, 25))
    theirs_first = file(cast, award_office, on=date(2025, 3, 10))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    adopted(cast, theirs_first)
    theirs_first.refresh_from_db()
    early, late = Match.objects.filter(suggestion=theirs_first).order_by("filing__log_index")
    assert (early.order, late.order) == ("theirs", "ours")  # ours first against the later one: no objection
    services.rule(actor=cast.doyun, match=early, verdict="different", note="같은 정류장이지만 다른 아이디어")
    assert award(cast, theirs_first).grade == "silver"


def test_a_ruling_on_the_declined_idea_it_refines_counts(cast, award_office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    declined = file(cast, award_office, on=date(2025, 3, 10))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    services.rule(
        actor=cast.doyun,
        match=Match.objects.get(suggestion=declined),
        verdict="theirs_first",
        note="새벽도에 먼저 접수된 같은 제안",
    )
    not_adopted(cast, declined)
    declined.refresh_from_db()
    # Refined in other words: its own fingerprint matches nothing, but it is the same idea.
    refined = suggestions.refile_suggestion(
        actor=cast.garam,
        earlier=declined.proposal,
        fields=calls.ProposalFields(
            title="어르신 교통 카드 충전소 확대",
            problem="<p>충전소가 멀어 어르신들이 불편합니다.</p>",
            solution="<p>주민센터마다 충전기를 둡니다.</p>",
        ),
        today=date(2025, 4, 1),
    )
    adopted(cast, refined, on=date(2025, 4, 10))
    refined.refresh_from_db()
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    assert not Match.objects.filter(suggestion=refined).exists()
    refused(cast, refined, "filed_first_elsewhere")
