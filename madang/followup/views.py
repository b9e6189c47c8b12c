from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from madang.calls import panels
from madang.calls.models import Outcome, Proposal
from madang.calls.selectors import access_call, readable_calls, shown_proposal
from madang.core import charts, params
from madang.core.errors import DomainError, Forbidden, NotFound
from madang.core.pagecache import shared_for_anonymous
from madang.followup import rules, selectors, services, suggest
from madang.followup.forms import AnswerForm, ExecutionForm, RouteManyForm
from madang.followup.models import Routing
from madang.people.auth import signed_in
from madang.people.models import Organisation, OrgKind, User
from madang.review import rules as review_rules
from madang.review import selectors as review_selectors
from madang.review import services as review


@shared_for_anonymous
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a proposal stands: the same facts as `GET /api/proposals/{pk}/status`."""
    status = selectors.access_status(request.user, pk)
    return render(request, "followup/status.html", {"status": status, "p": status.proposal})


def status_section(request: HttpRequest, proposal: Proposal) -> SafeString:
    """The status as a section of the proposal's page in calls (registered in apps.py)."""
    status = selectors.proposal_status(request.user, proposal)
    # (Without the request: the section holds no form and reads nothing of the reader, and with
    # it every context processor would run a second time for the page.)
    return render_to_string("followup/_status.html", {"status": status, "p": proposal})


def register_sections() -> None:
    """Called from FollowupConfig.ready(): the proposal's page in calls shows its status."""
    panels.register("followup.status", status_section)


@login_required
def liaison_inbox(request: HttpRequest) -> HttpResponse:
    routings = selectors.liaison_inbox(request.user)
    return render(request, "followup/inbox.html", {"routings": routings})


def _actor(request: HttpRequest, refusal: str) -> User:
    """The signed-in person acting on a public page; a stranger gets the service's own refusal."""
    if not isinstance(request.user, User):
        raise Forbidden(refusal)
    return request.user


