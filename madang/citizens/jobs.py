"""Background work for invitation pools (run by madang/jobs)."""

from typing import Any

from madang.citizens import services


def compute_distribution_job(ctx: Any, *, pool_id: int) -> dict[str, Any]:
    """Compute the LEXIMIN lottery of a closed pool; the result shown on the job is a summary."""
    made = services.run_distribution(pool_id=pool_id, progress=ctx.progress)
    return {
        "pool": pool_id,
        "lottery": made.pk,
        "commitment": made.commitment,
        "panels": len(made.panels),
        "min_probability": min(made.probabilities) if made.probabilities else 0.0,
        "seconds": round(made.seconds, 3),
    }
