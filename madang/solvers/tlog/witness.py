"""Minimal C2SP tlog-witness v1.0.0 ``add-checkpoint`` handler (https://c2sp.org/tlog-witness).

:class:`Witness` is transport-free: it takes the request body and returns a
:class:`Response` (status, body, content type) for an HTTP layer to send. Its
per-log state (latest cosigned size and root) lives behind :class:`WitnessStorage`,
whose compare-and-swap makes "check old size, then store new checkpoint" atomic,
so concurrent requests can never roll a log back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .checkpoint import Checkpoint, decode_hash, encode_hash, parse_checkpoint, parse_decimal
from .cosignature import CosignatureSigner
from .merkle import EMPTY_ROOT, verify_consistency
from .note import NoteError, Verifier, open_note, parse_note

MAX_PROOF_LINES = 63
SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class LogState:
    size: int
    root: bytes


class WitnessStorage(Protocol):
    def load(self, origin: str) -> LogState | None:
        """Latest cosigned state for ``origin``, or None if never cosigned."""
        ...

    def compare_and_swap(self, origin: str, expected: LogState | None, new: LogState) -> bool:
        """Store ``new`` only if the current state equals ``expected``; say whether it did."""
        ...


class MemoryWitnessStorage:
    """Thread-safe in-memory :class:`WitnessStorage`."""

    def __init__(self) -> None:
        self._states: dict[str, LogState] = {}
        self._lock = threading.Lock()

    def load(self, origin: str) -> LogState | None:
        with self._lock:
            return self._states.get(origin)

    def compare_and_swap(self, origin: str, expected: LogState | None, new: LogState) -> bool:
        with self._lock:
            if self._states.get(origin) != expected:
                return False
            self._states[origin] = new
            return True


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = TEXT_CONTENT_TYPE


@dataclass(frozen=True)
class AddCheckpointRequest:
    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: str

    def encode(self) -> bytes:
        lines = [f"old {self.old_size}", *(encode_hash(h) for h in self.proof), ""]
        return ("\n".join(lines) + "\n" + self.checkpoint).encode()


class RequestError(ValueError):
    pass


def parse_add_checkpoint(body: bytes) -> AddCheckpointRequest:
    """Split an add-checkpoint body into old size, proof hashes and the checkpoint note."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError("body is not UTF-8") from exc
    first, sep, rest = text.partition("\n")
    if not sep or not first.startswith("old "):
        raise RequestError("first line must be 'old <size>'")
    try:
        old = parse_decimal(first[4:], "old size")
        proof: list[bytes] = []
        while True:
            line, sep, rest = rest.partition("\n")
            if not sep:
                raise RequestError("missing blank line before the checkpoint")
            if not line:
                break
            if len(proof) == MAX_PROOF_LINES:
                raise RequestError("too many consistency proof lines")
            proof.append(decode_hash(line))
    except NoteError as exc:
        raise RequestError(str(exc)) from exc
    return AddCheckpointRequest(old, tuple(proof), rest)


class Witness:
    """A witness for a fixed set of logs: ``logs`` maps each origin to its trusted keys."""

    def __init__(
        self,
        signers: Sequence[CosignatureSigner],
        logs: Mapping[str, Sequence[Verifier]],
        storage: WitnessStorage,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not signers:
            raise ValueError("a witness needs at least one key")
        self.signers = tuple(signers)
        self.logs = {origin: tuple(keys) for origin, keys in logs.items()}
        self.storage = storage
        self.clock = clock

    def _conflict(self, state: LogState | None) -> Response:
        size = state.size if state else 0
        return Response(409, f"{size}\n".encode(), SIZE_CONTENT_TYPE)

    def add_checkpoint(self, body: bytes) -> Response:
        try:
            request = parse_add_checkpoint(body)
            text, _ = parse_note(request.checkpoint)
            checkpoint = parse_checkpoint(text)
        except (RequestError, NoteError) as exc:
            return Response(400, f"{exc}\n".encode())
        keys = self.logs.get(checkpoint.origin)
        if keys is None:
            return Response(404, b"unknown log\n")
        try:
            open_note(request.checkpoint, keys)
        except NoteError:
            return Response(403, b"no valid signature from a trusted log key\n")
        if request.old_size > checkpoint.size:
            return Response(400, b"old size is larger than the checkpoint size\n")

        state = self.storage.load(checkpoint.origin)
        if request.old_size != (state.size if state else 0):
            return self._conflict(state)
        failure = self._check_proof(request, checkpoint, state)
        if failure is not None:
            return failure
        new = LogState(checkpoint.size, checkpoint.root_hash)
        if not self.storage.compare_and_swap(checkpoint.origin, state, new):
            # Someone else moved the log on since we loaded it: the client must retry.
            return self._conflict(self.storage.load(checkpoint.origin))
        timestamp = int(self.clock())
        lines = [s.signature(text, timestamp).line() for s in self.signers]
        return Response(200, "".join(lines).encode())

    def _check_proof(
        self, request: AddCheckpointRequest, checkpoint: Checkpoint, state: LogState | None
    ) -> Response | None:
        if checkpoint.size == 0 and checkpoint.root_hash != EMPTY_ROOT:
            return Response(422, b"empty tree with a non-empty root\n")
        if request.old_size == 0:
            if request.proof:
                return Response(422, b"proof from size 0 must be empty\n")
            return None
        if state is None:
            return self._conflict(state)
        if request.old_size == checkpoint.size:
            if request.proof:
                return Response(422, b"proof between equal sizes must be empty\n")
            if checkpoint.root_hash != state.root:
                return self._conflict(state)
            return None
        if not verify_consistency(state.size, checkpoint.size, state.root, checkpoint.root_hash, request.proof):
            return Response(422, b"consistency proof does not verify\n")
        return None
