"""Free-text search reads one lower-cased column per incident (analysis.IncidentText) instead of a
UNION over the incident, its notes and its callers: the database keeps it with statement triggers on
dispatch's tables (transition tables, so a COPY of a hundred thousand rows is one set-based write,
not a function call per row). The trigram indexes of 0002/0003 that the UNION needed go; the
received-time index stays. Existing incidents are filled in here."""
import django.db.models.deletion
from django.db import migrations, models

# One incident's text: the same words 0002 indexed, in one string, lower-cased once here so that a
# search compares with a plain LIKE (ILIKE folds every row's case on every search).
TEXT_OF = """
CREATE FUNCTION analysis_incidenttext_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
INSERT INTO analysis_incidenttext (incident_id, text)
SELECT i.id, lower(concat_ws(' ', i.number, i.address, i.description, i.caller_name, i.caller_phone,
    (SELECT string_agg(e.data ->> 'text', ' ' ORDER BY e.id) FROM dispatch_incidentevent e
     WHERE e.incident_id = i.id AND e.kind = 'note'),
    (SELECT string_agg(concat_ws(' ', c.name, c.phone, c.notes), ' ' ORDER BY c.id) FROM dispatch_incidentcaller c
     WHERE c.incident_id = i.id)))
FROM dispatch_incident i WHERE i.id = ANY(ids)
ON CONFLICT (incident_id) DO UPDATE SET text = EXCLUDED.text
$$;
"""

TRIGGERS = """
-- A new incident has no notes or further callers yet (they point at it): its own fields are its text.
CREATE FUNCTION analysis_incidenttext_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analysis_incidenttext (incident_id, text)
    SELECT n.id, lower(concat_ws(' ', n.number, n.address, n.description, n.caller_name, n.caller_phone))
    FROM new_rows n
    ON CONFLICT (incident_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER analysis_incidenttext_inserted AFTER INSERT ON dispatch_incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_inserted();

-- Only the incidents whose searched words changed (most updates move the status or the clocks).
CREATE FUNCTION analysis_incidenttext_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analysis_incidenttext_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.number, n.address, n.description, n.caller_name, n.caller_phone)
              IS DISTINCT FROM (o.number, o.address, o.description, o.caller_name, o.caller_phone)));
    RETURN NULL;
END $$;
CREATE TRIGGER analysis_incidenttext_updated AFTER UPDATE ON dispatch_incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION analysis_incidenttext_updated();

CREATE FUNCTION analysis_incidenttext_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM analysis_incidenttext WHERE incident_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER analysis_incidenttext_deleted AFTER DELETE ON dispatch_incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_deleted();

CREATE FUNCTION analysis_incidenttext_noted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analysis_incidenttext_refresh(ARRAY(SELECT DISTINCT incident_id FROM new_rows WHERE kind = 'note'));
    RETURN NULL;
END $$;
CREATE TRIGGER analysis_incidenttext_noted AFTER INSERT ON dispatch_incidentevent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_noted();

-- Further callers: one trigger function per event, since a transition table exists only for its own.
CREATE FUNCTION analysis_incidenttext_caller_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analysis_incidenttext_refresh(ARRAY(SELECT DISTINCT incident_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION analysis_incidenttext_caller_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analysis_incidenttext_refresh(ARRAY(SELECT DISTINCT incident_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER analysis_incidenttext_caller_inserted AFTER INSERT ON dispatch_incidentcaller
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_caller_new();
CREATE TRIGGER analysis_incidenttext_caller_updated AFTER UPDATE ON dispatch_incidentcaller
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_caller_new();
CREATE TRIGGER analysis_incidenttext_caller_deleted AFTER DELETE ON dispatch_incidentcaller
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analysis_incidenttext_caller_old();
"""

UNTRIGGER = """
DROP TRIGGER IF EXISTS analysis_incidenttext_inserted ON dispatch_incident;
DROP TRIGGER IF EXISTS analysis_incidenttext_updated ON dispatch_incident;
DROP TRIGGER IF EXISTS analysis_incidenttext_deleted ON dispatch_incident;
DROP TRIGGER IF EXISTS analysis_incidenttext_noted ON dispatch_incidentevent;
DROP TRIGGER IF EXISTS analysis_incidenttext_caller_inserted ON dispatch_incidentcaller;
DROP TRIGGER IF EXISTS analysis_incidenttext_caller_updated ON dispatch_incidentcaller;
DROP TRIGGER IF EXISTS analysis_incidenttext_caller_deleted ON dispatch_incidentcaller;
DROP FUNCTION IF EXISTS analysis_incidenttext_inserted(), analysis_incidenttext_updated(), analysis_incidenttext_deleted(),
    analysis_incidenttext_noted(), analysis_incidenttext_caller_new(), analysis_incidenttext_caller_old();
"""

FILL = """
SELECT analysis_incidenttext_refresh(ARRAY(SELECT id FROM dispatch_incident));
CREATE INDEX analysis_incidenttext_trgm ON analysis_incidenttext USING gin (text gin_trgm_ops);
ANALYZE analysis_incidenttext;
"""

OLD_INDEXES = """
DROP INDEX IF EXISTS analysis_incident_text_trgm;
DROP INDEX IF EXISTS analysis_event_note_trgm;
DROP INDEX IF EXISTS analysis_caller_text_trgm;
DROP INDEX IF EXISTS analysis_event_note;
"""

RESTORE_OLD_INDEXES = """
CREATE INDEX IF NOT EXISTS analysis_incident_text_trgm ON dispatch_incident USING gin (
    (number || ' ' || address || ' ' || description || ' ' || caller_name || ' ' || caller_phone) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS analysis_event_note_trgm ON dispatch_incidentevent USING gin ((data ->> 'text') gin_trgm_ops)
    WHERE kind = 'note';
CREATE INDEX IF NOT EXISTS analysis_caller_text_trgm ON dispatch_incidentcaller USING gin ((name || ' ' || phone || ' ' || notes) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS analysis_event_note ON dispatch_incidentevent (incident_id) WHERE kind = 'note';
"""


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0004_on_view_out_of_response'),
        ('dispatch', '0006_call_taking_and_closing'),
    ]

    operations = [
        migrations.CreateModel(
            name='IncidentText',
            fields=[
                ('incident', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='dispatch.incident', verbose_name='incident')),
                ('text', models.TextField(verbose_name='search text')),
            ],
            options={
                'verbose_name': 'incident search text',
                'verbose_name_plural': 'incident search texts',
            },
        ),
        migrations.RunSQL(TEXT_OF, "DROP FUNCTION IF EXISTS analysis_incidenttext_refresh(bigint[])"),
        migrations.RunSQL(TRIGGERS, UNTRIGGER),
        migrations.RunSQL(FILL, "DROP INDEX IF EXISTS analysis_incidenttext_trgm"),
        migrations.RunSQL(OLD_INDEXES, RESTORE_OLD_INDEXES),
    ]
