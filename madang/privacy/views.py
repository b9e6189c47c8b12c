import csv
import io
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from madang.core import charts
from madang.core.errors import NotFound
from madang.people.auth import signed_in
from madang.privacy import reasons, registry, rules, selectors, services
from madang.privacy.kinds import ACCESS_RECORDS, EXPOSURES
from madang.privacy.models import Action

TOP = 15


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice (개인정보 처리방침), built from the registry every app fills."""
    return render(
        request,
        "privacy/notice.html",
        {"kinds": registry.all_kinds(), "contact": getattr(settings, "MADANG_PRIVACY_OFFICER_CONTACT", "")},
    )


def _reviewer(request: HttpRequest) -> None:
    if not rules.can_review(request.user):
        raise NotFound()


@login_required
def review(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    month = selectors.parse_month(request.GET.get("month"))
    data = selectors.review(month)
    services.record(
        request, action=Action.VIEW, kind=ACCESS_RECORDS, scope=f"month:{month:%Y-%m}", count=len(data.people)
    )
    chart = charts.hbars(
        [(p.name, p.people) for p in data.people[:TOP]],
        title=_("People whose data each staff member handled this month"),
    )
    return render(
        request,
        "privacy/review.html",
        {
            "r": data,
            "chart": chart,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=32)).replace(day=1),
            "start": selectors.work_hours()[0],
            "end": selectors.work_hours()[1],
        },
    )


def _safe(value: object) -> object:
    # Spreadsheet formula injection: a cell starting with = + - @ would run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
def review_export(request: HttpRequest) -> HttpResponse:
    """Every record of the month as CSV, for an audit; the download is itself recorded."""
    _reviewer(request)
    month = selectors.parse_month(request.GET.get("month"))
    rows = list(selectors.records_of_month(month))
    staff = len({r.actor_id for r in rows})
    if (asked := reasons.ask(request, count=staff)) is not None:
        return asked
    services.record(
        request,
        action=Action.DOWNLOAD,
        kind=ACCESS_RECORDS,
        scope=f"month:{month:%Y-%m}",
        count=staff,
        reason=reasons.given(request),
    )
    buf = io.StringIO()
    writer = csv.writer(buf)
    header = ["n", "at", "account", "name", "address", "action", "kind", "subject", "scope", "people", "reason"]
    writer.writerow([*header, "page", "prev", "digest"])
    for r in rows:
        writer.writerow(
            [
                _safe(v)
                for v in (
                    r.n,
                    timezone.localtime(r.at).isoformat(),
                    r.actor_id,
                    r.actor_name,
                    r.address,
                    r.action,
                    r.kind,
                    r.subject_id,
                    r.scope,
                    r.count,
                    r.reason,
                    r.path,
                    r.prev,
                    r.digest,
                )
            ]
        )
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="madang-access-records-{month:%Y-%m}.csv"'
    return response


# ---------------------------------------------------------------- held items (the exposure filter)


@login_required
def held(request: HttpRequest) -> HttpResponse:
    """The moderators' page: items held by the exposure filter, then items published with their
    author's confirmation, shown as written (that look is recorded), with release, mask and delete."""
    items = selectors.pending_for(request.user)
    if items:
        services.record(
            request,
            action=Action.VIEW,
            kind=EXPOSURES,
            count=len({i.screening.author_id for i in items}),
            scope="screening",
        )
    return render(request, "privacy/held.html", {"items": items})


DONE = {
    "release": gettext_lazy("Released: the item is published, what was found still masked for other readers."),
    "mask": gettext_lazy("Masked: what was found is replaced by its mask in the item itself."),
    "delete": gettext_lazy("Deleted."),
}


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in services.DECISIONS:
        raise NotFound()
    screening = selectors.access_screening(request.user, pk)
    services.decide_exposure(actor=signed_in(request), screening=screening, decision=decision, request=request)
    messages.success(request, str(DONE[decision]))
    return redirect("privacy:held")
