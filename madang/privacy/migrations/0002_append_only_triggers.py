"""The database refuses UPDATE and DELETE on access and destruction records (see madang/privacy/triggers.py),
and the chain's head row exists from the start."""

from django.db import migrations

TABLES = ("privacy_accessrecord", "privacy_destructionrecord")
MESSAGE = "privacy records are append-only"

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
    *(
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        "FOR EACH ROW EXECUTE FUNCTION privacy_refuse_change()"
        for t in TABLES
    ),
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in TABLES] + [
    "DROP FUNCTION IF EXISTS privacy_refuse_change()"
]
# madang_privacy_locked() is defined by the application on each connection (triggers.py).
SQLITE = [
    f"CREATE TRIGGER {t}_no_{op.lower()} BEFORE {op} ON {t} WHEN madang_privacy_locked() "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for t in TABLES
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in TABLES for op in ("update", "delete")]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(sql, params=None)
    apps.get_model("privacy", "ChainHead").objects.get_or_create(pk=1)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
