"""Tiled logs (C2SP tlog-tiles): paths, the Tessera test log, and reading proofs back."""

from pathlib import Path

import pytest

from madang.solvers.tlog.checkpoint import open_checkpoint
from madang.solvers.tlog.merkle import Tree, verify_consistency, verify_inclusion
from madang.solvers.tlog.note import generate_key, parse_skey, parse_vkey
from madang.solvers.tlog.tiles import (
    DirectoryStore,
    TileError,
    TileHashReader,
    build_log,
    decode_bundle,
    encode_bundle,
    entries_path,
    parse_tile_path,
    tile_files,
    tile_path,
    write_files,
)

TESSERA = Path(__file__).parent / "vectors" / "tessera-testlog"
LOG = TESSERA / "log"
LOG_VKEY = (TESSERA / "log.vkey").read_text().strip()


def _tessera_files() -> dict[str, bytes]:
    return {str(p.relative_to(LOG)): p.read_bytes() for p in LOG.rglob("*") if p.is_file()}


def _tessera_entries() -> list[bytes]:
    return decode_bundle((LOG / "tile/entries/000.p/15").read_bytes())


def test_it_encodes_tile_paths_per_the_spec() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(2, 0, 17) == "tile/2/000.p/17"
    assert tile_path(1, 1000) == "tile/1/x001/000"
    assert entries_path(5, 255) == "tile/entries/005.p/255"
    assert parse_tile_path("tile/0/x001/x234/067") == (0, 1234067, 256)
    assert parse_tile_path("tile/entries/000.p/7") == (None, 0, 7)
    for bad in (
        "tile/0/1234",
        "tile/0/x000/001",
        "tile/64/000",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/01/000",
    ):
        with pytest.raises(TileError):
            parse_tile_path(bad)
    with pytest.raises(TileError):
        tile_path(0, 0, 0)


def test_it_round_trips_entry_bundles_and_refuses_oversized_entries() -> None:
    entries = [b"", b"a", bytes(300), bytes(65535)]
    assert decode_bundle(encode_bundle(entries)) == entries
    with pytest.raises(TileError):
        encode_bundle([bytes(65536)])
    with pytest.raises(TileError):
        decode_bundle(b"\x00\x05abc")


def test_it_reproduces_the_tessera_test_log_byte_for_byte() -> None:
    entries = _tessera_entries()
    assert entries[:3] == [b"one", b"two", b"three"]
    assert len(entries) == 15
    expected = {path: data for path, data in _tessera_files().items() if path.startswith("tile/")}
    ours = tile_files(Tree.from_entries(entries), entries, sizes=range(1, 16))
    assert len(expected) == 30
    assert ours == expected


def test_it_verifies_all_16_tessera_checkpoints_against_our_roots() -> None:
    verifier = parse_vkey(LOG_VKEY)
    tree = Tree.from_entries(_tessera_entries())
    for size in range(16):
        checkpoint, _ = open_checkpoint(
            (LOG / f"checkpoint.{size}").read_bytes(), [verifier], "example.com/log/testdata"
        )
        assert checkpoint.size == size
        assert checkpoint.root_hash == tree.root(size)
    latest, _ = open_checkpoint((LOG / "checkpoint").read_bytes(), [verifier])
    assert latest.size == 15


def test_it_serves_proofs_from_the_tessera_tiles() -> None:
    store = _tessera_files()
    tree = Tree.from_entries(_tessera_entries())
    for size in range(1, 16):
        reader = TileHashReader(store, size)
        assert reader.root() == tree.root(size)
        for index in range(size):
            proof = reader.inclusion_proof(index)
            assert proof == tree.inclusion_proof(index, size)
            assert verify_inclusion(tree.leaf_hash(index), index, size, proof, reader.root())
        for old in range(1, size):
            assert reader.consistency_proof(old) == tree.consistency_proof(old, size)
    assert TileHashReader(store, 15).entries(0)[-1] == b"fivten"


def test_it_reads_multi_level_tiles_from_a_directory(tmp_path: Path) -> None:
    skey, vkey = generate_key("madang.example/test-log")
    entries = [b"decision %d" % i for i in range(70_000)]
    sizes = [1, 255, 256, 257, 65_535, 65_536, 69_999, 70_000]
    files = build_log(entries, "madang.example/test-log", [parse_skey(skey)], sizes=sizes)
    # Per the spec's example: 273 full level-0 tiles + one of width 112, one full level-1
    # tile + one of width 17, and a level-2 tile of width 1 for the latest size.
    assert "tile/0/272" in files
    assert "tile/0/273.p/112" in files
    assert "tile/0/273" not in files
    assert "tile/1/000" in files
    assert "tile/1/001.p/17" in files
    assert "tile/2/000.p/1" in files
    assert len(files["tile/entries/273.p/112"]) == sum(2 + len(e) for e in entries[-112:])
    assert write_files(tmp_path, files) == sum(len(d) for d in files.values())
    store = DirectoryStore(tmp_path)
    checkpoint, _ = open_checkpoint(store["checkpoint"], [parse_vkey(vkey)])
    tree = Tree.from_entries(entries)
    for size in sizes:
        reader = TileHashReader(store, size)
        assert reader.root() == tree.root(size)
        for index in {0, size // 2, size - 1}:
            assert reader.inclusion_proof(index) == tree.inclusion_proof(index, size)
    reader = TileHashReader(store, checkpoint.size)
    for old in (1, 256, 65_535, 65_536, 69_999):
        proof = reader.consistency_proof(old)
        assert verify_consistency(old, checkpoint.size, tree.root(old), checkpoint.root_hash, proof)
    with pytest.raises(KeyError):
        TileHashReader(store, 70_001).root()
    with pytest.raises(KeyError):
        store["../etc/passwd"]


def test_it_rejects_a_tile_of_the_wrong_length() -> None:
    store = {"tile/0/000.p/3": bytes(64)}
    with pytest.raises(TileError, match="expected 96"):
        TileHashReader(store, 3).root()
