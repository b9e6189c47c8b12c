"""Append-only Merkle tree of RFC 9162 §2.1 (SHA-256), with proofs and their verifiers.

Hashes are addressed by (level, index): the hash at level ``l`` and index ``i`` is
the Merkle Tree Hash of the complete subtree over leaves ``[i * 2**l, (i + 1) * 2**l)``.
Only such complete subtrees are ever stored or read; hashes of the ragged right edge
of a tree are recomputed on demand (at most O(log n) hashes per root or proof).
That makes every algorithm here work from any :class:`HashReader`, whether the
in-memory :class:`Tree`, tiles on disk (see ``tiles.py``) or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256 as _sha256
from typing import Protocol

HASH_SIZE = 32
MAX_PROOF_DEPTH = 64  # tree sizes are uint64
EMPTY_ROOT = _sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def _py_hash_leaves(entries: Sequence[bytes]) -> bytes:
    return b"".join([_sha256(_LEAF_PREFIX + e).digest() for e in entries])


def _py_hash_nodes(level: bytes) -> bytes:
    return b"".join([_sha256(_NODE_PREFIX + level[i : i + 64]).digest() for i in range(0, len(level), 64)])


# Batch hashing: the optional C accelerator when it was built (see _fasthash.c), else hashlib.
try:
    from ._fasthash import hash_leaves, hash_nodes

    ACCELERATED = True
except ImportError:  # no C compiler at install time: same results, slower
    hash_leaves, hash_nodes = _py_hash_leaves, _py_hash_nodes
    ACCELERATED = False


class HashReader(Protocol):
    """Source of complete-subtree hashes: ``get(level, index)`` returns 32 bytes."""

    def get(self, level: int, index: int) -> bytes: ...


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 || entry)."""
    return _sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162 §2.1.1: the largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _range_hash(reader: HashReader, lo: int, hi: int) -> bytes:
    """MTH of leaves [lo, hi) for a range that is a node of some RFC 9162 tree.

    Such a range is either a complete aligned subtree or a right edge whose pieces
    (one per set bit of its width, largest first) are complete aligned subtrees; its
    hash is the right fold of the pieces' hashes.
    """
    width = hi - lo
    if width <= 0:
        raise ValueError("empty range")
    pieces: list[bytes] = []
    get = reader.get
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            pieces.append(get(level, lo >> level))
            lo += 1 << level
    acc = pieces.pop()
    while pieces:
        acc = _sha256(_NODE_PREFIX + pieces.pop() + acc).digest()
    return acc


def compute_root(reader: HashReader, size: int) -> bytes:
    """MTH of the first ``size`` leaves, read from ``reader``."""
    if size < 0:
        raise ValueError("negative tree size")
    if size == 0:
        return EMPTY_ROOT
    return _range_hash(reader, 0, size)


def compute_inclusion_proof(reader: HashReader, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} not in tree of size {size}")
    top: list[bytes] = []
    lo, hi = 0, size
    get = reader.get
    # Walk down the ragged right edge until the leaf sits in a complete subtree.
    while hi - lo > 1 and (hi - lo) & (hi - lo - 1):
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            top.append(_range_hash(reader, lo + k, hi))
            hi = lo + k
        else:
            top.append(get(k.bit_length() - 1, lo >> (k.bit_length() - 1)))
            lo += k
    height = (hi - lo).bit_length() - 1
    proof = [get(level, (index >> level) ^ 1) for level in range(height)]
    proof.extend(reversed(top))
    return proof


def compute_consistency_proof(reader: HashReader, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size]).

    Empty when ``old_size`` is 0 or equals ``new_size`` (nothing to prove; the
    verifier handles those cases itself).
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"bad consistency range {old_size}..{new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    proof: list[bytes] = []
    m, lo, hi, whole = old_size, 0, new_size, True
    while m != hi - lo:
        k = _largest_power_of_two_below(hi - lo)
        if m <= k:
            proof.append(_range_hash(reader, lo + k, hi))
            hi = lo + k
        else:
            proof.append(_range_hash(reader, lo, lo + k))
            m -= k
            lo += k
            whole = False
    if not whole:
        proof.append(_range_hash(reader, lo, hi))
    proof.reverse()
    return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf`` (a leaf hash) at ``index`` of ``root``?"""
    if not 0 <= index < size or len(leaf) != HASH_SIZE:
        return False
    fn, sn, r = index, size - 1, bytes(leaf)
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return False
        if fn & 1 or fn == sn:
            r = _sha256(_NODE_PREFIX + p + r).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _sha256(_NODE_PREFIX + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (new_size, new_root) an extension of (old_size, old_root)?

    Edge cases follow transparency-dev/merkle: any proof from size 0 is rejected
    (a witness accepts ``old 0`` on its own terms), and for equal sizes the proof
    must be empty and the roots byte-identical.
    """
    if old_size <= 0 or new_size < old_size:
        return False
    if old_size == new_size:
        return len(proof) == 0 and bytes(old_root) == bytes(new_root)
    if not proof:
        return False
    rest = iter(proof)
    # Step 2: for a power-of-two old size the path implicitly starts with old_root.
    if old_size & (old_size - 1) == 0:
        fr = sr = bytes(old_root)
    else:
        fr = sr = next(rest)
        if len(fr) != HASH_SIZE:
            return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    for c in rest:
        if sn == 0 or len(c) != HASH_SIZE:
            return False
        if fn & 1 or fn == sn:
            fr = _sha256(_NODE_PREFIX + c + fr).digest()
            sr = _sha256(_NODE_PREFIX + c + sr).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _sha256(_NODE_PREFIX + sr + c).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


