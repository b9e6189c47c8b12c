"""Pairwise wiki survey: hand-checkable fits, scores and bands, adaptive pairs, domain errors."""

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.pairwise import (
    PairwiseError,
    aggregate,
    cast_votes,
    empty,
    fit,
    kendall_tau,
    make_truth,
    mean_win_chance,
    next_pairs,
    run_survey,
    score,
    uniform_pairs,
)


def votes_for(n: int, n_votes: int, seed: int, spread: float = 1.0):
    truth = make_truth(n, seed=seed, spread=spread, late_share=0.0)
    rng = np.random.default_rng(seed + 1)
    w, lo, t = cast_votes(truth, uniform_pairs(truth, 0, n_votes, rng), rng)
    return truth, aggregate(n, w, lo, t)


def penalised_objective(counts, theta, lam):
    """Independent checker: the penalised negative log-likelihood, one pair at a time."""
    total = 0.5 * lam * float(theta @ theta)
    for i, j, a, b, t in zip(counts.i, counts.j, counts.wins_i, counts.wins_j, counts.ties, strict=True):
        d = theta[i] - theta[j]
        a, b = a + 0.5 * t, b + 0.5 * t
        total += a * math.log1p(math.exp(-d)) + b * math.log1p(math.exp(d))
    return total


# ---------------------------------------------------------------- tiny cases by hand


def test_it_fits_two_ideas_in_closed_form_with_the_prior():
    # 3 wins for idea 0, 1 for idea 1. At the mode −(3 − 4σ(d)) + λd/2 = 0 with d = θ0 − θ1 = 2θ0;
    # for d = ln 2 (σ = 2/3) that holds exactly when λ = 2 / (3 ln 2).
    lam = 2 / (3 * math.log(2))
    counts = aggregate(2, [0, 0, 0, 1], [1, 1, 1, 0])
    model = fit(counts, prior_precision=lam, tol=1e-12)
    assert model.converged
    assert model.theta == pytest.approx([math.log(2) / 2, -math.log(2) / 2], abs=1e-9)
    # Var(θ0 − θ1) = 2 / (λ + 2w), w = m p (1 − p) = 4 · 2/9
    assert model.variance == pytest.approx([2 / (lam + 16 / 9)] * 2, rel=1e-9)
    table = score(model, counts)
    assert table.score == pytest.approx([2 / 3, 1 / 3])
    assert list(table.wins) == [3, 1] and list(table.losses) == [1, 3]


def test_it_approaches_the_plain_likelihood_estimate_as_the_prior_vanishes():
    counts = aggregate(2, [0] * 6 + [1] * 2, [1] * 6 + [0] * 2)
    model = fit(counts, prior_precision=1e-9, tol=1e-12)
    assert model.theta[0] - model.theta[1] == pytest.approx(math.log(3), abs=1e-6)


def test_it_keeps_one_sided_and_single_votes_finite():
    counts = aggregate(3, [0, 0, 0, 0, 2], [1, 1, 1, 1, 1])
    model = fit(counts)
    assert np.isfinite(model.theta).all() and model.converged
    assert model.theta[0] > model.theta[2] > model.theta[1]


def test_it_counts_a_cant_decide_as_half_a_win_each_or_ignores_it():
    counts = aggregate(2, [0, 1], [1, 0], tie=[True, True])
    assert list(counts.per_idea()[2]) == [2, 2]
    assert fit(counts).theta == pytest.approx([0.0, 0.0])
    # with one decided vote, ties pull the two ideas together when counted
    counts = aggregate(2, [0, 0, 0], [1, 1, 1], tie=[False, True, True])
    half, ignored = fit(counts, ties="half"), fit(counts, ties="ignore")
    assert 0 < half.theta[0] < ignored.theta[0]
    assert score(ignored, counts).ties.tolist() == [2, 2]


def test_it_gives_an_idea_without_votes_the_prior_and_a_score_of_one_half_among_equals():
    model = fit(empty(3))
    assert model.theta.tolist() == [0.0, 0.0, 0.0]
    table = score(model)
    assert table.score == pytest.approx([0.5] * 3)
    assert (table.lower < 0.5).all() and (table.upper > 0.5).all()