def routing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routing = selectors.access_routing(request.user, pk)
    answer_form = AnswerForm(request.POST if request.POST.get("form") == "answer" else None, call=routing.proposal.call)
    updates = list(routing.updates.all())
    exec_form = ExecutionForm(
        request.POST if request.POST.get("form") == "execution" else None, latest=updates[-1] if updates else None
    )
    if request.method == "POST" and request.POST.get("form") == "answer" and answer_form.is_valid():
        d = answer_form.cleaned_data
        services.answer_routing(
            actor=_actor(request, _("Only the department's liaison can answer.")),
            routing=routing,
            kind=d["kind"],
            reason=d["reason"],
            transfer_to=d.get("transfer_to"),
        )
        messages.success(request, _("Your answer was recorded."))
        return redirect("followup:routing", pk)
    if request.method == "POST" and request.POST.get("form") == "execution" and exec_form.is_valid():
        d = exec_form.cleaned_data
        refusal = _("Only the liaison of a department that accepted this proposal can report execution.")
        services.post_execution_update(
            actor=_actor(request, refusal),
            routing=routing,
            state=d["state"],
            percent=d["percent"],
            note=d["note"],
            happened_on=d["happened_on"],
        )
        messages.success(request, _("The execution update was posted."))
        return redirect("followup:routing", pk)
    context = {
        "r": routing,
        "p": shown_proposal(request.user, routing.proposal),  # a liaison reads flagged text masked
        "answer_form": answer_form,
        "exec_form": exec_form,
        "can_answer": rules.can_answer(request.user, routing),
        "can_report": rules.can_report_execution(request.user, routing),
        "answer": getattr(routing, "answer", None),
        "updates": routing.updates.all(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "followup/routing.html", context, status=status)


ROUTE_PAGE = 50


@login_required
def route_many(request: HttpRequest, slug: str) -> HttpResponse:
    """The innovation team routes many proposals at once, each to its department, with a suggestion per row."""
    call = access_call(request.user, slug)
    if not review_rules.can_see_all_scores(request.user, call):
        raise NotFound()
    page = Paginator(review_selectors.undecided(call), ROUTE_PAGE).get_page(
        params.optional_id(request.GET.get("page"), field="page") or 1
    )
    proposals = list(page)
    suggestions = suggest.suggest_departments(request.user, call, proposals)
    suggested = {pk: s.department.pk if s.department else None for pk, s in suggestions.items()}
    form = RouteManyForm(request.POST or None, call=call, proposals=proposals, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            done = review.route_decisions(
                actor=signed_in(request),
                call=call,
                routes=form.routes(),
                answer_due=form.cleaned_data["answer_due"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:  # the list stays on the page with the reason, nothing recorded
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                ngettext("%(n)d proposal was routed.", "%(n)d proposals were routed.", len(done)) % {"n": len(done)},
            )
            return redirect(request.get_full_path())
    scores = {r.proposal: r for r in review.results(call)}
    ticked = {str(v) for v in (form["route"].value() or [])}
    rows = [
        {
            "p": p,
            "field": form[form.department_name(p.pk)],
            "suggestion": (s := suggestions[p.pk]),
            "score": scores.get(p.pk),
            "suggested": form.department_labels.get(s.department.pk) if s.department else None,
            "ticked": str(p.pk) in ticked,
        }
        for p in proposals
    ]
    context = {
        "call": call,
        "form": form,
        "rows": rows,
        "page": page,
        "can_decide": review_rules.can_decide(request.user, call),
    }
    return render(request, "followup/route_many.html", context, status=400 if form.errors else 200)


def _dashboard_context(total: selectors.Stats, per: dict[str, selectors.Stats]) -> dict[str, object]:
    answer_chart = charts.stacked_bar(
        [
            (_("On time"), total.answered_on_time, charts.GOOD),
            (_("Late"), total.answered_late, charts.LATE),
            (_("Overdue"), total.overdue, charts.BAD),
            (_("Waiting"), total.waiting, charts.WAITING),
        ],
        title=_("Department answers"),
    )
    exec_chart = charts.stacked_bar(
        [
            (_("Executed"), total.executed, charts.GOOD),
            (_("Executing"), total.executing, charts.ACTIVE),
            (
                _("Adopted, not started"),
                total.adopted - total.executed - total.executing - total.stopped,
                charts.WAITING,
            ),
            (_("Stopped"), total.stopped, charts.LATE),
            (_("Declined"), total.declined, charts.BAD),
        ],
        title=_("Adoption and execution"),
    )
    dept_chart = (
        charts.hbars(
            [(name, s.overdue) for name, s in per.items() if s.overdue],
            title=_("Overdue answers by department"),
            colour=charts.BAD,
        )
        if any(s.overdue for s in per.values())
        else ""
    )
    return {
        "total": total,
        "per": per,
        "answer_chart": answer_chart,
        "exec_chart": exec_chart,
        "dept_chart": dept_chart,
    }


def call_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call(request.user, slug)
    # What the call shares with its readers (the one definition, madang.calls.models.ProposalQuerySet).
    proposals = Proposal.objects.filter(call=call).shared()
    routings = Routing.objects.filter(proposal__in=proposals.values("pk"))
    total, per = selectors.routing_stats(routings)
    total.received = proposals.count()
    total.decided = proposals.exclude(outcome=Outcome.PENDING).count()
    total.selected = proposals.filter(outcome=Outcome.SELECTED).count()
    context = {"call": call, **_dashboard_context(total, per), "summaries": selectors.proposal_summaries(routings)}
    return render(request, "followup/dashboard.html", context)


def dashboard(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.exclude(kind=OrgKind.DEPARTMENT).order_by("name")
    org = None
    org_id = params.optional_id(request.GET.get("org"), field="org")
    if org_id is not None:
        org = orgs.filter(pk=org_id).first()
        if org is None:
            raise NotFound()
    shared = Proposal.objects.shared().filter(call__in=readable_calls(request.user))
    proposals, routings = shared, Routing.objects.filter(proposal__in=shared.values("pk"))
    if org is not None:
        proposals = proposals.filter(org.subtree_q("call__organisation"))
        routings = routings.filter(org.subtree_q("department"))
    total, per = selectors.routing_stats(routings)
    total.received = proposals.count()
    total.decided = proposals.exclude(outcome=Outcome.PENDING).count()
    total.selected = proposals.filter(outcome=Outcome.SELECTED).count()
    context = {"orgs": orgs, "org": org, **_dashboard_context(total, per)}
    return render(request, "followup/dashboard.html", context)
