"""The durable tile directory: batches on disk, reopened from its files, crash-safe."""

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.tlog.checkpoint import open_checkpoint
from madang.solvers.tlog.merkle import Tree, verify_consistency, verify_inclusion
from madang.solvers.tlog.note import generate_key, parse_skey, parse_vkey
from madang.solvers.tlog.store import CHECKPOINT, DurableLog, LogCorrupt
from madang.solvers.tlog.tiles import DirectoryStore, TileHashReader, decode_bundle, entries_path, tile_files

ORIGIN = "madang.example.go.kr/ledger"
SKEY, VKEY = generate_key(ORIGIN)
SIGNER, VERIFIER = parse_skey(SKEY), parse_vkey(VKEY)


def entries(n: int, start: int = 0) -> list[bytes]:
    return [f'{{"v":1,"kind":"test","n":{i}}}'.encode() * (1 + i % 3) for i in range(start, start + n)]


def open_log(path: Path, **kw) -> DurableLog:
    return DurableLog.open(path, ORIGIN, [SIGNER], [VERIFIER], **kw)


def files_on_disk(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != CHECKPOINT}


def expected_files(data: list[bytes], sizes: list[int]) -> dict[str, bytes]:
    """The one-shot writer's files for every checkpointed size, less partials a full tile replaced."""
    files = tile_files(Tree.from_entries(data), data, sizes)
    return {p: b for p, b in files.items() if ".p/" not in p or p.split(".p/")[0] not in files}


def test_it_writes_the_same_tiles_as_the_one_shot_writer(tmp_path):
    log = open_log(tmp_path)
    data = entries(700)
    sizes = []
    for lo in range(0, len(data), 97):
        log.append(data[lo : lo + 97])
        sizes.append(log.size)
    assert files_on_disk(tmp_path) == expected_files(data, sizes)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=6))
def test_it_keeps_every_batch_layout_equal_to_the_reference(batches):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        log = open_log(root, fsync=False)
        data: list[bytes] = []
        sizes = []
        for n in batches:
            new = entries(n, len(data))
            log.append(new)
            data += new
            sizes.append(len(data))
        assert files_on_disk(root) == expected_files(data, sizes)
        reopened = open_log(root, fsync=False)
        assert reopened.size == len(data)
        assert reopened.tree.root() == Tree.from_entries(data).root()


def test_it_reopens_at_the_signed_size_with_the_same_root(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(300))
    log.append(entries(5, 300))
    again = open_log(tmp_path)
    assert again.size == 305
    assert again.tree.root() == log.tree.root()
    assert again.signed_checkpoint == log.signed_checkpoint
    assert again.entry(302) == entries(1, 302)[0]
    again.append(entries(10, 305))  # the trailing partial bundle is carried over
    assert decode_bundle((tmp_path / entries_path(1, 59)).read_bytes()) == entries(59, 256)


def test_it_survives_a_crash_before_the_checkpoint_is_replaced(tmp_path, monkeypatch):
    log = open_log(tmp_path)
    log.append(entries(200))
    first = log.signed_checkpoint
    real_write = DurableLog._write

    def crash_on_checkpoint(self, rel, data, **kw):
        if rel == CHECKPOINT:
            raise OSError("power cut")
        return real_write(self, rel, data, **kw)

    monkeypatch.setattr(DurableLog, "_write", crash_on_checkpoint)
    with pytest.raises(OSError):
        log.append(entries(100, 200))
    assert log.size == 200  # the writer forgot the unpublished batch
    monkeypatch.undo()
    restarted = open_log(tmp_path)
    assert restarted.size == 200
    assert restarted.signed_checkpoint == first
    # The batch goes in again; the new checkpoint is consistent with the one before the crash.
    restarted.append(entries(100, 200))
    old, _ = open_checkpoint(first, [VERIFIER], ORIGIN)
    new, _ = open_checkpoint(restarted.signed_checkpoint, [VERIFIER], ORIGIN)
    proof = restarted.tree.consistency_proof(old.size)
    assert verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
    assert files_on_disk(tmp_path) == expected_files(entries(300), [200, 300])


def test_it_never_signs_a_smaller_checkpoint(tmp_path):
    log = open_log(tmp_path)
    sizes = []
    for n in (3, 0, 250, 1, 600):
        log.append(entries(n, log.size))
        sizes.append(open_checkpoint(log.signed_checkpoint, [VERIFIER], ORIGIN)[0].size)
    assert sizes == sorted(sizes)


def test_it_reports_a_tampered_tile_on_opening(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(600))
    tile = tmp_path / "tile/0/001"
    data = bytearray(tile.read_bytes())
    data[5] ^= 1
    tile.write_bytes(bytes(data))
    with pytest.raises(LogCorrupt):
        open_log(tmp_path)


def test_it_refuses_a_checkpoint_signed_by_another_key(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(3))
    other = parse_vkey(generate_key(ORIGIN)[1])
    with pytest.raises(ValueError, match="no signature by a known key"):
        DurableLog.open(tmp_path, ORIGIN, [SIGNER], [other])


def test_it_drops_superseded_partial_tiles_and_readers_fall_back(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(100))
    old_size, old_root = log.size, log.tree.root()
    log.append(entries(400, 100))
    assert not (tmp_path / "tile/0/000.p").exists()
    assert not (tmp_path / "tile/entries/000.p").exists()
    # A client that still holds the checkpoint at size 100 reads the full tile instead.
    reader = TileHashReader(DirectoryStore(tmp_path), old_size)
    assert reader.root() == old_root
    proof = reader.inclusion_proof(42)
    assert verify_inclusion(Tree.from_entries(entries(1, 42)).leaf_hash(0), 42, old_size, proof, old_root)
    assert reader.entries(0) == entries(100)


def test_it_publishes_a_cosigned_checkpoint_only_for_the_current_tree(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(10))
    witness_skey, _witness_vkey = generate_key("witness.example")
    from madang.solvers.tlog.note import sign_note

    cosigned = sign_note(log.checkpoint().text(), [SIGNER, parse_skey(witness_skey)])
    log.publish(cosigned, [VERIFIER])
    assert (tmp_path / CHECKPOINT).read_text() == cosigned
    log.append(entries(1, 10))
    with pytest.raises(ValueError, match="current checkpoint"):
        log.publish(cosigned, [VERIFIER])


def test_it_refuses_an_oversized_entry_without_touching_the_log(tmp_path):
    log = open_log(tmp_path)
    log.append(entries(2))
    with pytest.raises(ValueError, match="limit"):
        log.append([b"x" * 70_000])
    assert log.size == 2
    assert open_log(tmp_path).size == 2


def test_it_keeps_random_appends_provable(tmp_path):
    rng = random.Random(7)
    log = open_log(tmp_path, fsync=False)
    data: list[bytes] = []
    for _ in range(8):
        new = entries(rng.randrange(1, 400), len(data))
        log.append(new)
        data += new
    reader = TileHashReader(DirectoryStore(tmp_path), log.size)
    for i in rng.sample(range(len(data)), 20):
        leaf = Tree.from_entries([data[i]]).leaf_hash(0)
        assert verify_inclusion(leaf, i, log.size, reader.inclusion_proof(i), log.tree.root())
