"""Group commit (madang/core/groupcommit.py) without a database: a "store" that commits a batch
at once or not at all stands in for the transaction."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from madang.core.groupcommit import GroupCommit

WAIT = 30  # seconds a test waits for a thread before calling it hung (never a timing assertion)


class Store:
    """Commits a whole batch or nothing; refuses a batch holding a "bad" item, as a constraint would."""

    def __init__(self, hold_first: bool = False) -> None:
        self.committed: list[str] = []
        self.batches: list[list[str]] = []
        self.lock = threading.Lock()
        # With hold_first, the first batch waits for `release`: the test queues others meanwhile.
        self.entered = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    def apply(self, items: list[str]) -> list[str]:
        self.entered.set()
        assert self.release.wait(WAIT)
        with self.lock:
            self.batches.append(list(items))
            if any(item.startswith("bad") for item in items):
                raise ValueError(f"refused: {[i for i in items if i.startswith('bad')]}")
            self.committed.extend(items)
        return [f"ok:{item}" for item in items]


def submit_all(
    gc: GroupCommit[str, str], items: list[str], store: Store
) -> tuple[dict[str, str], dict[str, Exception], dict[str, bool]]:
    """Each item from its own thread; returns results, errors, and whether each result's item was
    already committed when its thread got the answer."""
    results: dict[str, str] = {}
    errors: dict[str, Exception] = {}
    durable_at_answer: dict[str, bool] = {}
    lock = threading.Lock()

    def work(item: str) -> None:
        try:
            result = gc.submit(item)
            with store.lock:
                seen = item in store.committed
            with lock:
                results[item] = result
                durable_at_answer[item] = seen
        except Exception as exc:
            with lock:
                errors[item] = exc

    threads = [threading.Thread(target=work, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors, durable_at_answer


def queue_behind_a_held_batch(gc: GroupCommit[str, str], store: Store, first: str, rest: list[str]):
    """Start `first` (its batch is held open), queue `rest` behind it, then let everything run."""
    out: dict[str, object] = {}
    head = threading.Thread(target=lambda: out.update(head=submit_all(gc, [first], store)))
    head.start()
    assert store.entered.wait(WAIT)
    tail = threading.Thread(target=lambda: out.update(tail=submit_all(gc, rest, store)))
    tail.start()
    while gc.waiting() < 1 + len(rest):  # all of them queued behind the held batch
        tail.join(0.01)
    store.release.set()
    head.join(WAIT)
    tail.join(WAIT)
    assert not head.is_alive() and not tail.is_alive()
    return out["head"], out["tail"]


def test_it_answers_a_lone_item_at_once_with_its_own_result():
    store = Store()
    gc: GroupCommit[str, str] = GroupCommit(store.apply)
    assert gc.submit("a") == "ok:a"
    assert store.batches == [["a"]]
    assert gc.waiting() == 0


def test_it_commits_every_item_of_many_threads_exactly_once_before_answering():
    store = Store()
    gc: GroupCommit[str, str] = GroupCommit(store.apply, max_batch=8)
    items = [f"s{i}" for i in range(200)]

    results, errors, durable = submit_all(gc, items, store)

    assert errors == {}
    assert results == {item: f"ok:{item}" for item in items}
    assert Counter(store.committed) == Counter(items)
    assert all(durable.values())
    assert all(1 <= len(b) <= 8 for b in store.batches)
    assert gc.waiting() == 0


def test_it_gathers_what_queued_during_a_commit_into_the_next_batch():
    store = Store(hold_first=True)
    gc: GroupCommit[str, str] = GroupCommit(store.apply, max_batch=64)
    rest = [f"s{i}" for i in range(10)]

    queue_behind_a_held_batch(gc, store, "first", rest)

    assert store.batches[0] == ["first"]
    assert sorted(store.batches[1]) == sorted(rest)  # one transaction for the ten queued meanwhile
    assert len(store.batches) == 2


def test_it_splits_a_queue_longer_than_the_largest_batch():
    store = Store(hold_first=True)
    gc: GroupCommit[str, str] = GroupCommit(store.apply, max_batch=4)
    rest = [f"s{i}" for i in range(10)]

    queue_behind_a_held_batch(gc, store, "first", rest)

    assert [len(b) for b in store.batches] == [1, 4, 4, 2]
    assert Counter(store.committed) == Counter(["first", *rest])


def test_it_fails_only_the_bad_item_of_a_batch_and_never_answers_it():
    store = Store(hold_first=True)
    gc: GroupCommit[str, str] = GroupCommit(store.apply)
    rest = ["s1", "bad2", "s3", "s4", "bad5", "s6"]

    _head, (results, errors, durable) = queue_behind_a_held_batch(gc, store, "first", rest)

    assert set(errors) == {"bad2", "bad5"}
    assert all(isinstance(e, ValueError) for e in errors.values())
    assert results == {item: f"ok:{item}" for item in ["s1", "s3", "s4", "s6"]}
    assert all(durable.values())
    # The spoiled batch committed nothing; each of its items was then tried alone.
    assert sorted(store.batches[1]) == sorted(rest)
    assert sorted(map(tuple, store.batches[2:])) == sorted((item,) for item in rest)
    assert Counter(store.committed) == Counter(["first", "s1", "s3", "s4", "s6"])


def test_it_raises_a_lone_failure_in_its_own_thread():
    store = Store()
    gc: GroupCommit[str, str] = GroupCommit(store.apply)
    with pytest.raises(ValueError, match="bad"):
        gc.submit("bad")
    assert store.committed == []
    assert gc.submit("good") == "ok:good"  # the queue is not left stuck


def test_it_refuses_a_result_count_that_does_not_match_the_items():
    gc: GroupCommit[str, str] = GroupCommit(lambda items: [])
    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        gc.submit("a")


def test_it_tells_the_batch_nothing_was_written_when_the_writer_is_interrupted():
    class Interrupted(BaseException):
        pass

    store = Store(hold_first=True)

    def apply(items: list[str]) -> list[str]:
        if "first" not in items:
            raise Interrupted  # (a signal while the second batch is being written)
        return store.apply(items)

    gc: GroupCommit[str, str] = GroupCommit(apply)
    failures: list[BaseException] = []

    def follower(item: str) -> None:
        try:
            gc.submit(item)
        except BaseException as exc:
            failures.append(exc)

    head = threading.Thread(target=follower, args=("first",))
    head.start()
    assert store.entered.wait(WAIT)
    tail = [threading.Thread(target=follower, args=(f"s{i}",)) for i in range(3)]
    for t in tail:
        t.start()
    while gc.waiting() < 4:
        head.join(0.01)
    store.release.set()
    for t in [head, *tail]:
        t.join(WAIT)
        assert not t.is_alive()
    assert len(failures) == 3 and all(isinstance(e, Interrupted) for e in failures)
    assert store.committed == ["first"]
    assert gc.waiting() == 0
