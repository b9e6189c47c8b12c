"""A page of a call's list on PostgreSQL: one statement against keys first, then rows.

`madang/core/paginator.py` reads a page of a query in two steps (the keys in order from the
query alone, then those rows with their joins). This bench shows why, on the planner's own
clock: for the shared list of a generated call it runs `EXPLAIN ANALYZE` on the page as one
statement and on the two statements the paginator sends, and prints planning + execution time
(median of 7) for a few pages.

    scripts/with_postgres.sh .venv/bin/python bench/keyed_pages_bench.py --scale 0.01
    scripts/with_postgres.sh .venv/bin/python bench/keyed_pages_bench.py --scale 0.1

It needs MADANG_DATABASE_URL (a server where it may create a database; with_postgres.sh starts
a throwaway one) and drops the database it made when it ends.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import re, statistics
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from madang.calls import selectors
from madang.calls.models import Call

def timed(qs):
    sql, params = qs.query.sql_with_params()
    runs = []
    with connection.cursor() as cur:
        for _ in range(7):
            cur.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
            text = "\\n".join(r[0] for r in cur.fetchall())
            found = (re.search(p + r": ([\\d.]+)", text) for p in ("Planning Time", "Execution Time"))
            runs.append(sum(float(m.group(1)) for m in found))
    return statistics.median(runs)

with connection.cursor() as cur:
    cur.execute("ANALYZE")
call = Call.objects.first()
qs = selectors.search_proposals(AnonymousUser(), call, shared_only=True)
for page in PAGES:
    bottom, top = (page - 1) * 20, page * 20
    keys = list(qs.values_list("pk", flat=True)[bottom:top])
    one = timed(qs[bottom:top])
    first, then = timed(qs.values_list("pk", flat=True)[bottom:top]), timed(qs.order_by().filter(pk__in=keys))
    print(f"| {page} | {one:.2f} | {first:.2f} + {then:.2f} = {first + then:.2f} |")
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--pages", default="1,7,33")
    parser.add_argument("--quick", action="store_true", help="a call of 200 proposals (make bench)")
    args = parser.parse_args()
    if args.quick:
        args.scale, args.pages = 0.002, "1,5"
    url = os.environ.get("MADANG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("keyed_pages_bench: needs MADANG_DATABASE_URL of a PostgreSQL server (scripts/with_postgres.sh); skipped")
        return 0
    import psycopg

    name = f"madang_keys_{secrets.token_hex(4)}"
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        MADANG_DATABASE_URL=urlunparse(urlparse(url)._replace(path=f"/{name}")),
        MADANG_DEBUG="1",
        MADANG_LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        generate = [*manage, "generate_national", "--scale", str(args.scale)]
        made = subprocess.run(generate, env=env, check=True, capture_output=True, text=True)
        print(" ".join(ln for ln in made.stdout.splitlines() if ln.startswith("call ")))
        print("| page | one statement, ms | keys + rows, ms |\n|---:|---:|---:|", flush=True)
        pages = [int(p) for p in args.pages.split(",")]
        code = MEASURE.replace("PAGES", repr(pages))
        shown = subprocess.run([*manage, "shell", "-c", code], env=env, check=True, capture_output=True, text=True)
        print("\n".join(ln for ln in shown.stdout.splitlines() if re.match(r"^\| \d", ln)))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
