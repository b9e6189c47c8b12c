import numpy as np
import pytest

from madang.solvers.semantic import ann
from madang.solvers.semantic.embed import normalise_rows


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim))
    return normalise_rows(centres[rng.integers(40, size=n)] + 0.6 * rng.standard_normal((n, dim)))


def brute(vectors: np.ndarray, q: np.ndarray, k: int) -> list[int]:
    scores = vectors @ q
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]


def test_exact_search_is_brute_force():
    x = clustered(500, 16, seed=1)
    for q in x[:20]:
        rows, scores = ann.exact_search(x, q, 10)
        assert rows.tolist() == brute(x, q, 10)
        assert np.allclose(scores, x[rows] @ q)


def test_ivf_scanning_every_cell_is_exact():
    x = clustered(2000, 16, seed=2)
    index = ann.IVFIndex.build(x, n_lists=20, seed=0)
    assert sorted(index.rows.tolist()) == list(range(2000)) and index.bounds[-1] == 2000
    for q in x[:20]:
        rows, _ = index.search(q, 10, n_probe=20)
        assert rows.tolist() == brute(x, q, 10)


@pytest.mark.parametrize("seed", [3, 4])
def test_ivf_recall_at_10_is_high_on_clustered_vectors(seed):
    x = clustered(5000, 32, seed=seed)
    index = ann.IVFIndex.build(x, seed=seed)
    queries = normalise_rows(x[:50] + 0.05 * np.random.default_rng(seed).standard_normal((50, 32)))
    exact = [ann.exact_search(x, q, 10)[0] for q in queries]
    approx = [index.search(q, 10, n_probe=8)[0] for q in queries]
    assert ann.recall_at_k(exact, approx) >= 0.9


def test_rows_added_after_the_build_are_searched():
    x = clustered(1000, 16, seed=7)
    index = ann.IVFIndex.build(x[:900], seed=0)
    rows = index.add(x[900:])
    assert rows.tolist() == list(range(900, 1000)) and len(index) == 1000
    for q in x[900:910]:
        assert index.search(q, 10, n_probe=index.n_lists)[0].tolist() == brute(x, q, 10)


def test_added_vectors_are_found_and_keys_come_back():
    x = clustered(300, 16, seed=5)
    index = ann.VectorIndex(np.arange(100, 400), x, exact_below=100)
    assert index.ivf is not None
    extra = clustered(3, 16, seed=6)
    index.add(np.array([7, 8, 9]), extra)
    assert len(index) == 303
    key, score = index.search(extra[1], 1)[0]
    assert key == 8 and score == pytest.approx(1.0, abs=2e-3)
    small = ann.VectorIndex(np.array([5, 6]), x[:2])
    assert small.ivf is None and small.search(x[1], 1)[0][0] == 6


def test_top_k_orders_ties_by_index():
    assert ann.top_k(np.array([0.5, 0.9, 0.9, 0.1]), 3).tolist() == [1, 2, 0]
    assert ann.top_k(np.array([]), 3).tolist() == []


def test_a_background_build_serves_exact_results_meanwhile_and_keeps_added_rows():
    x = clustered(600, 16, seed=8)
    index = ann.VectorIndex(np.arange(500), x[:500], exact_below=100, background=True)
    index.add(np.arange(500, 600), x[500:])  # perhaps while the index is being built
    assert index.search(x[550], 1)[0][0] == 550
    index.building.join()
    assert index.ivf is not None and len(index.ivf) == 600
    assert index.search(x[550], 1)[0][0] == 550 and index.search(x[5], 1)[0][0] == 5
