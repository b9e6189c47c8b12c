"""C2SP tlog-tiles v0.1.0 (https://c2sp.org/tlog-tiles): tile paths, writer and reader.

Tile ``(L, N)`` holds the hashes at Merkle level ``8 * L``, indices
``N * 256 .. N * 256 + 255``; a partial tile (``.p/<W>``) holds only the first W.
Entry bundle ``N`` holds entries ``N * 256 ..`` each prefixed by a big-endian uint16
length. Everything here works on a plain ``path -> bytes`` mapping; :class:`DirectoryStore`
adapts a directory to that interface.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from hashlib import sha256
from pathlib import Path
from typing import Protocol

from .checkpoint import Checkpoint
from .merkle import HASH_SIZE, Tree, compute_consistency_proof, compute_inclusion_proof, compute_root
from .note import Signer

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY_SIZE = 0xFFFF
_NODE_PREFIX = b"\x01"

_PATH = re.compile(r"tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?")


class TileStore(Protocol):
    """Read access to tile files by path (``tile/0/000``, ``checkpoint``...)."""

    def __getitem__(self, path: str) -> bytes: ...


class TileError(ValueError):
    pass


def encode_index(n: int) -> str:
    """Tile index as 3-digit path elements, all but the last prefixed by ``x``."""
    if n < 0:
        raise TileError("negative tile index")
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def _suffix(width: int) -> str:
    if width == TILE_WIDTH:
        return ""
    if not 1 <= width < TILE_WIDTH:
        raise TileError(f"tile width {width} out of range")
    return f".p/{width}"


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    if not 0 <= level <= 63:
        raise TileError(f"tile level {level} out of range")
    return f"tile/{level}/{encode_index(index)}{_suffix(width)}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    return f"tile/entries/{encode_index(index)}{_suffix(width)}"


def parse_tile_path(path: str) -> tuple[int | None, int, int]:
    """(level, or None for entry bundles; index; width) of a tile path."""
    m = _PATH.fullmatch(path)
    if not m:
        raise TileError(f"not a tile path: {path!r}")
    kind, digits, width = m.groups()
    level = None if kind == "entries" else int(kind)
    if level is not None and level > 63:
        raise TileError(f"tile level {level} out of range")
    w = int(width) if width else TILE_WIDTH
    if width and w >= TILE_WIDTH:
        raise TileError(f"tile width {w} out of range")
    parts = digits.split("/")
    if len(parts) > 1 and parts[0] == "x000":
        raise TileError("tile index has a leading zero element")
    index = int("".join(p.lstrip("x") for p in parts))
    return level, index, w


def encode_bundle(entries: Iterable[bytes]) -> bytes:
    chunks = []
    for e in entries:
        if len(e) > MAX_ENTRY_SIZE:
            raise TileError("entry longer than 65535 bytes")
        chunks.append(len(e).to_bytes(2, "big"))
        chunks.append(e)
    return b"".join(chunks)


def decode_bundle(data: bytes) -> list[bytes]:
    out = []
    i = 0
    while i < len(data):
        if i + 2 > len(data):
            raise TileError("truncated entry bundle")
        n = int.from_bytes(data[i : i + 2], "big")
        if i + 2 + n > len(data):
            raise TileError("truncated entry bundle")
        out.append(bytes(data[i + 2 : i + 2 + n]))
        i += 2 + n
    return out


def tile_shape(size: int, level: int) -> tuple[int, int]:
    """(number of full tiles, width of the trailing partial tile or 0) at ``level`` for ``size``."""
    hashes = size >> (TILE_HEIGHT * level)
    return hashes >> TILE_HEIGHT, hashes & (TILE_WIDTH - 1)


def tile_files(
    tree: Tree,
    entries: Sequence[bytes] | None = None,
    sizes: Iterable[int] | None = None,
) -> dict[str, bytes]:
    """Every hash tile (and entry bundle, if ``entries`` are given) of ``tree``.

    ``sizes`` are the tree sizes that got a checkpoint (default: the current size);
    the partial tiles each of them needs are included, as the spec requires logs to
    serve them.
    """
    if entries is not None and len(entries) != tree.size:
        raise TileError("entries do not match the tree")
    wanted = sorted(set([tree.size] if sizes is None else sizes))
    if wanted and not 0 <= wanted[0] <= wanted[-1] <= tree.size:
        raise TileError("checkpoint size beyond the tree")
    files: dict[str, bytes] = {}
    level = 0
    while (tree.size >> (TILE_HEIGHT * level)) > 0:
        hashes = tree.level_hashes(TILE_HEIGHT * level)
        full, _ = tile_shape(tree.size, level)
        for n in range(full):
            files[tile_path(level, n)] = hashes[n * TILE_WIDTH * HASH_SIZE : (n + 1) * TILE_WIDTH * HASH_SIZE]
        for size in wanted:
            n, width = tile_shape(size, level)
            if width:
                start = n * TILE_WIDTH * HASH_SIZE
                files[tile_path(level, n, width)] = hashes[start : start + width * HASH_SIZE]
        level += 1
    if entries is not None:
        full, _ = tile_shape(tree.size, 0)
        for n in range(full):
            files[entries_path(n)] = encode_bundle(entries[n * TILE_WIDTH : (n + 1) * TILE_WIDTH])
        for size in wanted:
            n, width = tile_shape(size, 0)
            if width:
                start = n * TILE_WIDTH
                files[entries_path(n, width)] = encode_bundle(entries[start : start + width])
    return files


def build_log(
    entries: Sequence[bytes],
    origin: str,
    signers: Iterable[Signer],
    sizes: Iterable[int] | None = None,
    extensions: Sequence[str] = (),
) -> dict[str, bytes]:
    """All files of a tiled log of ``entries``: tiles, entry bundles and signed ``checkpoint``."""
    tree = Tree.from_entries(entries)
    files = tile_files(tree, entries, sizes)
    checkpoint = Checkpoint(origin, tree.size, tree.root(), tuple(extensions))
    files["checkpoint"] = checkpoint.sign(signers).encode()
    return files


def write_files(directory: str | os.PathLike[str], files: Mapping[str, bytes]) -> int:
    """Write files under ``directory`` atomically one by one; return the bytes written."""
    root = Path(directory)
    total = 0
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        total += len(data)
    return total


class DirectoryStore:
    """A tile directory seen as a read-only ``path -> bytes`` mapping."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory)

    def __getitem__(self, path: str) -> bytes:
        if path.startswith("/") or ".." in path.split("/"):
            raise KeyError(path)
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            raise KeyError(path) from None


