"""A minimal witness another organisation can run: C2SP tlog-witness `add-checkpoint` over HTTP.

    python -m madang.solvers.tlog witness-keygen --name audit.example.go.kr --out witness.key
    python -m madang.solvers.tlog witness --key witness.key --state ./state \\
        --log "madang.example.go.kr/ledger+1a2b3c4d+A…" --listen 127.0.0.1:8790

Only the standard library and this package: no database, no Django. The witness keeps, per log,
the last size and root it cosigned in a small file under --state, replaced with compare-and-swap
under a lock file, so two requests racing (or two witness processes sharing the folder) can
never make it cosign a smaller or an inconsistent tree.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .cosignature import CosignatureSigner
from .note import Verifier
from .witness import LogState, Witness

MAX_BODY = 64 * 1024
PATH = "/add-checkpoint"


class FileWitnessStorage:
    """:class:`~.witness.WitnessStorage` in a directory, one JSON file per log, safe across processes."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def _path(self, origin: str) -> Path:
        return self.root / (hashlib.sha256(origin.encode()).hexdigest()[:32] + ".json")

    def load(self, origin: str) -> LogState | None:
        try:
            data = json.loads(self._path(origin).read_text("utf-8"))
        except FileNotFoundError:
            return None
        return LogState(int(data["size"]), base64.b64decode(data["root"]))

    def compare_and_swap(self, origin: str, expected: LogState | None, new: LogState) -> bool:
        with self._lock, open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if self.load(origin) != expected:
                    return False
                path = self._path(origin)
                tmp = path.with_name(path.name + ".tmp")
                with open(tmp, "w", encoding="utf-8") as fh:
                    json.dump({"origin": origin, "size": new.size, "root": base64.b64encode(new.root).decode()}, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                tmp.replace(path)
                return True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def make_server(
    address: tuple[str, int],
    signers: Sequence[CosignatureSigner],
    logs: dict[str, Sequence[Verifier]],
    storage: FileWitnessStorage,
) -> ThreadingHTTPServer:
    witness = Witness(signers, logs, storage)

    class Handler(BaseHTTPRequestHandler):
        server_version = "madang-witness/1"

        def do_POST(self) -> None:
            if self.path != PATH:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                self._send(400, b"missing or oversized body\n", "text/plain; charset=utf-8")
                return
            answer = witness.add_checkpoint(self.rfile.read(length))
            self._send(answer.status, answer.body, answer.content_type)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(address, Handler)
