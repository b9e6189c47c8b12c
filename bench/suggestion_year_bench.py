"""A year of the statutory suggestion system in a 60-agency government, and the time to produce its
yearly report, on SQLite and PostgreSQL:

    .venv/bin/python bench/suggestion_year_bench.py                 # 50,000 suggestions, both databases
    .venv/bin/python bench/suggestion_year_bench.py --quick         # 3,000 (what `make bench` runs)
    .venv/bin/python bench/suggestion_year_bench.py --db sqlite --proposals 5000

PostgreSQL: the server at `--database-url` (or MADANG_DATABASE_URL), where a database is created and
dropped afterwards; without one, a throwaway cluster through scripts/with_postgres.sh when the
PostgreSQL server binaries are installed, else PostgreSQL is skipped. Each database runs in its
own child process (its own settings, and its own peak memory).

The year (2025): 60 agencies with six departments each open their suggestion offices through the
services, under the shipped packs (15 offices under the 세종 pack, with contests, and the 공무원 제안
규정; 15 under the national 국민 제안 규정 and the 공무원 제안 규정) and the tests' award packs (30
offices: the same regulations with four grades and the 실시제안 type, since no shipped pack has
grades). Suggestions are spread over the offices as in a real government, a few large and many
small (the largest has about a fifth). Each suggestion's life is drawn first, as dated steps:
received (standing, contest or already-implemented; by a citizen or an official), a supplement
asked for (answered, or lapsed by the decision), returned on one of its pack's grounds,
transferred, not adopted, re-examined (upheld, adopted or still pending), adopted with or without a
date, planned, delayed, declared impossible (accepted or not), implemented on time or late, its
projected and actual effect (some corrected), awarded by grade; some are still under review.

A few hundred lives, chosen to cover every path, run through the real services (receipt, the
ledger, the notices). The rest are written in bulk (COPY on PostgreSQL, batched inserts on SQLite)
from the same lives by a simulation of what each service writes; that simulation is checked
against the services on the sample, field by field, before the bulk rows are written: the bulk
year is a year the services could have produced (its ledger entries and notices excepted). Then
every office's yearly report is checked against counts computed here from the lives, and only
then timed: the report's data (`report.yearly`) for each of the 60 offices, the largest office's
page (with its chart), its XLSX and its HWPX and PDF documents through the test client, with the
number of queries; the reference in the same run is the report's own four queries written by hand
in SQL (no ORM), and reading every suggestion row of the year. Memory: the Python peak
(tracemalloc) while the reports and documents are made, and the process's peak resident size.
`--profile` prints where the 60 reports spend their time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
DEPARTMENTS = ["민원과", "교통과", "복지과", "기획예산과", "정보화과", "안전총괄과"]
KINDS = ["ministry"] * 18 + ["province"] * 12 + ["local"] * 20 + ["police"] * 4 + ["fire"] * 3 + ["public"] * 3
PROBLEMS = [
    "민원인이 같은 서류를 여러 번 제출해야 합니다",
    "주말에는 담당 부서와 연락할 방법이 없습니다",
    "노인과 장애인이 온라인 신청을 어려워합니다",
    "버스 정류장 안내가 실제 도착 시간과 다릅니다",
    "복지 혜택을 몰라서 신청하지 못하는 가구가 많습니다",
    "공공시설 예약이 전화로만 됩니다",
    "재난 문자가 너무 자주 와서 중요한 내용을 놓칩니다",
    "종이 고지서가 매달 대량으로 버려집니다",
]
SOLUTIONS = [
    "행정정보 공동이용으로 한 번만 제출하게 합니다",
    "챗봇과 야간 상담 창구를 연계합니다",
    "주민센터에 디지털 도우미를 배치합니다",
    "실시간 위치 정보를 정류장 안내판에 연동합니다",
    "자격 정보를 연계해 대상자에게 먼저 알려 줍니다",
    "온라인 통합 예약 시스템을 만듭니다",
    "지역과 위험도에 따라 문자 발송 기준을 나눕니다",
    "모바일 전자고지를 기본으로 바꿉니다",
]
TEMPLATES = [
    (f"{SOLUTIONS[(i * 3) % 8][:16]} 제안 {i + 1}", PROBLEMS[i % 8], SOLUTIONS[(i * 3) % 8]) for i in range(24)
]

# What each step says (the same words through the services and in the bulk rows).
QUESTION = "현재 겪는 불편을 구체적인 사례로 보완해 주십시오."
ANSWER = "주민센터 창구에서 같은 서류를 세 번 냈습니다."
EXPLANATION = {
    "adopt": "효과가 크고 바로 시행할 수 있어 채택합니다.",
    "not_adopt": "예산과 인력 사정상 지금 적용하기 어렵습니다.",
    "return": "제안 요건에 해당하지 않아 반려합니다.",
    "transfer": "소관 기관이 따로 있어 이송합니다.",
}
REEXAM_REASON = "다른 기관의 시행 사례를 보면 적용할 수 있습니다."
REEXAM_EXPLANATION = {"adopt": "재심사 결과 채택합니다.", "not_adopt": "재심사에서도 불채택을 유지합니다."}
TRANSFER_TO = {"civil_complaint": "민원 처리 부서", "other_agency": "소관 중앙행정기관"}
PLAN_TEXT = "시범 운영 후 전면 시행합니다."
DELAY_REASON = "예산 편성이 늦어졌습니다."
CANNOT_REASON = "관계 법령 개정이 필요합니다."
RULING_NOTE = {
    "implemented": "시행을 확인했습니다.",
    "cannot_accepted": "실시 불가를 인정합니다.",
    "cannot_rejected": "실시 불가를 인정하지 않습니다. 기한까지 실시하십시오.",
}
EFFECT_EVIDENCE = {"projected": "부서 추정 자료", "actual": "시행 후 실적 집계"}
CORRECTION_REASON = "집계 오류를 바로잡습니다."
AWARD_NOTE = "심사 결과에 따른 등급입니다."
EVIDENCE = "이미 우리 부서에서 시행 중입니다."


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- the child: one database


@dataclass
class Agency:
    index: int
    group: str  # "awards", "sejong", "national"
    org: Any
    departments: list[Any]
    team: Any
    reviewers: list[Any]
    liaisons: dict[int, Any]  # department id -> liaison
    officials: list[int] = field(default_factory=list)
    office: Any = None
    contest: Any = None
    packs: dict[str, Any] = field(default_factory=dict)  # proposer kind -> pack in force in YEAR


@dataclass
class Life:
    n: int
    agency: int
    proposer: int
    proposer_kind: str
    kind: str
    template: int
    received_on: date
    evidence: str = ""
    in_place_since: date | None = None
    events: list[tuple[str, date, dict[str, Any]]] = field(default_factory=list)
    path: str = ""
    tags: set[str] = field(default_factory=set)


def child(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="sugbench-"))
    server_url = os.environ.get("MADANG_DATABASE_URL", "")
    for k in [k for k in os.environ if k.startswith(("MADANG_", "DJANGO_"))]:
        del os.environ[k]
    os.environ.update(
        MADANG_DEBUG="0",
        MADANG_SECRET_KEY=secrets.token_urlsafe(50),
        MADANG_ALLOWED_HOSTS="testserver",
        MADANG_SECURE_COOKIES="0",
        MADANG_SECOND_FACTOR_REQUIRED="0",
        MADANG_DATA_DIR=str(tmp / "var"),
        MADANG_LEDGER_KEY_FILE=str(tmp / "ledger.key"),
        MADANG_RATE_LIMITS="off",
        MADANG_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        MADANG_LOG_LEVEL="WARNING",
        MADANG_ACCESS_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="madang.settings",
    )
    drop = None
    if args.child == "postgres":
        import psycopg

        name = f"madang_sugbench_{secrets.token_hex(4)}"
        admin = urlunparse(urlparse(server_url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            found = conn.execute("SHOW server_version").fetchone()
            version = found[0] if found else "?"
        os.environ["MADANG_DATABASE_URL"] = urlunparse(urlparse(server_url)._replace(path=f"/{name}"))

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("ledger", "keygen", "--out", str(tmp / "ledger.key"), stdout=io.StringIO())
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - t
        if args.child == "sqlite":
            import sqlite3

            version = sqlite3.sqlite_version
        result = run_year(args)
        result["database"] = f"{'PostgreSQL' if args.child == 'postgres' else 'SQLite'} {version}"
        result["migrate_s"] = migrated
        connection.close()
        return result
    finally:
        if drop is not None:
            from django.db import connections

            connections.close_all()
            drop()
        shutil.rmtree(tmp, ignore_errors=True)


def run_year(args: argparse.Namespace) -> dict[str, Any]:
    from madang.suggestions import packs
    from madang.suggestions.tests.awards_packs import with_award_packs

    pack_set = with_award_packs()  # the shipped packs and the tests' two award packs
    packs.active = lambda: pack_set  # as the award tests do (a module attribute the services read)

    out: dict[str, Any] = {"load_start": load()}
    rng = random.Random(args.seed)
    t = time.perf_counter()
    world = build_world(args.agencies, args.officials_per_agency, args.citizens, rng)
    out["world_s"] = time.perf_counter() - t
    lives = draw_lives(world, args.proposals, rng)
    sample = choose_sample(lives, args.sample, rng)
    t = time.perf_counter()
    done = through_services(world, sample)
    out["services_s"] = time.perf_counter() - t
    out["services_n"] = len(sample)
    out["services_steps"] = sum(len(life.events) for life in sample)
    sim = {life.n: simulate(world, life) for life in lives}
    mismatches = compare_sample(sample, done, sim)
    if mismatches:
        for m in mismatches[:20]:
            print(m, file=sys.stderr)
        raise SystemExit(f"the bulk simulation differs from the services on {len(mismatches)} sample suggestions")
    out["sample_checked"] = len(sample)
    t = time.perf_counter()
    rest = [life for life in lives if life.n not in done]
    write_bulk(world, rest, sim)
    out["bulk_s"] = time.perf_counter() - t
    out["bulk_n"] = len(rest)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a load (the throwaway cluster runs without it)
    out["paths"] = dict(Counter(life.path for life in lives))
    out["tags"] = dict(Counter(t for life in lives for t in life.tags))
    out["sample_paths"] = len({life.path for life in sample})
    out["sizes"] = sizes(world, lives)
    out["checked"] = check_reports(lives, sim, world)
    out.update(measure(world, args.repeat))
    if args.profile:
        profile(world)
    out["rss_mib"] = rss_mib()
    out["load_end"] = load()
    return out


def build_world(n_agencies: int, officials_per_agency: int, n_citizens: int, rng: random.Random) -> list[Agency]:
    """The government: organisations, people and roles through the services (the proposers in bulk),
    then each agency's office opened by its innovation team through the services."""
    from django.utils import timezone

    from madang.calls import services as calls
    from madang.calls.models import Audience
    from madang.calls.phases import phases_around
    from madang.people import services as people
    from madang.people.models import Kind, OrgKind, Role, User
    from madang.suggestions import packs, services

    root = people.create_organisation(
        actor=None, code="gov", name="대한민국 정부", name_en="Government of Korea", kind=OrgKind.MINISTRY
    )
    agencies: list[Agency] = []
    groups = ["awards", "awards", "sejong", "national"]
    for i in range(n_agencies):
        kind = KINDS[i % len(KINDS)]
        org = people.create_organisation(actor=None, code=f"ag{i:02d}", name=f"기관{i + 1:02d}", kind=kind, parent=root)
        depts = [
            people.create_organisation(
                actor=None, code=f"ag{i:02d}-d{j}", name=name, kind=OrgKind.DEPARTMENT, parent=org
            )
            for j, name in enumerate(DEPARTMENTS)
        ]

        def official(username: str, dept: Any, name: str) -> Any:
            return people.create_user(actor=None, username=username, display_name=name, department=dept, grade=6)

        team = official(f"ag{i:02d}-team", depts[0], f"혁신담당{i + 1}")
        people.grant_role(actor=None, user=team, role=Role.INNOVATION_TEAM, organisation=org)
        reviewers = [official(f"ag{i:02d}-rev{k}", depts[k + 1], f"심사위원{i + 1}-{k}") for k in range(4)]
        liaisons = {}
        for j, d in enumerate(depts):
            liaison = official(f"ag{i:02d}-liaison{j}", d, f"연락관{i + 1}-{j}")
            people.grant_role(actor=None, user=liaison, role=Role.LIAISON, organisation=d)
            liaisons[d.pk] = liaison
        agencies.append(Agency(i, groups[i % 4], org, depts, team, reviewers, liaisons))

    # Proposers: officials of each agency (any of its departments) and citizens, in bulk.
    rows = []
    for a in agencies:
        for k in range(officials_per_agency):
            rows.append(
                User(
                    username=f"ag{a.index:02d}-o{k}",
                    display_name=f"공무원{a.index}-{k}",
                    kind=Kind.OFFICIAL,
                    department=a.departments[k % len(a.departments)],
                    grade=rng.randint(5, 9),
                    password="!",
                )
            )
    rows += [
        User(username=f"c{k:06d}", display_name=f"시민{k}", kind=Kind.CITIZEN, password="!") for k in range(n_citizens)
    ]
    User.objects.bulk_create(rows, batch_size=5000)
    by_name = dict(User.objects.filter(username__regex=r"^ag\d\d-o").values_list("username", "pk"))
    for a in agencies:
        a.officials = [by_name[f"ag{a.index:02d}-o{k}"] for k in range(officials_per_agency)]

    now = timezone.now()
    for a in agencies:
        citizen_pack, official_pack = {
            "awards": ("test-awards-citizen", "test-awards-official"),
            "sejong": ("kr-sejong", "kr-official"),
            "national": ("kr-citizen", "kr-official"),
        }[a.group]
        a.office = services.open_office(
            actor=a.team, organisation=a.org, citizen_pack=citizen_pack, official_pack=official_pack
        )
        a.packs = {
            "citizen": packs.active().in_force(citizen_pack, date(YEAR, 1, 1)),
            "official": packs.active().in_force(official_pack, date(YEAR, 1, 1)),
        }
        if "contest" in a.packs["citizen"].types:
            a.contest = calls.create_call(
                actor=a.team,
                slug=f"ag{a.index:02d}-contest-{YEAR}",
                title=f"{a.org.name} {YEAR} 국민 아이디어 공모",
                organisation=a.org,
                phases=phases_around(now),
                audience=Audience.CITIZENS,
            )
    return agencies


