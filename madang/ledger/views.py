"""The public ledger: its checkpoint and keys, every entry, receipts, a verifier, and the tiles."""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.solvers import tlog
from madang.solvers.tlog.audit import Line, Report, verify_opening, verify_receipt

MAX_RECEIPT = 64 * 1024


class ReceiptForm(forms.Form):
    text = forms.CharField(
        label=_("Receipt or checkpoint"),
        required=False,
        max_length=MAX_RECEIPT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(label=_("or a receipt file"), required=False)
    opening = forms.CharField(
        label=_("Your opening (optional): checks that the entry names you"),
        required=False,
        max_length=64,
        min_length=64,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_RECEIPT:
                raise forms.ValidationError(_("A receipt is at most 64 KB."))
            data["text"] = upload.read().decode("utf-8", "replace")
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste a receipt or choose its file."))
        # Browsers send a textarea with CRLF line ends; a signed note is LF only, ending in one.
        data["text"] = data["text"].replace("\r\n", "\n").strip("\n") + "\n"
        return data


@dataclass(frozen=True)
class Check:
    """One line of a verification, in the reader's language; `detail` is the verifier's own
    technical words (English, as the offline tool prints them), shown beside it where useful."""

    ok: bool
    text: str
    detail: str = ""


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _worded(line: Line) -> Check:
    """A verifier's finding (madang/solvers/tlog/audit.py, plain Python) in the active language."""
    p = line.params
    if line.key == "included":
        witnesses = ", ".join(_names(p.get("witnesses")))
        text = gettext("Entry %(index)s is in the log of %(size)s entries signed by %(origin)s.") % p
        if witnesses:
            text += " " + gettext("Cosigned by %(witnesses)s.") % {"witnesses": witnesses}
        return Check(True, text)
    if line.key == "opening_named":
        return Check(
            True,
            gettext("Your opening gives the pseudonym %(actor)s, which the entry names (%(fields)s).")
            % {"actor": p.get("actor"), "fields": ", ".join(_names(p.get("fields")))},
        )
    if line.key == "opening_not_named":
        return Check(False, gettext("Your opening gives the pseudonym %(actor)s, which the entry does not name.") % p)
    words = {
        "not_a_receipt": gettext("This is not a receipt in the format this site gives."),
        "no_entry": gettext("The receipt does not carry its entry."),
        "proof_invalid": gettext("The receipt's signature or proof does not verify."),
        "bad_opening": gettext("The opening is not in the right form."),
    }
    if line.key in words:
        return Check(line.ok, str(words[line.key]), str(p.get("detail", "")))
    return Check(line.ok, line.text)  # a finding this page does not word yet: the verifier's own words


def _check_checkpoint(text: str) -> tuple[bool, list[Check], None]:
    """A checkpoint someone saw earlier: signed by us, and still part of our log's history?"""
    try:
        checkpoint, _note = tlog.open_checkpoint(text, ledger.verifiers())
    except tlog.NoteError as exc:
        return (
            False,
            [Check(False, gettext("The checkpoint's signature does not verify with this log's key."), str(exc))],
            None,
        )
    checks = [
        Check(
            True,
            gettext("Signed by this log: %(origin)s, %(size)s entries.")
            % {"origin": checkpoint.origin, "size": checkpoint.size},
        )
    ]
    with ledger._writer() as durable:
        if checkpoint.size > durable.size:
            return (
                False,
                [
                    *checks,
                    Check(
                        False, gettext("This site now shows a smaller log than the checkpoint: entries were removed.")
                    ),
                ],
                None,
            )
        if durable.tree.root(checkpoint.size) != checkpoint.root_hash:
            return (
                False,
                [*checks, Check(False, gettext("The log on this site no longer has this history: it was rewritten."))],
                None,
            )
        proof = durable.tree.consistency_proof(checkpoint.size) if checkpoint.size else []
        ok = (
            tlog.verify_consistency(checkpoint.size, durable.size, checkpoint.root_hash, durable.tree.root(), proof)
            if checkpoint.size
            else True
        )
        size = durable.size
    if ok:
        checks.append(
            Check(
                True,
                gettext("The current log extends it (%(old)s → %(new)s entries).")
                % {"old": checkpoint.size, "new": size},
            )
        )
    else:
        checks.append(Check(False, gettext("The current log does not extend it: its history was rewritten.")))
    return ok, checks, None


def _check_receipt(text: str) -> tuple[bool, list[Check], Entry | None]:
    """Verify offline as anyone would, then check that our log still holds that history."""
    if not text.startswith("c2sp.org/tlog-proof@v1"):
        return _check_checkpoint(text)
    report, verified = verify_receipt(text, ledger.verifiers())
    checks = [_worded(line) for line in report.items]
    entry = None
    if verified is not None:
        proof = tlog.parse_proof(text)
        entry = Entry.objects.filter(log_index=proof.index).first()
        with ledger._writer() as durable:
            size = verified.checkpoint.size
            if size > durable.size or durable.tree.root(size) != verified.checkpoint.root_hash:
                report.fail("this site's log does not contain that history")
                checks.append(
                    Check(False, gettext("This site's log does not contain the history the receipt was signed for."))
                )
            elif entry is None or bytes(entry.body) != proof.extra:
                report.fail("the entry in this site's database differs")
                checks.append(Check(False, gettext("The entry in this site's database differs from the receipt.")))
    return report.ok, checks, entry


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        ok, checks, entry = _check_receipt(form.cleaned_data["text"])
        if ok and entry is not None and form.cleaned_data.get("opening"):
            report = Report()
            verify_opening(bytes(entry.body), form.cleaned_data["opening"], report)
            ok, checks = report.ok, [*checks, *(_worded(line) for line in report.items)]
        result = {"ok": ok, "checks": checks, "entry": entry}
    entries = Entry.objects.filter(log_index__isnull=False).order_by("-log_index")
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    subjects = kinds.describe_subjects([e.subject for e in page])
    context = {
        "checkpoint": ledger.latest_checkpoint(),
        "vkeys": ledger.vkeys(),
        "origin": ledger.origin(),
        # The log's name is signed into every checkpoint when it starts: it cannot follow the host.
        "named_elsewhere": ledger.origin().split("/", 1)[0] != request.get_host(),
        "pending": Entry.objects.filter(log_index__isnull=True).count(),
        "page": page,
        "rows": [(e, kinds.label(e.kind), subjects[e.subject]) for e in page],
        "form": form,
        "result": result,
    }
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "ledger/index.html", context, status=status)


def entry_detail(request: HttpRequest, index: int) -> HttpResponse:
    entry = get_object_or_404(Entry, log_index=index)
    return render(
        request,
        "ledger/entry.html",
        {
            "entry": entry,
            "label": kinds.label(entry.kind),
            "subject": kinds.describe_subjects([entry.subject])[entry.subject],
            "body": ledger.body_of(entry),
            "text": bytes(entry.body).decode(),
        },
    )


def receipt(request: HttpRequest, index: int) -> HttpResponse:
    entry = get_object_or_404(Entry, log_index=index)
    text = ledger.receipt(entry)
    if text is None:
        raise Http404()
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="madang-receipt-{index}.tlog-proof"'
    return response


def vkey(request: HttpRequest) -> HttpResponse:
    return HttpResponse("".join(v + "\n" for v in ledger.vkeys()), content_type="text/plain; charset=utf-8")


@require_safe
def log_file(request: HttpRequest, path: str) -> FileResponse:
    """The tiles as static files (a reverse proxy or mirror may serve the directory instead)."""
    parts = path.split("/")
    # Nothing outside the directory, no hidden files, no directories ("tile", "tile/"), and no
    # NUL byte, which the operating system refuses with a ValueError.
    if "\x00" in path or any(not part or part.startswith(".") for part in parts):
        raise Http404()
    target = ledger.log_dir() / path
    if not target.is_file():
        raise Http404()
    content_type = "text/plain; charset=utf-8" if path == "checkpoint" else "application/octet-stream"
    response = FileResponse(open(target, "rb"), content_type=content_type)  # noqa: SIM115 (FileResponse closes it)
    # Full tiles never change; partial ones and the checkpoint do.
    immutable = path.startswith("tile/") and ".p/" not in path
    response["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response
