"""Background work for events (run by madang/jobs): one registered kind, `events.compute`,
dispatching on `task` so that a new planner is one more line here, not in the jobs registry."""

from collections.abc import Callable
from typing import Any

from madang.events.services.cafe import compute_replan, compute_rotation
from madang.events.services.groups import compute_groups
from madang.events.services.open_space import compute_schedule
from madang.jobs.services import JobContext


def _groups(ctx: JobContext, id: int) -> dict[str, Any]:
    g = compute_groups(grouping_id=id, progress=ctx.progress)
    return {"grouping": g.pk, "groups": len(g.groups), "objective": round(g.objective or 0.0, 3)}


def _rotation(ctx: JobContext, id: int) -> dict[str, Any]:
    r = compute_rotation(rotation_id=id, progress=ctx.progress)
    return {"rotation": r.pk, "version": r.version, "repeated_pairs": r.repeated_pairs}


def _replan(ctx: JobContext, id: int, from_round: int, absent: list[int], arrived: list[int]) -> dict[str, Any]:
    r = compute_replan(
        rotation_id=id,
        from_round=from_round,
        absent=absent,
        arrived=arrived,
        actor_id=ctx.job.actor_id,
        progress=ctx.progress,
    )
    return {"rotation": r.pk, "version": r.version, "changed_seats": r.last_replan.get("changed_seats", 0)}


def _schedule(ctx: JobContext, id: int) -> dict[str, Any]:
    s = compute_schedule(schedule_id=id, progress=ctx.progress)
    return {"schedule": s.pk, "turned_away": s.turned_away, "clashes": s.clashes}


# Each planner takes the job's own parameters besides `task` (an id, and for a re-plan who changed).
TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "groups": _groups,
    "rotation": _rotation,
    "replan": _replan,
    "schedule": _schedule,
}


def compute(ctx: JobContext, *, task: str, **params: Any) -> dict[str, Any]:
    return TASKS[task](ctx, **params)