def office_weights(n: int) -> list[float]:
    """A few large offices and many small ones: the i-th largest receives in proportion to 1 / i."""
    return [1 / (i + 1) for i in range(n)]


# ---------------------------------------------------------------- the lives


_due_cache: dict[tuple[Any, ...], date | None] = {}


def due(pack: Any, clock: str, start: date) -> date | None:
    from madang.suggestions import clocks

    key = (pack.key, clock, start)
    if key not in _due_cache:
        _due_cache[key] = clocks.due_date(pack, clock, start)
    return _due_cache[key]


def decision_due(pack: Any, received_on: date, stops: list[tuple[date, date | None]]) -> date | None:
    """What the services store: the decision period from receipt with the supplement stops so far."""
    from madang.suggestions import clocks

    key = (pack.key, "decision+stops", received_on, tuple(stops))
    if key not in _due_cache:
        found = clocks.decision_deadline(
            pack,
            SimpleNamespace(received_on=received_on),
            [SimpleNamespace(asked_on=a, resumed_on=r) for a, r in stops],
        )
        _due_cache[key] = found.due if found is not None else None
    return _due_cache[key]


def days(rng: random.Random, lo: int, hi: int) -> timedelta:
    return timedelta(days=rng.randint(lo, hi))


def draw_lives(world: list[Agency], n: int, rng: random.Random) -> list[Life]:
    weights = office_weights(len(world))
    picks = rng.choices(range(len(world)), weights=weights, k=n)
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    lives = []
    for i, ai in enumerate(picks):
        a = world[ai]
        citizen = rng.random() < 0.8
        received = first + timedelta(days=rng.randint(0, (last - first).days))
        proposer_kind = "citizen" if citizen else "official"
        pack = a.packs[proposer_kind]
        kind = "standing"
        if citizen and "contest" in pack.types and rng.random() < 0.25:
            kind = "contest"
        elif "implemented" in pack.types and rng.random() < (0.1 if citizen else 0.15):
            kind = "implemented"
        life = Life(
            n=i,
            agency=ai,
            proposer=0 if citizen else rng.choice(a.officials),
            proposer_kind=proposer_kind,
            kind=kind,
            template=rng.randrange(len(TEMPLATES)),
            received_on=received,
        )
        if kind == "implemented":
            life.evidence = EVIDENCE
            life.in_place_since = received - days(rng, 10, 200) if rng.random() < 0.7 else None
        plan_life(rng, a, pack, life)
        lives.append(life)
    # Citizens: each proposes a few times a year at most (drawn after, so the lives do not depend on it).
    from madang.people.models import User

    citizens = list(User.objects.filter(kind="citizen").values_list("pk", flat=True))
    for life in lives:
        if life.proposer_kind == "citizen":
            life.proposer = rng.choice(citizens)
    return lives


