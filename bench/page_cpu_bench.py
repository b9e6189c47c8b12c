"""CPU of a signed-in page in process, with and without Madang's compiled reads and kept template
parts, request by request: a paired comparison that the machine's own drift cannot tilt.

    .venv/bin/python bench/page_cpu_bench.py                  # scale 0.01, 2,000 pairs a page
    .venv/bin/python bench/page_cpu_bench.py --pairs 500 --scale 0.01
    .venv/bin/python bench/page_cpu_bench.py --pairs 600 --change converters   # one change only (below)
    scripts/with_postgres.sh .venv/bin/python bench/page_cpu_bench.py --db postgres   # on PostgreSQL
    .venv/bin/python bench/page_cpu_bench.py --pairs 600 --profile status      # where a page's CPU goes

The load bench (bench/load_bench.py) measures the whole server, and on a shared two-core machine
its figures move by a third from one run to the next (issue 18: the same commit's floor cost 2.7
ms in one session and 4.7 ms in another). This bench sends each request twice, once through
Madang as it is and once with the two issue-18 tools turned off (the reads of `core.prepared`
compiled by Django on every request, as `build(**values)` would be; `{% url %}` reversed each
time and every `{% kept %}` part rendered in the page's context, as plain Django templates
would), in alternating order, and adds up the CPU (`time.process_time`) of each. The output is
the same either way (the tests say so); only the CPU differs. (Not switched off: the comment
form's empty field, made once per language by `calls.views`, about 0.4 ms of a proposal's page.)

It builds a separate installation in a temporary folder (SQLite, or with `--db postgres` a database
made in the server MADANG_DATABASE_URL names and dropped at the end; `generate_national --scale S`)
and reads the pages through Django's test client as signed-in officials: the floor
(`/health/live/` with a session: session, user, middleware, a view that does nothing), a list
page (1–50), a search and a proposal's page (at random).

`--change NAME` compares Madang with itself, as it is and with one of its changes undone:
`converters`, the compiled reads asking for their columns' converters at every read as Django's
compiler does; `notice`, the session's notice and warning rendered by the template engine at
every page instead of filled into their kept skeleton (`people/templatetags/session_notice.py`);
`user`, the request holding Django's lazy stand-in for the signed-in user instead of the User
itself (`people.sessions.unwrapped`).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["민원", "버스", "복지", "예약", "소상공인", "주정차", "고지서", "챗봇", "디지털"]


def build(tmp: Path, scale: float, db: str = "sqlite") -> Any:
    # (The load bench's installation, read here in this process: its settings, SQLite or a
    # PostgreSQL database made in the server MADANG_DATABASE_URL names.) Returns what drops it.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from load_bench import site_env

    url = os.environ.get("MADANG_DATABASE_URL")
    if db == "postgres" and not url:
        raise SystemExit("page_cpu_bench: --db postgres needs MADANG_DATABASE_URL (scripts/with_postgres.sh sets it)")
    env, cleanup = site_env(tmp, db, url)
    os.environ.clear()
    os.environ.update(env, DJANGO_SETTINGS_MODULE="madang.settings", MADANG_ALLOWED_HOSTS="testserver,127.0.0.1")
    manage = [sys.executable, str(ROOT / "manage.py")]
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([*manage, "ledger", "keygen", "--out", str(tmp / "ledger.key")], **quiet)
    subprocess.run([*manage, "migrate", "-v0"], **quiet)
    subprocess.run([*manage, "generate_national", "--scale", str(scale)], **quiet)
    return cleanup


def readers_and_pages(seed: int) -> tuple[list[Any], dict[str, Any]]:
    """100 generated officials signed in (Django's test client each) and, for each page, a
    function that draws one of its addresses."""
    from django.test import Client

    from madang.calls.models import Call, Proposal
    from madang.people.models import User
    from madang.testing import fresh_login

    users = User.objects.filter(kind="official", username__startswith="n").order_by("?")[:100]
    clients = [fresh_login(Client(), u) for u in users]
    clients = [c for c in clients if c.get("/people/settings/").status_code == 200]
    slug = Call.objects.get().slug
    pks = list(Proposal.objects.values_list("pk", flat=True))
    rng = random.Random(seed)
    paths = {
        "floor": lambda: "/health/live/",
        "list": lambda: f"/calls/c/{slug}/?page={rng.randint(1, 50)}",
        "search": lambda: f"/calls/c/{slug}/?q={rng.choice(WORDS)}",
        "status": lambda: f"/calls/p/{rng.choice(pks)}/",
    }
    return clients, paths


def measure(pairs: int, seed: int, change: str | None = None) -> list[tuple[str, float, float]]:
    import gc

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.template.defaulttags import URLNode

    from madang.core import prepared
    from madang.core.templatetags.kept import KeptNode, KeptURLNode

    madang = (prepared.Prepared.run, KeptURLNode.render, KeptNode.render)
    plain = (
        lambda self, **values: list(self.build(**values)),
        URLNode.render,
        lambda self, context: self.nodelist.render(context),
    )

    def use(tools: tuple) -> None:
        prepared.Prepared.run, KeptURLNode.render, KeptNode.render = tools

    kept_converters: list[tuple[Any, Any]] = []
    if change == "notice":
        from madang.people.templatetags import session_notice

        skeleton = session_notice._skeleton

        def use(tools: tuple) -> None:  # type: ignore[no-redef]
            # (Without a skeleton the tag renders the template in the page's context, as an include.)
            session_notice._skeleton = skeleton if tools is madang else lambda *args: None

    if change == "user":
        from madang.people import sessions

        unwrap = sessions.unwrapped

        def use(tools: tuple) -> None:  # type: ignore[no-redef]
            sessions.unwrapped = unwrap if tools is madang else lambda user: user

    if change == "converters":
        # Madang both ways, but in one the compiled reads ask for their columns' converters on every
        # read, as Django's compiler does (`core.prepared._keep_converters` undone).
        def use(tools: tuple) -> None:  # type: ignore[no-redef]
            for compiler, kept in kept_converters:
                if tools is madang:
                    compiler.get_converters = kept
                else:
                    compiler.__dict__.pop("get_converters", None)

    clients, paths = readers_and_pages(seed)
    if change == "converters":
        for path in paths.values():  # (every page once first, so each of its compiled reads exists)
            for i in range(50):
                clients[i % len(clients)].get(path())
        for read in (o for o in gc.get_objects() if isinstance(o, prepared.Prepared)):
            compiled = getattr(read._local, "compiled", None)
            if compiled is not None and "get_converters" in compiled.compiler.__dict__:
                kept_converters.append((compiled.compiler, compiled.compiler.__dict__["get_converters"]))
    out = []
    for name, path in paths.items():
        spent = {"madang": 0.0, "plain": 0.0}
        for i in range(pairs + pairs // 10):
            client, url = clients[i % len(clients)], path()
            for mode in ("madang", "plain") if i % 2 else ("plain", "madang"):
                use(madang if mode == "madang" else plain)
                start = time.process_time()
                status = client.get(url).status_code
                took = time.process_time() - start
                if status != 200:
                    raise SystemExit(f"page_cpu_bench: {url} answered {status}")
                if i >= pairs // 10:  # (the first tenth warms both up)
                    spent[mode] += took
        use(madang)
        out.append((name, spent["plain"] / pairs * 1000, spent["madang"] / pairs * 1000))
    return out


def profile(page: str, requests: int, seed: int) -> None:
    """Where one page's CPU goes: `requests` reads of it under cProfile after a warm-up, by own time."""
    import cProfile
    import pstats

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    clients, paths = readers_and_pages(seed)
    path = paths[page]
    for i in range(requests // 5):
        clients[i % len(clients)].get(path())
    urls = [path() for _ in range(requests)]
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    for i, url in enumerate(urls):
        clients[i % len(clients)].get(url)
    profiler.disable()
    took = (time.process_time() - start) / requests * 1000
    print(f"{page}: {requests} requests, {took:.2f} ms of CPU each under the profiler")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(60)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a small call, 50 pairs a page (make bench)")
    parser.add_argument(
        "--change",
        choices=["converters", "notice", "user"],
        help="compare Madang with itself with only this change undone (see the module's doc)",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--profile", choices=["floor", "list", "search", "status"], help="profile this page instead of pairing"
    )
    args = parser.parse_args()
    if args.quick:
        args.scale, args.pairs = 0.002, 50
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="madang-page-cpu-") as tmp:
        cleanup = build(Path(tmp), args.scale, args.db)
        try:
            if args.profile:
                profile(args.profile, args.pairs, args.seed)
                return 0
            rows = measure(args.pairs, args.seed, args.change)
        finally:
            from django.db import connections

            connections.close_all()
            cleanup()
    flag = f" --change {args.change}" if args.change else ""
    flag += " --db postgres" if args.db == "postgres" else ""
    print(f"command: python bench/page_cpu_bench.py --scale {args.scale} --pairs {args.pairs} --seed {args.seed}{flag}")
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; at the end: {os.getloadavg()[0]:.2f}")
    before = {
        "converters": "converters asked at each read",
        "notice": "notice by the engine",
        "user": "lazy user",
    }.get(args.change or "")
    before = before or "plain Django"
    print(f"| page | {before}, CPU ms | Madang, CPU ms | change | share of the floor, before → Madang |")
    print("|---|---:|---:|---:|---:|")
    floor = dict((name, (a, b)) for name, a, b in rows)["floor"]
    for name, a, b in rows:
        share = "" if name == "floor" else f"{floor[0] / a:.0%} → {floor[1] / b:.0%}"
        print(f"| {name} | {a:.2f} | {b:.2f} | {b / a - 1:+.0%} | {share} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
