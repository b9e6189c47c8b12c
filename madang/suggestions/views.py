"""Suggestion pages: the office's desk and implementation tracking, opening an office, filing and
refiling a declined idea, a suggestion's page with one POST address per step, and the proposer's
list. Server-rendered; every form works without JS.

Suggestions are reached only through `selectors` (missing and forbidden alike answer 404); every
write is one service call, which refuses what the rules do not allow."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madang.calls import panels
from madang.calls import services as calls
from madang.calls.models import Proposal
from madang.calls.selectors import access_proposal
from madang.core import charts, params
from madang.core.errors import DomainError, NotFound
from madang.people.auth import signed_in
from madang.people.models import User
from madang.suggestions import exports, forms, notices, rules, sections, selectors, services
from madang.suggestions import report as reports
from madang.suggestions.models import Stage, Suggestion
from madang.suggestions.selectors import SuggestionPage

Data = dict[str, Any]


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    offices = selectors.offices_for(request.user)
    if not offices:
        raise NotFound()
    office_id = params.optional_id(request.GET.get("office"), field="office")
    office = selectors.access_office(request.user, office_id) if office_id is not None else None
    stage = request.GET.get("stage", "")
    if stage and stage not in Stage.values:
        raise NotFound()
    rows = selectors.desk(request.user, office=office, stage=stage)
    waiting = [(o, list(selectors.awaiting_receipt(o))) for o in ([office] if office else offices)]
    return render(
        request,
        "suggestions/desk.html",
        {
            "rows": rows,
            "offices": offices,
            "office": office,
            "stage": stage,
            "stages": Stage.choices,
            "waiting": [(o, ps) for o, ps in waiting if ps],
            "today": timezone.localdate(),
            "may_open": bool(selectors.openable_organisations(request.user)),
        },
    )


@login_required
@require_GET
def implementation(request: HttpRequest) -> HttpResponse:
    """The office's adopted suggestions, and a liaison's: those their department implements."""
    if not selectors.tracks_implementation(request.user):
        raise NotFound()
    return render(
        request,
        "suggestions/implementation.html",
        {
            "rows": selectors.implementation_rows(request.user),
            "today": timezone.localdate(),
            "office": bool(selectors.offices_for(request.user)),
        },
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The proposer's suggestions, and the offices they may file a new one with."""
    context = {"suggestions": selectors.my_suggestions(request.user), "offices": selectors.filing_offices(request.user)}
    return render(request, "suggestions/mine.html", context)


@login_required
def file(request: HttpRequest, office_id: int) -> HttpResponse:
    office = selectors.filing_office(office_id)
    if not rules.can_file(request.user, office):
        raise NotFound()
    form = forms.FileForm(request.POST or None, kinds=selectors.filing_kinds(request.user, office))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = calls.ProposalFields(
            title=d["title"], problem=d["problem"], solution=d["solution"], expected_effect=d["expected_effect"]
        )
        try:
            s = services.file_suggestion(actor=signed_in(request), office=office, fields=fields, **form.filing())
        except DomainError as e:
            _refused(form, e)
        else:
            messages.success(request, _("Your suggestion was received as no. %(n)s.") % {"n": s.receipt_number})
            return redirect("suggestions:detail", s.pk)
    return render(
        request, "suggestions/file.html", {"form": form, "office": office}, status=400 if form.errors else 200
    )


def _refused(form: django_forms.Form, e: DomainError) -> None:
    """A service's refusal shown on the form, by the field it is about (404 and 403 stay errors)."""
    if e.status != 400:
        raise e
    form.add_error(e.field if e.field in form.fields else None, str(e.message))


@login_required
def open_office(request: HttpRequest) -> HttpResponse:
    """A site administrator or the innovation team opens their organisation's suggestion office,
    choosing the rule packs its suggestions will follow."""
    organisations = selectors.openable_organisations(request.user)
    if not rules.may_open_offices(request.user):
        raise NotFound()
    form = forms.OpenOfficeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            office = services.open_office(
                actor=signed_in(request),
                organisation=d["organisation"],
                citizen_pack=d["citizen_pack"],
                official_pack=d["official_pack"],
                title=d["title"],
            )
        except DomainError as e:
            _refused(form, e)
        else:
            messages.success(
                request, _("The suggestion office of %(org)s is open.") % {"org": office.organisation.name}
            )
            return redirect(f"{reverse('suggestions:desk')}?office={office.pk}")
    return render(
        request,
        "suggestions/open_office.html",
        {"form": form, "organisations": organisations, "packs": selectors.pack_choices()},
        status=400 if form.errors else 200,
    )