def _read_partial(store: TileStore | MutableMapping[str, bytes], path: str, full_path: str, length: int) -> bytes:
    """A tile by its path; a partial tile the log has since replaced is cut from the full one."""
    try:
        return store[path]
    except KeyError:
        if path == full_path:
            raise
        return bytes(store[full_path])[:length]


class TileHashReader:
    """:class:`~.merkle.HashReader` over the tiles of a tree of a given (checkpointed) size.

    Hashes between tile levels are recomputed from the tile below. The reader
    trusts the store: check :meth:`root` against a verified checkpoint before
    relying on proofs built from it.
    """

    def __init__(self, store: TileStore | MutableMapping[str, bytes], size: int, cache_tiles: int = 64) -> None:
        self.store = store
        self.size = size
        self._cache: OrderedDict[tuple[int, int], list[bytes]] = OrderedDict()
        self._cache_tiles = max(1, cache_tiles)

    def _tile_levels(self, level: int, index: int) -> list[bytes]:
        """The tile's hashes, then each Merkle level above it within the tile, concatenated."""
        key = (level, index)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        full, partial = tile_shape(self.size, level)
        if index < full:
            width = TILE_WIDTH
        elif index == full and partial:
            width = partial
        else:
            raise KeyError(f"tile {level}/{index} is beyond tree size {self.size}")
        path = tile_path(level, index, width)
        data = bytes(_read_partial(self.store, path, tile_path(level, index), width * HASH_SIZE))
        if len(data) != width * HASH_SIZE:
            raise TileError(f"{path} has {len(data)} bytes, expected {width * HASH_SIZE}")
        rows = [data]
        while len(data) >= 2 * HASH_SIZE:
            data = b"".join([sha256(_NODE_PREFIX + data[i : i + 64]).digest() for i in range(0, len(data) - 63, 64)])
            rows.append(data)
        self._cache[key] = rows
        if len(self._cache) > self._cache_tiles:
            self._cache.popitem(last=False)
        return rows

    def get(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise IndexError(f"no complete subtree at level {level} index {index} in size {self.size}")
        tile_level, sub = divmod(level, TILE_HEIGHT)
        first = index << sub  # index of the first tile-level hash under this node
        rows = self._tile_levels(tile_level, first >> TILE_HEIGHT)
        pos = (first & (TILE_WIDTH - 1)) >> sub
        row = rows[sub]
        return row[pos * HASH_SIZE : (pos + 1) * HASH_SIZE]

    def root(self) -> bytes:
        return compute_root(self, self.size)

    def inclusion_proof(self, index: int) -> list[bytes]:
        return compute_inclusion_proof(self, index, self.size)

    def consistency_proof(self, old_size: int) -> list[bytes]:
        return compute_consistency_proof(self, old_size, self.size)

    def entries(self, bundle_index: int) -> list[bytes]:
        """Entries of one bundle (full or the partial one for this size)."""
        full, partial = tile_shape(self.size, 0)
        width = TILE_WIDTH if bundle_index < full else partial
        if bundle_index > full or not width:
            raise KeyError(f"bundle {bundle_index} is beyond tree size {self.size}")
        if width == TILE_WIDTH:
            return decode_bundle(self.store[entries_path(bundle_index)])
        try:
            return decode_bundle(self.store[entries_path(bundle_index, width)])
        except KeyError:
            # The log grew past this size and dropped the partial bundle (tlog-tiles allows it).
            return decode_bundle(self.store[entries_path(bundle_index)])[:width]
