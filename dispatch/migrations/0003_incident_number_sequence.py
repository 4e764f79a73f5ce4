"""Incident numbers come from a database sequence: unique across every web and worker process."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0002_incidentevent_append_only")]
    operations = [
        migrations.RunSQL("CREATE SEQUENCE dispatch_incident_number_seq", "DROP SEQUENCE dispatch_incident_number_seq"),
    ]
