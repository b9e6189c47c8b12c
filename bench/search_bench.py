"""Search and similar-idea latency at national scale, on SQLite (FTS5) and PostgreSQL (GIN).

    .venv/bin/python bench/search_bench.py --db sqlite   [--proposals 1000000] [--queries 200]
    .venv/bin/python bench/search_bench.py --db postgres --database-url postgres://user@127.0.0.1:5432/postgres

Builds a separate installation, generates the proposals with `madang generate_national`
(seeded Korean texts, the services' own indexer), then times the page a person gets: the first
page of results with its total count (`search_proposals` + a paginator), and the similar ideas
shown while typing (`similar_proposals`), for queries drawn from the generator's phrases with
spacing and particles changed. Reports p50/p95/p99 and the index's size and build time.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MANAGE = [sys.executable, str(ROOT / "manage.py")]

QUERIES = [
    "민원 서류",
    "민원서류를",
    "버스 정류장",
    "정류장 안내",
    "복지 혜택",
    "공공시설 예약",
    "재난문자",
    "소상공인 지원",
    "불법 주정차",
    "전자고지",
    "챗봇",
    "디지털 도우미",
    "온라인 예약 시스템",
    "어린이 보호구역",
    "야간 콜센터",
]
COMMENT_QUERIES = [
    "좋은 제안",
    "예산 확보",
    "개인정보 보호",
    "시범사업",
    "현장에서",
    "비슷한 사례를",
    "우리 지역에",
    "검토하면",
    "보호 대책이",
]
TYPING = [
    "민원인이 같은 서류를 또 내야 해서 한 번만 내게 하면 좋겠습니다",
    "버스 도착 시간이 안내판과 달라서 실시간 정보를 연동해야 합니다",
    "복지 혜택 대상자에게 먼저 알려 주는 서비스",
    "주민센터 공공시설 예약을 온라인으로",
    "재난 문자를 지역별로 나눠 보내기",
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("MADANG_DATABASE_URL"))
    parser.add_argument("--proposals", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--comments", type=int, default=0, help="also generate this many comments and time the comment search"
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the generated installation (SQLite: in the folder DIR; PostgreSQL: as the database DIR) and reuse "
        "it when it exists",
    )
    args = parser.parse_args()
    if args.quick:
        args.proposals, args.queries = 20_000, 40
    if args.db == "postgres" and not args.database_url:
        print("search_bench: --db postgres needs --database-url; skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmpdir:
        data_dir = Path(args.keep) if args.keep and args.db == "sqlite" else Path(tmpdir) / "var"
        reuse = (data_dir / "madang.sqlite3").exists()
        env = {**os.environ, "MADANG_DEBUG": "1", "MADANG_DATA_DIR": str(data_dir)}
        env.pop("MADANG_DATABASE_URL", None)
        drop = None
        if args.db == "postgres":
            import psycopg

            name = args.keep or f"madang_search_{secrets.token_hex(4)}"
            admin = urlparse(args.database_url)._replace(path="/postgres")
            with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
                reuse = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
                if not reuse:
                    conn.execute(f'CREATE DATABASE "{name}"')
            env["MADANG_DATABASE_URL"] = urlunparse(urlparse(args.database_url)._replace(path=f"/{name}"))

            def drop() -> None:
                if args.keep:
                    return
                with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        try:
            build = float("nan")
            if not reuse:
                subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
                t0 = time.perf_counter()
                subprocess.run(
                    [
                        *MANAGE,
                        "generate_national",
                        "--users",
                        "20000",
                        "--organisations",
                        "60",
                        "--proposals",
                        str(args.proposals),
                        "--supports",
                        "0",
                        "--comments",
                        str(args.comments),
                    ],
                    env=env,
                    check=True,
                    capture_output=True,
                )
                build = time.perf_counter() - t0
            os.environ.update({k: v for k, v in env.items() if k.startswith("MADANG_")})
            os.environ["DJANGO_SETTINGS_MODULE"] = "madang.settings"
            import django

            django.setup()
            from django.db import connection

            from madang.calls import selectors
            from madang.calls.models import Call
            from madang.core.paginator import CappedPaginator
            from madang.people.models import User

            call = Call.objects.get(slug__startswith="national-")
            reader = User.objects.filter(username__startswith="n").first()
            rng = random.Random(1)
            search, similar, hits, shown = [], [], [], 0
            by_order: dict[str, list[float]] = {"recent": [], "relevance": []}
            for i in range(args.queries):
                q = rng.choice(QUERIES)
                t = time.perf_counter()
                page = CappedPaginator(
                    selectors.search_proposals(reader, call, query=q, order="relevance" if i % 2 else "recent"), 20
                ).get_page(1)
                rows = list(page)
                total = page.paginator.count
                search.append(time.perf_counter() - t)
                by_order["relevance" if i % 2 else "recent"].append(search[-1])
                hits.append(total)
                assert len(rows) <= 20
            for _ in range(max(10, args.queries // 4)):
                text = rng.choice(TYPING)
                t = time.perf_counter()
                found = selectors.similar_proposals(call, text)
                similar.append(time.perf_counter() - t)
                shown += bool(found)
            comment_search: list[float] = []
            from madang.calls.models import Comment

            comments = Comment.objects.count()
            for i in range(args.queries // 2 if comments else 0):
                q = rng.choice(COMMENT_QUERIES)
                t = time.perf_counter()
                page = CappedPaginator(
                    selectors.search_comments(reader, call, query=q, order="relevance" if i % 2 else "recent"), 20
                ).get_page(1)
                rows = list(page)
                assert page.paginator.count >= len(rows)
                comment_search.append(time.perf_counter() - t)
                assert len(rows) <= 20
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'calls_proposal_fts%'")
                    index_bytes = cursor.fetchone()[0] or 0
                else:
                    cursor.execute("SELECT pg_relation_size('calls_proposal_search_vector')")
                    index_bytes = cursor.fetchone()[0]
            connection.close()
        finally:
            if drop:
                drop()
    print(f"# Search at {args.proposals:,} proposals on {args.db}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}; load average {os.getloadavg()[0]:.1f}\n")
    print(
        f"generate and index: {'(reused an existing installation)' if reuse else f'{build:.0f} s'}; full-text index: "
        f"{index_bytes / 1e6:,.0f} MB"
    )
    print("| what | n | p50 ms | p95 ms | p99 ms | target |\n|---|---:|---:|---:|---:|---|")
    print(
        f"| search: first page + total count | {len(search)} | {pct(search, 0.5) * 1000:.0f} | "
        f"{pct(search, 0.95) * 1000:.0f} | {pct(search, 0.99) * 1000:.0f} | p95 ≤ 100 ms |"
    )
    for order, times in by_order.items():
        print(
            f"| … of which in {order} order | {len(times)} | {pct(times, 0.5) * 1000:.0f} | "
            f"{pct(times, 0.95) * 1000:.0f} | {pct(times, 0.99) * 1000:.0f} | |"
        )
    if comment_search:
        print(
            f"| comment search ({comments:,} comments): first page + count | {len(comment_search)} | "
            f"{pct(comment_search, 0.5) * 1000:.0f} | "
            f"{pct(comment_search, 0.95) * 1000:.0f} | {pct(comment_search, 0.99) * 1000:.0f} | p95 ≤ 100 ms |"
        )
    print(
        f"| similar ideas while typing | {len(similar)} | {pct(similar, 0.5) * 1000:.0f} | "
        f"{pct(similar, 0.95) * 1000:.0f} | {pct(similar, 0.99) * 1000:.0f} | p95 ≤ 300 ms |"
    )
    print(
        f"\nmedian matches per query: {statistics.median(hits):,.0f}; typed texts with similar ideas shown: {shown} of "
        f"{len(similar)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
