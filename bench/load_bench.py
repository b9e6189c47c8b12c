"""Load benchmark: a national-scale call served by gunicorn, driven by many clients on loopback.

    .venv/bin/python bench/load_bench.py --db sqlite   [--scale 0.01] [--clients 100] [--seconds 20]
    .venv/bin/python bench/load_bench.py --db postgres --database-url postgres://user@127.0.0.1:5432/postgres
    .venv/bin/python bench/load_bench.py --db postgres --database-url … --scale 1 --keep   # keep the database
    .venv/bin/python bench/load_bench.py --db postgres --existing postgres://…/madang_load_ab12cd34  # reuse it

It builds a separate installation in a temporary folder (migrate, `madang generate_national
--scale S`, API tokens for 300 generated officials), starts gunicorn with production settings,
and runs bounded phases: a mixed phase (proposal list pages, Korean search, status pages and
support actions) with every client sending its next request as soon as the last is answered (a
closed loop: latency is then clients ÷ throughput), the same with a pause of `--think` seconds on
average between requests (what 100 people reading and clicking offer), a support-only phase and
one on the ten hottest proposals; then a second server with the anonymous page copies off
(`MADANG_PAGE_CACHE_SECONDS=0`, what signed-in readers get) for the two mixed phases again.
It then measures, in the same run, the raw rate of
the same durable single-row insert-and-commit with no web stack (psycopg, or sqlite3 in WAL mode
with synchronous=FULL) and prints the ratio. The load generator is a thread pool in this process
on the same 2 cores as the server, so its own cost is part of every figure. Needs gunicorn
(`pip install gunicorn`).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
WORDS = ["민원", "버스", "복지", "예약", "재난 문자", "소상공인", "주정차", "고지서", "챗봇", "디지털"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(tmp: Path, db: str, url: str | None) -> tuple[dict[str, str], callable]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        MADANG_DATA_DIR=str(tmp / "var"),
        MADANG_SECRET_KEY=secrets.token_urlsafe(50),
        MADANG_ALLOWED_HOSTS="127.0.0.1",
        MADANG_SECURE_COOKIES="0",
        MADANG_LEDGER_KEY_FILE=str(tmp / "ledger.key"),
        MADANG_DEBUG="0",
        MADANG_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        MADANG_LOG_LEVEL="WARNING",
    )
    env.pop("MADANG_DATABASE_URL", None)
    cleanup = lambda: None  # noqa: E731
    if db == "postgres":
        import psycopg

        name = f"madang_load_{secrets.token_hex(4)}"
        admin = urlparse(url)._replace(path="/postgres")
        with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["MADANG_DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))

        def cleanup() -> None:
            with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, cleanup


SETUP = """
import json, random
from django.db.models import Max, Min
from madang.calls.models import Proposal
from madang.people import services as people
from madang.people.models import User
users = list(User.objects.filter(kind="official", username__startswith="n").order_by("?")[:TOKENS])
tokens = [people.issue_api_token(actor=u, name="load")[1] for u in users]
# Steady state: scripts that already use their tokens (the once-a-minute "last used" touch is
# then not on every first request of the run).
from django.utils import timezone
from madang.people.models import ApiToken
ApiToken.objects.filter(name="load").update(last_used_at=timezone.now())
span = Proposal.objects.aggregate(first=Min("pk"), last=Max("pk"))
hot = list(Proposal.objects.order_by("-support_count").values_list("pk", flat=True)[:10])
print(json.dumps({"tokens": tokens, **span, "hot": hot, "slug": Proposal.objects.only("call").first().call.slug}))
"""


class Client(threading.Thread):
    def __init__(
        self,
        port: int,
        plan: dict,
        mix: dict[str, float],
        until: float,
        out: dict,
        lock: threading.Lock,
        seed: int,
        think: float = 0.0,
    ):
        super().__init__(daemon=True)
        self.port, self.plan, self.mix, self.until, self.out, self.lock = port, plan, mix, until, out, lock
        self.think = think  # mean pause between one answer and the next request (0: none, a closed loop)
        self.rng = random.Random(seed)
        self.tokens = plan["tokens"]  # each support as a random one of the officials

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        kinds, weights = zip(*self.mix.items(), strict=True)
        local: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        idle_since = time.monotonic()
        if self.think:
            time.sleep(self.rng.uniform(0, self.think))  # (spread the first requests out)
        while time.monotonic() < self.until:
            kind = self.rng.choices(kinds, weights)[0]
            pk = self.rng.randint(self.plan["first"], self.plan["last"])
            method, path, headers = "GET", "", {}
            if kind == "hot":  # everyone supports the ten most supported proposals
                kind, pk = "support", self.rng.choice(self.plan["hot"])
            if kind == "list":
                path = f"/calls/c/{self.plan['slug']}/?page={self.rng.randint(1, 50)}"
            elif kind == "search":
                path = f"/calls/c/{self.plan['slug']}/?q={self.rng.choice(WORDS)}"
            elif kind == "status":
                path = f"/calls/p/{pk}/"
            else:
                method, path, headers = (
                    "POST",
                    f"/api/proposals/{pk}/support",
                    {"Authorization": f"Bearer {self.rng.choice(self.tokens)}", "Content-Length": "0"},
                )
            from urllib.parse import quote

            path = quote(path, safe="/?=&")
            if self.think and time.monotonic() - idle_since > 1.0:
                # gunicorn drops a keep-alive connection idle for 2 s; a browser would reconnect
                # without a word, so the pacing clients do too instead of counting a failure.
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            t0 = time.perf_counter()
            try:
                conn.request(method, path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - t0
            idle_since = time.monotonic()
            if status == 200:
                local[kind].append(elapsed)
            else:
                errors[kind] += 1
                errors[f"status {status}"] += 1
            if self.think:
                time.sleep(min(self.rng.expovariate(1 / self.think), max(0.0, self.until - time.monotonic())))
        with self.lock:
            for k, v in local.items():
                self.out.setdefault(k, []).extend(v)
            for k, v in errors.items():
                self.out.setdefault(f"{k}:errors", []).extend([0.0] * v)


def drive(
    port: int, plan: dict, mix: dict[str, float], clients: int, seconds: float, think: float = 0.0
) -> tuple[dict[str, list[float]], float]:
    out: dict[str, list[float]] = {}
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [Client(port, plan, mix, until, out, lock, i, think) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, time.perf_counter() - start


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int, threads: int, tmp: Path):
    """gunicorn with production settings on a free port, until the block ends."""
    port = free_port()
    log = open(tmp / f"server-{port}.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "madang.wsgi",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/health/")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def raw_rate(db: str, env: dict[str, str], seconds: float) -> float:
    """Single-row insert + commit in a loop, one connection, the same durability as the app."""
    end = time.monotonic() + seconds
    n = 0
    if db == "postgres":
        import psycopg

        with psycopg.connect(env["MADANG_DATABASE_URL"], autocommit=False) as conn:
            conn.execute(
                "CREATE TABLE raw_bench (id bigserial primary key, proposal_id bigint, user_id bigint, created_at "
                "timestamptz)"
            )
            conn.commit()
            while time.monotonic() < end:
                conn.execute("INSERT INTO raw_bench (proposal_id, user_id, created_at) VALUES (%s, %s, now())", (n, n))
                conn.commit()
                n += 1
            conn.execute("DROP TABLE raw_bench")
            conn.commit()
    else:
        path = Path(env["MADANG_DATA_DIR"]) / "raw.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE raw_bench (id integer primary key, proposal_id integer, user_id integer, created_at text)"
        )
        while time.monotonic() < end:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO raw_bench (proposal_id, user_id, created_at) VALUES (?, ?, datetime('now'))", (n, n)
            )
            conn.execute("COMMIT")
            n += 1
        conn.close()
    return n / seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("MADANG_DATABASE_URL"))
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=2000, help="API tokens of distinct officials the clients share")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause (s) between requests in the paced phases")
    parser.add_argument("--keep", action="store_true", help="keep the generated database and print its URL")
    parser.add_argument(
        "--existing", metavar="URL", help="use this already generated database (no migrate, no generate)"
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.clients, args.seconds, args.tokens = 0.002, 20, 5, 300
    if args.db == "postgres" and not (args.database_url or args.existing):
        print("load_bench: --db postgres needs --database-url (a server where we may create a database); skipped")
        return 0
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        print("load_bench: gunicorn is not installed in this environment (pip install gunicorn); skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if args.existing:
            env, cleanup = site_env(tmp, "sqlite", None)
            env["MADANG_DATABASE_URL"] = args.existing
        else:
            env, cleanup = site_env(tmp, args.db, args.database_url)
        if args.keep and "MADANG_DATABASE_URL" not in env:  # SQLite: a file outside the temporary folder
            env["MADANG_DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/madang_load_{secrets.token_hex(4)}.sqlite3"
        if args.keep:
            print(f"keeping the database: {env['MADANG_DATABASE_URL']}", flush=True)
            cleanup = lambda: None  # noqa: E731
        try:
            subprocess.run(
                [*MANAGE, "ledger", "keygen", "--out", env["MADANG_LEDGER_KEY_FILE"]],
                env=env,
                check=True,
                capture_output=True,
            )
            generated, summary = 0.0, ["(an existing database)"]
            if not args.existing:
                subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
                t0 = time.perf_counter()
                gen = subprocess.run(
                    [*MANAGE, "generate_national", "--scale", str(args.scale)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                generated = time.perf_counter() - t0
                summary = [ln for ln in gen.stdout.splitlines() if ln.startswith("call ")]
                print(f"generated in {generated:.0f} s: {' '.join(summary)}", flush=True)
            setup = SETUP.replace("TOKENS", str(args.tokens))
            plan = json.loads(
                subprocess.run(
                    [*MANAGE, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True
                ).stdout.splitlines()[-1]
            )
            mix = {"list": 0.4, "search": 0.2, "status": 0.2, "support": 0.2}
            phases: list[tuple[str, dict[str, list[float]], float]] = []
            for shared in (True, False):
                # Production serves anonymous readers a few seconds' shared copy of the public pages
                # (madang/core/pagecache.py); the second server has it off, as for signed-in readers.
                env["MADANG_PAGE_CACHE_SECONDS"] = "5" if shared else "0"
                label = "" if shared else ", pages not shared"
                with serve(env, args.workers, args.threads, tmp) as port:
                    phases.append((f"mixed{label}", *drive(port, plan, mix, args.clients, args.seconds)))
                    phases.append(
                        (
                            f"mixed, {args.think:g} s pauses{label}",
                            *drive(port, plan, mix, args.clients, args.seconds, args.think),
                        )
                    )
                    if shared:
                        phases.append(
                            ("supports only", *drive(port, plan, {"support": 1.0}, args.clients, args.seconds))
                        )
                        phases.append(
                            ("supports, 10 hot proposals", *drive(port, plan, {"hot": 1.0}, args.clients, args.seconds))
                        )
            raw = raw_rate(args.db, env, min(args.seconds, 10))
        finally:
            cleanup()
    print(f"# Load benchmark on {args.db}: {' '.join(summary) or 'generated'} ({generated:.0f} s to generate)")
    print(
        f"command: {' '.join([Path(sys.executable).name, *sys.argv])}; gunicorn {args.workers} workers × "
        f"{args.threads} threads; "
        f"{args.clients} clients; {args.seconds:.0f} s per phase; load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| phase | request | count | errors | p50 ms | p95 ms | p99 ms |\n|---|---|---:|---:|---:|---:|---:|")
    for phase, data, _t in phases:
        for kind in ("list", "search", "status", "support"):
            if kind in data or f"{kind}:errors" in data:
                v = data.get(kind, [])
                print(
                    f"| {phase} | {kind} | {len(v)} | {len(data.get(kind + ':errors', []))} | {pct(v, 0.5) * 1000:.0f} "
                    f"| {pct(v, 0.95) * 1000:.0f} | {pct(v, 0.99) * 1000:.0f} |"
                )
    for phase, data, _t in phases:
        codes = {k.removesuffix(":errors"): len(v) for k, v in data.items() if k.startswith("status ")}
        if codes:  # 400: the client's official wrote that proposal; 429: rate limit; 0: connection failed
            print(f"{phase}: non-200 answers by status: {codes}")
    by_name = {phase: (data, t) for phase, data, t in phases}
    supports, t_sup = by_name["supports only"]
    rate = len(supports.get("support", [])) / t_sup
    print(
        f"\nsupports/s (supports-only phase): {rate:,.0f}; raw durable single-row insert+commit, one connection, no "
        "web stack: "
        f"{raw:,.0f}/s; ratio {rate / raw:.0%} (target ≥ 40%)"
    )
    hot, t_hot = by_name["supports, 10 hot proposals"]
    print(f"supports/s on the ten hottest proposals: {len(hot.get('support', [])) / t_hot:,.0f}")
    for phase, data, t in phases:
        if phase.startswith("mixed"):
            print(f"{phase} throughput: {sum(len(v) for k, v in data.items() if ':' not in k) / t:,.0f} requests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
