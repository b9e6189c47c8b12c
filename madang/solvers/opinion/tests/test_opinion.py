"""Opinion map: hand-checkable cases, planted groups, repness, consensus, determinism, bad input."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.opinion import (
    OpinionError,
    VoteMatrix,
    adjusted_rand_index,
    next_statement,
    opinion_map,
    planted,
)
from madang.solvers.opinion.cluster import silhouette
from madang.solvers.opinion.pca import fit_pca


def _pca_dense(dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent checker: mean-impute, dense eigen-decomposition, Polis scaling."""
    mask = ~np.isnan(dense)
    mean = np.nanmean(dense, axis=0)
    filled = np.where(mask, dense, mean) - mean
    evals, evecs = np.linalg.eigh(filled.T @ filled)
    comps = evecs[:, np.argsort(evals)[::-1][:2]].T
    scale = np.sqrt(dense.shape[1] / np.maximum(mask.sum(axis=1), 1))
    return comps, (filled @ comps.T) * scale[:, None]


def test_it_builds_the_matrix_and_keeps_the_last_vote():
    vm = VoteMatrix.from_votes([0, 0, 1, 0], [1, 0, 1, 1], [1, -1, 0, -1])
    assert vm.n_participants == 2 and vm.n_statements == 2 and vm.n_votes == 3
    assert vm.row(0)[0].tolist() == [0, 1] and vm.row(0)[1].tolist() == [-1, -1]
    assert vm.row(1)[1].tolist() == [0]  # a pass is a stored vote
    assert vm.values.dtype == np.int8


def test_it_splits_two_camps_and_finds_what_they_share():
    # Kim's camp agrees with 0-2 and Lee's camp with 3-5; everyone agrees with 6.
    camp_a = [1, 1, 1, -1, -1, -1, 1]
    camp_b = [-1, -1, -1, 1, 1, 1, 1]
    dense = np.array([camp_a] * 10 + [camp_b] * 10, dtype=float)
    res = opinion_map(VoteMatrix.from_dense(dense), seed=0, pick_max=6)
    assert res.k == 2
    assert adjusted_rand_index(res.labels, [0] * 10 + [1] * 10) == 1.0
    assert [c.statement for c in res.consensus_agree] == [6]
    for g in res.groups:
        agreed = {s.statement for s in g.representative if s.direction == "agree"}
        assert agreed in ({0, 1, 2}, {3, 4, 5})
    # Hand check of the stats for statement 0 in the camp that agrees with it: 10 of 10 agree.
    grp = next(g for g in res.groups if any(s.statement == 0 and s.direction == "agree" for s in g.representative))
    s0 = next(s for s in grp.representative if s.statement == 0)
    assert s0.probability == pytest.approx(11 / 12)
    assert s0.z == pytest.approx(2 * np.sqrt(11) * (11 / 11 - 0.5))
    assert s0.probability_rest == pytest.approx(1 / 12)


def test_it_matches_a_dense_pca_with_missing_votes():
    rng = np.random.default_rng(4)
    dense = rng.choice([-1.0, 0.0, 1.0], size=(40, 9))
    dense[rng.random(dense.shape) < 0.4] = np.nan
    dense[:, 0] = 1.0  # a statement everyone saw
    vm = VoteMatrix.from_dense(dense)
    comps, proj = _pca_dense(dense)
    for method in ("exact", "iterative"):
        pca = fit_pca(vm, active=np.ones(9, bool), n_votes_for_scale=vm.votes_per_participant(), method=method)
        signs = np.sign(np.sum(pca.components * comps, axis=1))
        assert np.allclose(pca.components * signs[:, None], comps, atol=1e-5)
        assert np.allclose(pca.projection * signs[None, :], proj, atol=1e-4)


def test_it_recovers_planted_groups_and_their_statements():
    p = planted(1500, 40, 3, vote_rate=0.4, seed=7)
    res = opinion_map(p.votes, seed=1)
    assert res.k == 3
    assert adjusted_rand_index(res.labels, p.truth) >= 0.9
    found = {s.statement for s in res.consensus_agree}
    assert set(p.consensus) <= found
    for g in res.groups:
        members = p.truth[res.labels == g.id]
        planted_group = int(np.bincount(members).argmax())
        agreed = [s.statement for s in g.representative if s.direction == "agree"]
        assert set(agreed[:3]) == set(p.distinguishing[planted_group])