@login_required
def refile(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The proposer reopens a declined idea (a suggestion not adopted, or a proposal not adopted in a
    call) for refinement, as a new suggestion that keeps the first filing date."""
    earlier = access_proposal(request.user, proposal_id)
    found = selectors.refinable(request.user, earlier)
    if found is None:
        raise NotFound()
    previous, office = found
    initial = {
        "title": earlier.title,
        "problem": earlier.problem,
        "solution": earlier.solution,
        "expected_effect": earlier.expected_effect,
    }
    form = forms.FileForm(request.POST or None, initial=initial, kinds=selectors.filing_kinds(request.user, office))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = calls.ProposalFields(
            title=d["title"], problem=d["problem"], solution=d["solution"], expected_effect=d["expected_effect"]
        )
        try:
            s = services.refile_suggestion(actor=signed_in(request), earlier=earlier, fields=fields, **form.filing())
        except DomainError as e:
            _refused(form, e)
        else:
            messages.success(request, _("Your refined suggestion was received as no. %(n)s.") % {"n": s.receipt_number})
            return redirect("suggestions:detail", s.pk)
    context = {
        "form": form,
        "earlier": earlier,
        "previous": previous,
        "office": office,
        "first_filed_on": services.first_filed_on(earlier, previous),
    }
    return render(request, "suggestions/refile.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def receive(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal(request.user, proposal_id)
    s = services.receive(actor=signed_in(request), proposal=proposal)
    messages.success(request, _("Received as no. %(n)s.") % {"n": s.receipt_number})
    return redirect("suggestions:detail", s.pk)


def _report_labels(office: Any) -> dict[str, Any]:
    return {
        "figure": _("Figure"),
        "total": _("Total"),
        "received": _("Received"),
        "returned": _("Returned"),
        "transferred": _("Transferred"),
        "reviewing": _("Still under review"),
        "not_adopted": _("Not adopted"),
        "adopted": _("Adopted"),
        "implemented": _("Implemented"),
        "implemented_on_time": _("Implemented on time"),
        "awarded": _("Awarded"),
        "award_amount_krw": _("Prize money (KRW)"),
        "actual": _("Actual effect"),
        "projected": _("Projected effect"),
        "budget_saved_krw": _("budget saved (KRW)"),
        "revenue_krw": _("revenue (KRW)"),
        "citizen_hours": _("hours saved for citizens"),
        "staff_hours": _("hours saved for staff"),
        "grounds": selectors.ground_labels(office),
    }


@login_required
@require_GET
def report(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """An office's yearly report for its innovation team: the table, a chart, and the XLSX."""
    office = selectors.report_office(request.user, org)
    if not reports.FIRST_YEAR <= year <= reports.LAST_YEAR:
        raise NotFound()
    data = reports.yearly(office, year)
    header, table = reports.rows(data, _report_labels(office))
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            [(_("Suggestions %(year)s") % {"year": year}, header, table)],
            f"{office.organisation.code}-{year}-suggestions.xlsx",
        )
    t = data.total
    chart = charts.hbars(
        [
            (_("Received"), t.received),
            (_("Adopted"), t.adopted),
            (_("Implemented"), t.implemented),
            (_("Implemented on time"), t.implemented_on_time),
            (_("Awarded"), sum(t.awarded_by_grade.values())),
        ],
        title=_("Suggestions received in %(year)s and what became of them") % {"year": year},
    )
    return render(
        request,
        "suggestions/report.html",
        {"office": office, "year": year, "header": header, "table": table, "chart": chart},
    )


@login_required
@require_GET
def credits(request: HttpRequest, org: str, year: int, fmt: str) -> HttpResponse:
    """The personnel credits recorded in a year, for the HR office."""
    office = selectors.report_office(request.user, org)
    if not reports.FIRST_YEAR <= year <= reports.LAST_YEAR or fmt not in ("csv", "xlsx"):
        raise NotFound()
    found = selectors.credits_of(office, year)
    return (exports.credits_csv if fmt == "csv" else exports.credits_xlsx)(office, year, found)


WITH_FILES = ("effect", "correct_effect")


def _bound(name: str, data: Any, files: Any) -> Any:
    return (data, files) if name in WITH_FILES else data


def _unbound(name: str) -> Any:
    return () if name in WITH_FILES else None


