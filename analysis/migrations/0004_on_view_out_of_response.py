"""Incidents found on patrol (origin on_view) leave the rollups' response figures (rollups.DAILY_SQL):
the days that hold one are rebuilt once, so stored rollups agree with the raw figures. A fresh
database has none and does nothing here."""
from django.conf import settings
from django.db import migrations


def rebuild_on_view_days(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT (received_at AT TIME ZONE %s)::date FROM dispatch_incident WHERE origin = 'on_view'",
                       [settings.TIME_ZONE])
        days = [row[0] for row in cursor.fetchall()]
    if not days:
        return
    from analysis.rollups import rollups_rebuild  # noqa: PLC0415 - the rollup SQL of today's code, only when needed

    rollups_rebuild(days=days)


class Migration(migrations.Migration):

    dependencies = [("analysis", "0003_note_index")]

    operations = [migrations.RunPython(rebuild_on_view_days, migrations.RunPython.noop)]
