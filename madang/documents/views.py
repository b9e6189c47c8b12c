from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.core.errors import NotFound
from madang.documents import access, selectors, services, sources
from madang.privacy import reasons
from madang.privacy import services as privacy
from madang.privacy.models import Action

_TYPES = {
    "hwpx": "application/hwp+zip",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def download(data: bytes, name: str) -> HttpResponse:
    ext = name.rpartition(".")[2]
    response = HttpResponse(data, content_type=_TYPES.get(ext, "application/octet-stream"))
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response


def _one(request: HttpRequest, item: sources.Item, fmt: str, scope: str) -> HttpResponse:
    """One document; one that names people is recorded (and asks why above the threshold)."""
    if fmt not in services.FORMATS:
        raise NotFound()
    stem, kind, ctx = item
    named = access.people_in(kind, ctx)
    if named is not None:
        data_kind, count = named
        if (asked := reasons.ask(request, count=count)) is not None:
            return asked
        privacy.record(
            request, action=Action.DOWNLOAD, kind=data_kind, scope=scope, count=count, reason=reasons.given(request)
        )
    return download(services.render_item(kind, ctx)[fmt], f"{stem}.{fmt}")


def _batch_files(request: HttpRequest, batch: Any, files: list[Any]) -> HttpResponse | None:
    """Record the download of a batch's files that name people; the reason form when one is due."""
    named = access.BATCHES.get(batch.kind)
    if named is None:
        return None
    data_kind, per_document = named
    # A document comes in several formats (HWPX and PDF): count the documents, not the files.
    count = per_document * len({f.name.rpartition(".")[0] for f in files})
    if not count:
        return None
    if (asked := reasons.ask(request, count=count)) is not None:
        return asked
    privacy.record(
        request, action=Action.DOWNLOAD, kind=data_kind, scope=batch.subject, count=count, reason=reasons.given(request)
    )
    return None


@login_required
def event_documents(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    return render(request, "documents/event.html", {"event": event, "batches": selectors.batches(f"event:{event.pk}")})


@login_required
@require_POST
def event_letters(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    services.start_batch(actor=request.user, what="event_letters", obj=event)
    messages.success(request, _("The letters are being prepared."))
    return redirect("documents:event", event.slug)


@login_required
def event_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    return _one(request, sources.event_report(event, actor=request.user), fmt, f"event:{event.pk}")


@login_required
def award_paper(request: HttpRequest, slug: str, which: str, fmt: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    papers = {kind: item for item in sources.award_papers(event, actor=request.user) for kind in [item[1]]}
    if which not in papers:
        raise NotFound()
    return _one(request, papers[which], fmt, f"event:{event.pk}")


@login_required
def call_documents(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    return render(request, "documents/call.html", {"call": call, "batches": selectors.batches(f"call:{call.pk}")})


@login_required
@require_POST
def call_batch(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    if what not in ("routing_letters", "review_sheets"):
        raise NotFound()
    services.start_batch(actor=request.user, what=what, obj=call)
    messages.success(request, _("The documents are being prepared."))
    return redirect("documents:call", call.slug)


@login_required
def call_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    return _one(request, sources.call_report(call, actor=request.user), fmt, f"call:{call.pk}")


@login_required
def review_summary(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    call = selectors.access_call(request.user, slug)
    return _one(request, sources.review_summary(call, actor=request.user), fmt, f"call:{call.pk}")


@login_required
def lab_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    lab = selectors.access_lab(request.user, slug)
    return _one(request, sources.lab_report(lab, actor=request.user), fmt, f"lab:{lab.pk}")


@login_required
def suggestion_notice(request: HttpRequest, pk: int, key: str, fmt: str) -> HttpResponse:
    s = selectors.access_suggestion(request.user, pk)
    item = sources.suggestion_notices(s, actor=request.user).get(key)
    if item is None:
        raise NotFound()
    return _one(request, item, fmt, f"suggestion:{s.pk}")


@login_required
def suggestion_report(request: HttpRequest, org: str, year: int, fmt: str) -> HttpResponse:
    office = selectors.access_suggestion_report(request.user, org, year)
    return _one(
        request, sources.suggestion_report(office, year, actor=request.user), fmt, f"suggestions:{office.pk}:{year}"
    )


@login_required
def batch_zip(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(request.user, pk)
    fmt = request.GET.get("format", "")
    files = [f for f in batch.files.all() if not fmt or f.name.endswith(f".{fmt}")]
    if (asked := _batch_files(request, batch, files)) is not None:
        return asked
    return download(services.zip_of(files), f"documents-{batch.pk}{'-' + fmt if fmt else ''}.zip")


@login_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    f: Any = selectors.access_file(request.user, pk)
    if (asked := _batch_files(request, f.batch, [f])) is not None:
        return asked
    return download(bytes(f.data), f.name)
