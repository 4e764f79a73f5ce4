"""Live positions: fixes accepted into Redis and refused with counted reasons, the dispatch
engine's selectors, the track flush to PostgreSQL and its prune, the stale sweep."""
import math
import threading
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.db import connection
from django.utils import timezone

from platforms import positions, trackers, tracks
from platforms.models import TrackPoint, Unit
from platforms.positions import Fix, LiveFix
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture")]

SQUARE = (121.4737, 31.2304)          # People's Square
BUND = (121.4903, 31.2400)            # the Bund, about 1.9 km away
OUTSIDE = (121.60, 31.30)              # east of the served box


@pytest.fixture
def unit(db):
    return f.UnitFactory(lon=None, lat=None)


def at(seconds_ago: float) -> datetime:
    return (timezone.now() - timedelta(seconds=seconds_ago)).replace(microsecond=0)


def fix(unit, where=SQUARE, seconds_ago=10.0, **extra) -> Fix:
    return Fix(unit_id=unit.pk, lon=where[0], lat=where[1], at=at(seconds_ago), **extra)


def state(unit_id) -> dict:
    raw = positions.redis_client().hgetall(positions.unit_key(unit_id))
    return {name.decode(): value.decode() for name, value in raw.items()}


def geo(unit_id):
    found = positions.redis_client().geopos(positions.key("units"), unit_id)[0]
    return None if found is None else (round(found[0], 5), round(found[1], 5))


def test_an_accepted_fix_sets_the_state_the_geo_set_and_the_track(unit):
    sent = fix(unit, speed_mps=8.5, bearing=90.0, accuracy_m=5.0, battery=77.0)
    result = positions.fixes_accept(fixes=[sent], source="batch")
    assert (result.accepted, result.rejected, result.outcomes) == (1, {}, ["accepted"])
    assert state(unit.pk) == {"lon": "121.4737", "lat": "31.2304", "at": str(int(sent.at.timestamp() * 1000)),
                              "speed": "8.5", "bearing": "90.0", "accuracy": "5.0", "battery": "77.0"}
    assert geo(unit.pk) == SQUARE
    assert positions.avl_stats() == {
        "accepted": 1, "rejected": dict.fromkeys(positions.REASONS, 0), "sources": {"batch": 1}, "track_backlog": 1, "suspect_units": []}


def test_a_fix_by_gps_device_goes_to_the_vehicles_unit_on_duty(unit):
    trackers.tracker_register(actor=None, identifier=unit.vehicle.gps_device_id, vehicle=unit.vehicle)
    result = positions.fixes_accept(fixes=[Fix(device_id=unit.vehicle.gps_device_id, lon=BUND[0], lat=BUND[1],
                                               at=at(5))], source="osmand")
    assert result.outcomes == ["accepted"]
    assert geo(unit.pk) == BUND


@pytest.mark.parametrize("change, reason", [
    ({"unit_id": 0}, "unknown_device"),
    ({"unit_id": None, "device_id": "nobody"}, "unknown_device"),
    ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "out_of_area"),
    ({"lat": math.nan}, "invalid"),
    ({"lon": 190.0}, "invalid"),
    ({"speed_mps": -1.0}, "invalid"),
    ({"bearing": 361.0}, "invalid"),
    ({"accuracy_m": math.inf}, "invalid"),
    ({"battery": 101.0}, "invalid"),
    ({"at": datetime(2026, 1, 1, 8, 0)}, "invalid"),   # no time zone: ambiguous
    ({"at": "a minute ahead"}, "from_future"),   # worked out when the test runs, not when it is collected
])
def test_a_refused_fix_is_counted_and_moves_nothing(unit, change, reason):
    base = {"unit_id": unit.pk, "lon": BUND[0], "lat": BUND[1], "at": at(5)}
    if change.get("at") == "a minute ahead":
        change = {"at": timezone.now() + timedelta(seconds=60)}
    result = positions.fixes_accept(fixes=[Fix(**{**base, **change})], source="batch")
    assert (result.accepted, result.rejected, result.outcomes) == (0, {reason: 1}, [reason])
    assert positions.avl_stats()["rejected"][reason] == 1
    assert positions.avl_stats()["track_backlog"] == 0
    assert (state(unit.pk), geo(unit.pk)) == ({}, None)


def test_a_unit_off_duty_is_refused(unit):
    trackers.tracker_register(actor=None, identifier=unit.vehicle.gps_device_id, vehicle=unit.vehicle)
    unit.shift.approved = False
    unit.shift.save()
    by_device = Fix(device_id=unit.vehicle.gps_device_id, lon=BUND[0], lat=BUND[1], at=at(5))
    result = positions.fixes_accept(fixes=[fix(unit), by_device], source="batch")
    assert result.outcomes == ["unit_off_duty", "unit_off_duty"]
    assert geo(unit.pk) is None