# ---------------------------------------------------------------- fit, checked independently


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 12),
    votes=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.booleans()), min_size=1, max_size=60),
    lam=st.sampled_from([0.1, 1.0, 4.0]),
)
def test_it_finds_the_minimum_of_the_penalised_likelihood(n, votes, lam):
    votes = [(a % n, b % n, t) for a, b, t in votes if a % n != b % n]
    if not votes:
        return
    w, lo, t = (list(x) for x in zip(*votes, strict=True))
    counts = aggregate(n, w, lo, t)
    assert counts.n_votes == len(votes)
    model = fit(counts, prior_precision=lam, tol=1e-10)
    assert model.converged
    best = penalised_objective(counts, model.theta, lam)
    rng = np.random.default_rng(0)
    for _ in range(10):
        assert penalised_objective(counts, model.theta + 1e-3 * rng.standard_normal(n), lam) >= best - 1e-12
    table = score(model, counts)
    assert ((table.score >= 0) & (table.score <= 1)).all()
    assert table.score.mean() == pytest.approx(0.5, abs=1e-12)
    assert (table.lower <= table.score + 1e-15).all() and (table.score <= table.upper + 1e-15).all()
    # the score is increasing in θ
    lower_theta = model.theta[:, None] < model.theta[None, :] - 1e-9
    assert (table.score[:, None] <= table.score[None, :] + 1e-12)[lower_theta].all()


def test_it_merges_batches_into_the_same_counts_as_one_aggregation():
    rng = np.random.default_rng(9)
    w = rng.integers(0, 30, 400)
    lo = (w + rng.integers(1, 30, 400)) % 30
    t = rng.random(400) < 0.1
    first, second = aggregate(30, w[:150], lo[:150], t[:150]), aggregate(30, w[150:], lo[150:], t[150:])
    whole, merged = aggregate(30, w, lo, t), first.merge(second)
    for name in ("i", "j", "wins_i", "wins_j", "ties"):
        assert np.array_equal(getattr(whole, name), getattr(merged, name))
    # sparse (sort) and direct (bincount) counting agree
    big = aggregate(5000, w, lo, t)
    assert np.array_equal(big.wins_i, whole.wins_i) and np.array_equal(big.j, whole.j)


def test_it_warm_starts_to_the_same_answer_in_fewer_steps():
    truth = make_truth(200, seed=5, late_share=0.0)
    rng = np.random.default_rng(5)
    w, lo, t = cast_votes(truth, uniform_pairs(truth, 0, 4400, rng), rng)
    cold = fit(aggregate(200, w[:4000], lo[:4000], t[:4000]))
    more = aggregate(200, w, lo, t)
    warm, again = fit(more, init=cold.theta), fit(more)
    assert warm.theta == pytest.approx(again.theta, abs=1e-6)
    assert warm.newton_steps < again.newton_steps


def test_its_variance_shortcut_is_close_to_the_exact_laplace_variance():
    _, counts = votes_for(150, 3000, seed=6)
    exact, quick = fit(counts, exact_variance_limit=1000), fit(counts, exact_variance_limit=0)
    assert quick.variance == pytest.approx(exact.variance, rel=0.05)


# ---------------------------------------------------------------- scores and bands


def test_it_recovers_a_known_ranking_from_simulated_votes():
    truth, counts = votes_for(60, 12_000, seed=1)
    model = fit(counts)
    assert kendall_tau(model.theta, truth.theta) > 0.85
    assert kendall_tau(score(model, counts).score, truth.theta) > 0.85


def test_it_narrows_the_bands_with_more_votes_and_widens_them_for_thinly_voted_ideas():
    _, few = votes_for(80, 800, seed=2)
    _, many = votes_for(80, 16_000, seed=2)
    width_few = score(fit(few), few)
    width_many = score(fit(many), many)
    assert np.median(width_many.upper - width_many.lower) < 0.5 * np.median(width_few.upper - width_few.lower)
    # one idea with two votes among well-voted ideas has the widest band
    truth = make_truth(20, seed=3, late_share=0.0)
    rng = np.random.default_rng(3)
    pairs = uniform_pairs(truth, 0, 4000, rng)
    pairs = pairs[(pairs != 0).all(axis=1)]
    pairs = np.vstack([pairs, [[0, 5], [0, 9]]])
    w, lo, t = cast_votes(truth, pairs, rng)
    counts = aggregate(20, w, lo, t)
    table = score(fit(counts), counts)
    width = table.upper - table.lower
    assert width.argmax() == 0 and table.std_error.argmax() == 0


