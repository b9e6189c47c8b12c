"""insight's embeddings serve calls' similar ideas (madang/calls/meaning.py)."""

from madang.calls import meaning
from madang.insight import embeddings


def register() -> None:
    """Called from InsightConfig.ready()."""
    meaning.register(embeddings)
