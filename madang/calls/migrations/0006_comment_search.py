"""Comments are searched like proposals: their index terms in search_terms, and each database's
own full-text index over them (madang.core.fulltext.index_statements)."""

from django.db import migrations, models

from madang.core import fulltext


def fill(apps, schema_editor):
    fulltext.fill_terms(apps.get_model("calls", "Comment"), "body")


def index(apps, schema_editor):
    for sql in fulltext.index_statements("calls_comment", schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql)


def unindex(apps, schema_editor):
    for sql in fulltext.index_statements("calls_comment", schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("calls", "0005_support_shards")]
    operations = [
        migrations.AddField("comment", "search_terms", models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
