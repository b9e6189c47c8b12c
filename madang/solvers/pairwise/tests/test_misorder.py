"""The misorder-reduction rule for the next pairs (misorder.py, next_pairs(method="misorder"))."""

import math
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.pairwise import Fit, PairwiseError, fit, make_truth, next_pairs, run_survey
from madang.solvers.pairwise.misorder import flip_value, pair_value

from .test_pairwise import votes_for

RULE = {"method": "misorder"}


def _phi_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


@pytest.mark.parametrize(("mu", "s", "t"), [(0.0, 1.0, 0.1), (0.05, 0.5, 0.05), (0.2, 1.0, 0.15), (0.0, 0.3, 0.02)])
def test_its_flip_value_matches_a_monte_carlo_of_the_expected_fall_in_misorder(mu, s, t):
    # independent checker: the misorder chance before, minus its mean after the mean moves by N(0, t²)
    rng = np.random.default_rng(0)
    moved = mu + t * rng.standard_normal(400_000)
    after_s = math.sqrt(s * s - t * t)
    after = np.mean([_phi_cdf(-abs(x) / after_s) for x in moved[:40_000]])
    fall = _phi_cdf(-abs(mu) / s) - after
    assert float(flip_value(np.array([mu]), np.array([s]), np.array([t]))[0]) == pytest.approx(fall, rel=0.15, abs=2e-4)


def test_its_flip_value_at_a_tie_is_the_arcsine_law_to_first_order():
    s, t = 1.0, 0.05
    assert float(flip_value(np.array([0.0]), np.array([s]), np.array([t]))[0]) == pytest.approx(
        math.asin(t / s) / math.pi, rel=1e-3
    )


def test_it_values_a_close_uncertain_pair_above_a_settled_or_far_one():
    mu = np.array([0.0, 0.05, 3.0, 0.0, 0.05])
    var = np.array([0.3, 0.3, 0.3, 0.001, 0.001])
    by = np.argsort(mu, kind="stable")
    rank = np.empty(5, dtype=np.int64)
    rank[by] = np.arange(5)
    value = pair_value(mu, var, mu[by], var[by], rank, np.array([0, 0, 3]), np.array([1, 2, 4]), window=4)
    close_uncertain, far, settled = value
    assert close_uncertain > far and close_uncertain > settled


def test_it_never_pairs_an_idea_with_itself_and_shows_only_active_ideas():
    _, counts = votes_for(50, 1000, seed=3)
    model = fit(counts)
    active = np.ones(50, dtype=bool)
    active[::7] = False
    pairs = next_pairs(model, 2000, seed=1, active=active, shown=counts.per_idea()[0], **RULE)
    assert pairs.shape == (2000, 2)
    assert (pairs[:, 0] != pairs[:, 1]).all()
    assert active[pairs].all()
    # two active ideas only: every pair is those two
    two = np.zeros(50, dtype=bool)
    two[[4, 9]] = True
    assert {tuple(sorted(p)) for p in next_pairs(model, 50, seed=2, active=two, **RULE).tolist()} == {(4, 9)}


def test_it_is_reproducible_for_a_seed():
    _, counts = votes_for(40, 800, seed=3)
    model = fit(counts)
    assert np.array_equal(next_pairs(model, 50, seed=11, **RULE), next_pairs(model, 50, seed=11, **RULE))
    assert not np.array_equal(next_pairs(model, 50, seed=11, **RULE), next_pairs(model, 50, seed=12, **RULE))
    truth = make_truth(40, seed=2)
    a = run_survey(truth, 1500, seed=4, select_options=RULE)
    b = run_survey(truth, 1500, seed=4, select_options=RULE)
    assert np.array_equal(a.winner, b.winner) and np.array_equal(a.tie, b.tie)


def test_it_shows_a_new_idea_at_once_and_until_it_has_its_floor_of_votes():
    _, counts = votes_for(100, 5000, seed=3)
    model = fit(counts)
    per = counts.per_idea()
    shown = np.append(per[0] + per[1] + per[2], 0)
    hits = 0
    for s in range(40):  # one request at a time, as a page would ask
        pair = next_pairs(model, 1, seed=s, shown=shown, **RULE)[0]
        hits += 100 in pair
        np.add.at(shown, pair, 1)
    assert hits >= 8


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_it_never_starves_late_arrivals_in_an_adaptive_survey(seed):
    n, votes = 40, 2000
    truth = make_truth(n, seed=seed, late_share=0.4, late_until=1200)
    trace = run_survey(truth, votes, seed=seed, batch=20, select_options=RULE)
    shown = np.bincount(np.concatenate([trace.winner, trace.loser]), minlength=n)
    late = truth.arrival > 0
    assert late.any()
    assert (shown[late] >= 8).all()
    share = 2 * (votes - truth.arrival) / n
    # the rule spends less on ideas in the thin tails of the scale (their order is rarely in
    # doubt), so its lower bound is 0.2 of a fair share, not the Thompson rule's 0.3
    assert (shown >= 0.2 * share).all()


def test_it_reaches_a_good_ranking():
    truth = make_truth(80, seed=7)
    trace = run_survey(truth, 8000, seed=1, checkpoints=[8000], select_options=RULE)
    assert trace.tau[-1] > 0.85


def test_its_cost_does_not_grow_with_the_square_of_the_number_of_ideas():
    n = 100_000  # an n × n float matrix would be 80 GB; the rule works on O(n + k·candidates·window)
    rng = np.random.default_rng(5)
    model = Fit(rng.normal(size=n), rng.uniform(0.01, 1.0, n), 1.0, "half", 0, 0, True, 0.0)
    next_pairs(model, 10, seed=0, **RULE)  # warm up imports
    tracemalloc.start()
    start = time.perf_counter()
    pairs = next_pairs(model, 200, seed=1, **RULE)
    took = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (pairs[:, 0] != pairs[:, 1]).all()
    assert peak < 64 * 2**20
    assert took < 5.0


def test_it_refuses_bad_settings():
    _, counts = votes_for(10, 50, seed=1)
    model = fit(counts)
    with pytest.raises(PairwiseError, match="method"):
        next_pairs(model, 1, seed=0, method="best")
    with pytest.raises(PairwiseError, match="candidates"):
        next_pairs(model, 1, seed=0, method="misorder", candidates=0)
    with pytest.raises(PairwiseError, match="near_share"):
        next_pairs(model, 1, seed=0, method="misorder", near_share=1.5)
