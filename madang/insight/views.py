"""Pages of the opinion map, the wiki survey, and the team's duplicate clusters and topic map. Each
partial (`_statement.html`, `_pair.html`, `_merged.html`) is swapped in by htmx and works as a plain
form post without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.calls.models import Call
from madang.core import retry
from madang.core.errors import DomainError
from madang.core.htmx import htmx_of
from madang.insight import charts, forms, rules, selectors, services
from madang.insight.models import Idea, Statement
from madang.jobs.models import Job
from madang.jobs.selectors import latest as latest_job
from madang.people.auth import signed_in


def _bad_form() -> DomainError:
    return DomainError(_("Some of what was sent is not valid. Please try again."), code="bad_form")


# ---------------------------------------------------------------- the call's tools


def index(request: HttpRequest, slug: str) -> HttpResponse:
    """What collective intelligence a call offers, and how far each tool has come."""
    call = selectors.access_call(request.user, slug)
    user = request.user
    return render(
        request,
        "insight/index.html",
        {
            "call": call,
            "can_vote": rules.can_vote(user, call),
            "can_manage": rules.can_manage(user, call),
            "can_see_duplicates": rules.can_see_duplicates(user, call),
            "can_see_topics": rules.can_see_topics(user, call),
            "n_statements": selectors.approved_statements(call).count(),
            "n_ideas": selectors.active_ideas(call).count(),
            "opinion_map": selectors.latest_opinion_map(call),
            "ranking": selectors.latest_ranking(call),
        },
    )


# ---------------------------------------------------------------- opinion map


def _map_context(call: Call) -> dict[str, Any]:
    snap = selectors.latest_opinion_map(call)
    if snap is None:
        return {"snap": None}
    texts = dict(Statement.objects.filter(call=call).values_list("pk", "text"))
    data = snap.data
    groups = [
        {
            **g,
            "letter": charts.group_letter(g["id"]),
            "colour": charts.group_colour(g["id"]),
            "representative": [{**r, "text": texts.get(r["statement"], "")} for r in g["representative"]],
        }
        for g in data["groups"]
    ]
    legend = [(g["id"], _("Group %(letter)s (%(n)d)") % {"letter": g["letter"], "n": g["size"]}) for g in groups]
    svg = charts.scatter(data["points"], title=_("Opinion map: each dot is one participant"), legend=legend)
    consensus = [
        {**c, "text": texts.get(c["statement"], ""), "direction": d}
        for d in ("agree", "disagree")
        for c in data[f"consensus_{d}"]
    ]
    return {
        "snap": snap,
        "groups": groups,
        "svg": svg,
        "consensus": consensus,
        "ungrouped": sum(1 for p in data["points"] if p[2] < 0),
    }


def _opinion_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    user = request.user
    manage = rules.can_manage(user, call)
    return {
        "call": call,
        "can_vote": rules.can_vote(user, call),
        "can_manage": manage,
        "statement": services.choose_statement(user=user, call=call) if rules.can_vote(user, call) else None,
        "my_votes": selectors.my_votes(user, call)[:100],
        "n_statements": selectors.approved_statements(call).count(),
        "pending": selectors.pending_statements(call) if manage else [],
        "tallies": selectors.statement_tallies(call) if manage else [],
        "job": latest_job(subject=f"insight-map:{call.pk}", kind=services.OPINION_JOB) if manage else None,
        "form": forms.StatementForm(),
        **_map_context(call),
        **extra,
    }


def opinion(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    return render(request, "insight/opinion.html", _opinion_context(request, call))


@login_required
@require_POST
def opinion_vote(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    form = forms.OpinionVoteForm(request.POST)
    if not form.is_valid():
        raise _bad_form()
    statement = selectors.access_statement(request.user, call, form.cleaned_data["statement"])
    services.vote_statement(actor=signed_in(request), statement=statement, value=form.cleaned_data["value"])
    if htmx_of(request):
        nxt = services.choose_statement(user=request.user, call=call)
        return render(
            request, "insight/_statement.html", {"call": call, "statement": nxt, "can_vote": True, "voted": statement}
        )
    return redirect("insight:opinion", call.slug)


@login_required
@require_POST
def opinion_add(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    form = forms.StatementForm(request.POST)
    if not form.is_valid():
        return render(request, "insight/opinion.html", _opinion_context(request, call, form=form), status=400)
    s = services.add_statement(actor=signed_in(request), call=call, text=form.cleaned_data["text"])
    messages.success(
        request,
        _("Statement added.") if s.state == "approved" else _("Thank you. The team will look at your statement."),
    )
    return redirect("insight:opinion", call.slug)


@login_required
@require_POST
def opinion_moderate(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="manage")
    form = forms.ModerateForm(request.POST)
    if not form.is_valid():
        raise _bad_form()
    statement = selectors.access_statement(request.user, call, form.cleaned_data["item"])
    services.moderate_statement(actor=signed_in(request), statement=statement, approve=form.cleaned_data["approve"])
    return redirect("insight:opinion", call.slug)


@login_required
@require_POST
def opinion_compute(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="manage")
    job = services.request_opinion_map(actor=signed_in(request), call=call)
    if htmx_of(request):
        return render(request, "jobs/_progress.html", {"job": job})
    return redirect("insight:opinion", call.slug)


# ---------------------------------------------------------------- wiki survey


def survey(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    can_vote, manage = rules.can_vote(request.user, call), rules.can_manage(request.user, call)
    pair = services.show_pair(actor=signed_in(request), call=call) if can_vote else None
    return render(
        request,
        "insight/survey.html",
        {
            "call": call,
            "pair": pair,
            "can_vote": can_vote,
            "can_manage": manage,
            "form": forms.IdeaForm(),
            "pending": selectors.pending_ideas(call) if manage else [],
            "counts": services.survey_counts(call),
        },
    )


@login_required
@require_POST
def survey_vote(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    form = forms.PairVoteForm(request.POST)
    if not form.is_valid():
        raise _bad_form()
    pair = selectors.access_pair(request.user, call, form.cleaned_data["pair"])
    services.answer_pair(actor=signed_in(request), pair=pair, choice=form.cleaned_data["choice"])
    if htmx_of(request):
        nxt = services.show_pair(actor=signed_in(request), call=call)
        return render(request, "insight/_pair.html", {"call": call, "pair": nxt, "can_vote": True, "answered": pair})
    return redirect("insight:survey", call.slug)


@login_required
@require_POST
def survey_add(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    form = forms.IdeaForm(request.POST)
    if not form.is_valid():
        raise DomainError(str(form.errors["text"][0]), code="bad_form", field="text")
    idea = services.add_idea(actor=signed_in(request), call=call, text=form.cleaned_data["text"])
    messages.success(
        request, _("Idea added.") if idea.state == "approved" else _("Thank you. The team will look at your idea.")
    )
    return redirect("insight:survey", call.slug)


@login_required
@require_POST
def survey_moderate(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="manage")
    form = forms.ModerateForm(request.POST)
    if not form.is_valid():
        raise _bad_form()
    idea = selectors.access_idea(request.user, call, form.cleaned_data["item"])
    services.moderate_idea(actor=signed_in(request), idea=idea, approve=form.cleaned_data["approve"])
    return redirect("insight:survey", call.slug)


def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    snap, manage = selectors.latest_ranking(call), rules.can_manage(request.user, call)
    rows: list[dict[str, Any]] = []
    if snap is not None:
        live = set(selectors.active_ideas(call).values_list("pk", flat=True))
        ideas = {i.pk: i for i in Idea.objects.filter(call=call, pk__in=live).select_related("proposal")}
        rows = sorted(
            (
                {
                    **r,
                    "idea_obj": ideas[r["idea_id"]],
                    "score100": 100 * r["score"],
                    "lower100": 100 * r["lower"],
                    "upper100": 100 * r["upper"],
                }
                for r in snap.data["rows"]
                if r["idea_id"] in ideas
            ),
            key=lambda r: -r["score"],
        )
    svg = (
        charts.score_bands(
            [(r["idea_obj"].shown_text, r["score100"], r["lower100"], r["upper100"]) for r in rows],
            title=_("Score of each idea with its likely range"),
        )
        if rows
        else None
    )
    job = latest_job(subject=f"insight-survey:{call.pk}", kind=services.RANKING_JOB) if manage else None
    return render(
        request,
        "insight/results.html",
        {"call": call, "snap": snap, "rows": rows, "svg": svg, "can_manage": manage, "job": job},
    )


@login_required
@require_POST
def survey_refit(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="manage")
    made = services.request_ranking(actor=signed_in(request), call=call)
    if isinstance(made, Job) and htmx_of(request):
        return render(request, "jobs/_progress.html", {"job": made})
    return redirect("insight:results", call.slug)


# ---------------------------------------------------------------- duplicate clusters and topic map


def _computed_at(job: Job | None) -> Any:
    return parse_datetime(job.result.get("computed_at", "")) if job and job.result else None


def _duplicates_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    done = selectors.latest_result(call, services.DUPLICATES_JOB)
    result: dict[str, Any] = (done.result or {}) if done else {}
    return {
        "call": call,
        "done": done,
        "computed_at": _computed_at(done),
        "result": result,
        "clusters": selectors.duplicate_clusters(request.user, call, result) if done else [],
        "can_merge": rules.can_merge(request.user, call),
        "job": latest_job(
            subject=selectors.result_subject(services.DUPLICATES_JOB, call), kind=services.DUPLICATES_JOB
        ),
        **extra,
    }


def duplicates(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="duplicates")
    return render(request, "insight/duplicates.html", _duplicates_context(request, call))


@login_required
@require_POST
def duplicates_compute(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="duplicates")
    job = services.request_duplicates(actor=signed_in(request), call=call)
    if htmx_of(request):
        return render(request, "jobs/_progress.html", {"job": job})
    return redirect("insight:duplicates", call.slug)


@login_required
@require_POST
def duplicates_merge(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="duplicates")
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        raise _bad_form()
    proposal = selectors.access_call_proposal(request.user, call, form.cleaned_data["proposal"])
    into = selectors.access_call_proposal(request.user, call, form.cleaned_data["into"])
    try:
        services.merge_duplicate(
            actor=signed_in(request), call=call, proposal=proposal, into=into, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        if htmx_of(request):
            # htmx swaps only 2xx answers by default: the refusal comes back as a 200 partial with
            # role="alert", so it shows in place of the button; without JavaScript the page keeps the 4xx.
            return render(request, "insight/_merged.html", {"error": exc, "proposal": proposal, "into": into})
        back = retry.back_with(request, str(exc.message), exc.field)
        if back is not None:
            return back
        return render(
            request, "insight/duplicates.html", _duplicates_context(request, call, error=exc), status=exc.status
        )
    if htmx_of(request):
        return render(request, "insight/_merged.html", {"proposal": proposal, "into": into})
    messages.success(request, _("Proposal #%(a)s was merged into #%(b)s.") % {"a": proposal.number, "b": into.number})
    return redirect("insight:duplicates", call.slug)


def topics(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="topics")
    done = selectors.latest_result(call, services.TOPICS_JOB)
    themes: list[dict[str, Any]] = []
    svg = None
    if done and done.result:
        stored = done.result.get("themes", [])
        found = selectors.proposals_for(request.user, call, {pk for t in stored for pk in t["top"]})
        total = sum(t["size"] for t in stored) or 1
        themes = [
            {
                **t,
                "label": " · ".join(t["words"]) or _("(no clear words)"),
                "share": round(100 * t["size"] / total),
                "proposals": [found[pk] for pk in t["top"] if pk in found],
                "colour": charts.PALETTE[i % len(charts.PALETTE)],
            }
            for i, t in enumerate(stored)
        ]
        if themes:
            svg = charts.bubble_map(
                [(t["label"], t["size"], t["x"], t["y"]) for t in themes],
                title=_("Topic map: each bubble is a theme, sized by its number of proposals"),
            )
    job = latest_job(subject=selectors.result_subject(services.TOPICS_JOB, call), kind=services.TOPICS_JOB)
    return render(
        request,
        "insight/topics.html",
        {"call": call, "done": done, "computed_at": _computed_at(done), "themes": themes, "svg": svg, "job": job},
    )


@login_required
@require_POST
def topics_compute(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug, perm="topics")
    job = services.request_topics(actor=signed_in(request), call=call)
    if htmx_of(request):
        return render(request, "jobs/_progress.html", {"job": job})
    return redirect("insight:topics", call.slug)
