"""The position interfaces: OsmAnd / Traccar Client requests, the batched POST with its permission
matrix and malformed items, the live list and the counters."""
import json
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from platforms import positions, trackers, tracks
from platforms.models import TrackPoint
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture")]

SQUARE = (121.4737, 31.2304)
BUND = (121.4903, 31.2400)


@pytest.fixture
def device():
    """A tracking phone: no login, no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True)


KEYS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def registered_tracker(db, officer_unit):
    """The unit's car carries a registered tracker (platforms.trackers): its key goes with every report."""
    issued = trackers.tracker_register(actor=None, identifier=officer_unit.vehicle.gps_device_id,
                                       vehicle=officer_unit.vehicle)
    KEYS[issued.tracker.identifier] = issued.secret
    return issued


def geo(unit_id):
    found = positions.redis_client().geopos(positions.key("units"), unit_id)[0]
    return None if found is None else (round(found[0], 5), round(found[1], 5))


def rejected(reason: str) -> int:
    return positions.avl_stats()["rejected"][reason]


def traccar(unit, where=BUND, seconds_ago=5, **extra) -> dict:
    return {"id": unit.vehicle.gps_device_id, "key": KEYS.get(unit.vehicle.gps_device_id, ""),
            "lat": where[1], "lon": where[0],
            "timestamp": int(time.time() - seconds_ago), "speed": "10", "bearing": "180", "altitude": "4",
            "accuracy": "12.5", "batt": "80", **extra}


# --- OsmAnd / Traccar Client -------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post"])
def test_a_traccar_client_request_moves_the_unit(officer_unit, device, method):
    params = traccar(officer_unit)
    if method == "get":
        response = device.get("/osmand/?" + urlencode(params))
    else:
        response = device.post("/osmand/", params)   # form-encoded
    assert (response.status_code, response.content) == (200, b"")
    assert geo(officer_unit.pk) == BUND
    live = positions.live_positions([officer_unit.pk])[officer_unit.pk]
    assert (live.speed_mps, live.at.timestamp()) == (pytest.approx(5.144444, abs=1e-6), params["timestamp"])
    assert tracks.track_flush() == 1
    officer_unit.refresh_from_db()
    assert (officer_unit.lon, officer_unit.lat, officer_unit.last_fix_at.timestamp()) == (*BUND, params["timestamp"])
    point = TrackPoint.objects.get(unit=officer_unit)
    assert (point.bearing, point.accuracy_m) == (180.0, 12.5)
    assert positions.avl_stats()["sources"] == {"osmand": 1}


@pytest.mark.parametrize("form", ["seconds", "milliseconds", "iso", "traccar_utc"])
def test_osmand_timestamps_in_seconds_milliseconds_and_iso(officer_unit, device, form):
    sent = int(time.time()) - 60
    utc = datetime.fromtimestamp(sent, dt_timezone.utc)
    stamp = {"seconds": str(sent), "milliseconds": str(sent * 1000), "iso": utc.isoformat().replace("+00:00", "Z"),
             "traccar_utc": utc.strftime("%Y-%m-%d %H:%M:%S")}[form]
    assert device.get("/osmand/", traccar(officer_unit, timestamp=stamp)).status_code == 200
    assert positions.live_positions([officer_unit.pk])[officer_unit.pk].at.timestamp() == sent


def test_osmand_also_answers_under_the_api(officer_unit, device):
    assert device.get("/api/v1/positions/osmand", traccar(officer_unit)).status_code == 200
    assert geo(officer_unit.pk) == BUND


def test_an_unregistered_device_gets_401_and_is_counted(officer_unit, device):
    response = device.get("/osmand/", traccar(officer_unit, id="stolen-phone"))
    assert (response.status_code, response.content) == (401, b"bad key")
    assert rejected("bad_key") == 1
    assert geo(officer_unit.pk) is None


@pytest.mark.parametrize("change, reason", [
    ({"lat": "31.5"}, b"out_of_area"),
    ({"lat": "nan"}, b"invalid"),
    ({"timestamp": str(int(time.time()) + 3600)}, b"from_future"),
])
def test_refused_device_fixes_are_counted_and_move_nothing(officer_unit, device, change, reason):
    response = device.get("/osmand/", traccar(officer_unit, **change))
    assert (response.status_code, response.content) == (400, reason)
    assert rejected(reason.decode()) == 1
    assert (geo(officer_unit.pk), positions.avl_stats()["track_backlog"]) == (None, 0)


@pytest.mark.parametrize("change, reason", [
    ({"id": ""}, b"missing id"), ({"lat": "north"}, b"bad lat"), ({"timestamp": "yesterday"}, b"bad timestamp"),
])
def test_unreadable_device_requests_get_400_and_count_as_invalid(officer_unit, device, change, reason):
    response = device.get("/osmand/", traccar(officer_unit, **change))
    assert (response.status_code, response.content) == (400, reason)
    assert rejected("invalid") == 1


