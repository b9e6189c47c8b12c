"""Pages of the first-to-file check: the public export, the office's list of matches to rule on,
the ruling, a peer filing's receipt, and the section on a suggestion's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madang.core import params
from madang.core.errors import DomainError, NotFound
from madang.people.auth import signed_in
from madang.priority import forms, rules, selectors, services
from madang.suggestions import sections
from madang.suggestions import selectors as suggestion_selectors
from madang.suggestions.models import Suggestion


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Our fingerprints with their receipts, for peer agencies (`?since=<size>`: with a proof that our
    ledger grew from that size)."""
    if not selectors.exporting():
        raise NotFound()
    since = params.optional_id(request.GET.get("since"), field="since")
    try:
        data = selectors.export(since=since)
    except ValueError as exc:
        raise DomainError(_("Our ledger has no state of that size to prove growth from."), code="bad_since") from exc
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fingerprints.json"'
    return response


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    admin = rules.can_manage_peers(request.user)
    if not admin and not suggestion_selectors.offices_for(request.user):
        raise NotFound()
    return render(
        request,
        "priority/index.html",
        {
            "peers": list(selectors.peers()),
            "open": selectors.open_matches(request.user),
            "exporting": selectors.exporting(),
        },
    )


@login_required
@require_POST
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.access_match(request.user, pk)
    form = forms.RuleForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise DomainError(str(errors[0]), code="invalid", field=field)
    services.rule(actor=signed_in(request), match=match, **form.cleaned_data)
    messages.success(request, _("The ruling was recorded in the ledger."))
    return redirect("suggestions:detail", match.suggestion_id)


@login_required
@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A peer filing's receipt (C2SP tlog-proof), to check with the peer's public key anywhere."""
    f = selectors.access_filing(request.user, pk)
    response = HttpResponse(selectors.receipt_of(f), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{f.peer_id}-{f.log_index}.tlog-proof"'
    return response


@login_required
@require_GET
def first_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A refined filing's first filing, its own receipt (C2SP tlog-proof): the day that counts for priority."""
    f = selectors.access_filing(request.user, pk)
    proof = selectors.first_receipt_of(f)
    if proof is None:
        raise NotFound()
    response = HttpResponse(proof, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{f.peer_id}-{f.first_index}.tlog-proof"'
    return response


def suggestion_section(request: HttpRequest, suggestion: Suggestion) -> SafeString:
    """On a suggestion's page, for its office: similar filings at peer agencies and which came first."""
    if not rules.can_see_matches(request.user, suggestion):
        return SafeString("")
    peers = list(selectors.peers().filter(active=True))
    shown = selectors.matches_of(request.user, suggestion)
    if not peers and not shown:
        return SafeString("")
    return render_to_string(
        "priority/_section.html",
        {
            "s": suggestion,
            # One form per match, each with its own element ids.
            "rows": [(x, forms.RuleForm(auto_id=f"rule{x.match.pk}-%s")) for x in shown],
            "peers": peers,
            "can_rule": rules.can_rule(request.user, suggestion),
        },
        request,
    )


def register_sections() -> None:
    """Called from PriorityConfig.ready()."""
    sections.register("priority.matches", suggestion_section)
