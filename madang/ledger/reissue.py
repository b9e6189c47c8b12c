"""`madang ledger reissue`: move an installation's version 1 log to version 2, in the open.

Version 1 wrote one pseudonym per person, the same in every entry, so anyone could link a
hidden author's proposal to their other entries. Signed history is never rewritten: the v1 log
(tiles, bundles and its final signed checkpoint) is moved, as it is, to an archive directory
that is not served (it still links people; auditors may be given it under the same terms as
the database), and a new log starts under a new name, "<origin>/v2". Its first entry,
`ledger.reissued`, carries the v1 log's final checkpoint (size, root hash and the signed note
itself), so anyone holding an old receipt or checkpoint sees where that history went; then each
v1 entry is written again, in order, as a v2 entry with per-context pseudonyms and a `reissues`
field naming its v1 index. Commitments keep their salts and values; times stay as they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import COMMON_FIELDS, Kind
from madang.ledger.models import Checkpoint, Entry, LogHead
from madang.solvers import tlog

REISSUED = "ledger.reissued"


class NothingToReissue(RuntimeError):
    pass


@dataclass(frozen=True)
class Reissued:
    archive: Path
    old_origin: str
    new_origin: str
    entries: int


def archive_root() -> Path:
    return Path(settings.MADANG_LEDGER_DIR) / "archive"


def reissue() -> Reissued:
    ledger.sequence()  # every v1 entry in the v1 log first
    rows = list(Entry.objects.filter(log_index__isnull=False).order_by("log_index"))
    if not rows or all(ledger.body_of(r).get("v", 1) >= 2 for r in rows):
        raise NothingToReissue("the log holds no version 1 entries")
    old_origin = ledger.origin()
    with ledger._writer() as durable:
        note, size, root = durable.signed_checkpoint, durable.size, durable.tree.root().hex()
    archive = archive_root() / f"v1-{timezone.now():%Y%m%dT%H%M%S}"
    archive.mkdir(parents=True)
    os.rename(ledger.log_dir(), archive / "log")  # one atomic step; the v1 log is kept byte for byte
    ledger.forget_open_logs()
    try:
        with transaction.atomic():
            _rewrite(rows, old_origin, note, size, root)
    except BaseException:
        os.rename(archive / "log", ledger.log_dir())
        ledger.forget_open_logs()
        raise
    ledger.forget_open_logs()
    ledger.sequence()
    (archive / "README").write_text(
        f"Madang ledger version 1 log '{old_origin}', {size} entries, root {root}.\n"
        f"Reissued as '{old_origin}/v2' on {timezone.now():%Y-%m-%d %H:%M:%S %Z}. Not for publication: its\n"
        "pseudonyms are the same person in every entry (docs/ledger.md, Reissue).\n",
        "utf-8",
    )
    return Reissued(archive, old_origin, f"{old_origin}/v2", len(rows))


def _rewrite(rows: list[Entry], old_origin: str, note: str, size: int, root: str) -> None:
    v1_people = {ledger.legacy_pseudonym_v1(pk): pk for pk in get_user_model().objects.values_list("pk", flat=True)}
    Entry.objects.all().delete()
    Checkpoint.objects.all().delete()
    LogHead.objects.update_or_create(pk=1, defaults={"size": 0, "origin": f"{old_origin}/v2"})
    ledger.record(
        kind=REISSUED,
        subject=f"log:{old_origin}",
        actor_id=None,
        data={"previous_origin": old_origin, "previous_size": size, "previous_root": root, "previous_checkpoint": note},
    )
    for row in rows:
        body = ledger.body_of(row)
        if body.get("v", 1) >= 2:  # written by v2 code after the upgrade, before the reissue: already per context
            ledger.store(
                kind=row.kind, subject=row.subject, body={**body, "reissues": row.log_index}, salts=dict(row.salts)
            )
            continue
        spec = kinds.get(row.kind)
        data = {k: v for k, v in body.items() if k not in COMMON_FIELDS and k not in spec.commitments}
        context = spec.context(row.subject, data)

        def v2(value: Any, context: str = context) -> Any:
            if value is None or value == "-":
                return value
            user_id = value if isinstance(value, int) else v1_people.get(value)
            return ledger.pseudonym(user_id, context) if user_id is not None else "unknown"

        data = _map_fields(spec, data, v2)
        body2 = {
            "v": ledger.ENTRY_VERSION,
            "kind": row.kind,
            "subject": row.subject,
            "actor": v2(body.get("actor")),
            "at": body.get("at"),
            **data,
            **{k: body[k] for k in spec.commitments if k in body},
            "reissues": row.log_index,
        }
        ledger.store(kind=row.kind, subject=row.subject, body=body2, salts=dict(row.salts))


def _map_fields(spec: Kind, data: dict[str, Any], v2: Any) -> dict[str, Any]:
    for name in spec.pseudonym_fields:
        value = data.get(name)
        data[name] = [v2(v) for v in value] if isinstance(value, list) else v2(value)
    if spec.reissue_body is not None:
        data = spec.reissue_body(data, v2)
    return data


def _check_reissued(entries: list[kinds.Logged]) -> Any:
    """The previous checkpoint is the archived log's: it must verify with this log's keys."""
    for e in entries:
        try:
            checkpoint, _ = tlog.open_checkpoint(e.get("previous_checkpoint") or "", ledger.verifiers())
        except tlog.NoteError as exc:
            yield kinds.Finding(e.where, f"does not verify: {exc}", "previous_checkpoint")
            continue
        yield from kinds.compare(
            e,
            {
                "previous_origin": checkpoint.origin,
                "previous_size": checkpoint.size,
                "previous_root": checkpoint.root_hash.hex(),
            },
        )


KINDS = (
    Kind(
        REISSUED,
        "log",
        "the version 1 log was archived and this log started (`madang ledger reissue`)",
        {
            "previous_origin": "the v1 log's name",
            "previous_size": "its final size",
            "previous_root": "its final root hash",
            "previous_checkpoint": "its final signed checkpoint, as published",
        },
        check=_check_reissued,
        checked=("previous_origin", "previous_size", "previous_root", "previous_checkpoint"),
    ),
)
