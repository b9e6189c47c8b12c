"""The support service's write path alone: one transaction per support against group commit.

    .venv/bin/python bench/support_commit_bench.py --db sqlite [--scale 0.01] [--threads 24] [--seconds 10]
    .venv/bin/python bench/support_commit_bench.py --db postgres --database-url postgres://user@127.0.0.1:5432/postgres

No HTTP and no gunicorn: `--threads` threads of one process call `calls.services.support_proposal`
(the checks, the rate limit (off here), the write, the tally) for random (official, proposal)
pairs of a generated call for `--seconds`, first with every support in its own transaction (the
write path before group commit), then through the group commit queue (madang/core/groupcommit.py),
then again one by one (the order cancels drift in the machine's load). Before and after, in the
same run, the raw durable single-row insert-and-commit rate of bench/load_bench.py. Prints supports/s, the
ratio to the raw rate, and the mean batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench  # (the installation and the raw rate, as the load bench makes them)

INNER = """
import json, random, threading, time
from django.db import connections
from django.db.models import Max, Min
from madang.calls import counters, services
from madang.calls.models import Proposal, Status
from madang.people.models import User
THREADS, SECONDS = {THREADS}, {SECONDS}
officials = list(User.objects.filter(kind="official", username__startswith="n")
                 .order_by("?")[:3000])
proposals = list(Proposal.objects.filter(status=Status.SUBMITTED).select_related("call").order_by("?")[:500])
used = set()
batches = []
plain_submit = services._support_batches.submit
apply = services._support_batches._apply
def counting(items):
    batches.append(len(items))
    return apply(items)
services._support_batches._apply = counting

def one_by_one(item):
    return counters.add_supports([item])[0]

def phase(submit, seed):
    services._support_batches.submit = submit
    done, errors, lock = [0], [0], threading.Lock()
    until = time.monotonic() + SECONDS
    def work(i):
        rng = random.Random(seed * 1000 + i)
        n = e = 0
        try:
            while time.monotonic() < until:
                u, p = rng.choice(officials), rng.choice(proposals)
                if u.pk == p.author_id:
                    continue
                try:
                    services.support_proposal(actor=u, proposal=p)
                    n += 1
                except Exception:
                    e += 1
        finally:
            connections.close_all()
            with lock:
                done[0] += n
                errors[0] += e
    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    return done[0] / (time.perf_counter() - t0), errors[0]

out = {{}}
out["one transaction each"] = phase(one_by_one, 1)
batches.clear()
out["group commit"] = phase(plain_submit, 2)
out["mean batch"] = sum(batches) / len(batches) if batches else 0
out["one transaction each, again"] = phase(one_by_one, 3)
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("MADANG_DATABASE_URL"))
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--quick", action="store_true", help="a small call, 8 threads, 2 s a phase (make bench)")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.threads, args.seconds = 0.002, 8, 2
    if args.db == "postgres" and not args.database_url:
        print("support_commit_bench: --db postgres needs --database-url; skipped")
        return 0
    start_load = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env, cleanup = load_bench.site_env(tmp, args.db, args.database_url)
        env["MADANG_RATE_LIMITS"] = "off"  # (random pairs: the limit would refuse the busiest officials)
        try:
            manage = load_bench.MANAGE
            subprocess.run([*manage, "ledger", "keygen", "--out", env["MADANG_LEDGER_KEY_FILE"]], env=env, check=True)
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
            subprocess.run(
                [*manage, "generate_national", "--scale", str(args.scale)], env=env, check=True, capture_output=True
            )
            raw_before = load_bench.raw_rate(args.db, env, min(args.seconds, 10))
            inner = INNER.format(THREADS=args.threads, SECONDS=args.seconds)
            done = subprocess.run([*manage, "shell", "-c", inner], env=env, check=True, capture_output=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            raw = load_bench.raw_rate(args.db, env, min(args.seconds, 10))
        finally:
            cleanup()
    end_load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"# Support write path on {args.db}, scale {args.scale}, {args.threads} threads, {args.seconds:g} s a phase")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average {' '.join(start_load)} at the start, {' '.join(end_load)} at the end\n")
    print("| write path | supports/s | errors | % of raw commits/s (before, after) |\n|---|---:|---:|---:|")
    for name in ("one transaction each", "group commit", "one transaction each, again"):
        rate, errors = result[name]
        print(f"| {name} | {rate:,.0f} | {errors} | {rate / raw_before:.0%}, {rate / raw:.0%} |")
    print(f"| raw single-row insert+commit, one connection, before / after | {raw_before:,.0f} / {raw:,.0f} | | |")
    print(f"\nmean batch under group commit: {result['mean batch']:.1f} supports a transaction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
