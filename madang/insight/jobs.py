"""Background work for the opinion map and the wiki survey (run by madang/jobs)."""

from typing import Any

from madang.calls.models import Call
from madang.core.errors import NotFound
from madang.insight import services


def _call(call_id: int) -> Call:
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound()
    return call


def opinion_map_job(ctx: Any, *, call_id: int) -> dict[str, Any]:
    snap = services.compute_opinion_map(actor=ctx.job.actor, call=_call(call_id), progress=ctx.progress)
    return {"snapshot": snap.pk, "participants": snap.n_participants, "votes": snap.n_votes, "groups": snap.data["k"]}


def wiki_survey_job(ctx: Any, *, call_id: int) -> dict[str, Any]:
    snap = services.refit_ranking(actor=ctx.job.actor, call=_call(call_id), progress=ctx.progress)
    return {"snapshot": snap.pk, "votes": snap.n_votes, "ideas": len(snap.data["ideas"])}