def test_its_binned_scores_match_the_exact_sum():
    rng = np.random.default_rng(8)
    theta = rng.normal(0, 1.5, 6000)
    q = np.linspace(-6, 6, 101)
    exact = mean_win_chance(theta, q, exact_limit=10_000)
    binned = mean_win_chance(theta, q, exact_limit=10)
    assert binned == pytest.approx(exact, abs=1e-4)


# ---------------------------------------------------------------- adaptive pairs


def test_it_never_pairs_an_idea_with_itself_and_shows_only_active_ideas():
    _, counts = votes_for(50, 1000, seed=3)
    model = fit(counts)
    active = np.ones(50, dtype=bool)
    active[::7] = False
    pairs = next_pairs(model, 2000, seed=1, active=active, shown=counts.per_idea()[0])
    assert (pairs[:, 0] != pairs[:, 1]).all()
    assert active[pairs].all()


def test_it_is_reproducible_for_a_seed():
    _, counts = votes_for(40, 800, seed=3)
    model = fit(counts)
    assert np.array_equal(next_pairs(model, 50, seed=11), next_pairs(model, 50, seed=11))
    assert not np.array_equal(next_pairs(model, 50, seed=11), next_pairs(model, 50, seed=12))
    truth = make_truth(40, seed=2)
    a, b = run_survey(truth, 1500, seed=4), run_survey(truth, 1500, seed=4)
    assert np.array_equal(a.winner, b.winner) and np.array_equal(a.tie, b.tie)


def test_it_shows_a_new_idea_at_once_and_until_it_has_its_floor_of_votes():
    _, counts = votes_for(100, 5000, seed=3)
    model = fit(counts)
    shown = np.append(counts.per_idea()[0] + counts.per_idea()[1] + counts.per_idea()[2], 0)
    hits = 0
    for s in range(40):  # one request at a time, as a page would ask
        pair = next_pairs(model, 1, seed=s, shown=shown)[0]
        hits += 100 in pair
        np.add.at(shown, pair, 1)
    assert hits >= 8  # min_shown: it reaches its floor within the first 40 requests


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_it_never_starves_late_arrivals_in_an_adaptive_survey(seed):
    n, votes = 40, 2000
    truth = make_truth(n, seed=seed, late_share=0.4, late_until=1200)
    trace = run_survey(truth, votes, seed=seed, batch=20)
    shown = np.bincount(np.concatenate([trace.winner, trace.loser]), minlength=n)
    late = truth.arrival > 0
    assert late.any()
    # every late idea got at least its floor of votes, and not far below a fair share of its time
    assert (shown[late] >= 8).all()
    share = 2 * (votes - truth.arrival) / n
    assert (shown >= 0.3 * share).all()


def test_it_reaches_a_good_ranking_with_adaptive_pairs():
    truth = make_truth(80, seed=7)
    trace = run_survey(truth, 8000, seed=1, checkpoints=[8000])
    assert trace.tau[-1] > 0.85


# ---------------------------------------------------------------- domain errors


@pytest.mark.parametrize(
    ("winner", "loser", "message"),
    [
        ([0, 5], [1, 0], "unknown idea 5"),
        ([0, 1], [1, -1], "unknown idea -1"),
        ([0, 2], [1, 2], "idea 2 against itself"),
        ([0, 1], [1], "different lengths"),
        ([0.5], [1], "integer idea indices"),
    ],
)
def test_it_refuses_bad_votes_with_a_clear_message(winner, loser, message):
    with pytest.raises(PairwiseError, match=message):
        aggregate(3, winner, loser)


def test_it_refuses_bad_settings():
    counts = aggregate(3, [0], [1])
    with pytest.raises(PairwiseError, match="prior_precision"):
        fit(counts, prior_precision=0)
    with pytest.raises(PairwiseError, match="ties"):
        fit(counts, ties="draw")
    with pytest.raises(PairwiseError, match="seed"):
        next_pairs(fit(counts), 1, seed=None)
    with pytest.raises(PairwiseError, match="two active ideas"):
        next_pairs(fit(counts), 1, seed=0, active=[True, False, False])
    with pytest.raises(PairwiseError, match="lose ideas"):
        counts.with_ideas(2)
    assert isinstance(PairwiseError("x"), ValueError)


# ---------------------------------------------------------------- packaging


def test_it_imports_no_django_and_runs_from_the_command_line():
    code = "import sys, madang.solvers.pairwise; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    cli = subprocess.run(
        [sys.executable, "-m", "madang.solvers.pairwise", "--ideas", "30", "--votes", "1500"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Kendall tau" in cli.stdout
