"""A full-text index over proposals' search terms, in each database's own engine.

The terms are the same on both (Korean character bigrams and words, made by
madang.solvers.korean and stored in calls_proposal.search_terms), so both databases find the
same proposals; only the engine differs:

* SQLite: an FTS5 table with external content, kept in step by triggers (so bulk loads that
  bypass the ORM are indexed too);
* PostgreSQL: a stored generated tsvector column with the 'simple' configuration (no stemming:
  the terms are already what we match on) and a GIN index.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE calls_proposal_fts USING fts5(search_terms, content='calls_proposal', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER calls_proposal_fts_ai AFTER INSERT ON calls_proposal BEGIN "
    "INSERT INTO calls_proposal_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER calls_proposal_fts_ad AFTER DELETE ON calls_proposal BEGIN "
    "INSERT INTO calls_proposal_fts(calls_proposal_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms); END",
    "CREATE TRIGGER calls_proposal_fts_au AFTER UPDATE OF search_terms ON calls_proposal BEGIN "
    "INSERT INTO calls_proposal_fts(calls_proposal_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms); "
    "INSERT INTO calls_proposal_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "INSERT INTO calls_proposal_fts(calls_proposal_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS calls_proposal_fts_au", "DROP TRIGGER IF EXISTS calls_proposal_fts_ad",
    "DROP TRIGGER IF EXISTS calls_proposal_fts_ai", "DROP TABLE IF EXISTS calls_proposal_fts",
]
POSTGRES = [
    "ALTER TABLE calls_proposal ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED",
    "CREATE INDEX calls_proposal_search_vector ON calls_proposal USING gin (search_vector)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS calls_proposal_search_vector", "ALTER TABLE calls_proposal DROP COLUMN IF EXISTS search_vector"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("calls", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
