"""The database lets the oldest access records go after their retention period, and nothing else.

A DELETE on privacy_accessrecord passes the trigger only for a record at least a year old (the
safety-measures standard's minimum, 제8조①; the database's own clock, not the application's)
and within the purged prefix that the chain head names (`purged_through`), which the purge sets
after anchoring that prefix's head in the public ledger (madang/privacy/purge.py). Every other
UPDATE or DELETE is refused as before, and destruction records are never deleted.
"""

from django.db import migrations

MESSAGE = "privacy records are append-only"
MIN_DAYS = 365

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'privacy_accessrecord' THEN "
    f"IF OLD.at < now() - interval '{MIN_DAYS} days' "
    "AND OLD.n <= (SELECT purged_through FROM privacy_chainhead WHERE id = 1) THEN RETURN OLD; END IF; "
    "END IF; "
    f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
]
POSTGRESQL_BACK = [
    "CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
]
# Django keeps SQLite datetimes as UTC text 'YYYY-MM-DD HH:MM:SS.ffffff', which compares as text.
SQLITE_DELETE = (
    "CREATE TRIGGER privacy_accessrecord_no_delete BEFORE DELETE ON privacy_accessrecord "
    "WHEN madang_privacy_locked() AND NOT ("
    f"OLD.at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_DAYS} days') "
    "AND OLD.n <= (SELECT purged_through FROM privacy_chainhead WHERE id = 1)) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
)
SQLITE_DELETE_BACK = (
    "CREATE TRIGGER privacy_accessrecord_no_delete BEFORE DELETE ON privacy_accessrecord "
    f"WHEN madang_privacy_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
)
SQLITE_DROP = "DROP TRIGGER IF EXISTS privacy_accessrecord_no_delete"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
        schema_editor.execute(SQLITE_DELETE, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRESQL_BACK:
            schema_editor.execute(sql, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
        schema_editor.execute(SQLITE_DELETE_BACK, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_screening_and_purge")]

    operations = [migrations.RunPython(forward, backward)]
