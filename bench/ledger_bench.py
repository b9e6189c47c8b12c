"""Benchmark of the durable ledger: fsync'd batch appends, cold start, disk use, proofs from
disk, and submission-to-receipt through the whole Django stack.

Usage: .venv/bin/python bench/ledger_bench.py [--entries N] [--batch B] [--quick]

Run it alone on the machine (`nice -n 10` if others work): every figure is wall-clock.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.solvers.tlog import (
    DirectoryStore,
    DurableLog,
    TileHashReader,
    generate_key,
    parse_skey,
    parse_vkey,
)

ORIGIN = "bench.madang/ledger"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def durable_part(n: int, batch: int, entry_size: int) -> None:
    skey, vkey = generate_key(ORIGIN)
    signer, verifier = parse_skey(skey), parse_vkey(vkey)
    rng = random.Random(0)
    payload = [rng.randbytes(entry_size) for _ in range(min(n, 50_000))]
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        log = DurableLog.open(tmp, ORIGIN, [signer], [verifier])
        t0 = time.perf_counter()
        worst = 0.0
        for lo in range(0, n, batch):
            b0 = time.perf_counter()
            log.append(payload[(lo + i) % len(payload)] for i in range(min(batch, n - lo)))
            worst = max(worst, time.perf_counter() - b0)
        elapsed = time.perf_counter() - t0
        print(
            f"| durable append, batches of {batch}, fsync'd | {n:,} entries | {elapsed:.2f} s | "
            f"{n / elapsed:,.0f} entries/s | slowest batch {worst * 1000:.1f} ms |"
        )
        disk = log.disk_bytes()
        overhead = (disk - n * (entry_size + 2)) / n
        print(
            f"| disk | {disk:,} bytes | {overhead:.1f} bytes/entry besides the {entry_size}-byte payload and its "
            "2-byte length |"
        )
        root = log.tree.root()
        t0 = time.perf_counter()
        again = DurableLog.open(tmp, ORIGIN, [signer], [verifier])
        cold = time.perf_counter() - t0
        assert again.tree.root() == root
        print(
            f"| cold start (read every level-0 tile, rebuild, check the signed root) | {cold:.2f} s | root equals the "
            "checkpoint |"
        )
        samples = []
        for _ in range(2000):
            i = rng.randrange(n)
            t0 = time.perf_counter()
            TileHashReader(DirectoryStore(tmp), n).inclusion_proof(i)
            samples.append((time.perf_counter() - t0) * 1e6)
        print(
            f"| inclusion proof from the tiles on disk, fresh reader each | p50 {pct(samples, 0.5):,.0f} µs | p99 "
            f"{pct(samples, 0.99):,.0f} µs |"
        )


def receipt_part(count: int) -> None:
    """Submission to receipt through the services, with a real SQLite file and the log on disk."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(MADANG_DEBUG="1", MADANG_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="madang.settings")
        os.environ.pop("MADANG_DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from madang.ledger import services as ledger
        from madang.ledger.models import Entry
        from madang.testing import build_cast

        cast = build_cast()
        samples = []
        for i in range(count):
            t0 = time.perf_counter()
            p = cast.proposal(title=f"벤치마크 제안 {i}")  # submit commits, then sequencing runs after commit
            entry = Entry.objects.get(subject=f"proposal:{p.pk}", kind="proposal.submitted")
            text = ledger.receipt(entry)
            samples.append(time.perf_counter() - t0)
            assert text is not None
        print(
            f"| submission to receipt (submit_proposal, commit, sequence, proof), {count} proposals | "
            f"p50 {pct(samples, 0.5) * 1000:.1f} ms | p95 {pct(samples, 0.95) * 1000:.1f} ms | mean "
            f"{statistics.mean(samples) * 1000:.1f} ms |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--entry-size", type=int, default=200)
    parser.add_argument("--receipts", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.receipts = 50_000, 30
    print("| what | figure | | | |\n|---|---|---|---|---|")
    durable_part(args.entries, args.batch, args.entry_size)
    receipt_part(args.receipts)


if __name__ == "__main__":
    main()
