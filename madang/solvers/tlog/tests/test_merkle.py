"""RFC 9162 Merkle tree: reference vectors, transparency-dev probes and properties."""

import base64
import functools
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.tlog import merkle
from madang.solvers.tlog.merkle import (
    EMPTY_ROOT,
    Tree,
    compute_inclusion_proof,
    compute_root,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors" / "transparency-dev-merkle"
REFERENCE = json.loads((VECTORS / "reference-tree.json").read_text())
LEAVES = [bytes.fromhex(x) for x in REFERENCE["leaf_inputs_hex"]]
PROBES = sorted((VECTORS / "testdata").glob("*/**/*.json"))


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value is not None else b""


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(p) for p in value or []]


# An independent, deliberately naive model of RFC 9162 §2.1 (recursive definitions).


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = _k(len(leaves))
    return hashlib.sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


def _path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return [*_path(m, leaves[:k]), _mth(leaves[k:])]
    return [*_path(m - k, leaves[k:]), _mth(leaves[:k])]


def _subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    if m == len(leaves):
        return [] if whole else [_mth(leaves)]
    k = _k(len(leaves))
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), _mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), _mth(leaves[:k])]


@functools.cache
def _path_sides(m: int, n: int) -> tuple[str, ...]:
    """Which side each inclusion-proof sibling is on, leaf first (recursive definition)."""
    if n == 1:
        return ()
    k = _k(n)
    return (*_path_sides(m, k), "R") if m < k else (*_path_sides(m - k, n - k), "L")


@functools.cache
def _subproof_sides(m: int, n: int, whole: bool = True) -> tuple[str, ...]:
    if m == n:
        return () if whole else ("node",)
    k = _k(n)
    if m <= k:
        return (*_subproof_sides(m, k, whole), "R")
    return (*_subproof_sides(m - k, n - k, False), "L")


ENTRIES_256 = [b"entry %d" % i for i in range(258)]
TREE_256 = Tree.from_entries(ENTRIES_256)
ROOTS_256 = [TREE_256.root(n) for n in range(len(ENTRIES_256) + 1)]


@functools.cache
def _big_tree() -> tuple[Tree, dict[int, bytes]]:
    tree = Tree.from_entries(i.to_bytes(4, "big") for i in range(100_001))
    return tree, {}


def _big_root(n: int) -> bytes:
    tree, roots = _big_tree()
    if n not in roots:
        roots[n] = tree.root(n)
    return roots[n]


def _flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def test_it_matches_the_reference_roots_and_subtree_hashes_for_sizes_0_to_8() -> None:
    for n in range(9):
        assert Tree.from_entries(LEAVES[:n]).root().hex() == REFERENCE["root_hashes_hex_by_size"][n]
    tree = Tree.from_entries(LEAVES)
    checked = 0
    for level, row in enumerate(REFERENCE["node_hashes_hex_by_level"]):
        for index, expected in enumerate(row):
            assert tree.get(level, index).hex() == expected
            checked += 1
    assert checked == 15
    assert Tree().root() == EMPTY_ROOT == bytes.fromhex(REFERENCE["root_hashes_hex_by_size"][0])


def test_it_gives_the_same_tree_by_append_extend_and_leaf_hashes() -> None:
    one_by_one = Tree()
    for i, entry in enumerate(ENTRIES_256[:100]):
        assert one_by_one.append(entry) == i
    batched = Tree()
    batched.extend(ENTRIES_256[:37])
    batched.extend(ENTRIES_256[37:100])
    from_hashes = Tree.from_leaf_hashes(leaf_hash(e) for e in ENTRIES_256[:100])
    assert one_by_one.root() == batched.root() == from_hashes.root() == _mth(ENTRIES_256[:100])
    for level in range(7):
        assert one_by_one.level_hashes(level) == batched.level_hashes(level)


def test_it_counts_all_196_transparency_dev_probes() -> None:
    assert len(PROBES) == 196


@pytest.mark.parametrize("path", PROBES, ids=lambda p: str(p.relative_to(VECTORS / "testdata")))
def test_it_gives_the_expected_verdict_on_each_probe(path: Path) -> None:
    probe = json.loads(path.read_text())
    if "leafIdx" in probe:
        ok = verify_inclusion(
            _b64(probe["leafHash"]),
            probe["leafIdx"],
            probe["treeSize"],
            _proof(probe["proof"]),
            _b64(probe["root"]),
        )
    else:
        ok = verify_consistency(
            probe["size1"], probe["size2"], _b64(probe["root1"]), _b64(probe["root2"]), _proof(probe["proof"])
        )
    assert ok is not probe["wantErr"], probe["desc"]


