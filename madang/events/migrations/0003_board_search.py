"""An event's boards are searchable: contributions' and gallery comments' index terms in
search_terms, and each database's own full-text index over them (madang.core.fulltext)."""

from django.db import migrations, models

from madang.core import fulltext

TABLES = {"BoardItem": ("events_boarditem", "text"), "Supplement": ("events_supplement", "body")}


def fill(apps, schema_editor):
    for name, (_table, field) in TABLES.items():
        fulltext.fill_terms(apps.get_model("events", name), field)


def index(apps, schema_editor):
    for table, _field in TABLES.values():
        for sql in fulltext.index_statements(table, schema_editor.connection.vendor)[0]:
            schema_editor.execute(sql)


def unindex(apps, schema_editor):
    for table, _field in TABLES.values():
        for sql in fulltext.index_statements(table, schema_editor.connection.vendor)[1]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_board_boarditem_judging_criterion_candidate_award_and_more")]
    operations = [
        migrations.AddField("boarditem", "search_terms", models.TextField(blank=True, default="", editable=False)),
        migrations.AddField("supplement", "search_terms", models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
