"""Supports written in batches (madang/core/groupcommit.py): supports that queue while another
batch commits go into one transaction, each answered only after it committed, counted once, and a
support that spoils its batch fails alone.

Real transactions and one connection per thread, as in test_concurrency.py. To make "queued
meanwhile" certain rather than likely, the first batch is held open until the others have queued.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connections

from madang.calls import counters, services
from madang.calls.models import Proposal, Support
from madang.calls.tests.test_concurrency import _sqlite_on_disk, officials  # noqa: F401 (the fixture)
from madang.testing import build_cast

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 60


@pytest.fixture
def held_batches(monkeypatch) -> Iterator[dict]:
    """Hold the first batch open until `release` is set; record each batch's size."""
    batcher = services._support_batches
    apply = batcher._apply
    state: dict = {"sizes": [], "entered": threading.Event(), "release": threading.Event()}

    def held(items):
        if not state["sizes"]:
            state["entered"].set()
            assert state["release"].wait(WAIT)
        state["sizes"].append(len(items))
        return apply(items)

    monkeypatch.setattr(batcher, "_apply", held)
    yield state
    state["release"].set()


def support_together(held: dict, first: tuple, rest: list[tuple]) -> tuple[dict, dict]:
    """Support `first` (its batch held open), then each of `rest` from its own thread; let them
    all go once everything is queued. Returns {index: (added, count, stored when answered)} and
    {index: error}; index 0 is `first`."""
    results: dict[int, tuple] = {}
    errors: dict[int, BaseException] = {}
    lock = threading.Lock()

    def work(i: int, actor, proposal: Proposal) -> None:
        try:
            added, count = services.support_proposal(actor=actor, proposal=proposal)
            # Read on this thread's own connection: the batch was committed by another thread's.
            stored = Support.objects.filter(proposal_id=proposal.pk, user=actor).exists()
            with lock:
                results[i] = (added, count, stored)
        except BaseException as exc:
            with lock:
                errors[i] = exc
        finally:
            connections.close_all()

    head = threading.Thread(target=work, args=(0, *first))
    head.start()
    assert held["entered"].wait(WAIT)
    threads = [threading.Thread(target=work, args=(i + 1, *pair)) for i, pair in enumerate(rest)]
    for t in threads:
        t.start()
    batcher = services._support_batches
    while batcher.waiting() < 1 + len(rest):
        head.join(0.01)
    held["release"].set()
    for t in [head, *threads]:
        t.join(WAIT)
    assert not any(t.is_alive() for t in [head, *threads]), "a thread hung"
    return results, errors


def test_it_writes_the_supports_queued_meanwhile_in_one_batch_each_stored_when_answered(held_batches):
    cast = build_cast()
    p = cast.proposal()
    crowd = officials(cast, 16)

    results, errors = support_together(held_batches, (crowd[0], p), [(u, p) for u in crowd[1:]])

    assert errors == {}
    assert held_batches["sizes"] == [1, 15]  # one transaction for the fifteen that queued
    assert all(added and stored for added, _count, stored in results.values())
    assert all(1 <= count <= 16 for _added, count, _stored in results.values())
    assert results[0][1] == 1  # the first saw only its own
    assert {count for i, (_a, count, _s) in results.items() if i} == {16}  # the batch saw all of it
    assert Support.objects.filter(proposal=p).count() == 16 == counters.live_count(p.pk)


def test_it_counts_a_person_once_when_two_clicks_land_in_one_batch(held_batches):
    cast = build_cast()
    p, q = cast.proposal(), cast.proposal(title="두 번째 제안")
    crowd = officials(cast, 3)
    rest = [(cast.seojun, p), (cast.seojun, p), (crowd[0], q), (crowd[0], q), (crowd[1], p)]

    results, errors = support_together(held_batches, (crowd[2], p), rest)

    assert errors == {}
    assert held_batches["sizes"] == [1, 5]
    added = sorted(bool(results[i][0]) for i in (1, 2))
    assert added == [False, True]  # one of seojun's two clicks added the support
    assert sorted(bool(results[i][0]) for i in (3, 4)) == [False, True]
    assert Support.objects.filter(proposal=p).count() == 3 == counters.live_count(p.pk)
    assert Support.objects.filter(proposal=q).count() == 1 == counters.live_count(q.pk)
    assert {results[i][1] for i in (1, 2, 5)} == {3} and {results[i][1] for i in (3, 4)} == {1}


def test_it_fails_only_the_support_that_spoils_its_batch(held_batches):
    """A proposal deleted between the checks and the write: its support's foreign key fails the
    batch's commit; the others are written again alone and answered, that one is refused."""
    cast = build_cast()
    p = cast.proposal()
    ghost = Proposal.objects.get(pk=cast.proposal(title="사라질 제안").pk)
    crowd = officials(cast, 6)
    ghost_id = ghost.pk
    Proposal.objects.filter(pk=ghost_id).delete()
    rest = [(crowd[1], p), (crowd[2], ghost), (crowd[3], p), (crowd[4], p), (crowd[5], p)]

    results, errors = support_together(held_batches, (crowd[0], p), rest)

    assert set(errors) == {2}
    assert isinstance(errors[2], IntegrityError)
    assert set(results) == {0, 1, 3, 4, 5}
    assert all(added and stored for added, _count, stored in results.values())
    assert held_batches["sizes"][:2] == [1, 5]  # the spoiled batch, then each of its five alone
    assert sorted(held_batches["sizes"][2:]) == [1] * 5
    assert Support.objects.filter(proposal=p).count() == 5 == counters.live_count(p.pk)
    assert not Support.objects.filter(proposal_id=ghost_id).exists()