def test_older_and_equal_fixes_are_ignored_and_counted(unit):
    positions.fixes_accept(fixes=[fix(unit, SQUARE, seconds_ago=10)], source="batch")
    result = positions.fixes_accept(fixes=[fix(unit, BUND, seconds_ago=20), fix(unit, BUND, seconds_ago=10)],
                                    source="batch")
    assert (result.accepted, result.rejected) == (0, {"out_of_order": 1, "duplicate": 1})
    assert geo(unit.pk) == SQUARE
    assert positions.avl_stats()["rejected"] | {"accepted": positions.avl_stats()["accepted"]} == {
        **dict.fromkeys(positions.REASONS, 0), "out_of_order": 1, "duplicate": 1, "accepted": 1}


def test_a_batch_in_any_order_keeps_the_newest_fix(unit):
    result = positions.fixes_accept(fixes=[fix(unit, BUND, seconds_ago=1), fix(unit, SQUARE, seconds_ago=300)],
                                    source="batch")
    assert result.outcomes == ["accepted", "accepted"]
    assert geo(unit.pk) == BUND
    assert positions.avl_stats()["track_backlog"] == 2


@pytest.mark.django_db(transaction=True)   # the writers' own connections must see the unit
def test_concurrent_writers_never_move_a_unit_back_in_time(unit):
    stamps = [at(100 - i) for i in range(100)]
    shuffled = [stamps[i::2] for i in range(2)]   # two writers, interleaved times, newest last in each

    def write(times):
        for stamp in times:
            positions.fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=SQUARE[0], lat=SQUARE[1], at=stamp)], source="ws")
        connection.close()

    threads = [threading.Thread(target=write, args=(times,)) for times in shuffled]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert state(unit.pk)["at"] == str(int(stamps[-1].timestamp() * 1000))
    stats = positions.avl_stats()
    assert stats["accepted"] + stats["rejected"]["out_of_order"] == 100
    track = positions.redis_client().xrange(positions.key("track"))
    times = [int(fields[b"t"]) for _, fields in track]
    assert times == sorted(times) and len(times) == stats["accepted"]


# --- the dispatch engine's selectors ------------------------------------------------------------

def test_live_positions_from_redis_then_the_unit_row(unit, settings):
    settings.STALE_FIX_AFTER_S = 30
    quiet = f.UnitFactory(lon=BUND[0], lat=BUND[1], last_fix_at=at(120))
    nowhere = f.UnitFactory(lon=None, lat=None)
    sent = fix(unit, SQUARE, seconds_ago=5, speed_mps=3.25)
    positions.fixes_accept(fixes=[sent], source="batch")
    assert positions.live_positions([unit.pk, quiet.pk, nowhere.pk]) == {
        unit.pk: LiveFix(unit.pk, SQUARE[0], SQUARE[1], sent.at, 3.25, False),
        quiet.pk: LiveFix(quiet.pk, BUND[0], BUND[1], quiet.last_fix_at, None, True),
    }
    assert set(positions.live_positions()) == {unit.pk, quiet.pk}   # the units on duty now


def test_live_positions_flags_a_fix_older_than_the_stale_limit(unit, settings):
    settings.STALE_FIX_AFTER_S = 30
    positions.fixes_accept(fixes=[fix(unit, seconds_ago=31)], source="batch")
    assert positions.live_positions([unit.pk])[unit.pk].stale is True
    positions.fixes_accept(fixes=[fix(unit, seconds_ago=29)], source="batch")
    assert positions.live_positions([unit.pk])[unit.pk].stale is False


def test_units_near_nearest_first_with_metres(db):
    near, far, away = f.UnitFactory(), f.UnitFactory(), f.UnitFactory()
    positions.fixes_accept(fixes=[fix(near, (121.4747, 31.2304)), fix(far, (121.4737, 31.2404)),
                                  fix(away, BUND)], source="batch")
    found = positions.units_near(*SQUARE, 1200)
    assert [(pk, round(metres, -1)) for pk, metres in found] == [(near.pk, 100.0), (far.pk, 1110.0)]
    assert [pk for pk, _ in positions.units_near(*SQUARE, 5000, count=2)] == [near.pk, far.pk]
    positions.avl_forget([near.pk])
    assert [pk for pk, _ in positions.units_near(*SQUARE, 5000)] == [far.pk, away.pk]


# --- the track in PostgreSQL --------------------------------------------------------------------

