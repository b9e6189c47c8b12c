from typing import Any

from madang.calls.models import Call
from madang.calls.selectors import access_call as calls_access
from madang.core import params
from madang.core.errors import NotFound
from madang.documents import rules
from madang.documents.catalogue import default_text
from madang.documents.models import Batch, File, Form
from madang.events.models import Event
from madang.events.selectors import access_event as events_access
from madang.labs.selectors import access_lab as labs_access
from madang.suggestions import report as suggestion_report
from madang.suggestions import rules as suggestion_rules
from madang.suggestions.models import Suggestion, SuggestionOffice
from madang.suggestions.selectors import access_suggestion as suggestions_access
from madang.suggestions.selectors import report_office


def subject_object(subject: str) -> tuple[str, Any] | None:
    kind, _, raw = subject.partition(":")
    pk = params.id_or_zero(raw)
    if not pk:
        return None
    if kind == "event":
        obj: Any = Event.objects.filter(pk=pk).select_related("organisation").first()
    elif kind == "call":
        obj = Call.objects.filter(pk=pk).first()
    else:
        return None
    return (kind, obj) if obj is not None else None


def access_event(user: Any, slug: str) -> Any:
    event = events_access(user, slug)
    if not rules.can_make_event_documents(user, event):
        raise NotFound()
    return event


def access_call(user: Any, slug: str) -> Any:
    call = calls_access(user, slug)
    if not rules.can_make_call_documents(user, call):
        raise NotFound()
    return call


def access_lab(user: Any, slug: str) -> Any:
    lab = labs_access(user, slug)  # the labs app's own rule of who sees a lab, then the report's
    if not rules.can_make_lab_documents(user, lab):
        raise NotFound()
    return lab


def access_suggestion(user: Any, suggestion_id: int) -> Suggestion:
    """A suggestion whose notices this user may download: its proposer and its office."""
    s = suggestions_access(user, suggestion_id)  # the suggestions app's own rule of who sees it, then the notices'
    if not suggestion_rules.can_read_notices(user, s):
        raise NotFound()
    return s


def access_suggestion_report(user: Any, org: str, year: int) -> SuggestionOffice:
    """The office whose yearly report this user may download: whoever may see the report's page."""
    office = report_office(user, org)  # the suggestions app's rule for its report page, unchanged
    if not suggestion_report.FIRST_YEAR <= year <= suggestion_report.LAST_YEAR:
        raise NotFound()
    return office


def access_batch(user: Any, batch_id: int) -> Batch:
    batch = Batch.objects.select_related("job").filter(pk=batch_id).first()
    if batch is None or not rules.can_view_batch(user, batch):
        raise NotFound()
    return batch


def access_file(user: Any, file_id: int) -> File:
    f = File.objects.select_related("batch").filter(pk=file_id).first()
    if f is None or not rules.can_view_batch(user, f.batch):
        raise NotFound()
    return f


def batches(subject: str) -> list[Batch]:
    return list(Batch.objects.filter(subject=subject).select_related("job").prefetch_related("files")[:10])


def form_text(kind: str) -> str:
    edited = Form.objects.filter(kind=kind).values_list("text", flat=True).first()
    return edited if edited is not None else default_text(kind)
