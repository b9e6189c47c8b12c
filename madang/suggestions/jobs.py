"""The suggestion system's background work: notices to the office before and after a clock runs out."""

from typing import Any

from madang.suggestions import services


def send_reminders() -> None:
    """Periodic upkeep of `madang worker` (madang/jobs/registry.py PERIODIC): safe on several workers."""
    services.send_reminders()


def reminders_job(ctx: Any) -> dict[str, Any]:
    """The same as a queued job ("suggestions.reminders"), for a run on demand with its count."""
    ctx.progress(0, 1, "")
    sent = services.send_reminders()
    ctx.progress(1, 1, "")
    return {"sent": len(sent)}