def plan_life(rng: random.Random, a: Agency, pack: Any, life: Life) -> None:
    """A suggestion's dated steps, each one the services allow at that point. Its path is where it
    ends; its tags, the steps on the way."""
    ev, tags = life.events, life.tags
    d = life.received_on
    ev.append(("receive", d, {}))
    grounds = {o: sorted(g.code for g in pack.grounds.values() if g.outcome == o) for o in OUTCOMES}
    shares = (
        {"reviewing": 4, "return": 28, "transfer": 8, "not_adopt": 45, "adopt": 15}
        if life.proposer_kind == "citizen"
        else {"reviewing": 5, "return": 15, "transfer": 0, "not_adopt": 40, "adopt": 40}
    )
    options = [o for o in shares if o in ("reviewing", "adopt") or grounds[o]]
    outcome = rng.choices(options, weights=[shares[o] for o in options])[0]
    last = d
    if rng.random() < (0.5 if outcome == "reviewing" else 0.12):
        until = due(pack, "supplement_window", d)
        latest = until if until is not None else d + timedelta(days=10)
        asked = d + days(rng, 0, (latest - d).days)
        ev.append(("supplement", asked, {"answer_by": asked + days(rng, 7, 14)}))
        last = asked
        if outcome == "reviewing" and rng.random() < 0.5:
            tags.add("supplement open")
        elif rng.random() < 0.8:
            last = asked + days(rng, 1, 6)
            ev.append(("answer", last, {}))
            tags.add("supplement answered")
        else:
            tags.add("supplement lapsed")
    if outcome == "reviewing":
        life.path = "under review"
        return
    decided = last + days(rng, 3, 35)
    step: dict[str, Any] = {"outcome": outcome, "ground": ""}
    if outcome != "adopt":
        step["ground"] = rng.choice(grounds[outcome])
    if outcome == "transfer":
        step["transfer_to"] = TRANSFER_TO[step["ground"]]
    if outcome == "adopt":
        step.update(adoption(rng, a, decided))
    ev.append(("decide", decided, step))
    life.path = {"return": "returned", "transfer": "transferred", "not_adopt": "not adopted"}.get(outcome, "")
    if outcome == "adopt":
        adopted_life(rng, a, life, decided)
    elif outcome == "not_adopt":
        until = due(pack, "reexamination_request", decided)
        if until is not None and rng.random() < 0.12:
            asked = decided + days(rng, 0, (until - decided).days)
            ev.append(("reexam_request", asked, {}))
            r = rng.random()
            again = asked + days(rng, 5, 30)
            if r < 0.1:
                life.path = "re-examination pending"
            elif r < 0.3:
                ev.append(("reexam_decide", again, {"outcome": "adopt", "ground": "", **adoption(rng, a, again)}))
                tags.add("adopted on re-examination")
                adopted_life(rng, a, life, again)
            else:
                ground = rng.choice(grounds["not_adopt"])
                ev.append(("reexam_decide", again, {"outcome": "not_adopt", "ground": ground}))
                life.path = "not adopted, upheld on re-examination"


OUTCOMES = ("return", "transfer", "not_adopt")


def adoption(rng: random.Random, a: Agency, on: date) -> dict[str, Any]:
    return {
        "department": rng.choice(a.departments).pk,
        "implement_by": on + days(rng, 60, 240) if rng.random() < 0.5 else None,
    }


def adopted_life(rng: random.Random, a: Agency, life: Life, adopted_on: date) -> None:
    ev, tags = life.events, life.tags
    ref = target = ev[-1][2]["implement_by"]  # "on time" is measured against the plan's date, else this one
    last = adopted_on
    if rng.random() < 0.5:
        last += days(rng, 1, 10)
        ev.append(("effect", last, {"measure": "projected", **figures(rng)}))
        tags.add("projected effect")
    if rng.random() < 0.75:
        last += days(rng, 3, 30)
        ref = target = last + days(rng, 30, 240)
        ev.append(("plan", last, {"implement_by": target}))
        tags.add("planned")
    if target is not None and rng.random() < 0.2:
        last += days(rng, 1, 20)
        target = max(target, last) + days(rng, 20, 120)
        ev.append(("delay", last, {"new_date": target}))
        tags.add("delayed")
    if rng.random() < 0.06:
        last += days(rng, 10, 60)
        ev.append(("cannot", last, {}))
        last += days(rng, 5, 20)
        if rng.random() < 0.6:
            ev.append(("ruling", last, {"kind": "cannot_accepted"}))
            life.path = "adopted, cannot be implemented (accepted)"
            return
        target = last + days(rng, 30, 120)
        ev.append(("ruling", last, {"kind": "cannot_rejected", "new_date": target}))
        tags.add("cannot be implemented: not accepted")
    if rng.random() < 0.65:
        if ref is not None and ref > last and rng.random() < 0.7:
            last += days(rng, 1, (ref - last).days)
            life.path = "adopted, implemented on time"
        else:
            last = max(last, ref or last) + days(rng, 1, 90)
            life.path = "adopted, implemented late" if ref is not None else "adopted, implemented (no date was set)"
        ev.append(("ruling", last, {"kind": "implemented"}))
        if rng.random() < 0.7:
            last += days(rng, 10, 90)
            ev.append(("effect", last, {"measure": "actual", **figures(rng)}))
            tags.add("actual effect")
            if rng.random() < 0.08:
                last += days(rng, 5, 30)
                ev.append(("correct", last, {"measure": "actual", **figures(rng)}))
                tags.add("effect corrected")
        award_share = 0.45
    else:
        life.path = "adopted, implementation pending"
        award_share = 0.08
    grades = a.packs[life.proposer_kind].grades
    if grades and rng.random() < award_share:
        last += days(rng, 5, 60)
        ranked = sorted(grades, key=lambda g: g.rank)
        grade = rng.choices(ranked, weights=[5, 15, 30, 50][: len(ranked)])[0]
        ev.append(("award", last, {"grade": grade.code}))
        tags.add(f"awarded {grade.code}")


def figures(rng: random.Random) -> dict[str, int]:
    return {
        "budget_saved_krw": rng.choice([0, 0, rng.randint(1, 500) * 100_000]),
        "revenue_krw": rng.choice([0, 0, 0, rng.randint(1, 100) * 100_000]),
        "citizen_hours": rng.randint(1, 5_000),
        "staff_hours": rng.randint(0, 800),
    }


def choose_sample(lives: list[Life], size: int, rng: random.Random) -> list[Life]:
    """Lives for the services: one of every path, type, proposer and tag, then round robin over the
    paths (the rarest first)."""
    order = list(lives)
    rng.shuffle(order)
    chosen: dict[int, Life] = {}
    wanted = {f"path {life.path}" for life in lives} | {f"type {life.kind}" for life in lives}
    wanted |= {f"by {life.proposer_kind}" for life in lives} | {f"tag {t}" for life in lives for t in life.tags}
    for life in order:
        features = {f"path {life.path}", f"type {life.kind}", f"by {life.proposer_kind}"}
        features |= {f"tag {t}" for t in life.tags}
        if features & wanted and len(chosen) < size:
            chosen[life.n] = life
            wanted -= features
    by_path: dict[str, list[Life]] = defaultdict(list)
    for life in order:
        if life.n not in chosen:
            by_path[life.path].append(life)
    paths = sorted(by_path, key=lambda p: (len(by_path[p]), p))
    depth = 0
    while len(chosen) < min(size, len(lives)):
        for p in paths:
            if depth < len(by_path[p]) and len(chosen) < size:
                chosen[by_path[p][depth].n] = by_path[p][depth]
        depth += 1
    return sorted(chosen.values(), key=lambda life: life.n)