def _forms(page: SuggestionPage, data: Any = None, only: str = "", files: Any = None) -> dict[str, django_forms.Form]:
    s, can = page.suggestion, page.can
    first = page.first
    built: dict[str, Callable[[Any], django_forms.Form]] = {
        "supplement": lambda d: forms.SupplementForm(d),
        "answer": lambda d: forms.AnswerForm(
            d, initial={"supplement": next((x.pk for x in page.supplements if x.is_open), None)}
        ),
        "extend": lambda d: forms.ExtendForm(d),
        "decide": lambda d: forms.DecideForm(d, suggestion=s, pack=page.pack),
        "reexamine": lambda d: forms.ReexamineForm(d),
        "decide_again": lambda d: forms.DecideAgainForm(
            d, suggestion=s, pack=page.pack, exclude={u.pk for u in first.panel.all()} if first else set()
        ),
        "plan": lambda d: forms.PlanForm(d, suggestion=s, office=can["office"]),
        "delay": lambda d: forms.DelayForm(d),
        "cannot": lambda d: forms.CannotForm(d),
        "rule": lambda d: forms.RuleForm(d),
        "effect": lambda d: forms.EffectForm(*d),
        "correct_effect": lambda d: forms.CorrectEffectForm(*d, suggestion=s),
        "award": lambda d: forms.AwardForm(d, suggestion=s, pack=page.pack),
        "credit": lambda d: forms.CreditForm(d, suggestion=s),
        "recommend": lambda d: forms.RecommendForm(d),
    }
    shown = {
        "supplement": can["supplement"],
        "answer": can["answer"],
        "extend": can["extend"],
        "decide": can["decide"],
        "reexamine": can["reexamine"],
        "decide_again": can["decide_reexamination"],
        "plan": can["plan"],
        "delay": can["delay"],
        "cannot": can["implement"],
        "rule": can["rule"],
        "effect": can["effect"],
        "correct_effect": can["correct_effect"],
        "award": can["award"],
        "credit": can["credit"],
        "recommend": can["recommend"],
    }
    found = {
        name: make(_bound(name, data, files) if name == only else _unbound(name))
        for name, make in built.items()
        if shown[name] or name == only
    }
    for name, form in found.items():
        # One page holds several steps' forms whose fields share names (a delay's and a declaration's
        # "reason", a delay's and a ruling's "new_date"): each form's ids carry its step, so every id
        # is unique and each label names its own field (KWCAG 8.1.1). The fields' names stay as posted.
        form.auto_id = f"id_{name}_%s"
    return found


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    s = selectors.access_suggestion(request.user, pk)
    page = selectors.suggestion_page(request.user, s)
    return _render(request, page, _forms(page))


def _render(
    request: HttpRequest, page: SuggestionPage, f: dict[str, django_forms.Form], status: int = 200
) -> HttpResponse:
    context = {**_context(page, f), "sections": sections.render(request, page.suggestion)}
    return render(request, "suggestions/detail.html", context, status=status)


def _context(page: SuggestionPage, f: dict[str, django_forms.Form]) -> dict[str, Any]:
    s = page.suggestion
    return {
        "page": page,
        "s": s,
        "p": s.proposal,
        "can": page.can,
        "f": f,
        "today": timezone.localdate(),
        "delays": list(s.delays.all()),
        "extensions": list(s.decision_extensions.all()),
        "declarations": list(s.cannot_implement.all()),
        "rulings": list(s.rulings.all()),
        "reexamination": s.reexamination if rules.has_reexamination(s) else None,
        "plan": s.plan if selectors.has_plan(s) else None,
        "notices": notices.notices(s) if page.can["notices"] else [],
        "effects": selectors.effects_of(s),
        "award": s.award if selectors.has_award(s) else None,
        "lineage": selectors.lineage(s),
    }