def test_it_is_deterministic_with_a_seed_and_warm_starts():
    p = planted(800, 30, 2, seed=3)
    a, b = opinion_map(p.votes, seed=5), opinion_map(p.votes, seed=5)
    assert np.array_equal(a.labels, b.labels) and np.array_equal(a.projection, b.projection)
    warm = opinion_map(p.votes, seed=9, previous=a, pca_method="iterative")
    assert adjusted_rand_index(warm.labels, a.labels) == 1.0
    assert np.allclose(warm.components, a.components, atol=1e-4)  # orientation kept


def test_it_leaves_out_people_with_too_few_votes():
    p = planted(300, 20, 2, seed=2)
    vm = p.votes
    dense = vm.to_dense()
    dense[0, 3:] = np.nan  # participant 0 votes on only 3 statements
    res = opinion_map(VoteMatrix.from_dense(dense), seed=0)
    assert res.labels[0] == -1 and np.all(np.isfinite(res.projection[0]))


def test_it_ignores_moderated_statements():
    p = planted(400, 20, 2, seed=2)
    res = opinion_map(p.votes, seed=0, excluded_statements=[0, 1, 2])
    used = {s.statement for g in res.groups for s in g.representative}
    used |= {c.statement for c in res.consensus_agree + res.consensus_disagree}
    assert not used & {0, 1, 2}
    assert np.all(res.components[:, :3] == 0)


def test_it_chooses_unseen_informative_statements():
    p = planted(500, 15, 2, n_consensus=0, n_distinguishing=0, seed=2)
    res = opinion_map(p.votes, seed=0)
    picks = {next_statement(res, [0, 1, 2], seed=s) for s in range(50)}
    assert not picks & {0, 1, 2}
    assert next_statement(res, [0, 1], seed=1) == next_statement(res, [0, 1], seed=1)
    assert next_statement(res, list(range(15)), seed=1) is None
    assert next_statement(res, list(range(15)), seed=1, n_statements=16) == 15  # a brand-new statement


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: VoteMatrix.from_votes([0], [0], [2]), "vote must be"),
        (lambda: VoteMatrix.from_votes([0, 1], [0], [1]), "equal length"),
        (lambda: VoteMatrix.from_votes([-1], [0], [1]), "non-negative"),
        (lambda: VoteMatrix.from_votes([0], [5], [1], n_statements=3), "statement index"),
        (lambda: opinion_map(VoteMatrix.from_votes([0], [0], [1]), seed=0), "fewer than 2"),
        (lambda: opinion_map(VoteMatrix.from_dense([[1, 1], [1, -1]]), seed=0, excluded_statements=[7]), "outside"),
        (lambda: opinion_map([[1]], seed=0), "VoteMatrix"),
    ],
)
def test_it_rejects_bad_input_with_a_domain_error(build, message):
    with pytest.raises(OpinionError, match=message):
        build()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60), st.integers(3, 12))
def test_property_labels_sizes_and_stats_are_consistent(seed, n, m):
    rng = np.random.default_rng(seed)
    dense = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(n, m))
    dense[:, :3] = rng.choice([-1.0, 1.0], size=(n, 3))
    vm = VoteMatrix.from_dense(dense)
    res = opinion_map(vm, seed=seed, min_votes=3)
    clustered = res.labels >= 0
    assert sum(g.size for g in res.groups) == int(clustered.sum())
    assert set(np.unique(res.labels[clustered])) == set(range(res.k))
    assert -1.0 <= res.silhouette <= 1.0
    assert np.all(np.isfinite(res.projection))
    if res.k >= 2 and clustered.sum() <= 5000:
        assert res.silhouette == pytest.approx(silhouette(res.projection[clustered], res.labels[clustered]))
    for g in res.groups:
        for s in g.representative:
            assert 0 < s.probability < 1 and s.z > 1.28 and s.z_ratio > 1.28


def test_adjusted_rand_index_matches_known_values():
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_the_cli_prints_groups():
    out = subprocess.run(
        [sys.executable, "-m", "madang.solvers.opinion", "--synthetic", "300", "--statements", "20"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "groups" in out
