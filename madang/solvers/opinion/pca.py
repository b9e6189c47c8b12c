"""Sparsity-aware PCA of a vote matrix (Polis, `math/src/polismath/math/pca.clj`; red-dwarf `run_pca`).

Polis imputes every unseen vote with the statement's mean, so after centring an unseen entry is exactly
zero: the centred matrix S has the sparsity pattern of the votes, with ``S[p, j] = vote - mean_j`` where
p voted. We never form the mean-imputed dense matrix. The components are the top eigenvectors of
``SᵀS``: from a dense eigendecomposition of the statements × statements Gram matrix when there are few
statements; by implicitly restarted Lanczos (ARPACK, which only applies S and Sᵀ to vectors) up to
``LANCZOS_MAX_VOTES``; beyond that by float32 block subspace iteration on S (Halko, Martinsson & Tropp
2011, alg. 4.4), which halves the memory of the centred copy. Both iterative methods start from the
previous components, so a refresh after new votes converges quickly (Polis also warm-starts its power
iteration from the last components). These are the same components as scikit-learn's PCA on the
mean-imputed matrix (which red-dwarf runs), up to sign; signs follow scikit-learn's rule (largest
entry positive) unless a previous map fixes the orientation. Each participant's projection is then scaled by
``sqrt(n_statements / n_votes_of_participant)`` so that people who voted on few statements are not
pulled to the centre (Polis `sparsity-aware-project-ptpt`; Small et al. 2021, "Polis: scaling
deliberation", §3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from madang.solvers.opinion.matrix import VoteMatrix

EXACT_MAX_STATEMENTS = 64  # dense eigendecomposition of the Gram matrix up to this many statements
LANCZOS_MAX_VOTES = 20_000_000  # above: float32 block subspace iteration (half the memory, warm starts)


@dataclass(frozen=True)
class Pca:
    center: np.ndarray  # (n_statements,) mean vote of each statement among those who saw it
    components: np.ndarray  # (n_components, n_statements), unit rows
    variance: np.ndarray  # (n_components,) eigenvalues of the covariance (divided by n_participants)
    projection: np.ndarray  # (n_participants, n_components), scaled
    scale: np.ndarray  # (n_participants,) the sqrt(n_statements / n_votes) factors
    iterations: int  # 0 for the exact path


def centred_operator(votes: VoteMatrix, active: np.ndarray, dtype: type) -> tuple[sp.csr_matrix, np.ndarray]:
    """S as a CSR matrix (float data, shared indices) and the statement means; inactive statements are 0."""
    seen = np.bincount(votes.indices, minlength=votes.n_statements).astype(np.float64)
    total = np.bincount(votes.indices, weights=votes.values, minlength=votes.n_statements)
    center = np.divide(total, seen, out=np.zeros_like(total), where=seen > 0)
    center[~active] = 0.0
    data: np.ndarray = votes.values.astype(dtype)
    data -= center.astype(dtype)[votes.indices]
    if not active.all():
        data[~active[votes.indices]] = 0.0
    s = sp.csr_matrix((data, votes.indices, votes.indptr), shape=(votes.n_participants, votes.n_statements), copy=False)
    return s, center


def fit_pca(
    votes: VoteMatrix,
    *,
    active: np.ndarray,
    n_votes_for_scale: np.ndarray,
    n_components: int = 2,
    warm: np.ndarray | None = None,
    seed: int = 0,
    method: str = "auto",
    tol: float = 1e-9,
    max_iter: int = 300,
) -> Pca:
    """Top ``n_components`` principal components of the mean-imputed vote matrix and scaled projections."""
    if method not in ("auto", "exact", "lanczos", "iterative"):
        raise ValueError(f"unknown PCA method {method!r}")
    m = votes.n_statements
    k = min(n_components, m)
    if method == "auto":
        if votes.n_votes > LANCZOS_MAX_VOTES:
            method = "iterative"
        elif m <= EXACT_MAX_STATEMENTS or m <= k + 1:
            method = "exact"
        else:
            method = "lanczos"
    if method == "lanczos" and m <= k + 1:
        method = "exact"
    s, center = centred_operator(votes, active, np.float32 if method == "iterative" else np.float64)
    n = max(votes.n_participants, 1)
    iterations = 0
    if method == "exact":
        gram = (s.T @ s).toarray()
        evals, evecs = np.linalg.eigh(gram)
        order = np.argsort(evals)[::-1][:k]
        comps, lam = evecs[:, order].T, np.maximum(evals[order], 0.0)
    elif method == "lanczos":
        comps, lam, iterations = _lanczos(s, k, warm, seed)
    else:
        comps, lam, iterations = _subspace_iteration(s, k, warm, seed, tol, max_iter)
    comps = _fix_signs(comps, warm)
    if comps.shape[0] < n_components:
        comps = np.vstack([comps, np.zeros((n_components - comps.shape[0], m))])
        lam = np.concatenate([lam, np.zeros(n_components - lam.shape[0])])
    scale = np.sqrt(m / np.maximum(n_votes_for_scale, 1)).astype(np.float64)
    proj = np.asarray(s @ comps.T.astype(s.dtype), dtype=np.float64) * scale[:, None]
    return Pca(center, comps, lam / n, proj, scale, iterations)


def _lanczos(s: sp.csr_matrix, k: int, warm: np.ndarray | None, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Top-k eigenpairs of SᵀS by implicitly restarted Lanczos (ARPACK), applying S and Sᵀ to one
    vector at a time; the start vector is the previous components' sum when there is one."""
    m = s.shape[1]
    rng = np.random.default_rng(seed)
    v0 = rng.standard_normal(m)
    if warm is not None and warm.size:
        cols = min(warm.shape[1], m)
        v0 = 1e-3 * v0
        v0[:cols] += warm[:k, :cols].sum(axis=0)
    st = s.T.tocsr()
    count = [0]

    def matvec(v: np.ndarray) -> np.ndarray:
        count[0] += 1
        return st @ (s @ v)

    op = spla.LinearOperator((m, m), matvec=matvec, dtype=np.float64)
    evals, evecs = spla.eigsh(op, k=k, which="LA", v0=v0, tol=1e-12)
    order = np.argsort(evals)[::-1]
    return evecs[:, order].T, np.maximum(evals[order], 0.0), count[0]