def test_a_resent_or_late_device_fix_is_acknowledged_and_ignored(officer_unit, device):
    newer, older = traccar(officer_unit, BUND, seconds_ago=5), traccar(officer_unit, SQUARE, seconds_ago=20)
    assert [device.get("/osmand/", params).status_code for params in (newer, newer, older)] == [200, 200, 200]
    assert (rejected("duplicate"), rejected("out_of_order"), geo(officer_unit.pk)) == (1, 1, BUND)


def test_a_wrong_device_key_moves_nothing(officer_unit, device):
    response = device.get("/osmand/", traccar(officer_unit, key="guess"))
    assert (response.status_code, response.content) == (401, b"bad key")
    assert (rejected("bad_key"), geo(officer_unit.pk)) == (1, None)
    assert device.get("/osmand/", traccar(officer_unit)).status_code == 200
    assert geo(officer_unit.pk) == BUND


def test_osmand_refuses_other_methods(officer_unit, device):
    assert device.put("/osmand/").status_code == 405


# --- the batched POST ---------------------------------------------------------------------------

def batch(*units, where=BUND, seconds_ago=5):
    stamp = (timezone.now() - timedelta(seconds=seconds_ago)).isoformat()
    return {"fixes": [{"unit": unit.pk, "lon": where[0], "lat": where[1], "at": stamp, "speed": 3.5} for unit in units]}


@pytest.mark.parametrize("persona, code", matrix(readers("administrator", "dispatcher", "officer")))
def test_batch_permission_matrix_for_the_officers_own_unit(as_, officer_unit, persona, code):
    response = as_(persona).post("/api/v1/positions", batch(officer_unit), format="json")
    assert response.status_code == code
    assert geo(officer_unit.pk) == (BUND if code == 200 else None)


