"""`manage.py bench ingest` runs end to end on a tiny fleet, loses nothing, and leaves no trace:
its units, users and track points are rolled back and its Redis keys deleted. (Its figures are
measured by running it, never asserted here.)"""
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from platforms import positions
from platforms.models import TrackPoint, Unit

pytestmark = pytest.mark.django_db


def test_bench_ingest_loses_nothing_and_leaves_no_trace(officer_unit):
    positions.avl_wipe()
    out = StringIO()
    call_command("bench", "ingest", "--units", "30", "--seconds", "0.3", "--batch", "20", "--http-seconds", "0.2",
                 "--http-batches", "20", "5", "--baseline-seconds", "0.1", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["service"]["accepted"], result["service_check"]["lost"]) == (result["service"]["sent"], 0)
    assert all(phase["accepted"] == phase["sent"] for phase in result["http"].values())
    every_fix = result["service"]["accepted"] + sum(phase["accepted"] for phase in result["http"].values())
    assert result["http_check"] == {"units_checked": 30, "lost": 0, "track_backlog": every_fix}
    assert result["stats"]["rejected"] == dict.fromkeys(positions.REASONS, 0)
    assert result["stats"]["suspect_units"] == 0
    assert result["track_flush"]["rows"] == result["track_flush"]["backlog_before"]
    assert list(Unit.objects.values_list("pk", flat=True)) == [officer_unit.pk]
    assert (TrackPoint.objects.count(), get_user_model().objects.filter(username__startswith="bench-").count()) == (0, 0)
    assert list(positions.redis_client().scan_iter(match="avlbench:*")) == []
