"""`madang ledger`: keys, sequencing and verification of the decision ledger.

madang ledger keygen --out /etc/madang/ledger.key   make a signing key (prints its public key)
madang ledger sequence [--loop]                     put recorded entries in the log
madang ledger status                                size, root, public key, pending entries
madang ledger verify                                the log's files, every entry row, every record
madang ledger verify --receipt FILE [--mirror DIR] [--seen FILE]   as anyone would, offline
"""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madang.ledger import services as ledger
from madang.ledger.models import Entry, Witness
from madang.solvers import tlog
from madang.solvers.tlog.__main__ import main as offline_verify


class Command(BaseCommand):
    help = "Keys, sequencing and verification of the decision ledger."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="make a new signing key")
        keygen.add_argument("--out", type=Path, required=True)
        keygen.add_argument("--name", default=None, help="key name (default: MADANG_LEDGER_ORIGIN)")
        seq = sub.add_parser("sequence", help="put recorded entries in the log")
        seq.add_argument("--loop", action="store_true", help="keep doing it, every --every seconds")
        seq.add_argument("--every", type=float, default=0.5)
        sub.add_parser("status", help="the log's size, root and public key")
        kinds_parser = sub.add_parser("kinds", help="list every kind of entry and its fields")
        kinds_parser.add_argument("--markdown", action="store_true", help="as the list in docs/ledger.md")
        sub.add_parser("reissue", help="archive a version 1 log and re-issue its entries as version 2 (docs/ledger.md)")
        sub.add_parser("cosign", help="ask the registered witnesses to cosign the current checkpoint")
        witness = sub.add_parser("witness", help="register a witness")
        witness.add_argument("name")
        witness.add_argument("vkey", help="the witness's cosignature verifier key")
        witness.add_argument("url", help="its add-checkpoint address")
        verify = sub.add_parser("verify", help="verify the ledger")
        verify.add_argument("--receipt", type=Path)
        verify.add_argument("--mirror", type=Path)
        verify.add_argument("--seen", type=Path)
        verify.add_argument("--vkey", action="append", help="verifier key (default: this site's)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ledger.LedgerNotConfigured as exc:
            raise CommandError(str(exc)) from exc

    def do_keygen(self, options: dict[str, Any]) -> None:
        if options["out"].exists():
            raise CommandError(f"{options['out']} exists; a key is never overwritten")
        vkey = ledger.write_key_file(options["out"], options["name"] or settings.MADANG_LEDGER_ORIGIN)
        self.stdout.write(f"private key written to {options['out']} (mode 600)\npublic key: {vkey}")

    def do_sequence(self, options: dict[str, Any]) -> None:
        while True:
            result = ledger.sequence()
            if result.added or not options["loop"]:
                self.stdout.write(f"log size {result.size} (+{result.added})")
            if not options["loop"]:
                return
            time.sleep(options["every"])

    def do_cosign(self, options: dict[str, Any]) -> None:

        names = ledger.cosign()
        self.stdout.write(f"cosigned by: {', '.join(names) or 'nobody'}")
        for w in Witness.objects.filter(active=True).exclude(last_error=""):
            self.stdout.write(f"  {w.name}: {w.last_error}")

    def do_witness(self, options: dict[str, Any]) -> None:

        try:
            tlog.parse_vkey(options["vkey"])
        except tlog.NoteError as exc:
            raise CommandError(f"not a verifier key: {exc}") from exc
        Witness.objects.update_or_create(
            name=options["name"], defaults={"vkey": options["vkey"], "url": options["url"], "active": True}
        )
        self.stdout.write(f"witness {options['name']} registered")

    def do_kinds(self, options: dict[str, Any]) -> None:
        from madang.ledger import kinds

        if options["markdown"]:
            self.stdout.write(kinds.markdown(), ending="")
            return
        for kind in kinds.all_kinds():
            self.stdout.write(
                f"{kind.name:<36} <subject>/{kind.role:<16} {', '.join([*kind.fields, *kind.commitments])}"
            )

    def do_reissue(self, options: dict[str, Any]) -> None:
        from madang.ledger.reissue import NothingToReissue, reissue

        try:
            done = reissue()
        except NothingToReissue as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"archived the version 1 log '{done.old_origin}' in {done.archive} (keep it; do not publish it)\n"
            f"re-issued {done.entries} entries in the new log '{done.new_origin}'"
        )

    def do_status(self, options: dict[str, Any]) -> None:
        checkpoint = ledger.latest_checkpoint()
        pending = Entry.objects.filter(log_index__isnull=True).count()
        self.stdout.write(f"origin     {ledger.origin()}\ndirectory  {ledger.log_dir()}")
        for vkey in ledger.vkeys():
            self.stdout.write(f"public key {vkey}")
        if checkpoint:
            self.stdout.write(
                f"size       {checkpoint.size}\nroot       {checkpoint.root_hash}\nsigned at  "
                f"{checkpoint.created_at:%Y-%m-%d %H:%M:%S %Z}"
            )
        self.stdout.write(f"pending    {pending}")

    def do_verify(self, options: dict[str, Any]) -> None:
        if options["receipt"] or options["mirror"]:
            argv = ["verify"]
            for vkey in options["vkey"] or ledger.vkeys():
                argv += ["--vkey", vkey]
            for name in ("receipt", "mirror", "seen"):
                if options[name]:
                    argv += [f"--{name}", str(options[name])]
            if offline_verify(argv) != 0:
                raise CommandError("not verified")
            return
        from madang.ledger.verify import verify_all

        findings = verify_all()
        checkpoint = ledger.latest_checkpoint()
        for finding in findings:
            self.stdout.write(f"FAIL {finding}")
        if findings:
            raise CommandError(f"the database does not match the log: {len(findings)} problem(s) above")
        size = checkpoint.size if checkpoint else 0
        self.stdout.write(
            f"OK   the log's files and entry bundles reproduce checkpoint {size}, every entry row matches "
            "its leaf, every committed field matches the live records, and every record has its entry"
        )
