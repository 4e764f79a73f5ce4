"""The incident timeline is evidence: refuse UPDATE and DELETE in the database itself, so no code
path (raw SQL, a bulk update, an admin action) can rewrite what happened."""
from django.db import migrations

FORWARD = """
CREATE FUNCTION dispatch_incidentevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident events are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER dispatch_incidentevent_append_only
    BEFORE UPDATE OR DELETE ON dispatch_incidentevent
    FOR EACH ROW EXECUTE FUNCTION dispatch_incidentevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS dispatch_incidentevent_append_only ON dispatch_incidentevent;
DROP FUNCTION IF EXISTS dispatch_incidentevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
