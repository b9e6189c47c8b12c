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


def duplicates_job(ctx: Any, *, call_id: int) -> dict[str, Any]:
    """The duplicate clusters of a call; the result JSON is what the duplicates page shows."""
    return services.find_duplicates(call=_call(call_id), progress=ctx.progress)


def topics_job(ctx: Any, *, call_id: int) -> dict[str, Any]:
    """The topic map of a call; the result JSON is what the topics page shows."""
    return services.map_topics(call=_call(call_id), progress=ctx.progress)


def embed_proposals_job(
    ctx: Any, *, proposal_ids: list[int] | None = None, call_id: int | None = None
) -> dict[str, Any]:
    """Sentence embeddings of submitted proposals, for similar ideas (see madang.insight.embeddings)."""
    from madang.insight import embeddings

    return embeddings.store_embeddings(proposal_ids=proposal_ids, call_id=call_id, progress=ctx.progress)