def _subspace_iteration(
    s: sp.csr_matrix, k: int, warm: np.ndarray | None, seed: int, tol: float, max_iter: int
) -> tuple[np.ndarray, np.ndarray, int]:
    m = s.shape[1]
    b = min(m, k + 6)  # oversampling speeds convergence when eigenvalues k and k+1 are close
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((m, b))
    if warm is not None and warm.size:
        w = np.zeros((min(warm.shape[0], b), m))
        cols = min(warm.shape[1], m)
        w[:, :cols] = warm[: w.shape[0], :cols]
        q[:, : w.shape[0]] = w.T + 1e-3 * q[:, : w.shape[0]]
    q, _ = np.linalg.qr(q)
    st = s.T  # CSC view of Sᵀ, no copy
    prev = None
    it = 0
    while True:
        it += 1
        z = np.asarray(st @ (s @ q.astype(s.dtype)), dtype=np.float64)
        # Rayleigh–Ritz on the current block; stop when the top-k Ritz vectors stop turning.
        small = q.T @ z
        evals, evecs = np.linalg.eigh((small + small.T) / 2)
        ritz = q @ evecs[:, np.argsort(evals)[::-1][:k]]
        if prev is not None and np.all(np.abs(np.sum(ritz * prev, axis=0)) >= 1.0 - tol):
            break
        if it >= max_iter:
            break
        prev = ritz
        q, _ = np.linalg.qr(z)
    order = np.argsort(evals)[::-1][:k]
    comps = (q @ evecs[:, order]).T
    return comps, np.maximum(evals[order], 0.0), it


def _fix_signs(comps: np.ndarray, warm: np.ndarray | None) -> np.ndarray:
    """Eigenvector signs are arbitrary; keep the previous map's orientation, else make the largest entry positive."""
    comps = comps.copy()
    for i in range(comps.shape[0]):
        ref = None
        if warm is not None and i < warm.shape[0]:
            cols = min(warm.shape[1], comps.shape[1])
            dot = float(warm[i, :cols] @ comps[i, :cols])
            ref = dot if abs(dot) > 1e-9 else None
        if ref is None:
            ref = comps[i, np.argmax(np.abs(comps[i]))]
        if ref < 0:
            comps[i] = -comps[i]
    return comps
