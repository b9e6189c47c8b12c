"""Backups: one archive with the database, the attachments and the public ledger's files.

    archive.tar
      manifest.json          what is inside, from which database, row counts and digests
      database.sqlite3       SQLite's online backup (a consistent copy while the site runs), or
      database.pgdump        pg_dump's custom format (a consistent snapshot)
      media/...              attachments
      ledger/log/...         the Merkle log's tiles and checkpoint

Restoring needs an empty database (a fresh file, or a new PostgreSQL database) and refuses
otherwise; afterwards `madang ledger verify` checks that the log and the records agree.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from madang.core.errors import DomainError

FORMAT = 1


class BackupError(DomainError):
    pass


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    if not candidates:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)", code="no_tool")
    return candidates[-1]


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def table_digests(alias: str = "default") -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, ordered by the first column, for each table."""
    connection = connections[alias]
    out: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 (names from introspection)
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                count += 1
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
            out[table] = (count, digest.hexdigest())
    return out


def _add_tree(tar: tarfile.TarFile, root: Path, arcname: str) -> int:
    files = 0
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                tar.add(path, arcname=f"{arcname}/{path.relative_to(root)}")
                files += 1
    return files


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    tables: int
    rows: int
    files: int


def backup(out: Path, alias: str = "default") -> BackupResult:
    connection = connections[alias]
    vendor = connection.vendor
    digests = table_digests(alias)
    with tempfile.TemporaryDirectory() as tmp:
        if vendor == "sqlite":
            dump = Path(tmp) / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif vendor == "postgresql":
            dump = Path(tmp) / "database.pgdump"
            db = connection.settings_dict
            args, env = _pg_env(db)
            result = subprocess.run(  # noqa: S603
                [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}", code="pg_dump")
        else:
            raise BackupError(f"backups of {vendor} databases are not supported", code="vendor")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "tables": {t: {"rows": n, "sha256": d} for t, (n, d) in digests.items()},
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            files = _add_tree(tar, Path(settings.MEDIA_ROOT), "media")
            files += _add_tree(tar, Path(settings.MADANG_LEDGER_DIR) / "log", "ledger/log")
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        partial.replace(out)
    return BackupResult(out, vendor, len(digests), sum(n for n, _ in digests.values()), files)


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            return json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"{archive} is not a Madang backup: {exc}", code="not_a_backup") from exc


def _is_empty(alias: str) -> bool:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in ("people_user", "calls_proposal", "ledger_entry"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return False
    return True


def restore(
    archive: Path, alias: str = "default", *, media_root: Path | None = None, ledger_dir: Path | None = None
) -> dict[str, Any]:
    """Restore into an empty database; return the manifest (compare it with table_digests())."""
    manifest = read_manifest(archive)
    connection = connections[alias]
    if manifest.get("format") != FORMAT:
        raise BackupError("this backup was made by a different version of Madang", code="format")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"this is a {manifest['vendor']} backup; the database is {connection.vendor}", code="vendor")
    if not _is_empty(alias):
        raise BackupError("the database is not empty: restore into a fresh database", code="not_empty")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
        if connection.vendor == "sqlite":
            source = sqlite3.connect(Path(tmp) / "database.sqlite3")
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            db = connection.settings_dict
            args, env = _pg_env(db)
            connection.close()
            result = subprocess.run(  # noqa: S603
                [
                    _pg_tool("pg_restore"),
                    *args,
                    "--no-owner",
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--dbname",
                    db["NAME"],
                    str(Path(tmp) / "database.pgdump"),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}", code="pg_restore")
        for name, target in (
            ("media", media_root or Path(settings.MEDIA_ROOT)),
            ("ledger/log", ledger_dir or Path(settings.MADANG_LEDGER_DIR) / "log"),
        ):
            src = Path(tmp) / name
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True)
    return manifest
