"""The notes of a short search term (one or two Chinese characters, too short for a trigram) are read
through this index of the notes alone, not by scanning the whole timeline."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("analysis", "0002_search_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS analysis_event_note ON dispatch_incidentevent (incident_id) WHERE kind = 'note'",
            "DROP INDEX IF EXISTS analysis_event_note"),
    ]