class Tree:
    """In-memory append-only Merkle tree.

    ``levels[l]`` is one ``bytearray`` holding the hashes of every complete subtree
    of height ``l``, 32 bytes each, left to right: about 64 bytes per leaf in total,
    with no per-node Python objects. Appending costs one leaf hash plus, amortised,
    one node hash. Not thread-safe: serialise writers.
    """

    __slots__ = ("_levels", "_size")

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> Tree:
        tree = cls()
        tree.extend(entries)
        return tree

    @classmethod
    def from_leaf_hashes(cls, hashes: Iterable[bytes] | bytes) -> Tree:
        tree = cls()
        tree.extend_leaf_hashes(hashes)
        return tree

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return self._size

    def append(self, entry: bytes) -> int:
        """Add one entry; return its index."""
        return self.append_leaf_hash(_sha256(_LEAF_PREFIX + entry).digest())

    def append_leaf_hash(self, leaf: bytes) -> int:
        """Add one leaf by its hash (e.g. when reloading a stored log); return its index."""
        if len(leaf) != HASH_SIZE:
            raise ValueError("leaf hash must be 32 bytes")
        levels = self._levels
        index = n = self._size
        levels[0] += leaf
        level = 0
        # Every trailing 1 bit of the old size is a left sibling now completed.
        while n & 1:
            below = levels[level]
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += _sha256(_NODE_PREFIX + below[-64:]).digest()
            n >>= 1
        self._size = index + 1
        return index

    def extend(self, entries: Iterable[bytes]) -> None:
        """Append many entries; faster than repeated :meth:`append`."""
        self._extend(hash_leaves(entries if isinstance(entries, list | tuple) else list(entries)))

    def extend_leaf_hashes(self, hashes: Iterable[bytes] | bytes) -> None:
        if isinstance(hashes, bytes | bytearray | memoryview):
            joined = bytes(hashes)
            if len(joined) % HASH_SIZE:
                raise ValueError("leaf hashes must be a multiple of 32 bytes")
        else:
            items = list(hashes)
            if any(len(h) != HASH_SIZE for h in items):
                raise ValueError("leaf hash must be 32 bytes")
            joined = b"".join(items)
        self._extend(joined)

    def _extend(self, new_leaves: bytes) -> None:
        levels = self._levels
        levels[0] += new_leaves
        level = 0
        while True:
            cur = levels[level]
            pairs = len(cur) >> 6
            if level + 1 == len(levels):
                if pairs == 0:
                    break
                levels.append(bytearray())
            up = levels[level + 1]
            done = len(up) >> 5
            if done == pairs:
                break
            seg = bytes(cur[done << 6 : pairs << 6])
            up += hash_nodes(seg)
            level += 1
        self._size = len(levels[0]) >> 5

    def get(self, level: int, index: int) -> bytes:
        """Hash of the complete subtree at (level, index); the :class:`HashReader` method."""
        if level < 0 or index < 0 or level >= len(self._levels):
            raise IndexError(f"no complete subtree at level {level} index {index}")
        lv = self._levels[level]
        start = index << 5
        if start + HASH_SIZE > len(lv):
            raise IndexError(f"no complete subtree at level {level} index {index}")
        return bytes(lv[start : start + HASH_SIZE])

    def leaf_hash(self, index: int) -> bytes:
        return self.get(0, index)

    def level_hashes(self, level: int) -> bytes:
        """All stored hashes of one level, concatenated (a copy)."""
        if level >= len(self._levels):
            return b""
        return bytes(self._levels[level])

    def level_slice(self, level: int, start: int, stop: int) -> bytes:
        """Hashes ``[start, stop)`` of one level, concatenated."""
        lv = self._levels[level] if level < len(self._levels) else bytearray()
        if stop << 5 > len(lv) or start < 0 or start > stop:
            raise IndexError(f"level {level} has no hashes {start}..{stop}")
        return bytes(lv[start << 5 : stop << 5])

    def _check_size(self, size: int | None) -> int:
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise ValueError(f"size {size} outside 0..{self._size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Root hash of the tree, or of its first ``size`` leaves."""
        return compute_root(self, self._check_size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return compute_inclusion_proof(self, index, self._check_size(size))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        return compute_consistency_proof(self, old_size, self._check_size(new_size))
