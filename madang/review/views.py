from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from madang.calls import counters
from madang.calls.models import Status
from madang.calls.selectors import access_call, access_proposal, shown_proposal
from madang.core import charts
from madang.core.errors import NotFound
from madang.people.auth import signed_in
from madang.review import rules, selectors, services
from madang.review.forms import AssignForm, DecisionForm, ScorecardForm
from madang.review.models import Assignment, Scorecard


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.access_assignment(request.user, pk)
    criteria = list(assignment.proposal.call.criteria.all())
    card = Scorecard.objects.filter(assignment=assignment).prefetch_related("scores").first()
    initial = {}
    if card:
        initial = {
            "verdict": card.verdict,
            "comment": card.comment,
            **{f"c{s.criterion_id}": s.value for s in card.scores.all()},
        }
    form = ScorecardForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        services.submit_scorecard(
            actor=signed_in(request),
            assignment=assignment,
            scores=form.scores(),
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Your review was saved."))
        return redirect("site:my_work")
    context = {
        "a": assignment,
        "p": shown_proposal(request.user, assignment.proposal),  # a reviewer reads flagged text masked
        "form": form,
        "can_score": rules.can_score(request.user, assignment),
    }
    return render(request, "review/scorecard.html", context, status=400 if form.errors else 200)


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call(request.user, slug)
    if not rules.can_see_all_scores(request.user, call):
        raise NotFound()
    form = AssignForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        created = services.assign_reviewers(
            actor=signed_in(request),
            call=call,
            reviewers=list(form.cleaned_data["reviewers"]),
            per_proposal=form.cleaned_data["per_proposal"],
        )
        messages.success(request, _("%(n)d review assignments were made.") % {"n": len(created)})
        return redirect("review:board", call.slug)
    proposals = {
        p.pk: p for p in call.proposals.filter(status=Status.SUBMITTED).select_related("author__department__parent")
    }
    counters.attach_live(proposals.values())
    results = services.results(call)
    rows = [(proposals[r.proposal], r) for r in results if r.proposal in proposals]
    unscored = [p for pid, p in proposals.items() if pid not in {r.proposal for r in results}]
    assignments = [
        (a, rules.has_conflict(a.reviewer, a.proposal))
        for a in Assignment.objects.filter(proposal__call=call)
        .select_related("reviewer", "proposal", "scorecard")
        .prefetch_related("proposal__coauthors")
    ]
    chart = (
        charts.paired_bars(
            # Each bar says which proposal it is: its number and title (the chart shortens a long one).
            [(f"#{p.number} {p.shown_title}", r.raw_mean, r.normalised_mean) for p, r in rows[:25]],
            series=(_("Raw"), _("Normalised")),
            title=_("Raw and normalised scores"),
            maximum=100,
        )
        if rows
        else ""
    )
    context = {
        "call": call,
        "rows": rows,
        "unscored": unscored,
        "form": form,
        "assignments": assignments,
        "chart": chart,
        "can_decide": rules.can_decide(request.user, call),
    }
    return render(request, "review/board.html", context, status=400 if form.errors else 200)


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.user, pk)
    if not rules.can_see_all_scores(request.user, proposal.call):
        raise NotFound()
    form = DecisionForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.decide(
            actor=signed_in(request),
            proposal=proposal,
            kind=d["kind"],
            reason=d.get("reason") or "",
            department=d.get("department"),
            answer_due=d.get("answer_due"),
            merge_into=d.get("merge_into"),
        )
        messages.success(request, _("The decision was recorded."))
        return redirect("calls:proposal", proposal.pk)
    cards = (
        Scorecard.objects.filter(assignment__proposal=proposal)
        .select_related("assignment__reviewer")
        .prefetch_related("scores__criterion")
    )
    decisions = proposal.decisions.select_related("decided_by", "department__parent", "merged_into")
    context = {
        "p": proposal,
        "form": form,
        "cards": cards,
        "decisions": decisions,
        "can_decide": rules.can_decide(request.user, proposal.call),
    }
    return render(request, "review/decide.html", context, status=400 if form.errors else 200)
