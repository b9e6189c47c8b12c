"""The prior precision estimated from the votes (model.evidence_precision, fit_evidence)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.pairwise import empty, evidence_precision, fit, fit_evidence, make_truth, run_survey

from .test_pairwise import votes_for


def dense_hessian(counts, theta, lam):
    """Independent checker: H = Σ_pairs m p (1 − p) (e_i − e_j)(e_i − e_j)ᵀ + λ I, one pair at a time."""
    n = counts.n_ideas
    h = lam * np.eye(n)
    for i, j, a, b, t in zip(counts.i, counts.j, counts.wins_i, counts.wins_j, counts.ties, strict=True):
        p = 1.0 / (1.0 + math.exp(-(theta[i] - theta[j])))
        w = (a + b + t) * p * (1.0 - p)
        h[i, i] += w
        h[j, j] += w
        h[i, j] -= w
        h[j, i] -= w
    return h


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), spread=st.sampled_from([0.5, 1.0, 2.0]))
def test_it_stops_at_mackays_fixed_point_computed_from_the_full_hessian(seed, spread):
    _, counts = votes_for(40, 1200, seed=seed, spread=spread)
    model = fit_evidence(counts, rtol=1e-4, rounds=200)
    lam = model.prior_precision
    h = dense_hessian(counts, model.theta, lam)
    # γ = n − λ trace(H⁻¹): the common shift's eigenvalue is λ, so it adds 1 − λ/λ = 0 by itself
    gamma = counts.n_ideas - lam * float(np.trace(np.linalg.inv(h)))
    assert 0.05 <= lam <= 20.0
    assert lam == pytest.approx(gamma / float(model.theta @ model.theta), rel=0.01)


def test_it_estimates_a_weaker_prior_for_a_more_spread_out_truth():
    lams = [fit_evidence(votes_for(200, 6000, seed=4, spread=s)[1]).prior_precision for s in (0.5, 1.0, 2.0)]
    assert lams[0] > lams[1] > lams[2]
    # the fitted scale is the truth's, a little shrunk by disagreeing groups and "can't decide"s
    assert 1 / 0.5**2 * 0.7 < lams[0] < 1 / 0.5**2 * 2.0
    assert 1 / 2.0**2 * 0.7 < lams[2] < 1 / 2.0**2 * 2.0


def test_it_keeps_the_prior_of_a_fit_without_votes_and_respects_its_bounds():
    assert evidence_precision(fit(empty(10), prior_precision=3.0)) == 3.0
    assert evidence_precision(fit(empty(10), prior_precision=50.0)) == 20.0
    _, counts = votes_for(60, 3000, seed=2, spread=3.0)
    assert evidence_precision(fit(counts), bounds=(0.5, 20.0)) == 0.5


def test_it_follows_the_votes_in_a_survey_and_stays_reproducible():
    truth = make_truth(60, seed=5, spread=2.0)
    a = run_survey(truth, 3000, seed=1, estimate_prior=True)
    b = run_survey(truth, 3000, seed=1, estimate_prior=True)
    assert a.fit is not None and b.fit is not None
    assert np.array_equal(a.winner, b.winner) and a.fit.prior_precision == b.fit.prior_precision
    # started at λ = 1, it moved towards 1 / 2² for the wider truth
    assert a.fit.prior_precision < 0.6
