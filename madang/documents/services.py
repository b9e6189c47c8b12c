"""Writes of the documents app: start a batch (a background job fills it), save an edited form."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madang.core.errors import DomainError, Forbidden
from madang.documents import catalogue, rules, selectors, sources
from madang.documents.models import Batch, File, Form
from madang.documents.render.templating import TemplateError, parse
from madang.jobs.services import enqueue

FORMATS = ("hwpx", "pdf")

# What each batch is made of: (subject kind, source function in sources.py).
BATCHES: dict[str, tuple[str, str]] = {
    "event_letters": ("event", "event_letters"),
    "routing_letters": ("call", "routing_letters"),
    "review_sheets": ("call", "review_sheets"),
}


def template_message(exc: TemplateError) -> str:
    return _(exc.message) % exc.params if exc.params else _(exc.message)


def render_item(kind: str, ctx: dict[str, Any], forms: dict[str, dict[str, Any]] | None = None) -> dict[str, bytes]:
    """Both formats of one document. `forms` holds parsed forms a batch reuses for every item.

    The HWPX is not re-validated file by file: every form was rendered and validated when it was
    saved (`save_form`, the admin's form) or shipped (the tests check each shipped form), and the
    tests validate every file they make through here."""
    form = (forms or {}).get(kind) or parse(selectors.form_text(kind))
    doc = catalogue.build(kind, ctx, form)
    return {fmt: catalogue.produce(doc, fmt, check=False) for fmt in FORMATS}


def start_batch(*, actor: Any, what: str, obj: Any) -> Batch:
    """Queue the documents `what` of `obj` (an event or a call); a job renders them."""

    subject_kind, _source = BATCHES[what]
    titles = {
        "event_letters": _("Official letters to the agencies"),
        "routing_letters": _("Official letters to the departments"),
        "review_sheets": _("Review sheets"),
    }
    with transaction.atomic():
        batch = Batch.objects.create(
            kind=what, subject=f"{subject_kind}:{obj.pk}", title=str(titles[what]), created_by=actor
        )
    job = enqueue(kind="documents.batch", params={"batch": batch.pk}, actor=actor, subject=f"documents:{batch.pk}")
    Batch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return batch


def batch_job(ctx: Any, *, batch: int) -> dict[str, int]:
    """The job: read the values, render each document in both formats, store the files."""

    b = Batch.objects.get(pk=batch)
    found = selectors.subject_object(b.subject)
    if found is None:
        raise DomainError(_("The event or call of these documents no longer exists."), code="gone")
    actor = b.created_by
    items = (
        getattr(sources, BATCHES[b.kind][1])(found[1], actor=actor, serial=b.pk)
        if b.kind.endswith("letters")
        else getattr(sources, BATCHES[b.kind][1])(found[1], actor=actor)
    )
    forms = {kind: parse(selectors.form_text(kind)) for kind in {k for _, k, _ in items}}
    ctx.progress(0, len(items), _("Preparing"))
    b.files.all().delete()
    for n, (stem, kind, values) in enumerate(items, 1):
        made = render_item(kind, values, forms)
        File.objects.bulk_create(
            [File(batch=b, name=f"{stem}.{fmt}", data=data, size=len(data)) for fmt, data in made.items()]
        )
        ctx.progress(n, len(items), _("%(n)d of %(total)d documents") % {"n": n, "total": len(items)})
    return {"documents": len(items)}


def zip_of(files: list[File]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            # Korean file names: ZipFile marks non-ASCII names as UTF-8 (flag bit 11).
            z.writestr(f.name, bytes(f.data))
    return buf.getvalue()


def save_form(*, actor: Any, kind: str, text: str, check: Callable[[str, str], None] = catalogue.check_text) -> Form:
    """Keep an edited form, once it has been shown to make a valid document of its kind."""
    if not rules.can_edit_forms(actor):
        raise Forbidden(_("Only administrators may change document forms."))
    if kind not in catalogue.KINDS:
        raise DomainError(_("There is no such kind of document."), code="kind", field="kind")
    try:
        check(kind, text)
    except TemplateError as exc:
        raise DomainError(template_message(exc), code="template", field="text") from exc
    with transaction.atomic():
        form, _created = Form.objects.update_or_create(
            kind=kind, defaults={"text": text, "updated_by": actor, "updated_at": timezone.now()}
        )
    return form


def reset_form(*, actor: Any, kind: str) -> None:
    """Drop the edited form of a kind: its documents are made from the shipped form again."""
    if not rules.can_edit_forms(actor):
        raise Forbidden(_("Only administrators may change document forms."))
    Form.objects.filter(kind=kind).delete()
