"""Track points partitioned by month (platforms/track_partitions.py): the units' and the officers' tracks,
rows kept. The model state does not change: Django still sees `id` as the key (it is unique, the
database's key is (id, at) because a partitioned table's keys must hold the partition column)."""
from django.db import migrations

from platforms.track_partitions import MAINTAIN_FUNCTION, partitioned_sql, plain_sql

TRACKS = (
    ("platforms_trackpoint", {"owner_column": "unit_id", "owner_table": "platforms_unit",
                              "unique": "platforms_trackpoint_unique_unit_at"}),
    ("platforms_officertrackpoint", {"owner_column": "officer_id", "owner_table": "platforms_officer",
                                     "unique": "platforms_officertrackpoint_unique_officer_at"}),
)


class Migration(migrations.Migration):

    dependencies = [
        ("platforms", "0006_handsets_and_bicycles"),
    ]

    operations = [
        migrations.RunSQL(MAINTAIN_FUNCTION,
                          reverse_sql="DROP FUNCTION IF EXISTS track_partitions_maintain(text, integer, timestamptz, text)"),
        *(migrations.RunSQL(partitioned_sql(table, **names), reverse_sql=plain_sql(table, **names))
          for table, names in TRACKS),
    ]
