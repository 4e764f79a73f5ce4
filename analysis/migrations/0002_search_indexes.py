"""Indexes the incident search (analysis/search.py) needs on dispatch's tables: the received time
(every search is a time range, newest first) and trigram indexes for free text. Chinese has no
spaces for PostgreSQL's English full-text parser to split words on; pg_trgm indexes every three
characters, so a substring typed in Chinese, a number or a phone is found by the index. Named
`analysis_...`: they belong to the search, and this migration takes them away again."""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The incident's own searchable text. The same expression, character for character, is what
# analysis.search filters on, so the planner can use the index.
INCIDENT_TEXT = "(number || ' ' || address || ' ' || description || ' ' || caller_name || ' ' || caller_phone)"
NOTE_TEXT = "(data ->> 'text')"


class Migration(migrations.Migration):

    dependencies = [
        ("analysis", "0001_initial"),
        ("dispatch", "0006_call_taking_and_closing"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS analysis_incident_received ON dispatch_incident (received_at)",
            "DROP INDEX IF EXISTS analysis_incident_received"),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS analysis_incident_text_trgm ON dispatch_incident USING gin ({INCIDENT_TEXT} gin_trgm_ops)",
            "DROP INDEX IF EXISTS analysis_incident_text_trgm"),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS analysis_event_note_trgm ON dispatch_incidentevent USING gin ({NOTE_TEXT} gin_trgm_ops) "
            "WHERE kind = 'note'",
            "DROP INDEX IF EXISTS analysis_event_note_trgm"),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS analysis_caller_text_trgm ON dispatch_incidentcaller "
            "USING gin ((name || ' ' || phone || ' ' || notes) gin_trgm_ops)",
            "DROP INDEX IF EXISTS analysis_caller_text_trgm"),
    ]
