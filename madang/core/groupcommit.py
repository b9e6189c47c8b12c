"""Group commit: the small writes of many request threads in one transaction, each answered only
after that transaction has committed.

A support is one row and one counter change; on its own it pays a whole transaction (with
SQLite, the database's one write lock and a sync of the log) for a few bytes. Requests that
arrive while a transaction is being written wait in a queue; the first one in the queue then
writes everything queued so far in one transaction (`apply`), hands each waiting request its
own result, and the next one in the queue takes the following batch. Nobody waits for a timer:
a request that arrives alone is written at once, alone, and under load the batches grow by
themselves with the number of requests that queued during the previous commit (the shape of
LevelDB's write queue). No extra thread: the request at the head of the queue does the work
with its own database connection.

What `apply` must do: write all the items in one transaction and return one result per item
only once it has committed (raising if it did not). A result therefore means "durable". If
`apply` raises for a batch, each of its items is written again alone, so that one bad item
(a proposal deleted meanwhile) fails only its own request; items that fail alone get the
exception, raised in their own thread. Nothing is answered before its transaction commits.

Per process: the queue gathers the threads of one process (gunicorn's `--threads`). Processes
still take turns at the database as before, with fewer and larger transactions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence


class _Slot[T, R]:
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit[T, R]:
    """Queue items from many threads; the head of the queue writes them in batches of up to `max_batch`."""

    def __init__(self, apply: Callable[[list[T]], Sequence[R]], *, max_batch: int = 64) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._apply = apply
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._queue: list[_Slot[T, R]] = []

    def waiting(self) -> int:
        """How many items are queued or being written now (for tests and metrics)."""
        with self._cond:
            return len(self._queue)

    def submit(self, item: T) -> R:
        """Write `item` with whatever else is queued; return its result once committed, or raise."""
        slot: _Slot[T, R] = _Slot(item)
        batch: list[_Slot[T, R]] = []
        with self._cond:
            self._queue.append(slot)
            while not slot.done and self._queue[0] is not slot:
                self._cond.wait()
            if not slot.done:
                # At the head of the queue: this thread writes the next batch (its own item first).
                batch = self._queue[: self.max_batch]
        if batch:
            self._write(batch)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]  # set together with done when there is no error

    def _write(self, batch: list[_Slot[T, R]]) -> None:
        results: list[tuple[R | None, BaseException | None]] = []
        try:
            results = self._run([s.item for s in batch])
        except BaseException as exc:  # (interrupted: nobody in the batch is told it was written)
            results = [(None, exc)] * len(batch)
            raise
        finally:
            with self._cond:
                for s, (result, error) in zip(batch, results, strict=True):
                    s.result, s.error, s.done = result, error, True
                del self._queue[: len(batch)]
                self._cond.notify_all()

    def _run(self, items: list[T]) -> list[tuple[R | None, BaseException | None]]:
        try:
            return self._checked(items)
        except Exception as exc:
            if len(items) == 1:
                return [(None, exc)]
        # One item may have spoiled the batch: each again alone, so only it fails.
        out: list[tuple[R | None, BaseException | None]] = []
        for item in items:
            try:
                out.extend(self._checked([item]))
            except Exception as exc:
                out.append((None, exc))
        return out

    def _checked(self, items: list[T]) -> list[tuple[R | None, BaseException | None]]:
        results = list(self._apply(items))
        if len(results) != len(items):
            raise RuntimeError(f"group commit: {len(results)} results for {len(items)} items")
        return [(r, None) for r in results]