# ---------------------------------------------------------------- through the services


def through_services(world: list[Agency], sample: list[Life]) -> dict[int, int]:
    """Each sampled life, step by step, through the services; returns life -> suggestion id."""
    from madang.calls import services as calls
    from madang.people.models import Organisation, User
    from madang.suggestions import services
    from madang.suggestions.models import Effect, Supplement
    from madang.suggestions.services import Adoption, EffectFigures

    users = {u.pk: u for u in User.objects.filter(pk__in={life.proposer for life in sample})}
    depts = {o.pk: o for o in Organisation.objects.filter(kind="department")}
    done: dict[int, int] = {}
    for life in sample:
        a = world[life.agency]
        who = users[life.proposer]
        title, problem, solution = TEMPLATES[life.template]
        fields = calls.ProposalFields(title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>")
        d = life.received_on
        if life.kind == "contest":
            p = calls.submit_proposal(
                actor=who, proposal=calls.create_proposal(actor=who, call=a.contest, fields=fields)
            )
            s = services.receive(actor=a.team, proposal=p, today=d)
        else:
            s = services.file_suggestion(
                actor=who,
                office=a.office,
                fields=fields,
                kind=life.kind,
                evidence=life.evidence,
                in_place_since=life.in_place_since,
                today=d,
            )
        for name, on, step in life.events[1:]:
            department = depts.get(s.department_id) if s.department_id else None
            liaison = a.liaisons.get(department.pk) if department else None
            if name == "supplement":
                services.request_supplement(
                    actor=a.team, suggestion=s, question=QUESTION, answer_by=step["answer_by"], today=on
                )
            elif name == "answer":
                open_one = Supplement.objects.get(suggestion=s, answered_on__isnull=True, lapsed_on__isnull=True)
                services.answer_supplement(actor=who, supplement=open_one, answer=ANSWER, today=on)
            elif name in ("decide", "reexam_decide"):
                adoption = Adoption()
                if step["outcome"] == "adopt":
                    adoption = Adoption(department=depts[step["department"]], implement_by=step["implement_by"])
                if name == "decide":
                    services.decide(
                        actor=a.team,
                        suggestion=s,
                        outcome=step["outcome"],
                        explanation=EXPLANATION[step["outcome"]],
                        panel=a.reviewers[:2],
                        ground=step["ground"],
                        adoption=adoption,
                        transfer_to=step.get("transfer_to", ""),
                        today=on,
                    )
                else:
                    services.decide_reexamination(
                        actor=a.team,
                        suggestion=s,
                        outcome=step["outcome"],
                        explanation=REEXAM_EXPLANATION[step["outcome"]],
                        panel=a.reviewers[2:],
                        ground=step["ground"],
                        adoption=adoption,
                        today=on,
                    )
            elif name == "reexam_request":
                services.request_reexamination(actor=who, suggestion=s, reason=REEXAM_REASON, today=on)
            elif name == "plan":
                services.plan_implementation(
                    actor=liaison, suggestion=s, text=PLAN_TEXT, implement_by=step["implement_by"], today=on
                )
            elif name == "delay":
                services.notify_delay(
                    actor=liaison, suggestion=s, reason=DELAY_REASON, new_date=step["new_date"], today=on
                )
            elif name == "cannot":
                services.declare_cannot_implement(actor=liaison, suggestion=s, reason=CANNOT_REASON, today=on)
            elif name == "ruling":
                services.rule_on_implementation(
                    actor=a.team,
                    suggestion=s,
                    kind=step["kind"],
                    note=RULING_NOTE[step["kind"]],
                    new_date=step.get("new_date"),
                    today=on,
                )
            elif name == "effect":
                services.record_effect(
                    actor=a.team,
                    suggestion=s,
                    measure=step["measure"],
                    figures=EffectFigures(**{k: step[k] for k in EFFECT_NUMBERS}),
                    evidence=EFFECT_EVIDENCE[step["measure"]],
                    today=on,
                )
            elif name == "correct":
                earlier = Effect.objects.get(suggestion=s, measure=step["measure"], superseded_on__isnull=True)
                services.correct_effect(
                    actor=a.team,
                    effect=earlier,
                    figures=EffectFigures(**{k: step[k] for k in EFFECT_NUMBERS}),
                    evidence=EFFECT_EVIDENCE[step["measure"]],
                    reason=CORRECTION_REASON,
                    today=on,
                )
            elif name == "award":
                services.award(actor=a.team, suggestion=s, grade=step["grade"], note=AWARD_NOTE, today=on)
            else:
                raise AssertionError(name)
            s.refresh_from_db()
        done[life.n] = s.pk
    return done


EFFECT_NUMBERS = ("budget_saved_krw", "revenue_krw", "citizen_hours", "staff_hours")


# ---------------------------------------------------------------- the same lives, simulated for bulk rows


def simulate(world: list[Agency], life: Life) -> dict[str, Any]:
    """The rows the services would write for this life (ids and timestamps left out; references to
    the life's own rows as positions in its lists)."""
    from madang.calls.services import sanitise
    from madang.solvers import korean
    from madang.suggestions import packs

    a = world[life.agency]
    pack = a.packs[life.proposer_kind]
    title, problem, solution = TEMPLATES[life.template]
    if life.template not in _sanitised:
        _sanitised[life.template] = (sanitise(f"<p>{problem}</p>"), sanitise(f"<p>{solution}</p>"))
    problem, solution = _sanitised[life.template]
    call = a.contest if life.kind == "contest" else a.office.standing_call
    proposal = {
        "call_id": call.pk,
        "author_id": life.proposer,
        "title": title,
        "problem": problem,
        "solution": solution,
        "expected_effect": "",
        "status": "submitted",
        "outcome": "pending",
        "search_terms": _terms(title, problem, solution, korean),
    }
    d = life.received_on
    s: dict[str, Any] = {
        "office_id": a.office.pk,
        "kind": life.kind,
        "proposer_kind": life.proposer_kind,
        "evidence": life.evidence,
        "in_place_since": life.in_place_since,
        "pack_id": pack.id,
        "pack_version": pack.version,
        "pack_digest": _digest(pack, packs),
        "receipt_year": d.year,
        "received_on": d,
        "received_by_id": a.team.pk if life.kind == "contest" else life.proposer,
        "supplement_until": due(pack, "supplement_window", d),
        "decision_due": due(pack, "decision", d),
        "stage": "reviewing",
        "department_id": None,
        "plan_due": None,
        "implement_by": None,
        "adopted_implement_by": None,
        "implemented_on": None,
        "refines_id": None,
        "first_filed_on": None,
    }
    rec: dict[str, Any] = {
        "proposal": proposal,
        "suggestion": s,
        "supplements": [],
        "decisions": [],
        "transfers": [],
        "reexamination": None,
        "plan": None,
        "delays": [],
        "cannots": [],
        "rulings": [],
        "effects": [],
        "award": None,
    }
    sups: list[dict[str, Any]] = rec["supplements"]

    def stops() -> list[tuple[date, date | None]]:
        return [(x["asked_on"], x["answered_on"] or x["lapsed_on"]) for x in sups]

    def adopted(on: date, step: dict[str, Any]) -> None:
        s["stage"] = "adopted"
        s["department_id"] = step["department"]
        s["implement_by"] = s["adopted_implement_by"] = step["implement_by"]
        s["plan_due"] = due(pack, "implementation_plan", on)

    team, proposer = a.team.pk, life.proposer
    for name, on, step in life.events[1:]:
        liaison = a.liaisons[s["department_id"]].pk if s["department_id"] else None
        if name == "supplement":
            sups.append(
                {
                    "question": QUESTION,
                    "asked_on": on,
                    "answer_by": step["answer_by"],
                    "asked_by_id": team,
                    "answer": "",
                    "answered_on": None,
                    "lapsed_on": None,
                }
            )
            s["decision_due"] = decision_due(pack, d, stops())
        elif name == "answer":
            sups[-1].update(answer=ANSWER, answered_on=on)
            s["decision_due"] = decision_due(pack, d, stops())
        elif name == "decide":
            if sups and sups[-1]["answered_on"] is None and sups[-1]["lapsed_on"] is None:
                sups[-1]["lapsed_on"] = on
            when = decision_due(pack, d, stops())
            outcome = step["outcome"]
            rec["decisions"].append(
                {
                    "round": "first",
                    "outcome": outcome,
                    "ground": step["ground"],
                    "explanation": EXPLANATION[outcome],
                    "decided_on": on,
                    "due": when,
                    "on_time": None if when is None else on <= when,
                    "decided_by_id": team,
                    "reexamination_until": due(pack, "reexamination_request", on) if outcome == "not_adopt" else None,
                    "panel": tuple(sorted(u.pk for u in a.reviewers[:2])),
                }
            )
            s["decision_due"] = when
            if outcome == "adopt":
                adopted(on, step)
            else:
                s["stage"] = {"not_adopt": "not_adopted", "return": "returned", "transfer": "transferred"}[outcome]
            if outcome == "transfer":
                rec["transfers"].append(
                    {
                        "decision": 0,
                        "channel": "civil_complaint" if step["ground"] == "civil_complaint" else "other_agency",
                        "recipient": step["transfer_to"],
                        "reference": "",
                        "transferred_on": on,
                    }
                )
        elif name == "reexam_request":
            rec["reexamination"] = {
                "reason": REEXAM_REASON,
                "requested_on": on,
                "requested_by_id": proposer,
                "due": due(pack, "reexamination_decision", on),
                "decision": None,
            }
            s["stage"] = "reexamining"
        elif name == "reexam_decide":
            request = rec["reexamination"]
            outcome = step["outcome"]
            rec["decisions"].append(
                {
                    "round": "reexamination",
                    "outcome": outcome,
                    "ground": step["ground"],
                    "explanation": REEXAM_EXPLANATION[outcome],
                    "decided_on": on,
                    "due": request["due"],
                    "on_time": None if request["due"] is None else on <= request["due"],
                    "decided_by_id": team,
                    "reexamination_until": None,
                    "panel": tuple(sorted(u.pk for u in a.reviewers[2:])),
                }
            )
            request["decision"] = len(rec["decisions"]) - 1
            if outcome == "adopt":
                adopted(on, step)
            else:
                s["stage"] = "not_adopted"
        elif name == "plan":
            rec["plan"] = {
                "text": PLAN_TEXT,
                "implement_by": step["implement_by"],
                "planned_on": on,
                "on_time": None if s["plan_due"] is None else on <= s["plan_due"],
                "planned_by_id": liaison,
            }
            s["implement_by"] = step["implement_by"]
        elif name == "delay":
            rec["delays"].append(
                {
                    "reason": DELAY_REASON,
                    "previous_date": s["implement_by"],
                    "new_date": step["new_date"],
                    "notified_on": on,
                    "notified_by_id": liaison,
                }
            )
            s["implement_by"] = step["new_date"]
        elif name == "cannot":
            rec["cannots"].append({"reason": CANNOT_REASON, "declared_on": on, "declared_by_id": liaison})
        elif name == "ruling":
            kind = step["kind"]
            rec["rulings"].append(
                {
                    "kind": kind,
                    "declaration": None if kind == "implemented" else len(rec["cannots"]) - 1,
                    "note": RULING_NOTE[kind],
                    "ruled_on": on,
                    "new_date": step.get("new_date") if kind == "cannot_rejected" else None,
                    "ruled_by_id": team,
                }
            )
            if kind == "implemented":
                s["stage"], s["implemented_on"] = "implemented", on
            elif kind == "cannot_accepted":
                s["stage"] = "not_implementable"
            else:
                s["implement_by"] = step["new_date"]
        elif name in ("effect", "correct"):
            corrects = None
            if name == "correct":
                corrects = next(
                    i
                    for i, e in enumerate(rec["effects"])
                    if e["measure"] == step["measure"] and e["superseded_on"] is None
                )
                rec["effects"][corrects]["superseded_on"] = on
            rec["effects"].append(
                {
                    "measure": step["measure"],
                    **{k: step[k] for k in EFFECT_NUMBERS},
                    "other": "",
                    "evidence": EFFECT_EVIDENCE[step["measure"]],
                    "recorded_on": on,
                    "recorded_by_id": team,
                    "corrects": corrects,
                    "correction_reason": CORRECTION_REASON if corrects is not None else "",
                    "superseded_on": None,
                }
            )
        elif name == "award":
            grade = next(g for g in pack.grades if g.code == step["grade"])
            rec["award"] = {
                "grade": grade.code,
                "grade_label": grade.label,
                "rank": grade.rank,
                "amount_krw": grade.amount_krw,
                "pack_key": pack.key,
                "note": AWARD_NOTE,
                "implementer_id": None,
                "implementer_note": "",
                "awarded_on": on,
                "awarded_by_id": team,
                "recommended_on": None,
                "recommendation_note": "",
            }
        else:
            raise AssertionError(name)
    return rec


_terms_cache: dict[tuple[str, str, str], str] = {}
_sanitised: dict[int, tuple[str, str]] = {}
_digests: dict[str, str] = {}


def _terms(title: str, problem: str, solution: str, korean: Any) -> str:
    key = (title, problem, solution)
    if key not in _terms_cache:
        _terms_cache[key] = korean.index_terms(" ".join([title, problem, solution, ""]))
    return _terms_cache[key]


def _digest(pack: Any, packs: Any) -> str:
    if pack.key not in _digests:
        _digests[pack.key] = packs.digest(pack)
    return _digests[pack.key]


def observe(suggestion_id: int) -> dict[str, Any]:
    """What the services wrote for one suggestion, in the shape `simulate` gives."""
    from madang.suggestions.models import (
        Award,
        CannotImplement,
        Decision,
        DelayNotice,
        Effect,
        Plan,
        Reexamination,
        Ruling,
        Suggestion,
        Supplement,
        Transfer,
    )

    s = Suggestion.objects.select_related("proposal").get(pk=suggestion_id)
    p = s.proposal

    def pick(obj: Any, names: list[str]) -> dict[str, Any]:
        return {n: getattr(obj, n) for n in names}

    rec: dict[str, Any] = {
        "proposal": pick(
            p,
            [
                "call_id",
                "author_id",
                "title",
                "problem",
                "solution",
                "expected_effect",
                "status",
                "outcome",
                "search_terms",
            ],
        ),
        "suggestion": pick(s, SUGGESTION_FIELDS),
    }
    rec["supplements"] = [
        pick(x, ["question", "asked_on", "answer_by", "asked_by_id", "answer", "answered_on", "lapsed_on"])
        for x in Supplement.objects.filter(suggestion=s).order_by("asked_on", "id")
    ]
    decisions = list(Decision.objects.filter(suggestion=s).order_by("created_at", "id"))
    position = {dec.pk: i for i, dec in enumerate(decisions)}
    rec["decisions"] = [
        {
            **pick(
                dec,
                [
                    "round",
                    "outcome",
                    "ground",
                    "explanation",
                    "decided_on",
                    "due",
                    "on_time",
                    "decided_by_id",
                    "reexamination_until",
                ],
            ),
            "panel": tuple(sorted(u.pk for u in dec.panel.all())),
        }
        for dec in decisions
    ]
    rec["transfers"] = [
        {
            "decision": position[t.decision_id],
            **pick(t, ["channel", "recipient", "reference", "transferred_on"]),
        }
        for t in Transfer.objects.filter(decision__suggestion=s)
    ]
    r = Reexamination.objects.filter(suggestion=s).first()
    rec["reexamination"] = (
        None
        if r is None
        else {
            **pick(r, ["reason", "requested_on", "requested_by_id", "due"]),
            "decision": position[r.decision_id] if r.decision_id else None,
        }
    )
    plan = Plan.objects.filter(suggestion=s).first()
    rec["plan"] = (
        None if plan is None else pick(plan, ["text", "implement_by", "planned_on", "on_time", "planned_by_id"])
    )
    rec["delays"] = [
        pick(x, ["reason", "previous_date", "new_date", "notified_on", "notified_by_id"])
        for x in DelayNotice.objects.filter(suggestion=s).order_by("created_at", "id")
    ]
    cannots = list(CannotImplement.objects.filter(suggestion=s).order_by("created_at", "id"))
    rec["cannots"] = [pick(x, ["reason", "declared_on", "declared_by_id"]) for x in cannots]
    cpos = {c.pk: i for i, c in enumerate(cannots)}
    rec["rulings"] = [
        {
            "kind": x.kind,
            "declaration": cpos[x.declaration_id] if x.declaration_id else None,
            **pick(x, ["note", "ruled_on", "new_date", "ruled_by_id"]),
        }
        for x in Ruling.objects.filter(suggestion=s).order_by("created_at", "id")
    ]
    effects = list(Effect.objects.filter(suggestion=s).order_by("created_at", "id"))
    epos = {e.pk: i for i, e in enumerate(effects)}
    rec["effects"] = [
        {
            "measure": e.measure,
            **pick(e, list(EFFECT_NUMBERS)),
            "other": e.other,
            "evidence": e.evidence,
            "recorded_on": e.recorded_on,
            "recorded_by_id": e.recorded_by_id,
            "corrects": epos[e.corrects_id] if e.corrects_id else None,
            "correction_reason": e.correction_reason,
            "superseded_on": e.superseded_on,
        }
        for e in effects
    ]
    aw = Award.objects.filter(suggestion=s).first()
    rec["award"] = None if aw is None else pick(aw, AWARD_FIELDS)
    return rec


SUGGESTION_FIELDS = [
    "office_id",
    "kind",
    "proposer_kind",
    "evidence",
    "in_place_since",
    "pack_id",
    "pack_version",
    "pack_digest",
    "receipt_year",
    "received_on",
    "received_by_id",
    "supplement_until",
    "decision_due",
    "stage",
    "department_id",
    "plan_due",
    "implement_by",
    "adopted_implement_by",
    "implemented_on",
    "refines_id",
    "first_filed_on",
]
AWARD_FIELDS = [
    "grade",
    "grade_label",
    "rank",
    "amount_krw",
    "pack_key",
    "note",
    "implementer_id",
    "implementer_note",
    "awarded_on",
    "awarded_by_id",
    "recommended_on",
    "recommendation_note",
]


def compare_sample(sample: list[Life], done: dict[int, int], sim: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    for life in sample:
        seen, expected = observe(done[life.n]), sim[life.n]
        for part in expected:
            if seen[part] != expected[part]:
                problems.append(
                    f"life {life.n} ({life.path}), {part}:\n  services {seen[part]}\n  bulk     {expected[part]}"
                )
    return problems


# ---------------------------------------------------------------- bulk rows


def write_bulk(world: list[Agency], lives: list[Life], sim: dict[int, dict[str, Any]]) -> None:
    from django.db import connection, transaction
    from django.db.models import Max

    from madang.calls.models import Call, Proposal
    from madang.site.national import bulk
    from madang.suggestions.models import (
        Award,
        CannotImplement,
        Decision,
        DelayNotice,
        Effect,
        Plan,
        ReceiptCounter,
        Reexamination,
        Ruling,
        Suggestion,
        Supplement,
        Transfer,
    )

    def next_id(model: Any) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def value(v: Any) -> Any:
        # As Django writes them (SQLite keeps text in its own format).
        if isinstance(v, datetime):
            return connection.ops.adapt_datetimefield_value(v)
        if isinstance(v, date):
            return connection.ops.adapt_datefield_value(v)
        return v

    tables: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    ids = {
        m: next_id(m)
        for m in (
            Proposal,
            Suggestion,
            Supplement,
            Decision,
            Transfer,
            Reexamination,
            Plan,
            DelayNotice,
            CannotImplement,
            Ruling,
            Effect,
            Award,
        )
    }

    def add(model: Any, row: dict[str, Any]) -> int:
        pk = ids[model]
        ids[model] += 1
        tables[model].append({"id": pk, **{k: value(v) for k, v in row.items()}})
        return pk

    numbers = {c.pk: c.next_number for c in Call.objects.all()}
    seqs = {a.office.pk: ReceiptCounter.objects.filter(office=a.office, year=YEAR).first() for a in world}
    last_seq = {k: (c.last if c else 0) for k, c in seqs.items()}
    panel_rows = []
    for life in sorted(lives, key=lambda life: (life.received_on, life.n)):
        rec = sim[life.n]
        p = rec["proposal"]
        stamp = datetime.combine(life.received_on, datetime.min.time(), tzinfo=UTC).replace(hour=1)  # 10:00 in Seoul
        number = numbers[p["call_id"]]
        numbers[p["call_id"]] += 1
        proposal_id = add(
            Proposal,
            {
                **p,
                "number": number,
                "is_internal": False,
                "support_count": 0,
                "comment_count": 0,
                "created_at": stamp,
                "submitted_at": stamp,
                "updated_at": stamp,
            },
        )
        office = rec["suggestion"]["office_id"]
        last_seq[office] += 1
        sid = add(
            Suggestion,
            {**rec["suggestion"], "proposal_id": proposal_id, "receipt_seq": last_seq[office], "received_at": stamp},
        )
        for x in rec["supplements"]:
            add(Supplement, {**x, "suggestion_id": sid})
        decision_ids = []
        for dec in rec["decisions"]:
            row = {k: v for k, v in dec.items() if k != "panel"}
            decision_ids.append(add(Decision, {**row, "suggestion_id": sid}))
            panel_rows += [(decision_ids[-1], u) for u in dec["panel"]]
        for t in rec["transfers"]:
            add(
                Transfer,
                {**{k: v for k, v in t.items() if k != "decision"}, "decision_id": decision_ids[t["decision"]]},
            )
        r = rec["reexamination"]
        if r is not None:
            add(
                Reexamination,
                {
                    **{k: v for k, v in r.items() if k != "decision"},
                    "suggestion_id": sid,
                    "decision_id": None if r["decision"] is None else decision_ids[r["decision"]],
                },
            )
        if rec["plan"] is not None:
            add(Plan, {**rec["plan"], "suggestion_id": sid})
        for x in rec["delays"]:
            add(DelayNotice, {**x, "suggestion_id": sid})
        cannot_ids = [add(CannotImplement, {**x, "suggestion_id": sid}) for x in rec["cannots"]]
        for x in rec["rulings"]:
            declaration = None if x["declaration"] is None else cannot_ids[x["declaration"]]
            add(
                Ruling,
                {
                    **{k: v for k, v in x.items() if k != "declaration"},
                    "declaration_id": declaration,
                    "suggestion_id": sid,
                },
            )
        effect_ids: list[int] = []
        for e in rec["effects"]:
            corrects = None if e["corrects"] is None else effect_ids[e["corrects"]]
            effect_ids.append(
                add(
                    Effect,
                    {**{k: v for k, v in e.items() if k != "corrects"}, "corrects_id": corrects, "suggestion_id": sid},
                )
            )
        if rec["award"] is not None:
            add(Award, {**rec["award"], "suggestion_id": sid})
    with transaction.atomic():
        for model, rows in tables.items():
            columns = list(rows[0])
            bulk(model, columns, ([r.get(c) for c in columns] for r in rows))
        through = Decision.panel.through
        bulk(through, ["decision_id", "user_id"], panel_rows)
        for call_id, n in numbers.items():
            Call.objects.filter(pk=call_id).update(next_number=n)
        for office, n in last_seq.items():
            ReceiptCounter.objects.update_or_create(office_id=office, year=YEAR, defaults={"last": n})
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [*tables, through]):
                cursor.execute(sql)


def sizes(world: list[Agency], lives: list[Life]) -> dict[str, Any]:
    from madang.suggestions.models import Award, Decision, Effect, Suggestion

    per_office = Counter(life.agency for life in lives)
    return {
        "suggestions": Suggestion.objects.filter(receipt_year=YEAR).count(),
        "decisions": Decision.objects.count(),
        "effects": Effect.objects.count(),
        "awards": Award.objects.count(),
        "offices": len(world),
        "largest": max(per_office.values()),
        "smallest": min(per_office.values()),
        "citizen": sum(life.proposer_kind == "citizen" for life in lives),
        "kinds": dict(Counter(life.kind for life in lives)),
    }


# ---------------------------------------------------------------- the report, checked and timed


COUNTS = (
    "received",
    "returned",
    "not_adopted",
    "transferred",
    "reviewing",
    "adopted",
    "implemented",
    "implemented_on_time",
    "award_amount_krw",
)


def blank() -> dict[str, Any]:
    return {
        **dict.fromkeys(COUNTS, 0),
        "returned_by_ground": Counter(),
        "awarded_by_grade": Counter(),
        "actual": {},
        "projected": {},
    }


def add_up(total: dict[str, Any], t: dict[str, Any]) -> None:
    for k in COUNTS:
        total[k] += t[k]
    for k in ("returned_by_ground", "awarded_by_grade"):
        total[k].update(t[k])
    for k in ("actual", "projected"):
        for f, v in t[k].items():
            total[k][f] = total[k].get(f, 0) + v


def expected_figures(lives: list[Life], sim: dict[int, dict[str, Any]]) -> dict[int, dict[str, dict[str, Any]]]:
    """Each office's figures per type, counted here from the lives' records (not by the report's queries)."""
    out: dict[int, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(blank))
    stages = {"reexamining": "reviewing", "not_implementable": "adopted", "implemented": "adopted"}
    for life in lives:
        rec = sim[life.n]
        s = rec["suggestion"]
        t = out[life.agency][life.kind]
        t["received"] += 1
        stage = stages.get(s["stage"], s["stage"])
        if stage in COUNTS:
            t[stage] += 1
        if s["stage"] == "implemented":
            t["implemented"] += 1
            reference = rec["plan"]["implement_by"] if rec["plan"] else s["adopted_implement_by"]
            if reference is not None and s["implemented_on"] <= reference:
                t["implemented_on_time"] += 1
        for dec in rec["decisions"]:
            if dec["outcome"] == "return":
                t["returned_by_ground"][dec["ground"]] += 1
        if rec["award"]:
            t["awarded_by_grade"][rec["award"]["grade"]] += 1
            t["award_amount_krw"] += rec["award"]["amount_krw"] or 0
        for e in rec["effects"]:
            if e["superseded_on"] is None:
                sums = t[e["measure"]] or dict.fromkeys(EFFECT_NUMBERS, 0)
                t[e["measure"]] = {k: sums[k] + e[k] for k in EFFECT_NUMBERS}
    return out


def check_reports(lives: list[Life], sim: dict[int, dict[str, Any]], world: list[Agency]) -> int:
    """Every office's report, each type and the total, equals the figures counted from the lives."""
    from madang.suggestions import report

    expected = expected_figures(lives, sim)
    checked = 0
    for a in world:
        got = report.yearly(a.office, YEAR)
        total = blank()
        for t in [*got.types, got.total]:
            if t.kind == "total":
                want = total
            else:
                want = expected[a.index][t.kind]
                add_up(total, want)
            where = (a.org.code, t.kind)
            for name in COUNTS:
                assert getattr(t, name) == want[name], (*where, name, getattr(t, name), want[name])
            assert t.returned_by_ground == dict(want["returned_by_ground"]), where
            assert t.awarded_by_grade == dict(want["awarded_by_grade"]), where
            assert t.actual == want["actual"] and t.projected == want["projected"], where
            checked += 1
        assert got.total.received == sum(life.agency == a.index for life in lives)
    return checked


def timed(fn: Any, n: int) -> tuple[float, Any]:
    """The median wall time of n calls, in ms, and the last call's result."""
    times, result = [], None
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def measure(world: list[Agency], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    from madang.suggestions import report
    from madang.suggestions.models import Suggestion
    from madang.suggestions.views import _report_labels

    counts = Counter(Suggestion.objects.filter(receipt_year=YEAR).values_list("office_id", flat=True))
    biggest = max(world, key=lambda a: counts[a.office.pk])
    size = counts[biggest.office.pk]
    out: dict[str, Any] = {"largest_office": size}
    offices = [a.office for a in world]

    def all_reports() -> list[float]:
        each = []
        for o in offices:
            t = time.perf_counter()
            report.yearly(o, YEAR)
            each.append(time.perf_counter() - t)
        return each

    passes = [all_reports() for _ in range(repeat)]
    totals = [sum(p) for p in passes]
    out["all_first_ms"], out["all_median_ms"] = totals[0] * 1000, statistics.median(totals) * 1000
    flat = sorted(x for p in passes for x in p)
    out["per_office_p50_ms"], out["per_office_max_ms"] = statistics.median(flat) * 1000, flat[-1] * 1000

    labels = _report_labels(biggest.office)
    out["largest_data_ms"] = timed(lambda: report.yearly(biggest.office, YEAR), repeat * 3)[0]
    out["largest_rows_ms"] = timed(lambda: report.rows(report.yearly(biggest.office, YEAR), labels), repeat * 3)[0]
    with CaptureQueriesContext(connection) as q:
        report.yearly(biggest.office, YEAR)
    out["largest_data_queries"] = len(q.captured_queries)

    client = Client()
    client.force_login(biggest.team)
    url = f"/suggestions/report/{biggest.org.code}/{YEAR}/"
    t = time.perf_counter()
    assert client.get(url).status_code == 200  # the process's first page: the URL map, templates, translations
    out["first_page_ms"] = (time.perf_counter() - t) * 1000
    out["page_ms"], page = timed(lambda: client.get(url), repeat * 2)
    out["xlsx_ms"], xlsx = timed(lambda: client.get(url + "?format=xlsx"), repeat * 2)
    assert page.status_code == 200 and xlsx.status_code == 200
    for key, address in (("page_queries", url), ("xlsx_queries", url + "?format=xlsx")):
        with CaptureQueriesContext(connection) as q:
            client.get(address)
        out[key] = len(q.captured_queries)
    out["page_kib"], out["xlsx_kib"] = len(page.content) / 1024, len(xlsx.content) / 1024
    # The same report as official documents (HWPX and PDF, with the chart; madang/documents).
    documents = [f"/documents/suggestions/report/{biggest.org.code}/{YEAR}.{fmt}" for fmt in ("hwpx", "pdf")]
    for fmt, address in zip(("hwpx", "pdf"), documents, strict=True):
        assert client.get(address).status_code == 200  # (fonts and the form, once)
        out[f"{fmt}_ms"], got = timed(lambda address=address: client.get(address), repeat)
        assert got.status_code == 200 and got.content
    # The documents say what the report says: the XLSX's "received" total and the page's.
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    table = {row[0]: row[1:] for row in ws.iter_rows(min_row=2, values_only=True)}
    received = next(v for k, v in table.items() if k in ("접수", "Received"))
    assert received[-1] == size, (received, size)
    html = page.content.decode()
    assert "<svg" in html and str(size) in html

    # Reference 1: the report's four queries written by hand in SQL (no ORM), for the 60 offices.
    raw = raw_queries()

    def raw_all() -> None:
        with connection.cursor() as cursor:
            for o in offices:
                for sql in raw:
                    cursor.execute(sql, [o.pk, YEAR])
                    cursor.fetchall()

    out["raw_all_ms"] = timed(raw_all, repeat)[0]
    with connection.cursor() as cursor:
        cursor.execute(raw[0], [biggest.office.pk, YEAR])
        assert sum(r[1] for r in cursor.fetchall()) == size

    # Reference 2: every suggestion row of the year read, as a report counted in Python would start.
    def read_all() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM suggestions_suggestion WHERE receipt_year = %s", [YEAR])
            return len(cursor.fetchall())

    out["read_all_ms"], out["read_all_rows"] = timed(read_all, repeat)

    # Memory: Python allocations while the 60 reports, the page and the documents are made (traced
    # apart from the timing, which tracing would slow).
    tracemalloc.start()
    all_reports()
    for address in (url, url + "?format=xlsx", *documents):
        client.get(address)
    out["py_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out


def profile(world: list[Agency]) -> None:
    """Where the 60 reports spend their time (cProfile, to stderr)."""
    import cProfile
    import pstats

    from madang.suggestions import report

    with cProfile.Profile() as prof:
        for a in world:
            report.yearly(a.office, YEAR)
    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)


def raw_queries() -> list[str]:
    cohort = "s.office_id = %s AND s.receipt_year = %s"
    return [
        f"""SELECT s.kind, COUNT(*),
              SUM(CASE WHEN s.stage = 'returned' THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage = 'not_adopted' THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage = 'transferred' THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage IN ('reviewing', 'reexamining') THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage IN ('adopted', 'implemented', 'not_implementable') THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage = 'implemented' THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.stage = 'implemented'
                        AND s.implemented_on <= COALESCE(p.implement_by, s.adopted_implement_by) THEN 1 ELSE 0 END)
            FROM suggestions_suggestion s LEFT JOIN suggestions_plan p ON p.suggestion_id = s.id
            WHERE {cohort} GROUP BY s.kind""",
        f"""SELECT s.kind, d.ground, COUNT(*) FROM suggestions_decision d
            JOIN suggestions_suggestion s ON s.id = d.suggestion_id
            WHERE {cohort} AND d.outcome = 'return' GROUP BY s.kind, d.ground""",
        f"""SELECT s.kind, a.grade, a.grade_label, a.rank, COUNT(*), COALESCE(SUM(a.amount_krw), 0)
            FROM suggestions_award a JOIN suggestions_suggestion s ON s.id = a.suggestion_id
            WHERE {cohort} GROUP BY s.kind, a.grade, a.grade_label, a.rank""",
        f"""SELECT s.kind, e.measure, SUM(e.budget_saved_krw), SUM(e.revenue_krw), SUM(e.citizen_hours),
              SUM(e.staff_hours)
            FROM suggestions_effect e JOIN suggestions_suggestion s ON s.id = e.suggestion_id
            WHERE {cohort} AND e.superseded_on IS NULL GROUP BY s.kind, e.measure""",
    ]


# ---------------------------------------------------------------- the parent: both databases, one table


def postgres_binaries() -> bool:
    """Whether scripts/with_postgres.sh can start a throwaway server without installing anything."""
    found = list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) + list(Path("/").glob("usr/pgsql-*/bin/initdb"))
    return bool(found) or shutil.which("initdb") is not None or shutil.which("pg_config") is not None


def run_child(db: str, args: argparse.Namespace, argv: list[str]) -> dict[str, Any] | str:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result_path = Path(f.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", db, "--result", str(result_path), *argv]
    env = dict(os.environ)
    if db == "postgres":
        url = args.database_url or os.environ.get("MADANG_DATABASE_URL", "")
        if url.startswith("postgres"):
            env["MADANG_DATABASE_URL"] = url
        elif postgres_binaries():
            env.pop("MADANG_DATABASE_URL", None)
            cmd = [str(ROOT / "scripts" / "with_postgres.sh"), *cmd]
        else:
            return "skipped: no PostgreSQL (give --database-url, or install the server for scripts/with_postgres.sh)"
    else:
        env.pop("MADANG_DATABASE_URL", None)
    done = subprocess.run(cmd, env=env, cwd=ROOT, check=False)
    try:
        if done.returncode != 0:
            return f"failed (exit status {done.returncode})"
        return json.loads(result_path.read_text())
    finally:
        result_path.unlink(missing_ok=True)


def print_results(args: argparse.Namespace, results: dict[str, dict[str, Any] | str], load_start: str) -> None:
    print(f"\n# A year of suggestions in a {args.agencies}-agency government: the yearly report")
    print(
        f"command: {' '.join([Path(sys.executable).name, *sys.argv])}; load average {load_start} at the start, "
        f"{load()} at the end"
    )
    ok = {db: r for db, r in results.items() if isinstance(r, dict)}
    for db, r in results.items():
        if isinstance(r, str):
            print(f"{db}: {r}")
    if not ok:
        return
    first = next(iter(ok.values()))
    sz = first["sizes"]
    print(
        f"\n{sz['suggestions']:,} suggestions received in {YEAR} by {sz['offices']} offices (largest "
        f"{sz['largest']:,}, smallest {sz['smallest']:,}; {sz['citizen']:,} from citizens; types "
        f"{', '.join(f'{k} {v:,}' for k, v in sorted(sz['kinds'].items()))}); {sz['decisions']:,} decisions, "
        f"{sz['effects']:,} effect records, {sz['awards']:,} awards"
    )
    cols = list(ok)
    head = " | ".join(ok[c]["database"] for c in cols)
    print(f"\n| | {head} |\n|---|{'---:|' * len(cols)}")

    def row(label: str, fmt: Any) -> None:
        print(f"| {label} | {' | '.join(fmt(ok[c]) for c in cols)} |")

    row(
        f"the {args.agencies} offices' yearly reports (`report.yearly`), one pass: median of {args.repeat} (first)",
        lambda r: f"**{r['all_median_ms']:,.0f} ms** ({r['all_first_ms']:,.0f})",
    )
    row("… per office: median / slowest", lambda r: f"{r['per_office_p50_ms']:.1f} / {r['per_office_max_ms']:.1f} ms")
    row(
        "reference: the same four queries by hand in SQL, 60 offices",
        lambda r: f"{r['raw_all_ms']:,.0f} ms",
    )
    row(
        "largest office: the report's data / with its table rows",
        lambda r: f"{r['largest_data_ms']:.1f} / {r['largest_rows_ms']:.1f} ms, {r['largest_data_queries']} queries",
    )
    row(
        "… its page (table and chart), through the test client",
        lambda r: f"**{r['page_ms']:.0f} ms**, {r['page_queries']} queries",
    )
    row("… its XLSX", lambda r: f"**{r['xlsx_ms']:.0f} ms**, {r['xlsx_queries']} queries")
    row("… as HWPX / PDF (madang/documents)", lambda r: f"{r['hwpx_ms']:.0f} / {r['pdf_ms']:.0f} ms")
    row(
        "… the process's first request (it imports every app's views for the URL map)",
        lambda r: f"{r['first_page_ms']:,.0f} ms",
    )
    row(
        "reference: reading every suggestion row of the year",
        lambda r: f"{r['read_all_ms']:,.0f} ms ({r['read_all_rows']:,} rows)",
    )
    row(
        "Python peak while the 60 reports, the page, the XLSX, HWPX and PDF are made",
        lambda r: f"{r['py_peak_mib']:.1f} MiB",
    )
    row("peak resident size of the process (the whole run)", lambda r: f"{r['rss_mib']:.0f} MiB")
    row(
        "every office's figures equal the counts made from the lives",
        lambda r: f"yes ({r['checked']} type rows and totals)",
    )
    row(
        "the bulk rows equal the services' on the sample, field by field",
        lambda r: f"yes ({r['sample_checked']} suggestions, {r['sample_paths']} of {len(r['paths'])} paths)",
    )
    row(
        "setup: migrate / agencies, people and offices",
        lambda r: f"{r['migrate_s']:.0f} s / {r['world_s']:.0f} s",
    )
    row(
        "setup: lives through the services (steps) / the rest in bulk",
        lambda r: (
            f"{r['services_n']} ({r['services_steps']}) in {r['services_s']:.0f} s / "
            f"{r['bulk_n']:,} in {r['bulk_s']:.0f} s"
        ),
    )
    row("load average at the child's start / end", lambda r: f"{r['load_start']} / {r['load_end']}")
    print("\nwhere the suggestions ended (the same lives on each database):")
    for path, n in sorted(first["paths"].items(), key=lambda kv: -kv[1]):
        print(f"  {n:6,}  {path}")
    print(
        "steps on the way: " + "; ".join(f"{t} {n:,}" for t, n in sorted(first["tags"].items(), key=lambda kv: -kv[1]))
    )
    worst = max(max(r["largest_data_ms"], r["page_ms"], r["xlsx_ms"]) for r in ok.values())
    print(f"\nslowest of the largest office's data, page and XLSX: {worst:.0f} ms (≤ 2 s wanted)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--proposals", type=int, default=50_000, help="suggestions received in the year")
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--sample", type=int, default=300, help="lives run through the services")
    parser.add_argument("--citizens", type=int, default=20_000)
    parser.add_argument("--officials-per-agency", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--database-url", help="a PostgreSQL server where a database may be created")
    parser.add_argument("--quick", action="store_true", help="3,000 suggestions, 60 through the services")
    parser.add_argument("--profile", action="store_true", help="print where the 60 reports spend their time")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.proposals, args.sample, args.citizens, args.officials_per_agency = 3_000, 60, 2_000, 10
    if args.child:
        result = child(args)
        Path(args.result).write_text(json.dumps(result, default=str))
        return 0
    load_start = load()
    argv = [
        "--proposals",
        str(args.proposals),
        "--agencies",
        str(args.agencies),
        "--sample",
        str(args.sample),
        "--citizens",
        str(args.citizens),
        "--officials-per-agency",
        str(args.officials_per_agency),
        "--repeat",
        str(args.repeat),
        "--seed",
        str(args.seed),
        *(["--profile"] if args.profile else []),
    ]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_child(db, args, argv) for db in dbs}
    print_results(args, results, load_start)
    return 0 if all(isinstance(r, dict) or r.startswith("skipped") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