def test_flush_moves_the_track_and_the_units_rows_and_is_idempotent(unit):
    first, last = fix(unit, SQUARE, seconds_ago=200, speed_mps=4.0), fix(unit, BUND, seconds_ago=10, bearing=45.0)
    positions.fixes_accept(fixes=[first, last], source="batch")
    assert tracks.track_flush() == 2
    assert tracks.track_flush() == 0
    rows = list(TrackPoint.objects.filter(unit=unit).values_list("at", "lon", "lat", "speed_mps", "bearing",
                                                                    "accuracy_m"))
    assert rows == [(first.at, *SQUARE, 4.0, None, None), (last.at, *BUND, None, 45.0, None)]
    unit.refresh_from_db()
    assert (unit.lon, unit.lat, unit.last_fix_at) == (*BUND, last.at)
    assert positions.avl_stats()["track_backlog"] == 0


def test_a_flush_interrupted_before_the_trim_inserts_nothing_twice(unit, monkeypatch):
    positions.fixes_accept(fixes=[fix(unit, SQUARE, seconds_ago=200), fix(unit, BUND, seconds_ago=10)], source="b")

    def crash(*args, **kwargs):
        raise ConnectionError("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(positions.redis.Redis, "xtrim", crash)
        with pytest.raises(ConnectionError):
            tracks.track_flush()
    assert TrackPoint.objects.filter(unit=unit).count() == 2
    assert tracks.track_flush() == 0   # read again, absorbed by the unique (unit, at)
    assert TrackPoint.objects.filter(unit=unit).count() == 2
    assert positions.avl_stats()["track_backlog"] == 0


def test_flush_leaves_a_newer_row_alone_and_skips_deleted_units(unit):
    newer = at(1)
    Unit.objects.filter(pk=unit.pk).update(lon=BUND[0], lat=BUND[1], last_fix_at=newer)
    gone = f.UnitFactory()
    positions.fixes_accept(fixes=[fix(unit, SQUARE, seconds_ago=30), fix(gone, SQUARE, seconds_ago=30)], source="b")
    TrackPoint.objects.filter(unit=gone).delete()
    Unit.objects.filter(pk=gone.pk).delete()
    assert tracks.track_flush() == 1
    unit.refresh_from_db()
    assert (unit.lon, unit.lat, unit.last_fix_at) == (*BUND, newer)


def test_prune_deletes_only_points_older_than_the_keep_days(unit, settings):
    settings.TRACK_KEEP_DAYS = 30
    now = timezone.now()
    old, kept = now - timedelta(days=30, minutes=1), now - timedelta(days=29, hours=23)
    for stamp in (old, kept):
        TrackPoint.objects.create(unit=unit, at=stamp, lon=SQUARE[0], lat=SQUARE[1])
    assert tracks.track_prune() == 1
    assert list(TrackPoint.objects.values_list("at", flat=True)) == [kept]
    assert tracks.track_prune() == 0


# --- stale units ---------------------------------------------------------------------------------

def test_stale_sweep_lists_quiet_units_on_duty_and_drops_units_off_duty_from_the_map(unit, settings):
    settings.STALE_FIX_AFTER_S = 30
    fresh, quiet, silent = f.UnitFactory(), f.UnitFactory(), f.UnitFactory(lon=None, lat=None)
    positions.fixes_accept(fixes=[fix(fresh, seconds_ago=5), fix(quiet, seconds_ago=40), fix(unit, seconds_ago=5)],
                           source="b")
    unit.shift.ends_at = timezone.now() - timedelta(seconds=1)
    unit.shift.save()
    swept = positions.stale_sweep()
    assert swept.unit_ids == sorted([quiet.pk, silent.pk])
    assert positions.stale_units().unit_ids == sorted([quiet.pk, silent.pk])
    assert abs((positions.stale_units().checked_at - timezone.now()).total_seconds()) < 60
    assert geo(unit.pk) is None and geo(fresh.pk) is not None
    assert Unit.objects.get(pk=quiet.pk).status == "available"   # flagged, not decided about


def test_stale_units_before_any_sweep():
    assert positions.stale_units() == positions.StaleUnits(None, [])


def test_timestamps_keep_milliseconds(unit):
    stamp = datetime(2026, 11, 23, 5, 0, 0, 123000, tzinfo=dt_timezone.utc)
    positions.fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=SQUARE[0], lat=SQUARE[1], at=stamp)], source="b")
    assert positions.live_positions([unit.pk])[unit.pk].at == stamp


def test_an_empty_list_accepts_nothing_and_counts_nothing():
    assert positions.fixes_accept(fixes=[], source="ws") == positions.IngestResult(0, {}, [])
    assert positions.avl_stats()["sources"] == {}


def test_track_points_read_by_unit_and_time_range(unit):
    points = f.TrackPointFactory.create_batch(3, unit=unit)
    other = f.TrackPointFactory(unit=f.UnitFactory(), at=points[1].at)
    window = TrackPoint.objects.filter(unit=unit, at__gte=points[1].at, at__lte=points[2].at)
    assert list(window) == points[1:]
    assert other.at == points[1].at   # the same time on another unit is no conflict
