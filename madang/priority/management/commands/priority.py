"""`madang priority`: the first-to-file check across agencies (docs/suggestions.md).

madang priority export [--out FILE] [--since N]      our fingerprints with their receipts
madang priority peer NAME ORIGIN VKEY [--url URL]    trust another agency's ledger
madang priority peers                                the agencies we check against
madang priority key PEER VKEY --reason TEXT          trust a peer's new ledger key nobody vouched for
madang priority announce-keys                        during our own key rotation: keep a statement of
                                                     both keys, signed by each, in every export
madang priority import PEER FILE                     check a peer's export and keep what it proves
madang priority fetch [PEER]                         fetch and import from the peers' addresses
madang priority match                                match every suggestion of ours again
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from madang.core.errors import DomainError
from madang.priority import selectors, services
from madang.priority.models import Peer


class Command(BaseCommand):
    help = "The first-to-file check across agencies: export, peers, import."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write our fingerprints with their receipts")
        export.add_argument("--out", type=Path, help="file (default: standard output)")
        export.add_argument("--since", type=int, help="prove our ledger grew from this size")
        peer = sub.add_parser("peer", help="trust another agency's ledger")
        peer.add_argument("name", help="the agency, as the office reads it")
        peer.add_argument("origin", help="its ledger's name")
        peer.add_argument("vkey", help="its ledger's public key, as it gave it to you")
        peer.add_argument("--url", default="", help="its export address (…/priority/export.json)")
        sub.add_parser("peers", help="list the agencies we check against")
        key = sub.add_parser("key", help="trust a peer's new ledger key that no key we trust vouched for")
        key.add_argument("peer", help="the agency's name or ledger name")
        key.add_argument("vkey", help="its new public key, as it gave it to you")
        key.add_argument("--reason", required=True, help="why you trust it (how the agency gave it to you)")
        sub.add_parser("announce-keys", help="during our key rotation: keep a statement of both keys for exports")
        imp = sub.add_parser("import", help="check a peer's export file and keep what it proves")
        imp.add_argument("peer", help="the agency's name or ledger name")
        imp.add_argument("file", type=Path)
        fetch = sub.add_parser("fetch", help="fetch and import the peers' exports")
        fetch.add_argument("peer", nargs="?", help="only this agency")
        sub.add_parser("match", help="match all our suggestions with the filings kept")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action'].replace('-', '_')}")(options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def do_export(self, options: dict[str, Any]) -> None:
        if not selectors.exporting():
            raise CommandError("MADANG_FINGERPRINT_KEY is not set: this site makes no fingerprints")
        try:
            data = selectors.export(since=options["since"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["out"]:
            options["out"].write_bytes(data)
            self.stdout.write(f"written to {options['out']}")
        else:
            self.stdout.write(data.decode())

    def do_peer(self, options: dict[str, Any]) -> None:
        p = services.add_peer(
            actor=None, name=options["name"], origin=options["origin"], vkey=options["vkey"], url=options["url"]
        )
        self.stdout.write(f"{p.name}: {p.origin}")

    def do_peers(self, options: dict[str, Any]) -> None:
        for p in Peer.objects.all():
            seen = selectors.seen(p)
            current = p.current_key
            key = f"key {current.key_id if current else '?'} ({p.keys.count()} trusted so far)"
            self.stdout.write(
                f"{p.name}\t{p.origin}\t{seen.size if seen else 0} entries seen\t{p.filings.count()} filings"
                f"\t{key}\t{p.last_error or 'ok'}"
            )

    def do_key(self, options: dict[str, Any]) -> None:
        peer = self._peer(options["peer"])
        k = services.record_peer_key(actor=None, peer=peer, vkey=options["vkey"], reason=options["reason"])
        self.stdout.write(f"{peer.name}: now trusting key {k.key_id}; the earlier keys still verify their receipts")

    def do_announce_keys(self, options: dict[str, Any]) -> None:
        made = services.announce_keys()
        if made is None:
            raise CommandError("the ledger key file holds one key: there is no rotation to announce (docs/ledger.md)")
        self.stdout.write("kept: every export now carries this statement of our keys\n" + made.text)

    def _report(self, result: services.Imported) -> None:
        self.stdout.write(
            f"{result.peer.name}: ledger of {result.size} entries; {result.new} new filings, {result.known} known, "
            f"{result.other_key} with another exchange key; {result.matches} new matches"
        )

    def do_import(self, options: dict[str, Any]) -> None:
        peer = self._peer(options["peer"])
        self._report(services.import_export(actor=None, peer=peer, data=options["file"].read_bytes()))

    def do_fetch(self, options: dict[str, Any]) -> None:
        peers = [self._peer(options["peer"])] if options["peer"] else list(Peer.objects.filter(active=True))
        failed = 0
        for peer in peers:
            try:
                self._report(services.fetch(actor=None, peer=peer))
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"{peer.name}: {exc.message}")
        if failed:
            raise CommandError(f"{failed} of {len(peers)} peers failed")

    def do_match(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"{services.find_matches()} new matches")

    def _peer(self, name: str) -> Peer:
        try:
            return selectors.peer_named(name)
        except DomainError as exc:
            raise CommandError(f"no peer called {name!r} (madang priority peers)") from exc
