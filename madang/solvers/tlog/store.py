"""A durable tiled log on disk: the C2SP tlog-tiles layout, written with fsync, reopened fast.

The directory *is* the public read API: ``checkpoint``, ``tile/<L>/<N>[.p/<W>]`` and
``tile/entries/<N>[.p/<W>]``, so any static web server or mirror can serve it as it is.

Crash safety rests on one ordering. :meth:`DurableLog.append` first writes every new or
changed tile and entry bundle (each to a temporary file, fsync, rename, fsync of the
directory), and only then replaces ``checkpoint``. A crash before the checkpoint is replaced
leaves the old checkpoint, whose tiles are untouched (full tiles never change; a partial
tile is a different file from the full one that supersedes it), so the log reopens at the
old size and the half-written batch is simply written again. A signed checkpoint therefore
never refers to data that is not on disk, and the size it states never decreases: the
writer refuses to sign a checkpoint smaller than the one on disk.

Superseded partial tiles are deleted once their full tile is on disk, as tlog-tiles allows
(clients fall back to the full tile), so the log costs about 34 bytes per entry besides the
entries themselves: the level-0 hash, the levels above it, and the 2-byte length prefix.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .checkpoint import Checkpoint, open_checkpoint
from .merkle import HASH_SIZE, Tree
from .note import Signer, Verifier
from .tiles import (
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    TILE_WIDTH,
    TileError,
    decode_bundle,
    encode_bundle,
    entries_path,
    tile_path,
    tile_shape,
)

CHECKPOINT = "checkpoint"


class LogCorrupt(TileError):
    """The files on disk do not add up to the signed checkpoint."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DurableLog:
    """An append-only Merkle log kept in a tile directory. One writer at a time.

    The caller serialises writers (Madang holds a file lock and a database row lock);
    readers may read the directory at any time, since every file is replaced atomically.
    """

    def __init__(
        self, directory: str | os.PathLike[str], origin: str, signers: Sequence[Signer], *, fsync: bool = True
    ) -> None:
        self.root = Path(directory)
        self.origin = origin
        self.signers = list(signers)
        self.fsync = fsync
        self.tree = Tree()
        self.signed_checkpoint = ""
        # Entries of the trailing partial bundle: rewriting that bundle needs them.
        self._tail: list[bytes] = []

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str],
        origin: str,
        signers: Sequence[Signer],
        verifiers: Sequence[Verifier],
        *,
        fsync: bool = True,
    ) -> DurableLog:
        """Open (or create) the log; check that the tiles on disk reproduce the signed root."""
        log = cls(directory, origin, signers, fsync=fsync)
        log.root.mkdir(parents=True, exist_ok=True)
        path = log.root / CHECKPOINT
        if not path.exists():
            return log
        text = path.read_text("utf-8")
        checkpoint, _note = open_checkpoint(text, verifiers, origin)
        log.tree = Tree.from_leaf_hashes(log._read_level0(checkpoint.size))
        if log.tree.root() != checkpoint.root_hash:
            raise LogCorrupt(f"the tiles on disk do not reproduce the root of checkpoint {checkpoint.size}")
        log.signed_checkpoint = text
        full, partial = tile_shape(checkpoint.size, 0)
        if partial:
            log._tail = decode_bundle(log._read(entries_path(full, partial)))
        return log

    def _read(self, rel: str) -> bytes:
        try:
            return (self.root / rel).read_bytes()
        except FileNotFoundError:
            raise LogCorrupt(f"{rel} is missing") from None

    def _read_level0(self, size: int) -> bytes:
        full, partial = tile_shape(size, 0)
        chunks = []
        for n in range(full):
            data = self._read(tile_path(0, n))
            if len(data) != TILE_WIDTH * HASH_SIZE:
                raise LogCorrupt(f"{tile_path(0, n)} has {len(data)} bytes")
            chunks.append(data)
        if partial:
            rel = tile_path(0, full, partial)
            data = self._read(rel)
            if len(data) != partial * HASH_SIZE:
                raise LogCorrupt(f"{rel} has {len(data)} bytes")
            chunks.append(data)
        return b"".join(chunks)

    # ------------------------------------------------------------------ writing

    @property
    def size(self) -> int:
        return self.tree.size

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.origin, self.tree.size, self.tree.root())

    def append(self, entries: Iterable[bytes]) -> str:
        """Append a batch durably and publish a new signed checkpoint; return it."""
        batch = [bytes(e) for e in entries]
        for e in batch:
            if len(e) > MAX_ENTRY_SIZE:
                raise TileError(f"entry of {len(e)} bytes is over the {MAX_ENTRY_SIZE}-byte limit")
        old = self.tree.size
        self.tree.extend(batch)
        try:
            written = self._write_tiles(old, batch)
            signed = self.checkpoint().sign(self.signers)
            self._write(CHECKPOINT, signed.encode())
            self._sync_dirs(written)
        except BaseException:
            # Nothing was published: forget the batch so the in-memory tree matches the disk.
            self.tree = Tree.from_leaf_hashes(self.tree.level_slice(0, 0, old))
            raise
        self.signed_checkpoint = signed
        self._delete_superseded(old)
        return signed

    def publish(self, signed_checkpoint: str, verifiers: Sequence[Verifier]) -> None:
        """Replace the checkpoint with the same one carrying more signatures (witness cosignatures)."""
        checkpoint, _note = open_checkpoint(signed_checkpoint, verifiers, self.origin)
        if checkpoint != self.checkpoint():
            raise TileError("only the current checkpoint can be republished")
        self._write(CHECKPOINT, signed_checkpoint.encode())
        self._sync_dirs({self.root})
        self.signed_checkpoint = signed_checkpoint

    def _write_tiles(self, old: int, batch: list[bytes]) -> set[Path]:
        new = self.tree.size
        files: list[tuple[str, bytes]] = []
        level = 0
        while (new >> (TILE_HEIGHT * level)) > 0:
            first = (old >> (TILE_HEIGHT * level)) >> TILE_HEIGHT
            full, partial = tile_shape(new, level)
            hashes_at = new >> (TILE_HEIGHT * level)
            height = TILE_HEIGHT * level
            for n in range(first, full + (1 if partial else 0)):
                width = TILE_WIDTH if n < full else partial
                lo = n * TILE_WIDTH
                data = self.tree.level_slice(height, lo, min(lo + width, hashes_at))
                files.append((tile_path(level, n, width), data))
            level += 1
        # Entry bundles: the old partial one is rewritten with the new entries after it.
        tail = self._tail + batch
        start = (old >> TILE_HEIGHT) * TILE_WIDTH
        full, partial = tile_shape(new, 0)
        n = old >> TILE_HEIGHT
        pos = 0
        while start + pos < new:
            width = TILE_WIDTH if n < full else partial
            files.append((entries_path(n, width), encode_bundle(tail[pos : pos + width])))
            pos += width
            n += 1
        self._tail = tail[len(tail) - partial :] if partial else []
        return self._write_many(files)

    def _write_many(self, files: list[tuple[str, bytes]]) -> set[Path]:
        """Write a batch of files durably: every temporary file first, then the fsyncs, then the
        renames. With the data already in the page cache, the first fsync's journal commit
        carries most of the others' blocks (ext4 data=ordered), so a batch costs a few disk
        flushes instead of one per file."""
        staged = []
        for rel, data in files:
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
            staged.append((tmp, target))
        if self.fsync:
            for tmp, _target in staged:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        for tmp, target in staged:
            tmp.replace(target)
        return {target.parent for _tmp, target in staged}

    def _write(self, rel: str, data: bytes, *, sync_dir: bool = True) -> Path:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            if self.fsync:
                fh.flush()
                os.fsync(fh.fileno())
        tmp.replace(target)
        if sync_dir and self.fsync:
            _fsync_dir(target.parent)
        return target.parent

    def _sync_dirs(self, dirs: Iterable[Path]) -> None:
        if self.fsync:
            for d in sorted(set(dirs) | {self.root}):
                _fsync_dir(d)

    def _delete_superseded(self, old: int) -> None:
        """Remove partial tiles that a full tile written by this batch replaced."""
        new = self.tree.size
        level = 0
        while (new >> (TILE_HEIGHT * level)) > 0:
            first = (old >> (TILE_HEIGHT * level)) >> TILE_HEIGHT
            full, _partial = tile_shape(new, level)
            for n in range(first, full):
                self._remove_partials(tile_path(level, n))
            level += 1
        full, _partial = tile_shape(new, 0)
        for n in range(old >> TILE_HEIGHT, full):
            self._remove_partials(entries_path(n))

    def _remove_partials(self, full_rel: str) -> None:
        folder = self.root / (full_rel + ".p")
        if folder.is_dir():
            for f in folder.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()
            with contextlib.suppress(OSError):
                folder.rmdir()

    # ------------------------------------------------------------------ reading

    def entry(self, index: int) -> bytes:
        if not 0 <= index < self.tree.size:
            raise IndexError(index)
        full, partial = tile_shape(self.tree.size, 0)
        n = index >> TILE_HEIGHT
        width = TILE_WIDTH if n < full else partial
        return decode_bundle(self._read(entries_path(n, width)))[index & (TILE_WIDTH - 1)]

    def disk_bytes(self) -> int:
        """Bytes in the log's files (tiles, bundles, checkpoint), for the benchmark."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
