"""Load benchmark: a national-scale call served by gunicorn, driven by many clients on loopback.

    .venv/bin/python bench/load_bench.py --db sqlite   [--scale 0.01] [--clients 100] [--seconds 20]
    .venv/bin/python bench/load_bench.py --db postgres --database-url postgres://user@127.0.0.1:5432/postgres
    .venv/bin/python bench/load_bench.py --db postgres --database-url … --scale 1 --keep   # keep the database
    .venv/bin/python bench/load_bench.py --db postgres --existing postgres://…/madang_load_ab12cd34  # reuse it
    .venv/bin/python bench/load_bench.py --db sqlite --scale 0.01 --seconds 10 --wrk   # wrk too (apt-get install wrk)
    .venv/bin/python bench/load_bench.py --db postgres --database-url … --scale 0.1 \
        --generate-args "--proposals 1000000 --comments 1000000" --search-only   # search at a million proposals

It builds a separate installation in a temporary folder (migrate, `madang generate_national
--scale S`, API tokens for `--tokens` (2,000) generated officials), starts gunicorn with production settings,
and runs bounded phases: a mixed phase (proposal list pages, Korean search, status pages and
support actions) with every client sending its next request as soon as the last is answered (a
closed loop: latency is then clients ÷ throughput), the same with a pause of `--think` seconds on
average between requests (what 100 people reading and clicking offer), a support-only phase and
one on the ten hottest proposals; then a second server with the anonymous page copies off
(`MADANG_PAGE_CACHE_SECONDS=0`: anonymous clients that get no shared copy, which is *not* the
same as being signed in) for the two mixed phases again.

Signed-in sessions (issue 18): the setup also signs in `--clients` generated officials through
Django's session engine, with the keys a completed sign-in leaves (user id, backend, session auth
hash, Madang's sign-in / last-seen / re-auth times, the second factor as given where their role
needs one), and each client then sends its own session cookie. On the first server (shared copies
on, as in production: a request with a session cookie is never served one), closed loop:
the floor (`/health/live/` with the session cookie: the same server, middleware, session load,
user load and session timeout checks, a view that does nothing), then list, search and status
pages each alone, each reported as a percentage of the floor's throughput; then the mixed and
paced mixed phases with sessions. Pages are GETs; the support action keeps its API tokens (no
CSRF round trip). Before the phases, `/people/settings/` must answer 200 with a cookie and 302
without, or the run stops. With `--wrk` the four single-page signed-in phases run a second time
driven by wrk (2 threads, a Lua script giving each request one of the session cookies in turn).

`--search-only` (issue 18, search at a million proposals) runs just two phases on the first server,
both with the signed-in sessions and searches alone: a closed loop, then the paced one (`--think`
seconds on average between requests); no raw commit reference. The setup says how many of the
signed-in officials are plain readers (`calls.selectors.plain_reader`: nothing of their own in the
call), who are served the shared copy of a search for a few seconds; the others' searches all
reach the database. `--generate-args` passes more arguments to `generate_national` (its
`--proposals`, `--comments`, `--users`, `--supports` overrides of the `--scale` sizes).

Every request goes on a connection of its own (`Connection: close`), as nginx sends requests to
gunicorn in the deployment this measures (docs/deployment.md), so each goes to whichever worker
accepts it first; with `--keep-alive` each client keeps one connection, which stays on one worker
(one core under the GIL): an outside probe found 96 of 100 such clients on one worker.

For every phase it reads the CPU time of the server (gunicorn master and workers, from
/proc/<pid>/stat, exited children included) and, with a local PostgreSQL, of the database server
(the postmaster and its backends) before and after, and prints CPU milliseconds per request
answered; and the load generator's own CPU (getrusage of this process, all threads; of the
finished wrk child for the wrk phases) per request and as a share of the machine's cores.
It measures, in the same run (before the first phase and after the last), the raw rate of
the same durable single-row insert-and-commit with no web stack (psycopg, or sqlite3 in WAL mode
with synchronous=FULL) and prints the ratio. The load generator is a thread pool in this process
on the same 2 cores as the server, so its own cost is part of every figure (the CPU table says how
much). Needs gunicorn importable by this Python (`pip install gunicorn`, or its wheel on
PYTHONPATH): it is started as `python -m gunicorn`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import random
import secrets
import shlex
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
from urllib.parse import parse_qsl, quote, urlencode, urlparse, urlunparse

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


def driver_url(url: str) -> str:
    """The URL without the options Madang reads itself (madang/settings.py, `postgres_binding`),
    which psycopg would refuse: for the bench's own connections."""
    parts = urlparse(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"server_side_binding", "prepare_threshold"}]
    return urlunparse(parts._replace(query=urlencode(kept)))


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
# Signed-in sessions: what a completed sign-in leaves in the session, made through the engine.
import time
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from madang.identity import rules, signin
from madang.people import sessions as lifetimes
from madang.people.backends import REAUTH_KEY
store = import_module(settings.SESSION_ENGINE).SessionStore
cookies, readers = [], []
for u in User.objects.filter(kind="official", username__startswith="n").order_by("?")[:SESSIONS]:
    s, now = store(), int(time.time())
    s[SESSION_KEY] = u._meta.pk.value_to_string(u)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = u.get_session_auth_hash()
    s[REAUTH_KEY] = s[lifetimes.STARTED_KEY] = s[lifetimes.SEEN_KEY] = now
    if rules.requires_second_factor(u):
        s[signin.GIVEN_KEY] = now
    s.create()
    cookies.append(s.session_key)
    readers.append(u)
