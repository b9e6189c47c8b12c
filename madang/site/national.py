"""A seeded, national-scale call for load tests and benchmarks: `madang generate_national`.

Default size: 300 organisations (ministries, provinces, local governments, police, fire and
public institutions, each with departments), 1,000,000 users, one national call with 100,000
proposals in Korean, 10,000,000 supports and 1,000,000 comments. Rows go in through the bulk
path of each database: COPY on PostgreSQL, large executemany batches in one transaction on
SQLite. Counters (support_count, comment_count) are written to match the rows exactly, and
the proposals' search terms are computed with the same Korean indexer the services use.

The accounts cannot log in (unusable passwords) except `national-admin`, whose password is
printed. Supports and comments are generated history: they are not individual ledger entries
(the ledger logs support tallies, never ballots), and the proposals' submissions are not
logged either; run `madang ledger` only on real data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience, Comment, Proposal, Status, Support
from madang.calls.phases import phases_around
from madang.people import services as people
from madang.people.models import Kind, OrgKind, Role, User
from madang.solvers import korean

SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현"
    "함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경사부가복태피"
)
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "지우",
    "하준",
    "서윤",
    "시우",
    "지민",
    "주원",
    "하은",
    "예준",
    "수아",
    "지호",
    "지유",
    "준서",
    "채원",
    "건우",
    "수빈",
    "현우",
    "다은",
    "우진",
    "예린",
    "선우",
    "소율",
    "연우",
    "하린",
    "유준",
    "가은",
    "정우",
    "윤서",
]
PROBLEMS = [
    "민원인이 같은 서류를 여러 번 제출해야 합니다",
    "주말에는 담당 부서와 연락할 방법이 없습니다",
    "노인과 장애인이 온라인 신청을 어려워합니다",
    "버스 정류장 안내가 실제 도착 시간과 다릅니다",
    "복지 혜택을 몰라서 신청하지 못하는 가구가 많습니다",
    "공공시설 예약이 전화로만 됩니다",
    "재난 문자가 너무 자주 와서 중요한 내용을 놓칩니다",
    "소상공인 지원 사업 공고를 찾기 어렵습니다",
    "학교 주변 불법 주정차가 아이들을 위험하게 합니다",
    "종이 고지서가 매달 대량으로 버려집니다",
]
SOLUTIONS = [
    "행정정보 공동이용으로 한 번만 제출하게 합니다",
    "챗봇과 야간 콜센터를 연계합니다",
    "주민센터에 디지털 도우미를 배치합니다",
    "실시간 위치 정보를 정류장 안내판에 연동합니다",
    "자격 정보를 연계해 대상자에게 먼저 알려 줍니다",
    "온라인 통합 예약 시스템을 만듭니다",
    "지역과 위험도에 따라 문자 발송 기준을 나눕니다",
    "지원 사업을 한 곳에 모아 맞춤형으로 안내합니다",
    "어린이 보호구역에 무인 단속 장비를 늘립니다",
    "모바일 전자고지를 기본으로 바꿉니다",
]
EFFECTS = ["처리 기간 단축", "주민 만족도 향상", "예산 절감", "안전사고 감소", "행정 업무 경감", "정보 접근성 향상"]
COMMENTS = [
    "좋은 제안입니다. 우리 지역에도 필요합니다.",
    "비슷한 사례가 다른 시에도 있습니다.",
    "예산 확보 방안도 함께 검토하면 좋겠습니다.",
    "현장에서 실제로 겪는 문제입니다.",
    "개인정보 보호 대책이 필요해 보입니다.",
    "시범 사업부터 해 보면 어떨까요?",
]
KINDS = [
    ("ministry", "부", 40),
    ("province", "도", 17),
    ("local", "시", 180),
    ("police", "경찰청", 20),
    ("fire", "소방본부", 18),
    ("public", "공단", 25),
]
DEPARTMENTS = ["민원과", "교통과", "복지과", "기획예산과", "정보화과", "안전총괄과"]


@dataclass
class Sizes:
    organisations: int = 300
    users: int = 1_000_000
    proposals: int = 100_000
    supports: int = 10_000_000
    comments: int = 1_000_000

    def scaled(self, factor: float) -> Sizes:
        return Sizes(
            max(6, int(self.organisations * min(1.0, factor * 10))),
            max(20, int(self.users * factor)),
            max(5, int(self.proposals * factor)),
            int(self.supports * factor),
            int(self.comments * factor),
        )


@dataclass
class Report:
    sizes: Sizes
    seconds: dict[str, float]
    call_slug: str
    admin_password: str


def _stamp(at: datetime) -> str:
    """A time as the database's own column holds it. On SQLite, Django stores
    "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) and compares such text: an ISO time with its "T" and
    "+00:00" sorts after every time Django writes, so `submitted_at < …` was false for every
    generated row (found by issue 18's plain-reader check). PostgreSQL reads the ISO form."""
    if connection.vendor == "sqlite":
        return str(connection.ops.adapt_datetimefield_value(at))
    return at.isoformat()


def _copy_pg(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _insert_sqlite(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _defaults(model: type[Model], given: Sequence[str]) -> tuple[list[str], list[Any]]:
    """Columns the rows leave out, with the value each field's default gives (as the database stores it)."""
    import json

    from django.db import models as m

    names: list[str] = []
    values: list[Any] = []
    for field in model._meta.concrete_fields:
        column = field.column  # (never None: Django calls a field concrete when it has a column)
        if column is None or column in given or field.primary_key or (not field.has_default() and field.null):
            continue
        value = field.get_default()
        if isinstance(field, m.JSONField):
            value = json.dumps(value)
        elif isinstance(field, m.DateTimeField) and value is not None:
            value = _stamp(value)
        names.append(column)
        values.append(value)
    return names, values


def bulk(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    table = model._meta.db_table
    extra_cols, extra_vals = _defaults(model, columns)
    full_cols = [*columns, *extra_cols]
    tail = tuple(extra_vals)
    full_rows = (tuple(r) + tail for r in rows)
    if connection.vendor == "postgresql":
        return _copy_pg(table, full_cols, full_rows)
    return _insert_sqlite(table, full_cols, full_rows)


def _reset_sequence(model: type[Model]) -> None:
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


def generate(sizes: Sizes, *, seed: int = 2026, progress: Callable[[str], None] = lambda _m: None) -> Report:

    rng = np.random.default_rng(seed)
    seconds: dict[str, float] = {}
    now = timezone.now()

    def step(name: str) -> Callable[[], None]:
        start = time.perf_counter()
        progress(f"{name}…")

        def done() -> None:
            seconds[name] = time.perf_counter() - start
            progress(f"{name}: {seconds[name]:.1f} s")

        return done

    done = step("organisations")
    root = people.create_organisation(
        actor=None, code="national", name="대한민국 정부", name_en="Government of Korea", kind=OrgKind.MINISTRY
    )
    kinds = {k.value for k in OrgKind}
    plan: list[tuple[str, str]] = []
    for kind, suffix, share in KINDS:
        for i in range(share):
            plan.append(
                (
                    kind if kind in kinds else OrgKind.MINISTRY,
                    f"{['한빛', '새벽', '푸른', '누리', '가람', '바다'][i % 6]}{i + 1}{suffix}",
                )
            )
    plan = plan[: sizes.organisations]
    orgs = [
        people.create_organisation(actor=None, code=f"n-{i}", name=name, kind=kind, parent=root)
        for i, (kind, name) in enumerate(plan)
    ]
    departments: list[int] = []
    for org in orgs:
        for j, dept in enumerate(DEPARTMENTS):
            d = people.create_organisation(
                actor=None, code=f"{org.code}-d{j}", name=dept, kind=OrgKind.DEPARTMENT, parent=org
            )
            departments.append(d.pk)
    done()

    done = step("users")
    admin_password = f"national-{seed}-{rng.integers(10**9)}"
    admin = User.objects.create_user(
        username="national-admin",
        password=admin_password,
        display_name="전국 관리자",
        kind=Kind.OFFICIAL,
        department_id=departments[0],
        grade=4,
        email="national-admin@example.go.kr",
    )
    people.grant_role(actor=None, user=admin, role=Role.ADMINISTRATOR)
    start_id = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    n = sizes.users
    dept_of = rng.choice(np.array(departments), size=n)
    grade_of = rng.choice(np.arange(1, 10), size=n, p=[0.005, 0.01, 0.02, 0.05, 0.12, 0.22, 0.28, 0.2, 0.095])
    citizen = rng.random(n) < 0.05
    sur = rng.integers(len(SURNAMES), size=n)
    giv = rng.integers(len(GIVEN), size=n)
    joined = _stamp(now)

    def user_rows() -> Iterator[tuple]:
        for i in range(n):
            uid = start_id + i
            is_citizen = bool(citizen[i])
            yield (
                uid,
                "!",
                False,
                f"n{uid:07d}",
                "",
                "",
                f"n{uid:07d}@example.kr",
                False,
                True,
                joined,
                SURNAMES[sur[i]] + GIVEN[giv[i]],
                Kind.CITIZEN if is_citizen else Kind.OFFICIAL,
                None if is_citizen else int(dept_of[i]),
                None if is_citizen else int(grade_of[i]),
                "" if is_citizen else "주무관",
                "ko",
                "none",
                "[]",
            )

    with transaction.atomic():
        bulk(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "display_name",
                "kind",
                "department_id",
                "grade",
                "title",
                "language",
                "email_mode",
                "muted_kinds",
            ],
            user_rows(),
        )
    _reset_sequence(User)
    user_ids = np.arange(start_id, start_id + n)
    done()

    done = step("call")
    slug = f"national-{seed}"
    call = calls.create_call(
        actor=admin,
        slug=slug,
        title="국민과 함께하는 전국 혁신 아이디어 공모",
        organisation=root,
        phases=phases_around(now),
        audience=Audience.BOTH,
        description="전국 단위 부하 시험용 공모입니다.",
    )
    done()

    done = step("proposals")
    p_start = (Proposal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    m = sizes.proposals
    # Popularity is heavy-tailed, as in real calls: a few proposals draw most supports.
    weights = rng.pareto(1.2, size=m) + 0.05
    support_counts = np.floor(weights / weights.sum() * sizes.supports).astype(np.int64)
    support_counts = np.minimum(support_counts, n - 1)
    short = sizes.supports - int(support_counts.sum())
    if short > 0:
        room = np.flatnonzero(support_counts < n - 1)
        extra = rng.choice(room, size=min(short, room.size), replace=short > room.size)
        np.add.at(support_counts, extra, 1)
        support_counts = np.minimum(support_counts, n - 1)
    comment_of = (
        rng.choice(m, size=sizes.comments, p=weights / weights.sum())
        if sizes.comments
        else np.array([], dtype=np.int64)
    )
    comment_counts = np.bincount(comment_of, minlength=m)
    authors = rng.choice(user_ids, size=m)
    pi, si, ei = (
        rng.integers(len(PROBLEMS), size=m),
        rng.integers(len(SOLUTIONS), size=m),
        rng.integers(len(EFFECTS), size=m),
    )

    def proposal_rows() -> Iterator[tuple]:
        for k in range(m):
            problem, solution = PROBLEMS[pi[k]], SOLUTIONS[si[k]]
            title = f"{solution[:18]} ({k + 1})"
            effect = EFFECTS[ei[k]]
            at = _stamp(now - timedelta(seconds=int(m - k) * 30))
            terms = korean.index_terms(" ".join([title, problem, solution, effect]))
            yield (
                p_start + k,
                call.pk,
                k + 1,
                title,
                f"<p>{problem}.</p>",
                f"<p>{solution}.</p>",
                effect,
                int(authors[k]),
                Status.SUBMITTED,
                "pending",
                False,
                int(support_counts[k]),
                int(comment_counts[k]),
                terms,
                at,
                at,
                at,
            )

    with transaction.atomic():
        bulk(
            Proposal,
            [
                "id",
                "call_id",
                "number",
                "title",
                "problem",
                "solution",
                "expected_effect",
                "author_id",
                "status",
                "outcome",
                "is_internal",
                "support_count",
                "comment_count",
                "search_terms",
                "created_at",
                "submitted_at",
                "updated_at",
            ],
            proposal_rows(),
        )
        call.__class__.objects.filter(pk=call.pk).update(next_number=m + 1)
    _reset_sequence(Proposal)
    done()

    done = step("supports")

    def support_rows() -> Iterator[tuple]:
        stamp = _stamp(now)
        for k in range(m):
            c = int(support_counts[k])
            if not c:
                continue
            # Distinct supporters per proposal; the author is excluded as the rules require.
            picked = np.unique(rng.integers(start_id, start_id + n, size=c + c // 8 + 8))
            picked = picked[picked != authors[k]][:c]
            while picked.size < c:
                more = np.unique(np.concatenate([picked, rng.integers(start_id, start_id + n, size=c)]))
                picked = more[more != authors[k]][:c]
            pid = p_start + k
            for u in picked.tolist():
                yield (pid, u, stamp)

    with transaction.atomic():
        written = bulk(Support, ["proposal_id", "user_id", "created_at"], support_rows())
    done()
    assert written == int(support_counts.sum()), (written, int(support_counts.sum()))

    done = step("comments")
    c_authors = rng.choice(user_ids, size=sizes.comments)
    c_text = rng.integers(len(COMMENTS), size=sizes.comments)
    comment_terms = [korean.index_terms(text) for text in COMMENTS]

    def comment_rows() -> Iterator[tuple]:
        stamp = _stamp(now)
        for j in range(sizes.comments):
            yield (
                p_start + int(comment_of[j]),
                int(c_authors[j]),
                COMMENTS[c_text[j]],
                comment_terms[c_text[j]],
                stamp,
                "",
            )

    with transaction.atomic():
        bulk(
            Comment, ["proposal_id", "author_id", "body", "search_terms", "created_at", "hidden_reason"], comment_rows()
        )
    done()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sizes.supports = int(support_counts.sum())
    return Report(sizes, seconds, slug, admin_password)
