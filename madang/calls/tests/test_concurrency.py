"""Races the issue asks about: many clicks at once must still count each person once,
and proposals submitted at the same moment must get distinct, gapless numbers.

Each thread uses its own database connection (Django's are per thread), so these tests
need real transactions and close their connections when the thread ends.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, connections

from madang.calls import counters, services
from madang.calls.models import Proposal, Support
from madang.people import services as people
from madang.people.models import Kind
from madang.testing import PASSWORD, build_cast

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50


@pytest.fixture(autouse=True)
def _sqlite_on_disk(tmp_path) -> Iterator[None]:
    """Run the race against a database file, as production does.

    pytest-django gives SQLite an in-memory database in shared-cache mode, where a second
    writer fails at once with "database table is locked" instead of waiting out the busy
    timeout; WAL and IMMEDIATE transactions only behave as configured on a file. So copy the
    test schema to a file for these tests (nothing to do on PostgreSQL).
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection  # keep it open: closing the last handle drops the database
    on_disk = sqlite3.connect(tmp_path / "race.sqlite3")
    memory.backup(on_disk)
    on_disk.close()
    name = connection.settings_dict["NAME"]
    # Connections of other threads are built from this same settings dict.
    connection.settings_dict["NAME"] = str(tmp_path / "race.sqlite3")
    connection.connection = None
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def run_together(work: Callable[[int], object], n: int = THREADS) -> tuple[list[object], list[BaseException]]:
    """Run work(i) in n threads released at the same instant; collect results and errors."""
    barrier = threading.Barrier(n)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            barrier.wait()
            out = work(i)
            with lock:
                results.append(out)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


def test_it_counts_fifty_simultaneous_supports_by_one_person_once():
    cast = build_cast()
    p = cast.proposal()

    results, errors = run_together(lambda i: services.support_proposal(actor=cast.seojun, proposal=p))

    assert errors == []
    assert sorted(added for added, _count in results) == [False] * (THREADS - 1) + [True]
    assert counters.live_count(p.pk) == 1
    assert Support.objects.filter(proposal=p).count() == 1


def officials(cast, n: int) -> list:
    return [
        people.create_user(
            actor=None,
            username=f"staff{i}",
            display_name=f"직원{i}",
            password=PASSWORD,
            kind=Kind.OFFICIAL,
            department=cast.transport,
        )
        for i in range(n)
    ]


def test_it_counts_fifty_simultaneous_supports_by_fifty_people():
    cast = build_cast()
    p = cast.proposal()
    crowd = officials(cast, THREADS)

    results, errors = run_together(lambda i: services.support_proposal(actor=crowd[i], proposal=p))

    assert errors == []
    assert all(added for added, _count in results)
    assert counters.live_count(p.pk) == THREADS == Support.objects.filter(proposal=p).count()
    # Every supporter saw a count that included their own support and no more than the total.
    assert all(1 <= count <= THREADS for _added, count in results)
    counters.fold()
    p.refresh_from_db()
    assert p.support_count == THREADS
    assert counters.live(p.pk) == (THREADS, 0)


def test_it_keeps_the_tally_exact_while_people_support_withdraw_and_the_tally_folds():
    """Supports, withdrawals and folds all at once on one proposal: nothing lost or counted twice."""
    cast = build_cast()
    p = cast.proposal()
    crowd = officials(cast, THREADS)
    # Nine support beforehand and withdraw during the run; every tenth thread folds; the rest support.
    for user in crowd[:9]:
        services.support_proposal(actor=user, proposal=p)

    def work(i: int) -> object:
        if i % 10 == 9:
            return counters.fold()
        if i < 9:
            return services.withdraw_support(actor=crowd[i], proposal=p)
        return services.support_proposal(actor=crowd[i], proposal=p)

    _results, errors = run_together(work)

    assert errors == []
    supporters = Support.objects.filter(proposal=p).count()
    expected = sum(1 for i in range(9, THREADS) if i % 10 != 9)
    assert supporters == expected
    assert counters.live_count(p.pk) == expected
    counters.fold()
    p.refresh_from_db()
    assert (p.support_count, counters.live(p.pk)) == (expected, (expected, 0))


def test_it_gives_simultaneous_submissions_distinct_gapless_numbers():
    cast = build_cast()
    drafts = [
        cast.proposal(author=cast.seojun if i % 2 else cast.jihoon, title=f"제안 {i}", submit=False) for i in range(20)
    ]

    results, errors = run_together(
        lambda i: services.submit_proposal(actor=drafts[i].author, proposal=drafts[i]).number, n=len(drafts)
    )

    assert errors == []
    assert sorted(results) == list(range(1, 21))
    assert sorted(Proposal.objects.values_list("number", flat=True)) == list(range(1, 21))
    cast.call.refresh_from_db()
    assert cast.call.next_number == 21
    assert connection.vendor in {"sqlite", "postgresql"}
