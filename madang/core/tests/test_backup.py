"""Backups restore into a fresh database with every table equal, on SQLite and PostgreSQL."""

import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from madang.core import backup
from madang.ledger import services as ledger

pytestmark = pytest.mark.django_db(transaction=True)


def fill(cast):
    for i in range(3):
        cast.proposal(title=f"백업 확인용 제안 {i}")
    ledger.sequence()


def test_it_restores_every_table_exactly(cast, tmp_path):
    fill(cast)
    archive = tmp_path / "madang.tar"
    result = backup.backup(archive)
    assert result.rows > 0
    before = backup.table_digests()
    # An empty database with the schema: what a new server has after `madang migrate`.
    call_command("flush", interactive=False, verbosity=0)
    assert backup.table_digests() != before
    call_command("restore", str(archive))
    assert backup.table_digests() == before
    assert (ledger.log_dir() / "checkpoint").read_text() == ledger.latest_checkpoint().note


def test_it_refuses_to_restore_over_data(cast, tmp_path):
    fill(cast)
    archive = tmp_path / "madang.tar"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a Madang backup"):
        call_command("restore", str(bogus))


def test_its_sqlite_copy_is_a_complete_database(cast, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite online backup")
    fill(cast)
    archive = tmp_path / "madang.tar"
    backup.backup(archive)
    import tarfile

    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    db = sqlite3.connect(tmp_path / "database.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT COUNT(*) FROM calls_proposal").fetchone()[0] == 3
