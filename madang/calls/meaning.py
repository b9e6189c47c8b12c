"""Similar ideas by meaning: the embeddings that insight computes and stores, reached by calls.

calls may not import insight (it sits above), so insight registers its embeddings module here
from its `AppConfig.ready()`. Without one registered (or without the packaged model), similar
ideas stay lexical and a submission queues nothing.
"""

import re
from typing import Protocol

import numpy as np

from madang.solvers.semantic import ann, embed

_TAG = re.compile(r"<[^>]+>")


def plain(html: str) -> str:
    return " ".join(_TAG.sub(" ", html or "").replace("&nbsp;", " ").split())


def proposal_text(title: str, problem: str, solution: str) -> str:
    """What is embedded and compared: the title, then the problem and the solution as plain text."""
    return f"{title}. {plain(problem)} {plain(solution)}".strip()


class Vectors(Protocol):
    """A call's stored vectors, with a nearest-neighbour index over them."""

    @property
    def index(self) -> ann.VectorIndex: ...

    def vector(self, key: int) -> np.ndarray | None: ...


class Meaning(Protocol):
    def embedder(self) -> embed.E5Embedder | None: ...

    def call_vectors(self, call_id: int, model: str, dim: int) -> Vectors | None: ...

    def queue_embedding(self, proposal_id: int) -> None: ...


_registered: list[Meaning] = []


def register(meaning: Meaning) -> None:
    if _registered and _registered[0] is not meaning:
        raise RuntimeError("a second source of embeddings is registered")
    _registered[:] = [meaning]


def source() -> Meaning | None:
    return _registered[0] if _registered else None