def test_it_generates_byte_identical_proofs_for_every_happy_path() -> None:
    tree = Tree.from_entries(LEAVES)
    compared = 0
    for path in PROBES:
        probe = json.loads(path.read_text())
        if probe["wantErr"] or not path.parent.name.isdigit() or path.parent.parent.name == "additional":
            continue
        if "leafIdx" in probe:
            ours = tree.inclusion_proof(probe["leafIdx"], probe["treeSize"])
            assert _b64(probe["root"]) == tree.root(probe["treeSize"])
        else:
            ours = tree.consistency_proof(probe["size1"], probe["size2"])
        assert ours == _proof(probe["proof"]), path
        compared += 1
    assert compared == 10


def test_it_matches_the_naive_model_for_every_size_up_to_256() -> None:
    for n in range(257):
        assert ROOTS_256[n] == _mth(ENTRIES_256[:n])
    for n in (1, 2, 3, 5, 8, 13, 64, 100, 129):
        leaves = ENTRIES_256[:n]
        for m in range(n):
            assert TREE_256.inclusion_proof(m, n) == _path(m, leaves)
        for m in range(1, n + 1):
            assert TREE_256.consistency_proof(m, n) == _subproof(m, leaves, True)


def _inclusion_mutants(proof: list[bytes]) -> list[list[bytes]]:
    """Missing and extra elements, and a bit flip in every element."""
    junk = hashlib.sha256(b"junk").digest()
    out = [[junk, *proof], [*proof, junk], [*proof, proof[-1]] if proof else [junk]]
    if proof:
        out += [proof[1:], proof[:-1]]
        out += [[*proof[:i], _flip(p, (i * 37 + 11) % 256), *proof[i + 1 :]] for i, p in enumerate(proof)]
    return out


def _sampled(m: int, n: int) -> bool:
    """Pairs that also get element-level and size mutants: the edges and every 8th index.

    Doing all 33k pairs of each kind triples the run time for little extra coverage;
    the random tests below cover arbitrary pairs with every single-bit flip.
    """
    return m in (0, 1, n - 1) or (m + n) % 8 == 0


def test_it_accepts_every_inclusion_proof_and_rejects_mutants_up_to_size_256() -> None:
    accepted = 0
    for n in range(1, 257):
        root = ROOTS_256[n]
        for m in range(n):
            leaf = TREE_256.leaf_hash(m)
            proof = TREE_256.inclusion_proof(m, n)
            assert verify_inclusion(leaf, m, n, proof, root)
            accepted += 1
            if _sampled(m, n):
                for bad in _inclusion_mutants(proof):
                    assert not verify_inclusion(leaf, m, n, bad, root)
            for other in (m - 1, m + 1):
                assert not verify_inclusion(leaf, other, n, proof, root)
            for size in (n - 1, n + 1) if _sampled(m, n) else ():
                # With the honest root of the other size, a stale proof never passes;
                # with the root kept, RFC 9162 only binds the size through the path shape.
                assert not verify_inclusion(leaf, m, size, proof, ROOTS_256[size])
                same_shape = m < size and _path_sides(m, size) == _path_sides(m, n)
                assert verify_inclusion(leaf, m, size, proof, root) is same_shape
    assert accepted == 256 * 257 // 2


