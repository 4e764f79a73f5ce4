"""Tracks by month (platforms/track_partitions.py): the two track tables are partitioned, a fix lands
in its month, a month with no partition yet keeps its fixes in DEFAULT until one is made for them, and
the prune drops whole months that aged out while keeping every fix younger than the limit."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from platforms import track_partitions, tracks
from platforms.models import OfficerTrackPoint, TrackPoint
from tests import factories as f

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo(settings.TIME_ZONE)
SQUARE = (121.4753, 31.2323)


def month_name(table: str, when: datetime) -> str:
    return f"{table}_p{when.astimezone(LOCAL):%Y%m}"


def partition_holding(table: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def local_month_start(months_back: int) -> datetime:
    """The first instant of the local month `months_back` before this one."""
    now = timezone.now().astimezone(LOCAL)
    year, month = divmod(now.year * 12 + now.month - 1 - months_back, 12)
    return datetime(year, month + 1, 1, tzinfo=LOCAL)


@pytest.mark.parametrize("table", track_partitions.TABLES)
def test_both_track_tables_are_partitioned_by_month_with_the_months_ahead_made(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table])
        assert cursor.fetchone() == ("r",)
    names = [name for name, _ in track_partitions.partitions_of(table)]
    assert f"{table}_default" in names
    for months_back in (2, 1, 0, -1, -2):
        assert month_name(table, local_month_start(months_back)) in names


def test_a_fix_lands_in_its_month_and_an_unplanned_month_in_default_until_its_partition_is_made():
    unit = f.UnitFactory()
    now = timezone.now()
    recent = TrackPoint.objects.create(unit=unit, at=now, lon=SQUARE[0], lat=SQUARE[1])
    old_at = local_month_start(30) + timedelta(days=3)
    old = TrackPoint.objects.create(unit=unit, at=old_at, lon=SQUARE[0], lat=SQUARE[1])
    assert (partition_holding("platforms_trackpoint", recent.pk), partition_holding("platforms_trackpoint", old.pk)) == (
        month_name("platforms_trackpoint", now), "platforms_trackpoint_default")

    before = dict(track_partitions.partitions_of("platforms_trackpoint"))
    created, dropped = track_partitions.partitions_maintain("platforms_trackpoint", keep_before=old_at)

    months = [month_name("platforms_trackpoint", local_month_start(back)) for back in range(30, -3, -1)]
    assert (created, dropped) == ([name for name in months if name not in before], [])
    assert partition_holding("platforms_trackpoint", old.pk) == month_name("platforms_trackpoint", old_at)
    assert list(TrackPoint.objects.order_by("at").values_list("pk", "at")) == [(old.pk, old_at), (recent.pk, now)]


def test_the_prune_drops_the_months_that_aged_out_and_deletes_the_rest_of_the_older_fixes():
    unit, officer = f.UnitFactory(), f.OfficerFactory()
    now = timezone.now()
    ages = [timedelta(days=d) for d in (400, 100, 31, 29, 0)]
    for age in ages:
        TrackPoint.objects.create(unit=unit, at=now - age, lon=SQUARE[0], lat=SQUARE[1])
        OfficerTrackPoint.objects.create(officer=officer, at=now - age, lon=SQUARE[0], lat=SQUARE[1])
    track_partitions.partitions_maintain("platforms_trackpoint", keep_before=now - ages[0])
    track_partitions.partitions_maintain("platforms_officertrackpoint", keep_before=now - ages[0])
    assert month_name("platforms_trackpoint", now - ages[1]) in dict(track_partitions.partitions_of("platforms_trackpoint"))

    with connection.cursor() as cursor:  # the test's rows' deferred foreign-key checks, as a commit would
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    tracks.track_prune(keep_days=30)

    kept = [now - ages[3], now]
    assert list(TrackPoint.objects.order_by("at").values_list("at", flat=True)) == kept
    assert list(OfficerTrackPoint.objects.filter(at__gte=now - timedelta(days=30)).order_by("at")
                .values_list("at", flat=True)) == kept
    names = dict(track_partitions.partitions_of("platforms_trackpoint"))
    assert month_name("platforms_trackpoint", now - ages[1]) not in names
    assert month_name("platforms_trackpoint", now - ages[0]) not in names
    assert month_name("platforms_trackpoint", now - timedelta(days=30)) in names


def test_a_month_holding_the_last_day_is_never_dropped_whatever_is_asked():
    unit = f.UnitFactory()
    now = timezone.now()
    TrackPoint.objects.create(unit=unit, at=now - timedelta(hours=2), lon=SQUARE[0], lat=SQUARE[1])
    _, dropped = track_partitions.partitions_maintain("platforms_trackpoint", keep_before=now + timedelta(days=90))
    assert month_name("platforms_trackpoint", now - timedelta(hours=2)) not in dropped
    assert TrackPoint.objects.count() == 1


def test_only_the_track_tables_are_partitioned_by_the_function():
    with pytest.raises(ValueError):
        track_partitions.partitions_maintain("dispatch_incident", keep_before=timezone.now())
    with pytest.raises(DatabaseError, match="is not a track table"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT track_partitions_maintain('dispatch_incident', 1, now(), 'UTC')")


def test_a_unit_deleted_takes_its_track_with_it_across_months():
    unit = f.UnitFactory()
    now = timezone.now()
    for age in (timedelta(0), timedelta(days=40)):
        TrackPoint.objects.create(unit=unit, at=now - age, lon=SQUARE[0], lat=SQUARE[1])
    unit.delete()
    assert TrackPoint.objects.count() == 0


def test_the_apps_login_owns_no_month_and_drops_one_only_through_the_function():
    """The app's own login (tests/conftest.py) may not drop a month itself: only the owner's function
    does, and only months wholly older than what it is asked to keep (and never the last day's)."""
    name = month_name("platforms_trackpoint", timezone.now())
    with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {name}")
    assert name in dict(track_partitions.partitions_of("platforms_trackpoint"))
