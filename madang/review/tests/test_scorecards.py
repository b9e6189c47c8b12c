import pytest

from madang.calls.models import PhaseKind
from madang.core.errors import DomainError, Forbidden
from madang.ledger.models import Entry
from madang.review import services
from madang.review.models import Score, Scorecard, Verdict
from madang.testing import set_phase


@pytest.fixture
def assignment(cast):
    p = cast.proposal()
    a = services.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    return a


def criteria(cast):
    return {c.name: c.pk for c in cast.call.criteria.all()}


def marks(cast, feasible=4, effect=3, creative=5):
    c = criteria(cast)
    return {c["실현 가능성"]: feasible, c["효과"]: effect, c["창의성"]: creative}


def test_it_weighs_every_criterion_into_the_total(cast, assignment):
    card = services.submit_scorecard(
        actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE
    )
    # weights 2, 2, 1 of 5 points each: (2·4 + 2·3 + 1·5) / (5·5) = 19/25
    assert card.total == 76.0
    assert card.scores.count() == 3


def test_it_requires_every_criterion(cast, assignment):
    scores = marks(cast)
    scores.popitem()
    with pytest.raises(DomainError) as err:
        services.submit_scorecard(actor=cast.yuna, assignment=assignment, scores=scores, verdict=Verdict.FEASIBLE)
    assert err.value.code == "incomplete"
    assert not Scorecard.objects.exists()


def test_it_refuses_criteria_of_another_call(cast, assignment):
    scores = marks(cast)
    scores[max(scores) + 100] = 3
    with pytest.raises(DomainError) as err:
        services.submit_scorecard(actor=cast.yuna, assignment=assignment, scores=scores, verdict=Verdict.FEASIBLE)
    assert err.value.code == "incomplete"


@pytest.mark.parametrize("bad", [-1, 6, 100])
def test_it_keeps_scores_within_each_criterions_range(cast, assignment, bad):
    with pytest.raises(DomainError) as err:
        services.submit_scorecard(
            actor=cast.yuna, assignment=assignment, scores=marks(cast, effect=bad), verdict=Verdict.FEASIBLE
        )
    assert err.value.code == "out_of_range"
    assert not Scorecard.objects.exists()


def test_it_accepts_the_ends_of_the_range(cast, assignment):
    card = services.submit_scorecard(
        actor=cast.yuna, assignment=assignment, scores=marks(cast, 0, 0, 5), verdict=Verdict.INFEASIBLE
    )
    assert card.total == 20.0


def test_it_requires_a_verdict(cast, assignment):
    for verdict in ("", "maybe"):
        with pytest.raises(DomainError) as err:
            services.submit_scorecard(actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=verdict)
        assert (err.value.code, err.value.field) == ("required", "verdict")
    assert not Scorecard.objects.exists()


def test_it_replaces_the_scores_on_update(cast, assignment):
    services.submit_scorecard(actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE)
    card = services.submit_scorecard(
        actor=cast.yuna,
        assignment=assignment,
        scores=marks(cast, 5, 5, 5),
        verdict=Verdict.CONDITIONAL,
        comment=" 예산 확인 필요 ",
    )
    assert Scorecard.objects.count() == 1
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 5, 5]
    assert (card.total, card.verdict, card.comment) == (100.0, Verdict.CONDITIONAL, "예산 확인 필요")
    revisions = [bytes(e.body) for e in Entry.objects.filter(kind="review.scorecard")]
    assert [b'"revision":"first"' in b for b in revisions] == [True, False]
    assert all(b"yuna" not in b and "최유나".encode() not in b for b in revisions)


def test_it_lets_only_the_assigned_reviewer_score(cast, assignment):
    for person in (cast.haneul, cast.doyun, cast.minji):
        with pytest.raises(Forbidden):
            services.submit_scorecard(actor=person, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE)
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize("phase", [PhaseKind.SUBMISSION, PhaseKind.FOLLOW_THROUGH])
def test_it_takes_scores_only_during_review_and_selection(cast, assignment, phase):
    set_phase(cast.call, phase)
    with pytest.raises(Forbidden):
        services.submit_scorecard(actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE)
    set_phase(cast.call, PhaseKind.SELECTION)
    assert services.submit_scorecard(
        actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE
    )


def test_it_refuses_an_overlong_comment(cast, assignment):
    with pytest.raises(DomainError) as err:
        services.submit_scorecard(
            actor=cast.yuna, assignment=assignment, scores=marks(cast), verdict=Verdict.FEASIBLE, comment="가" * 4001
        )
    assert err.value.code == "too_long"