def _extend(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.extend_decision(actor=actor, suggestion=s, reason=d["reason"])


def _supplement(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.request_supplement(actor=actor, suggestion=s, **d)


def _answer(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    supplement = selectors.access_supplement(s, d["supplement"])
    services.answer_supplement(actor=actor, supplement=supplement, answer=d["answer"])


def _adoption(d: Data) -> services.Adoption:
    return services.Adoption(department=d.get("department"), implement_by=d.get("implement_by"))


def _decide(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.decide(
        actor=actor,
        suggestion=s,
        outcome=d["outcome"],
        ground=d["ground"],
        explanation=d["explanation"],
        panel=list(d["panel"]),
        adoption=_adoption(d),
        transfer_to=d["transfer_to"],
        transfer_reference=d["transfer_reference"],
    )


def _reexamine(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.request_reexamination(actor=actor, suggestion=s, reason=d["reason"])


def _decide_again(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.decide_reexamination(
        actor=actor,
        suggestion=s,
        outcome=d["outcome"],
        ground=d["ground"],
        explanation=d["explanation"],
        panel=list(d["panel"]),
        adoption=_adoption(d),
    )


def _plan(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.plan_implementation(
        actor=actor, suggestion=s, text=d["text"], implement_by=d["implement_by"], department=d.get("department")
    )


def _delay(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.notify_delay(actor=actor, suggestion=s, reason=d["reason"], new_date=d["new_date"])


def _cannot(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.declare_cannot_implement(actor=actor, suggestion=s, reason=d["reason"])


def _rule(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.rule_on_implementation(
        actor=actor, suggestion=s, kind=d["kind"], note=d["note"], new_date=d.get("new_date")
    )


def _figures(d: Data) -> services.EffectFigures:
    return services.EffectFigures(
        budget_saved_krw=d["budget_saved_krw"],
        revenue_krw=d["revenue_krw"],
        citizen_hours=d["citizen_hours"],
        staff_hours=d["staff_hours"],
        other=d["other"],
    )


def _effect(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.record_effect(
        actor=actor,
        suggestion=s,
        measure=d["measure"],
        figures=_figures(d),
        evidence=d["evidence"],
        upload=d.get("file"),
    )


def _correct_effect(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.correct_effect(
        actor=actor,
        effect=selectors.access_effect(s, d["effect"]),
        figures=_figures(d),
        evidence=d["evidence"],
        reason=d["reason"],
        upload=d.get("file"),
    )


def _award(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.award(
        actor=actor,
        suggestion=s,
        grade=d["grade"],
        note=d["note"],
        implementer=d.get("implementer"),
        implementer_note=d["implementer_note"],
    )


def _award_of(s: Suggestion) -> Any:
    if not selectors.has_award(s):
        raise DomainError(_("This suggestion has not been awarded."), code="not_awarded")
    return s.award


def _credit(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.add_personnel_credit(
        actor=actor, award=_award_of(s), person=d["person"], kind=d["kind"], points=d.get("points"), note=d["note"]
    )


def _recommend(r: HttpRequest, actor: User, s: Suggestion, d: Data) -> None:
    services.recommend(actor=actor, award=_award_of(s), note=d["note"])


ACTIONS: dict[str, Callable[[HttpRequest, User, Suggestion, Data], None]] = {
    "supplement": _supplement,
    "answer": _answer,
    "extend": _extend,
    "decide": _decide,
    "reexamine": _reexamine,
    "decide_again": _decide_again,
    "plan": _plan,
    "delay": _delay,
    "cannot": _cannot,
    "rule": _rule,
    "effect": _effect,
    "correct_effect": _correct_effect,
    "award": _award,
    "credit": _credit,
    "recommend": _recommend,
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    s = selectors.access_suggestion(request.user, pk)
    if name not in ACTIONS:
        raise NotFound()
    page = selectors.suggestion_page(request.user, s)
    f = _forms(page, request.POST, only=name, files=request.FILES)
    form = f[name]
    if not form.is_valid():
        return _render(request, page, f, status=400)
    try:
        ACTIONS[name](request, signed_in(request), s, form.cleaned_data)
    except DomainError as e:
        if e.status != 400:
            raise
        form.add_error(e.field if e.field in form.fields else None, str(e.message))
        return _render(request, page, f, status=400)
    messages.success(request, _("Saved."))
    return redirect("suggestions:detail", s.pk)


def proposal_section(request: HttpRequest, proposal: Proposal) -> SafeString:
    """On the proposal's page: its receipt number and a way to the suggestion for those who work on it."""
    s = (
        Suggestion.objects.filter(proposal=proposal)
        .select_related("office__standing_call__organisation", "department")
        .first()
        if selectors.link_suggestions(proposal)
        else None
    )
    if s is None:
        if proposal.status == "submitted" and selectors.receivable(request.user, proposal):
            return render_to_string("suggestions/_receive.html", {"p": proposal}, request)
        later = rules.later_of(proposal)
        if later is not None or selectors.refinable(request.user, proposal) is not None:
            # A proposal declined in an ordinary call: its author may reopen the idea as a suggestion.
            # Its author is shown here, so the refinement's number is for its own proposers only.
            named = later is not None and rules.is_proposer(request.user, later)
            return render_to_string(
                "suggestions/_refile.html", {"p": proposal, "later": later, "named": named}, request
            )
        return SafeString("")
    later = rules.refined_as(s)
    return render_to_string(
        "suggestions/_section.html",
        {
            "s": s,
            "can_open": rules.can_view(request.user, s),
            "can_refile": rules.can_refile(request.user, proposal, s),
            "later": later,
            "named": later is not None and (selectors.names_public(proposal) or rules.can_view(request.user, later)),
        },
        request,
    )


def register_sections() -> None:
    """Called from SuggestionsConfig.ready(): the proposal's page shows its suggestion's receipt."""
    panels.register("suggestions.receipt", proposal_section)
