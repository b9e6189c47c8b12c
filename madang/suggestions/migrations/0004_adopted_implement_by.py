from django.db import migrations, models


def fill(apps, schema_editor):
    """The date given at adoption, for suggestions adopted before it was kept: the date the first
    delay notice moved, else the planned date as it stands (a ruling that moved it left no trace)."""
    Suggestion = apps.get_model("suggestions", "Suggestion")
    DelayNotice = apps.get_model("suggestions", "DelayNotice")
    first_delay = {}
    for d in DelayNotice.objects.order_by("created_at", "id"):
        first_delay.setdefault(d.suggestion_id, d.previous_date)
    for s in Suggestion.objects.filter(implement_by__isnull=False):
        s.adopted_implement_by = first_delay.get(s.pk, s.implement_by)
        s.save(update_fields=["adopted_implement_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0003_lineage_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="adopted_implement_by",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