def test_it_accepts_every_consistency_proof_and_rejects_mutants_up_to_size_256() -> None:
    accepted = 0
    for n in range(1, 257):
        for m in range(1, n + 1):
            proof = TREE_256.consistency_proof(m, n)
            old, new = ROOTS_256[m], ROOTS_256[n]
            assert verify_consistency(m, n, old, new, proof)
            accepted += 1
            if m == n:
                assert not verify_consistency(m, n, old, new, [old])
                continue
            if _sampled(m, n):
                for bad in _inclusion_mutants(proof):
                    assert not verify_consistency(m, n, old, new, bad)
            assert not verify_consistency(m, n, new, old, proof)
            for other in (m - 1, m + 1):
                assert not verify_consistency(other, n, old, new, proof)
                if _sampled(m, n):
                    assert not verify_consistency(other, n, ROOTS_256[other], new, proof)
            for size in (n - 1, n + 1) if _sampled(m, n) else ():
                assert not verify_consistency(m, size, old, ROOTS_256[size], proof)
                same_shape = m < size and _subproof_sides(m, size) == _subproof_sides(m, n)
                assert verify_consistency(m, size, old, new, proof) is same_shape
    assert accepted == 256 * 257 // 2


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_it_verifies_random_inclusion_proofs_up_to_100k_and_rejects_every_bit_flip(
    data: st.DataObject,
) -> None:
    tree, _ = _big_tree()
    n = data.draw(st.integers(1, 100_000), label="size")
    m = data.draw(st.integers(0, n - 1), label="index")
    root, leaf = _big_root(n), tree.leaf_hash(m)
    proof = tree.inclusion_proof(m, n)
    assert verify_inclusion(leaf, m, n, proof, root)
    for i, p in enumerate(proof):
        for bit in range(256):
            assert not verify_inclusion(leaf, m, n, [*proof[:i], _flip(p, bit), *proof[i + 1 :]], root)
    for bit in range(256):
        assert not verify_inclusion(_flip(leaf, bit), m, n, proof, root)
        assert not verify_inclusion(leaf, m, n, proof, _flip(root, bit))
    for bad in _inclusion_mutants(proof):
        assert not verify_inclusion(leaf, m, n, bad, root)
    for other in (m - 1, m + 1):
        assert not verify_inclusion(leaf, other, n, proof, root)
    for size in (n - 1, n + 1):
        if size >= 1:
            assert not verify_inclusion(leaf, m, size, proof, _big_root(size))
            same_shape = m < size and _path_sides(m, size) == _path_sides(m, n)
            assert verify_inclusion(leaf, m, size, proof, root) is same_shape


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_it_verifies_random_consistency_proofs_up_to_100k_and_rejects_every_bit_flip(
    data: st.DataObject,
) -> None:
    tree, _ = _big_tree()
    n = data.draw(st.integers(2, 100_000), label="new size")
    m = data.draw(st.integers(1, n - 1), label="old size")
    old, new = _big_root(m), _big_root(n)
    proof = tree.consistency_proof(m, n)
    assert verify_consistency(m, n, old, new, proof)
    for i, p in enumerate(proof):
        for bit in range(256):
            assert not verify_consistency(m, n, old, new, [*proof[:i], _flip(p, bit), *proof[i + 1 :]])
    for bit in range(256):
        assert not verify_consistency(m, n, _flip(old, bit), new, proof)
        assert not verify_consistency(m, n, old, _flip(new, bit), proof)
    for bad in _inclusion_mutants(proof):
        assert not verify_consistency(m, n, old, new, bad)
    for other in (m - 1, m + 1):
        assert not verify_consistency(other, n, old, new, proof)
    for size in (n - 1, n + 1):
        if size > m:
            assert not verify_consistency(m, size, old, _big_root(size), proof)
            same_shape = _subproof_sides(m, size) == _subproof_sides(m, n)
            assert verify_consistency(m, size, old, new, proof) is same_shape


def test_it_serves_roots_and_proofs_of_past_sizes_from_a_reader() -> None:
    tree, _ = _big_tree()
    assert compute_root(tree, 99_999) == _big_root(99_999)
    assert compute_inclusion_proof(tree, 5, 77_777) == tree.inclusion_proof(5, 77_777)
    with pytest.raises(ValueError, match="outside"):
        tree.root(tree.size + 1)
    with pytest.raises(ValueError, match="not in tree"):
        tree.inclusion_proof(10, 10)
    with pytest.raises(IndexError):
        tree.get(0, tree.size)


def test_it_rejects_leaf_hashes_of_the_wrong_length() -> None:
    tree = Tree()
    with pytest.raises(ValueError, match="32 bytes"):
        tree.append_leaf_hash(b"short")
    with pytest.raises(ValueError, match="multiple of 32"):
        tree.extend_leaf_hashes(b"x" * 33)
    assert tree.size == 0


@pytest.mark.skipif(not merkle.ACCELERATED, reason="the C accelerator was not built (no C compiler at install time)")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=70))
def test_its_c_accelerator_hashes_exactly_like_hashlib(entries) -> None:
    assert merkle.hash_leaves(entries) == merkle._py_hash_leaves(entries)
    level = b"".join(entries)[: (len(b"".join(entries)) // 64) * 64]
    assert merkle.hash_nodes(level) == merkle._py_hash_nodes(level)
    assert merkle.hash_leaves([bytearray(e) for e in entries]) == merkle._py_hash_leaves(entries)
    with pytest.raises(ValueError, match="64-byte"):
        merkle.hash_nodes(b"x" * 65)
