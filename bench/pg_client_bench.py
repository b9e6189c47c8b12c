"""What one query costs the client process on PostgreSQL, by how it is sent, against SQLite.

    scripts/with_postgres.sh .venv/bin/python bench/pg_client_bench.py
    MADANG_DATABASE_URL=postgres://... .venv/bin/python bench/pg_client_bench.py --queries 20000

A signed-in page costs Madang's process more CPU on PostgreSQL than on SQLite (bench/page_cpu_bench.py
--db postgres: about 0.2 ms more a query), and a page asks 2–15 queries. This bench asks the same
small queries (one row by key, as the session and the user are read; twenty rows, as a list reads)
through psycopg the way Django sends them (a client-side cursor: the values are quoted into the SQL
text by psycopg) and three other ways, in rotation, query by query, so each way sees the same
machine: over TCP on loopback (how the load bench connects) or the server's unix socket (how a
server on the same machine is usually reached), and with the values bound by the server, the
statement prepared once per connection (Django's `server_side_binding` and `prepare_threshold`
options). SQLite answers the same queries in the same run, the reference a page's figures are
compared with.

It reports the CPU of this process a query (`time.process_time`: user and kernel time, so the
socket's system calls count) and, when the server runs on this machine, the CPU of each way's
server process a query (each way has its own connection; /proc counts in ticks of 10 ms, so the
runs are long). Nothing of Madang is imported.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from urllib.parse import parse_qs, urlparse

ROWS = 2000
ONE = "SELECT id, name, body, made, n FROM bench_t WHERE id = %s"
MANY = "SELECT id, name, body, made, n FROM bench_t WHERE id BETWEEN %s AND %s ORDER BY id"


def backend_cpu(pid: int) -> float | None:
    """Seconds of CPU the server process `pid` has used (utime + stime), or None if not on this machine."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    import psycopg

    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=10000, help="queries of each shape, each way")
    parser.add_argument("--url", default=os.environ.get("MADANG_DATABASE_URL"))
    parser.add_argument("--quick", action="store_true", help="500 queries of each shape (make bench)")
    args = parser.parse_args()
    if args.quick:
        args.queries = 500
    if not args.url or not args.url.startswith(("postgres://", "postgresql://")):
        print("pg_client_bench: no PostgreSQL URL (--url, or run under scripts/with_postgres.sh); skipped")
        return 0
    load = os.getloadavg()

    tcp = psycopg.connect(args.url, autocommit=True)
    socket_dir = tcp.execute("SHOW unix_socket_directories").fetchone()[0].split(",")[0].strip()
    parsed = urlparse(args.url)
    port = parsed.port or int(parse_qs(parsed.query).get("port", ["5432"])[0])
    kwargs = {"dbname": parsed.path.lstrip("/") or "postgres", "user": parsed.username or "postgres"}
    if parsed.password:
        kwargs["password"] = parsed.password

    tcp.execute("DROP TABLE IF EXISTS bench_t")
    tcp.execute("CREATE TABLE bench_t (id int PRIMARY KEY, name text, body text, made timestamptz, n int)")
    tcp.execute(
        "INSERT INTO bench_t SELECT i, '이름 ' || i, repeat('본문 ', 40), now() - i * interval '1 minute', i %% 97"
        " FROM generate_series(1, %s) i",
        (ROWS,),
    )
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE bench_t (id integer PRIMARY KEY, name text, body text, made text, n int)")
    lite.executemany(
        "INSERT INTO bench_t VALUES (?, ?, ?, ?, ?)",
        [(i, f"이름 {i}", "본문 " * 40, "2026-12-08 00:00:00", i % 97) for i in range(1, ROWS + 1)],
    )

    def via(conn: psycopg.Connection, server: bool):  # type: ignore[no-untyped-def]
        cursor = conn.cursor() if server else psycopg.ClientCursor(conn)

        def ask(sql: str, params: tuple) -> list:
            if server:
                cursor.execute(sql, params, prepare=True)
            else:
                cursor.execute(sql, params)
            return cursor.fetchall()

        return ask

    def sqlite_ask(sql: str, params: tuple) -> list:
        return lite.execute(sql.replace("%s", "?"), params).fetchall()

    def connect(over_unix: bool) -> psycopg.Connection:
        if over_unix:
            return psycopg.connect(host=socket_dir, port=port, autocommit=True, **kwargs)
        return psycopg.connect(args.url, autocommit=True)

    # Each way has a connection of its own, so each has its own server process to read the CPU of.
    ways: dict[str, tuple] = {}
    for over_unix in (False, True) if socket_dir else (False,):
        for server in (False, True):
            where = "unix socket" if over_unix else "TCP"
            how = "server-side values, prepared" if server else "client-side values (Django's default)"
            conn = connect(over_unix)
            ways[f"{where}, {how}"] = (via(conn, server), conn)
    ways["SQLite in memory (reference)"] = (sqlite_ask, None)
    shapes = {
        "one row by key": (ONE, lambda i: (i % ROWS + 1,)),
        "twenty rows": (MANY, lambda i: (i % 1900 + 1, i % 1900 + 20)),
    }
    print(f"command: python bench/pg_client_bench.py --queries {args.queries}")
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| shape | way | client CPU a query, µs | server CPU a query, µs |")
    print("|---|---|---:|---:|")
    for shape, (sql, params) in shapes.items():
        names = list(ways)
        spent = dict.fromkeys(names, 0.0)
        for i in range(args.queries // 10):  # warm-up: statements prepared, caches filled
            for name in names:
                ways[name][0](sql, params(i))
        before = {name: backend_cpu(c.info.backend_pid) if c else None for name, (_, c) in ways.items()}
        for i in range(args.queries):
            order = names[i % len(names) :] + names[: i % len(names)]
            p = params(i)
            for name in order:
                ask = ways[name][0]
                start = time.process_time()
                ask(sql, p)
                spent[name] += time.process_time() - start
        for name, (_, c) in ways.items():
            server = ""
            if c is not None and before[name] is not None:
                server = f"{(backend_cpu(c.info.backend_pid) - before[name]) / args.queries * 1e6:.0f}"
            print(f"| {shape} | {name} | {spent[name] / args.queries * 1e6:.0f} | {server} |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    tcp.execute("DROP TABLE bench_t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
