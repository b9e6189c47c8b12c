"""Combining a strict and a lenient reviewer so that strictness does not decide the ranking."""

from madang.calls.models import PhaseKind
from madang.review import services
from madang.review.models import Verdict
from madang.testing import set_phase


def score(cast, reviewer, proposal, each):
    a = services.assign_reviewer(actor=cast.doyun, proposal=proposal, reviewer=reviewer)
    scores = {c.pk: each for c in cast.call.criteria.all()}
    return services.submit_scorecard(actor=reviewer, assignment=a, scores=scores, verdict=Verdict.FEASIBLE)


def test_it_gives_a_strict_and_a_lenient_reviewer_the_same_ranking(cast):
    good = cast.proposal(title="좋은 제안")
    fair = cast.proposal(author=cast.jihoon, title="보통 제안")
    set_phase(cast.call, PhaseKind.REVIEW)
    score(cast, cast.yuna, good, 3)  # strict: 60 and 40
    score(cast, cast.yuna, fair, 2)
    score(cast, cast.haneul, good, 5)  # lenient: 100 and 80
    score(cast, cast.haneul, fair, 4)

    rows = services.results(cast.call)

    assert [r.proposal for r in rows] == [good.pk, fair.pk]
    assert [(r.raw_mean, r.n_reviews) for r in rows] == [(80.0, 2), (60.0, 2)]
    # Each reviewer put good one step (one pool spread) above fair, so after normalising they
    # agree exactly: pool mean 70, spread √500 ≈ 22.36.
    assert [r.normalised_mean for r in rows] == [92.36, 47.64]


def test_it_corrects_a_ranking_that_raw_means_get_wrong(cast):
    # 최유나 (strict) rates A over C; 정하늘 (lenient) rates C over B. Honest order: A, C, B.
    a = cast.proposal(title="A")
    b = cast.proposal(author=cast.jihoon, title="B")
    c = cast.proposal(author=cast.seojun, title="C")
    set_phase(cast.call, PhaseKind.REVIEW)
    score(cast, cast.yuna, a, 3)  # 60
    score(cast, cast.yuna, c, 2)  # 40
    score(cast, cast.haneul, b, 4)  # 80
    score(cast, cast.haneul, c, 5)  # 100

    rows = {r.proposal: r for r in services.results(cast.call)}

    raw = sorted(rows, key=lambda p: -rows[p].raw_mean)
    normalised = [r.proposal for r in services.results(cast.call)]
    assert raw == [b.pk, c.pk, a.pk]
    assert normalised == [a.pk, c.pk, b.pk]


def test_it_has_no_results_before_any_scorecard(cast):
    cast.proposal()
    assert services.results(cast.call) == []