# Plain readers (nothing of their own in the call) share each search's page for a few seconds.
from madang.calls.selectors import plain_reader
call = Proposal.objects.only("call").first().call
plain = sum(plain_reader(u, call) for u in readers)
print(json.dumps({"tokens": tokens, **span, "hot": hot, "slug": call.slug,
                  "cookie": settings.SESSION_COOKIE_NAME, "sessions": cookies, "plain": plain}))
"""


def parse_stat(text: str) -> tuple[int, int]:
    """(parent pid, CPU clock ticks: user + system, waited-for children included) from /proc/<pid>/stat."""
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    # fields[0] is field 3 (state) of proc(5): ppid is 4, utime..cstime are 14..17.
    return int(fields[1]), sum(int(f) for f in fields[11:15])


def tree_cpu(root: int) -> float:
    """CPU seconds of a process and its live children (exited ones are in the root's own figure)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            ppid, ticks = parse_stat(Path(entry.path, "stat").read_text())
        except (OSError, ValueError):
            continue  # gone meanwhile
        if int(entry.name) == root or ppid == root:
            total += ticks
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """This process's CPU seconds, all threads (the load generator)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def postmaster_of(url: str) -> int | None:
    """The local PostgreSQL server's postmaster, from a backend's parent (None if not on this machine)."""
    try:
        import psycopg

        with psycopg.connect(driver_url(url)) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        return parse_stat(Path(f"/proc/{backend}/stat").read_text())[0]
    except Exception:  # optional: a remote server, or no permission
        return None


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
        signed_in: bool = False,
    ):
        super().__init__(daemon=True)
        self.port, self.plan, self.mix, self.until, self.out, self.lock = port, plan, mix, until, out, lock
        self.think = think  # mean pause between one answer and the next request (0: none, a closed loop)
        self.rng = random.Random(seed)
        self.tokens = plan["tokens"]  # each support as a random one of the officials
        # With sessions, the pages are asked for as this client's own signed-in official.
        self.cookie = f"{plan['cookie']}={plan['sessions'][seed % len(plan['sessions'])]}" if signed_in else ""

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
            if kind == "floor":
                path = "/health/live/"
            elif kind == "list":
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
            if self.cookie and method == "GET":
                headers["Cookie"] = self.cookie
            if not KEEP_ALIVE:
                headers["Connection"] = "close"  # (http.client opens the next one by itself)
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


# Each request on a connection of its own, as nginx sends them to gunicorn (docs/deployment.md):
# then each goes to whichever worker accepts it first. A client holding one keep-alive connection
# stays on one worker, and under the GIL one worker is one core; `--keep-alive` measures that.
KEEP_ALIVE = False

# CPU seconds per phase: server (gunicorn), database (a local postmaster), generator (this process).
CPU: dict[str, dict[str, float]] = {}
WATCH: dict[str, int] = {}  # what to read: "server" and, when found, "database" -> root pid


def drive(
    port: int,
    plan: dict,
    mix: dict[str, float],
    clients: int,
    seconds: float,
    think: float = 0.0,
    signed_in: bool = False,
    name: str = "",
) -> tuple[dict[str, list[float]], float]:
    out: dict[str, list[float]] = {}
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [Client(port, plan, mix, until, out, lock, i, think, signed_in) for i in range(clients)]
    before = {k: tree_cpu(pid) for k, pid in WATCH.items()} | {"generator": own_cpu()}
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    after = {k: tree_cpu(pid) for k, pid in WATCH.items()} | {"generator": own_cpu()}
    CPU[name] = {k: after[k] - before[k] for k in before} | {"wall": wall}
    return out, wall


WRK_SCRIPT = """
-- Each request a real signed-in session (the cookies made in the setup), in turn per thread.
local sessions, words, n = {SESSIONS}, {WORDS}, 0
local kind, slug, first, last = "{KIND}", "{SLUG}", {FIRST}, {LAST}
function setup(thread) thread:set("offset", math.random(1, #sessions)) end
function request()
  n = n + 1
  local path = "/health/live/"
  if kind == "list" then path = "/calls/c/" .. slug .. "/?page=" .. math.random(1, 50)
  elseif kind == "search" then path = "/calls/c/" .. slug .. "/?q=" .. words[math.random(1, #words)]
  elseif kind == "status" then path = "/calls/p/" .. math.random(first, last) .. "/" end
  local cookie = "{COOKIE}=" .. sessions[(n + (offset or 0)) % #sessions + 1]
  return wrk.format("GET", path, {["Cookie"] = cookie{CONNECTION}})
end
function done(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status))
end
"""


def drive_wrk(port: int, plan: dict, kind: str, clients: int, seconds: float, tmp: Path, name: str) -> dict:
    """One signed-in page, closed loop, driven by wrk (compiled, 2 threads) instead of this process."""
    import resource

    def lua_list(items: list) -> str:
        return "{" + ", ".join(json.dumps(str(i), ensure_ascii=False) for i in items) + "}"

    script = tmp / f"wrk-{kind}.lua"
    fill = {
        "{SESSIONS}": lua_list(plan["sessions"]),
        "{WORDS}": lua_list([quote(w) for w in WORDS]),
        "{KIND}": kind,
        "{SLUG}": quote(plan["slug"]),
        "{FIRST}": str(plan["first"]),
        "{LAST}": str(plan["last"]),
        "{COOKIE}": plan["cookie"],
        "{CONNECTION}": "" if KEEP_ALIVE else ', ["Connection"] = "close"',
    }
    text = WRK_SCRIPT
    for k, v in fill.items():
        text = text.replace(k, v)
    script.write_text(text)
    command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script)]
    before = {k: tree_cpu(pid) for k, pid in WATCH.items()}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([*command, f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = {k: tree_cpu(pid) for k, pid in WATCH.items()}
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("WRK "))
    count, micros, errors, p50, p95, p99, non2xx = (int(x) for x in line.split()[1:])
    wall = micros / 1e6
    generator = (after_children.ru_utime + after_children.ru_stime) - (children.ru_utime + children.ru_stime)
    CPU[name] = {k: after[k] - before[k] for k in before} | {"generator": generator, "wall": wall}
    return {"count": count, "wall": wall, "errors": errors, "non2xx": non2xx, "p": (p50, p95, p99)}


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int, threads: int, tmp: Path):
    """gunicorn with production settings on a free port, until the block ends."""
    port = free_port()
    log = open(tmp / f"server-{port}.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,  # (gunicorn as a module: found wherever this Python finds it, PYTHONPATH too)
            "-m",
            "gunicorn",
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
        WATCH["server"] = server.pid
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

        with psycopg.connect(driver_url(env["MADANG_DATABASE_URL"]), autocommit=False) as conn:
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
        path.parent.mkdir(parents=True, exist_ok=True)  # (not made yet with --existing: no migrate)
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
        for suffix in ("", "-wal", "-shm"):  # (measured twice a run: before and after the phases)
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return n / seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("MADANG_DATABASE_URL"))
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="per worker (docs/deployment.md runs 3 × 2)")
    parser.add_argument("--tokens", type=int, default=2000, help="API tokens of distinct officials the clients share")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause (s) between requests in the paced phases")
    parser.add_argument("--keep", action="store_true", help="keep the generated database and print its URL")
    parser.add_argument(
        "--existing", metavar="URL", help="use this already generated database (no migrate, no generate)"
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--supports-only",
        action="store_true",
        help="run only the two support phases and the raw commit reference (issue 18's support ratio)",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="run only signed-in search, closed loop and paced (`--think`): search at a national call's size",
    )
    parser.add_argument(
        "--generate-args",
        default="",
        metavar="ARGS",
        help='more arguments for generate_national, e.g. "--proposals 1000000 --comments 1000000"',
    )
    parser.add_argument(
        "--wrk",
        action="store_true",
        help="also drive the four signed-in single-page phases with wrk (a compiled generator), if installed",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="the cache (and cached sessions) in this Redis, shared by the workers (MADANG_REDIS_URL; default: none)",
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="clients keep one connection each (default: a connection per request, as nginx in front of gunicorn)",
    )
    args = parser.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = args.keep_alive
    if args.quick:
        args.scale, args.clients, args.seconds, args.tokens = 0.002, 20, 5, 300
    if args.db == "postgres" and not (args.database_url or args.existing):
        print("load_bench: --db postgres needs --database-url (a server where we may create a database); skipped")
        return 0
    if args.wrk and not shutil.which("wrk"):
        print("load_bench: --wrk: wrk is not installed (apt-get install wrk); the Python generator only")
        args.wrk = False
    if args.search_only and args.supports_only:
        parser.error("--search-only and --supports-only are two different runs")
    if importlib.util.find_spec("gunicorn") is None:
        print("load_bench: gunicorn is not installed in this environment (pip install gunicorn); skipped")
        return 0
    load_start = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if args.existing:
            env, cleanup = site_env(tmp, "sqlite", None)
            env["MADANG_DATABASE_URL"] = args.existing
        else:
            env, cleanup = site_env(tmp, args.db, args.database_url)
        if args.redis:
            env["MADANG_REDIS_URL"] = args.redis
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
                    [*MANAGE, "generate_national", "--scale", str(args.scale), *shlex.split(args.generate_args)],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                generated = time.perf_counter() - t0
                summary = [ln for ln in gen.stdout.splitlines() if ln.startswith("call ")]
                print(f"generated in {generated:.0f} s: {' '.join(summary)}", flush=True)
            setup = SETUP.replace("TOKENS", str(args.tokens)).replace("SESSIONS", str(args.clients))
            plan = json.loads(
                subprocess.run(
                    [*MANAGE, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True
                ).stdout.splitlines()[-1]
            )
            mix = {"list": 0.4, "search": 0.2, "status": 0.2, "support": 0.2}
            phases: list[tuple[str, dict[str, list[float]], float]] = []
            wrk_runs: dict[str, dict] = {}
            if env.get("MADANG_DATABASE_URL", "").startswith("postgres"):
                postmaster = postmaster_of(env["MADANG_DATABASE_URL"])
                if postmaster:
                    WATCH["database"] = postmaster

            def run(name: str, port: int, mix: dict[str, float], think: float = 0.0, signed_in: bool = False) -> None:
                data, t = drive(port, plan, mix, args.clients, args.seconds, think, signed_in, name)
                phases.append((name, data, t))

            # The disk's sync time drifts with the machine's other work: the reference is measured
            # before and after the phases, and the ratio taken to both.
            print(
                f"signed-in officials: {len(plan['sessions'])}, of whom {plan['plain']} plain readers "
                "(served a shared copy of each search for a few seconds)",
                flush=True,
            )
            raw_before = 0.0 if args.search_only else raw_rate(args.db, env, min(args.seconds, 10))
            for shared in (True, False):
                # Production serves anonymous readers a few seconds' shared copy of the public pages
                # (madang/core/pagecache.py); the second server has it off for anonymous readers too.
                env["MADANG_PAGE_CACHE_SECONDS"] = "5" if shared else "0"
                label = "" if shared else ", pages not shared"
                with serve(env, args.workers, args.threads, tmp) as port:
                    if args.supports_only:
                        run("supports only", port, {"support": 1.0})
                        run("supports, 10 hot proposals", port, {"hot": 1.0})
                        break
                    if shared:
                        check_session(port, plan)
                    if args.search_only:
                        run("signed-in search", port, {"search": 1.0}, signed_in=True)
                        run(f"signed-in search, {args.think:g} s pauses", port, {"search": 1.0}, args.think, True)
                        break
                    run(f"mixed{label}", port, mix)
                    run(f"mixed, {args.think:g} s pauses{label}", port, mix, args.think)
                    if shared:
                        run("supports only", port, {"support": 1.0})
                        run("supports, 10 hot proposals", port, {"hot": 1.0})
                        # Signed-in sessions (the shared copies are on, as in production; no signed-in
                        # request is served one): the floor, each page alone, then the mix.
                        for kind in ("floor", "list", "search", "status"):
                            run(f"signed-in {kind}", port, {kind: 1.0}, signed_in=True)
                        if args.wrk:
                            for kind in ("floor", "list", "search", "status"):
                                name = f"signed-in {kind}, wrk"
                                wrk_runs[kind] = drive_wrk(port, plan, kind, args.clients, args.seconds, tmp, name)
                        run("mixed, signed-in", port, mix, signed_in=True)
                        run(f"mixed, {args.think:g} s pauses, signed-in", port, mix, args.think, signed_in=True)
            raw = 0.0 if args.search_only else raw_rate(args.db, env, min(args.seconds, 10))
        finally:
            cleanup()
    print(f"# Load benchmark on {args.db}: {' '.join(summary) or 'generated'} ({generated:.0f} s to generate)")
    print(
        f"command: {' '.join([Path(sys.executable).name, *sys.argv])}; gunicorn {args.workers} workers × "
        f"{args.threads} threads; "
        f"{args.clients} clients, {'one keep-alive connection each' if KEEP_ALIVE else 'a connection per request'}; "
        f"{args.seconds:.0f} s per phase; cache {'in Redis' if args.redis else 'per process'}; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    if load_start:
        print(f"load average (1, 5, 15 min) at the start: {' '.join(load_start)}; at the end: {loadavg()}")
    print(f"signed-in officials: {len(plan['sessions'])}, of whom {plan['plain']} plain readers\n")
    print("| phase | request | count | errors | p50 ms | p95 ms | p99 ms |\n|---|---|---:|---:|---:|---:|---:|")
    for phase, data, _t in phases:
        for kind in ("floor", "list", "search", "status", "support"):
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
    if args.search_only:
        for phase, data, t in phases:
            print(f"{phase} throughput: {sum(len(v) for k, v in data.items() if ':' not in k) / t:,.1f} requests/s")
        cpu_table(phases)
        return 0
    supports, t_sup = by_name["supports only"]
    rate = len(supports.get("support", [])) / t_sup
    print(
        f"\nsupports/s (supports-only phase): {rate:,.0f}; raw durable single-row insert+commit, one connection, no "
        f"web stack: {raw_before:,.0f}/s before the phases, {raw:,.0f}/s after; ratio {rate / raw_before:.0%} and "
        f"{rate / raw:.0%} (target ≥ 40%)"
    )
    hot, t_hot = by_name["supports, 10 hot proposals"]
    print(f"supports/s on the ten hottest proposals: {len(hot.get('support', [])) / t_hot:,.0f}")
    for phase, data, t in phases:
        if phase.startswith("mixed"):
            print(f"{phase} throughput: {sum(len(v) for k, v in data.items() if ':' not in k) / t:,.0f} requests/s")
    if "signed-in floor" in by_name:
        signed_in_table(by_name)
    if wrk_runs:
        print(
            f"\nThe same four pages driven by wrk (2 threads, {args.clients} connections, each request one of the "
            "sessions in turn)\n"
        )
        print("| page | requests/s | % of floor | errors (non-2xx) | p50 ms | p95 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        wrk_floor = wrk_runs["floor"]["count"] / wrk_runs["floor"]["wall"]
        for kind, r in wrk_runs.items():
            rate = r["count"] / r["wall"]
            p50, p95, p99 = (x / 1000 for x in r["p"])
            print(
                f"| {kind} | {rate:,.0f} | {rate / wrk_floor:.0%} | {r['errors']} ({r['non2xx']}) | {p50:.0f} "
                f"| {p95:.0f} | {p99:.0f} |"
            )
        phases.extend((f"signed-in {k}, wrk", {k: [0.0] * r["count"]}, r["wall"]) for k, r in wrk_runs.items())
    cpu_table(phases)
    return 0


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_table(phases: list[tuple[str, dict[str, list[float]], float]]) -> None:
    """Each phase's CPU a request answered: server, database (if watched), load generator."""
    cores = os.cpu_count() or 1
    watched = [k for k in ("server", "database") if any(k in c for c in CPU.values())]
    print(
        f"\nCPU per phase ({cores} cores): milliseconds of CPU per request answered, and each part's share of "
        "the machine (CPU seconds ÷ (wall seconds × cores)); the generator is this process, all its threads\n"
    )
    head = "".join(f" {k} ms/request | {k} share |" for k in watched)
    print(f"| phase | answered/s |{head} generator ms/request | generator share |")
    print("|---|---:|" + "---:|---:|" * (len(watched) + 1))
    for phase, data, t in phases:
        cpu = CPU.get(phase, {})
        served = answered(data)
        cells = "".join(
            f" {cpu[k] * 1000 / served:.1f} | {cpu[k] / (cpu['wall'] * cores):.0%} |" if served else " – | – |"
            for k in (*watched, "generator")
        )
        print(f"| {phase} | {served / t:,.0f} |{cells}")


def signed_in_table(by_name: dict[str, tuple[dict[str, list[float]], float]]) -> None:
    floor_data, t_floor = by_name["signed-in floor"]
    floor = len(floor_data.get("floor", [])) / t_floor
    print(
        "\nSigned-in sessions, closed loop, each page alone: throughput as a share of the floor's "
        "(/health/live/ with the session cookie; target: list, search and status ≥ 25 %)\n"
    )
    print("| page | requests/s | % of floor |\n|---|---:|---:|")
    for kind in ("floor", "list", "search", "status"):
        data, t = by_name[f"signed-in {kind}"]
        rate = len(data.get(kind, [])) / t
        print(f"| {kind} | {rate:,.0f} | {rate / floor:.0%} |" if floor else f"| {kind} | {rate:,.0f} | – |")


def answered(data: dict[str, list[float]]) -> int:
    """Requests the server answered (any status; not the connections that failed)."""
    ok = sum(len(v) for k, v in data.items() if ":" not in k)
    return ok + sum(len(v) for k, v in data.items() if k.startswith("status ") and k != "status 0:errors")


def check_session(port: int, plan: dict) -> None:
    """The sessions are signed in: a page for signed-in people answers 200 with the cookie, not a redirect."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for cookie, want in (("", 302), (f"{plan['cookie']}={plan['sessions'][0]}", 200)):
        conn.request("GET", "/people/settings/", headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        if response.status != want:
            who = cookie or "anonymous"
            raise SystemExit(f"load_bench: /people/settings/ answered {response.status}, not {want} ({who})")


if __name__ == "__main__":
    sys.exit(main())