def test_an_officer_may_not_report_for_another_unit(as_, officer_unit, other_platform):
    stranger = f.UnitFactory(platform=other_platform)
    response = as_("officer").post("/api/v1/positions", batch(officer_unit, stranger), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You may report positions only for a unit you crew."
    assert (geo(officer_unit.pk), geo(stranger.pk)) == (None, None)


def test_the_command_centre_reports_for_any_unit(as_, officer_unit, other_platform):
    stranger, off_duty = f.UnitFactory(platform=other_platform), f.UnitFactory(shift__approved=False)
    response = as_("dispatcher").post("/api/v1/positions", batch(officer_unit, stranger, off_duty), format="json")
    assert response.json() == {"accepted": 2, "rejected": {"unit_off_duty": 1},
                               "outcomes": ["accepted", "accepted", "unit_off_duty"]}
    assert (geo(officer_unit.pk), geo(stranger.pk), geo(off_duty.pk)) == (BUND, BUND, None)


@pytest.mark.parametrize("item, errors", [
    ({"lon": 121.49, "lat": 31.24, "at": "2026-11-23T10:00:00+08:00"}, {"unit": ["This field is required."]}),
    ({"unit": 1, "lon": "121.49", "lat": 31.24, "at": 1795000000}, {"lon": ["A number is required."]}),
    ({"unit": 1, "lon": 121.49, "lat": 31.24, "at": "2026-11-23T10:00:00"}, {"at": ["Give the time with its UTC offset."]}),
    ({"unit": 1, "lon": 121.49, "lat": 31.24, "at": "soon"}, {"at": ["Give the time as ISO 8601 or unix seconds."]}),
    ({"unit": True, "lon": 121.49, "lat": 31.24, "at": 1795000000}, {"unit": ["A whole number is required."]}),
    ("121.49,31.24", ["Each fix is an object."]),
])
def test_a_malformed_item_refuses_the_batch_with_its_index(as_, officer_unit, item, errors):
    body = batch(officer_unit)
    body["fixes"].append(item)
    response = as_("dispatcher").post("/api/v1/positions", body, format="json")
    assert (response.status_code, response.json()) == (400, {"fixes": {"1": errors}})
    assert geo(officer_unit.pk) is None
    assert positions.avl_stats() == {"accepted": 0, "rejected": dict.fromkeys(positions.REASONS, 0), "sources": {},
                                     "track_backlog": 0, "suspect_units": []}


@pytest.mark.parametrize("body", [{}, {"fixes": []}, {"fixes": "all"}, [1, 2]])
def test_a_batch_without_fixes_is_refused(as_, body):
    response = as_("dispatcher").post("/api/v1/positions", body, format="json")
    assert (response.status_code, response.json()) == (400, {"fixes": ["Send a non-empty list of fixes."]})


def test_a_batch_over_the_limit_is_refused(as_, officer_unit, settings):
    settings.AVL_BATCH_MAX = 2
    response = as_("dispatcher").post("/api/v1/positions", batch(officer_unit, officer_unit, officer_unit),
                                      format="json")
    assert (response.status_code, response.json()) == (400, {"fixes": ["At most 2 fixes per request."]})


# --- the live list and the counters -------------------------------------------------------------

@pytest.mark.parametrize("persona, code", matrix(readers("administrator", "dispatcher", "supervisor")))
def test_live_and_stats_permission_matrix(as_, persona, code):
    assert as_(persona).get("/api/v1/positions/live").status_code == code
    assert as_(persona).get("/api/v1/positions/stats").status_code == code


def test_live_lists_units_on_duty_with_positions_and_a_stale_flag(as_, officer_unit, other_platform, settings):
    settings.STALE_FIX_AFTER_S = 30
    stranger = f.UnitFactory(platform=other_platform, call_sign="外滩01", last_fix_at=timezone.now() - timedelta(minutes=5))
    f.UnitFactory(platform=other_platform, lon=None, lat=None)        # on duty, never reported: not listed
    f.UnitFactory(platform=other_platform, shift__approved=False)     # off duty: not listed
    as_("dispatcher").post("/api/v1/positions", batch(officer_unit, seconds_ago=5), format="json")
    sent_at = positions.live_positions([officer_unit.pk])[officer_unit.pk].at
    listed = as_("dispatcher").get("/api/v1/positions/live").json()
    assert listed == [
        {"unit": officer_unit.pk, "call_sign": "人广01", "platform": officer_unit.platform_id, "status": "available",
         "lon": BUND[0], "lat": BUND[1], "at": timezone.localtime(sent_at).isoformat(), "speed_mps": 3.5, "stale": False},
        {"unit": stranger.pk, "call_sign": "外滩01", "platform": other_platform.pk, "status": "available",
         "lon": f.PEOPLES_SQUARE[0], "lat": f.PEOPLES_SQUARE[1],
         "at": timezone.localtime(stranger.last_fix_at).isoformat(), "speed_mps": None, "stale": True},
    ]
    assert [row["unit"] for row in as_("supervisor").get("/api/v1/positions/live").json()] == [officer_unit.pk]


def test_stats_count_by_reason_and_source_with_the_quiet_units(as_, officer_unit, other_platform, device):
    quiet = f.UnitFactory(platform=other_platform, lon=None, lat=None)
    as_("dispatcher").post("/api/v1/positions", batch(officer_unit), format="json")
    device.get("/osmand/", traccar(officer_unit, id="nobody"))
    positions.stale_sweep()
    stats = as_("dispatcher").get("/api/v1/positions/stats").json()
    assert {name: stats[name] for name in ("accepted", "rejected", "sources", "track_backlog", "stale_units")} == {
        "accepted": 1, "rejected": {**dict.fromkeys(positions.REASONS, 0), "bad_key": 1},
        "sources": {"batch": 1, "osmand": 1}, "track_backlog": 1, "stale_units": [quiet.pk]}
    assert stats["stale_checked_at"] is not None
    assert as_("supervisor").get("/api/v1/positions/stats").json()["stale_units"] == []


def test_the_unit_api_flags_stale_units(as_, officer_unit, settings):
    settings.STALE_FIX_AFTER_S = 60
    assert as_("dispatcher").get(f"/api/v1/units/{officer_unit.pk}").json()["stale"] is True
    officer_unit.last_fix_at = timezone.now() - timedelta(seconds=10)
    officer_unit.save()
    assert as_("dispatcher").get(f"/api/v1/units/{officer_unit.pk}").json()["stale"] is False


def traccar_json(unit, where=BUND, seconds_ago=5) -> dict:
    """What newer Traccar Client versions POST: the background geolocation library's format."""
    stamp = datetime.fromtimestamp(int(time.time() - seconds_ago), dt_timezone.utc).isoformat().replace("+00:00", "Z")
    return {"device_id": unit.vehicle.gps_device_id,
            "location": {"timestamp": stamp, "is_moving": True, "odometer": 1200,
                         "coords": {"latitude": where[1], "longitude": where[0], "accuracy": 8, "speed": 6.5,
                                    "heading": -1, "altitude": 4},
                         "battery": {"level": 0.62, "is_charging": False}}}


def test_a_newer_traccar_client_json_post_moves_the_unit(officer_unit, device):
    body = traccar_json(officer_unit)
    key = KEYS[officer_unit.vehicle.gps_device_id]
    response = device.post(f"/osmand/?key={key}", json.dumps(body), content_type="application/json")
    assert (response.status_code, response.content) == (200, b"")
    assert tracks.track_flush() == 1
    point = TrackPoint.objects.get(unit=officer_unit)
    assert (point.lon, point.lat, point.speed_mps, point.bearing, point.accuracy_m) == (*BUND, 6.5, None, 8.0)
    assert point.at == datetime.fromisoformat(body["location"]["timestamp"])
    assert positions.redis_client().hget(positions.unit_key(officer_unit.pk), "battery") == b"62.0"


@pytest.mark.parametrize("body, reason", [
    (b"{not json", b"bad json"), (b'{"location": {}}', b"missing device_id"),
    (b'{"device_id": "gps-x", "location": {"coords": {"latitude": 31.2}}}', b"missing location"),
])
def test_an_unreadable_json_report_gets_400(device, body, reason):
    response = device.post("/osmand/", body, content_type="application/json")
    assert (response.status_code, response.content) == (400, reason)
    assert rejected("invalid") == 1
