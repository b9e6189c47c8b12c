"""Which function runs each kind of job: an explicit table, resolved when a job runs.

A handler is a plain function `handler(ctx, **params) -> dict | None`; `ctx.progress(done,
total, message)` reports progress and raises `Cancelled` when the job was cancelled. What it
returns (JSON-serialisable) is stored as the job's result.
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any

HANDLERS: dict[str, str] = {
    "jobs.selftest": "madang.jobs.handlers.selftest",
    "ledger.cosign": "madang.ledger.services.cosign_job",
    "citizens.compute_distribution": "madang.citizens.jobs.compute_distribution_job",
    "events.compute": "madang.events.jobs.compute",
    "insight.opinion_map": "madang.insight.jobs.opinion_map_job",
    "insight.wiki_survey": "madang.insight.jobs.wiki_survey_job",
    "insight.duplicates": "madang.insight.jobs.duplicates_job",
    "insight.topics": "madang.insight.jobs.topics_job",
    "insight.embed_proposals": "madang.insight.jobs.embed_proposals_job",
    "documents.batch": "madang.documents.services.batch_job",
    "suggestions.reminders": "madang.suggestions.jobs.reminders_job",
}

# Upkeep the worker runs between jobs: (every so many seconds, function path). Each is a plain
# function with no arguments that is safe to run on several workers at once.
PERIODIC: list[tuple[float, str]] = [
    (5.0, "madang.calls.services.fold_support_counts"),
    # A lab decision passes when its consent window closes, whether or not anyone looks.
    (60.0, "madang.labs.services.settle_due_decisions"),
    # A suggestion's office hears before a legal period runs out, and again once it has.
    (600.0, "madang.suggestions.jobs.send_reminders"),
    # Peer agencies' fingerprint exports are fetched and checked (first to file, across agencies).
    (3600.0, "madang.priority.services.fetch_due"),
    # Personal data is destroyed when its retention period ends (madang/privacy/registry.py),
    # and the access records' chain head is anchored in the public ledger.
    (3600.0, "madang.privacy.services.destroy_due_data"),
    (3600.0, "madang.privacy.services.anchor_chain"),
]


def resolve_path(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def resolve(kind: str) -> Callable[..., Any]:
    return resolve_path(HANDLERS[kind])
