"""Verify Madang's ledger (or any C2SP tiled log) without Madang: no database, no server trust.

    python -m madang.solvers.tlog verify --vkey VKEY --receipt receipt.txt [--opening HEX]
    python -m madang.solvers.tlog verify --vkey VKEY --mirror ./log [--seen seen-checkpoint]
    python -m madang.solvers.tlog verify --vkey VKEY --mirror ./log --receipt receipt.txt

With --seen FILE the checkpoint in FILE is the one you saw last time; the mirror must extend
it, and FILE is updated to the new checkpoint when everything verifies. Exit status 0 when
everything verifies, 1 when something does not, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from .audit import Report, verify_mirror, verify_opening, verify_receipt
from .note import NoteError, parse_vkey
from .proof import parse_proof
from .tiles import DirectoryStore, TileHashReader


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m madang.solvers.tlog", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="verify a receipt and/or a mirror of the tiles")
    v.add_argument("--vkey", action="append", required=True, help="the log's verifier key (repeat for old keys)")
    v.add_argument("--witness", action="append", default=[], help="a witness's verifier key")
    v.add_argument("--min-witnesses", type=int, default=0)
    v.add_argument("--origin", help="the log's origin line (default: any the key signs)")
    v.add_argument("--receipt", type=Path)
    v.add_argument("--opening", help="your opening (64 hex digits): checks that the receipt's entry names you")
    v.add_argument("--mirror", type=Path, help="a directory with checkpoint and tile/...")
    v.add_argument("--seen", type=Path, help="the checkpoint seen last time (updated when all is well)")
    kg = sub.add_parser("witness-keygen", help="make a witness (cosigner) key")
    kg.add_argument("--name", required=True)
    kg.add_argument("--out", type=Path, required=True)
    w = sub.add_parser("witness", help="run a witness: cosign checkpoints of the logs it follows")
    w.add_argument("--key", type=Path, required=True, help="file with the witness's private key")
    w.add_argument("--log", action="append", required=True, help="a log's verifier key (repeat per log)")
    w.add_argument("--state", type=Path, required=True, help="folder for the witness's state")
    w.add_argument("--listen", default="127.0.0.1:8790")
    args = parser.parse_args(argv)
    if args.command == "witness-keygen":
        return _witness_keygen(args)
    if args.command == "witness":
        return _witness(args)
    if not args.receipt and not args.mirror:
        parser.error("give --receipt, --mirror or both")
    try:
        keys = [parse_vkey(k) for k in args.vkey]
        witnesses = [parse_vkey(k) for k in args.witness]
    except NoteError as exc:
        parser.error(f"bad key: {exc}")
    out = sys.stdout.write
    ok = True
    receipt_checkpoint = None
    if args.receipt:
        receipt = args.receipt.read_bytes()
        report, verified = verify_receipt(
            receipt, keys, origin=args.origin, witnesses=witnesses, min_witnesses=args.min_witnesses
        )
        if args.opening and verified is not None:
            verify_opening(parse_proof(receipt).extra or b"", args.opening, report)
        out("receipt:\n" + "".join(f"  {line}\n" for line in report.lines))
        ok &= report.ok
        receipt_checkpoint = verified.checkpoint if verified else None
    if args.mirror:
        seen = args.seen.read_text("utf-8") if args.seen and args.seen.exists() else None
        store = DirectoryStore(args.mirror)
        report = verify_mirror(store, keys, origin=args.origin, seen=seen, witnesses=witnesses)
        if report.ok and receipt_checkpoint is not None and report.checkpoint is not None:
            _receipt_in_mirror(store, receipt_checkpoint, report)
        out("mirror:\n" + "".join(f"  {line}\n" for line in report.lines))
        ok &= report.ok
        if report.ok and args.seen:
            args.seen.write_bytes(store["checkpoint"])
    out("verified\n" if ok else "NOT VERIFIED\n")
    return 0 if ok else 1


def _witness_keygen(args: argparse.Namespace) -> int:
    import os

    from .cosignature import generate_cosigner_key

    skey, vkey = generate_cosigner_key(args.name)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(skey + "\n")
    sys.stdout.write(f"private key in {args.out}\nverifier key (give it to the log): {vkey}\n")
    return 0


def _witness(args: argparse.Namespace) -> int:
    from .cosignature import CosignatureSigner
    from .note import Verifier, parse_skey
    from .witness_server import FileWitnessStorage, make_server

    signer = parse_skey(args.key.read_text("utf-8").strip())
    if not isinstance(signer, CosignatureSigner):
        raise NoteError("a witness signs with a cosignature/v1 key (make one with `witness-keygen`)")
    logs: dict[str, list[Verifier]] = {}
    for vkey in args.log:
        verifier = parse_vkey(vkey)
        logs.setdefault(verifier.name, []).append(verifier)
    host, _, port = args.listen.rpartition(":")
    served: dict[str, Sequence[Verifier]] = dict(logs)
    server = make_server((host or "127.0.0.1", int(port)), [signer], served, FileWitnessStorage(args.state))
    sys.stdout.write(f"witness {signer.name} listening on http://{args.listen}/add-checkpoint for {', '.join(logs)}\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def _receipt_in_mirror(store: DirectoryStore, checkpoint, report: Report) -> None:
    newest = report.checkpoint
    assert newest is not None
    if checkpoint.size > newest.size:
        report.fail(f"the receipt's checkpoint ({checkpoint.size}) is newer than the mirror ({newest.size})")
        return
    reader = TileHashReader(store, newest.size)
    if _root_at(reader, checkpoint.size) != checkpoint.root_hash:
        report.fail(f"the mirror's tree at size {checkpoint.size} is not the one the receipt was signed for")
    else:
        report.good(f"the receipt's checkpoint ({checkpoint.size}) is part of the mirror's history")


def _root_at(reader: TileHashReader, size: int) -> bytes:
    from .merkle import compute_root

    return compute_root(reader, size)


if __name__ == "__main__":
    sys.exit(main())
