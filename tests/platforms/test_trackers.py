"""Issue 19, high: no spoofed positions. Each tracker its own key (shown once, hashed, rotated,
revoked), unregistered devices refused, the source of every fix kept, fixes from the future refused
on every path, implausible jumps flagged instead of trusted, the endpoint closed in production."""
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from platforms import positions, trackers, tracks
from platforms.models import TrackerDevice, TrackPoint
from platforms.positions import Fix
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture")]

SQUARE, BUND = (121.4737, 31.2304), (121.4903, 31.2400)
JINGAN = (121.4470, 31.2290)


def geo(unit_id):
    found = positions.redis_client().geopos(positions.key("units"), unit_id)[0]
    return None if found is None else (round(found[0], 5), round(found[1], 5))


def report(unit_or_identifier, key, where=SQUARE, seconds_ago=5, **extra):
    identifier = getattr(getattr(unit_or_identifier, "vehicle", None), "gps_device_id", unit_or_identifier)
    params = {"id": identifier, "key": key, "lon": where[0], "lat": where[1],
              "timestamp": int(time.time() - seconds_ago), **extra}
    return Client().get("/osmand/", params)


@pytest.fixture
def car(officer_unit):
    return trackers.tracker_register(actor=None, identifier=officer_unit.vehicle.gps_device_id,
                                     vehicle=officer_unit.vehicle)


def test_the_secret_is_stored_only_as_its_hash(car):
    row = TrackerDevice.objects.get(pk=car.tracker.pk)
    assert len(car.secret) >= 40
    assert car.secret not in row.secret_hash and row.secret_hash == trackers.secret_hash(car.secret)


def test_an_unregistered_device_moves_nothing_even_with_the_vehicles_device_id(officer_unit):
    """Today's defect: `GET /osmand/?id=<a car's device id>&lat=&lon=` moved the car on every console."""
    response = report(officer_unit, key="")
    assert (response.status_code, response.content) == (401, b"bad key")
    assert geo(officer_unit.pk) is None


def test_a_registered_device_reports_with_its_own_key_only(officer_unit, car):
    other = trackers.tracker_register(actor=None, identifier="phone-2", vehicle=f.VehicleFactory())
    assert report(officer_unit, key=other.secret).status_code == 401
    assert geo(officer_unit.pk) is None
    assert report(officer_unit, key=car.secret).status_code == 200
    assert geo(officer_unit.pk) == SQUARE


def test_rotating_stops_the_old_key_and_revoking_stops_the_device(officer_unit, car):
    rotated = trackers.tracker_rotate(actor=None, tracker=car.tracker)
    assert report(officer_unit, key=car.secret, seconds_ago=30).status_code == 401
    assert report(officer_unit, key=rotated.secret, seconds_ago=20).status_code == 200
    trackers.tracker_revoke(actor=None, tracker=car.tracker)
    assert report(officer_unit, key=rotated.secret, seconds_ago=10).status_code == 401
    assert positions.avl_stats()["rejected"]["bad_key"] == 2


def test_an_officers_tracker_reports_for_the_unit_they_crew(officer_unit, officer):
    person = officer.officer
    phone = trackers.tracker_register(actor=None, identifier="officer-phone", officer=person)
    assert report("officer-phone", key=phone.secret).status_code == 200
    assert geo(officer_unit.pk) == SQUARE


def test_wrong_keys_from_one_address_are_throttled(officer_unit, car, settings):
    settings.CREDENTIAL_FAILURE_RATE = "3/min"
    assert [report(officer_unit, key="guess").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert report(officer_unit, key=car.secret).status_code == 429  # even the right key waits out the window


def test_every_fix_keeps_its_source(officer_unit, officer, car, as_):
    token = Token.objects.create(user=f.UserFactory(username="sim"))
    f.membership(token.user, "dispatcher")
    assert report(officer_unit, key=car.secret, seconds_ago=300).status_code == 200
    body = {"fixes": [{"unit": officer_unit.pk, "lon": SQUARE[0], "lat": SQUARE[1],
                       "at": (timezone.now() - timedelta(seconds=200)).isoformat()}]}
    assert Client().post("/api/v1/positions", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    session = Client()
    session.force_login(officer)
    body["fixes"][0]["at"] = (timezone.now() - timedelta(seconds=100)).isoformat()
    assert session.post("/api/v1/positions", body, content_type="application/json").status_code == 200
    tracks.track_flush()
    assert list(TrackPoint.objects.filter(unit=officer_unit).order_by("at").values_list("source", flat=True)) == [
        f"device:{car.tracker.pk}", f"token:{token.user.pk}", f"session:{officer.pk}"]


def test_fixes_from_the_future_are_refused_on_every_path(officer_unit, car, as_):
    later = int(time.time()) + 60
    assert report(officer_unit, key=car.secret, timestamp=later).content == b"from_future"
    body = {"fixes": [{"unit": officer_unit.pk, "lon": SQUARE[0], "lat": SQUARE[1],
                       "at": (timezone.now() + timedelta(seconds=60)).isoformat()}]}
    assert as_("officer").post("/api/v1/positions", body, format="json").json()["outcomes"] == ["from_future"]
    assert geo(officer_unit.pk) is None


def test_a_jump_faster_than_a_vehicle_is_flagged_not_trusted(officer_unit):
    """Jing'an to People's Square (2.5 km) in 5 s: a spoof or a GPS fault, not a car."""
    at = timezone.now() - timedelta(seconds=30)
    first = Fix(unit_id=officer_unit.pk, lon=JINGAN[0], lat=JINGAN[1], at=at)
    jump = Fix(unit_id=officer_unit.pk, lon=SQUARE[0], lat=SQUARE[1], at=at + timedelta(seconds=5))
    result = positions.fixes_accept(fixes=[first, jump], source="batch")
    assert result.outcomes == ["accepted", "implausible_jump"]
    assert geo(officer_unit.pk) == JINGAN
    [flag] = positions.suspect_units()
    assert (flag["unit"], flag["lon"], flag["lat"]) == (officer_unit.pk, *SQUARE)
    # the unit drives on believably from where it was: trusted again, the flag gone
    on = Fix(unit_id=officer_unit.pk, lon=JINGAN[0] + 0.001, lat=JINGAN[1], at=at + timedelta(seconds=10))
    assert positions.fixes_accept(fixes=[on], source="batch").outcomes == ["accepted"]
    assert positions.suspect_units() == []


def test_a_long_drive_after_a_gap_is_believed(officer_unit):
    at = timezone.now() - timedelta(seconds=400)
    fixes = [Fix(unit_id=officer_unit.pk, lon=JINGAN[0], lat=JINGAN[1], at=at),
             Fix(unit_id=officer_unit.pk, lon=SQUARE[0], lat=SQUARE[1], at=at + timedelta(seconds=180))]
    assert positions.fixes_accept(fixes=fixes, source="batch").outcomes == ["accepted", "accepted"]


def test_the_console_stats_list_the_flagged_units(as_, officer_unit):
    at = timezone.now() - timedelta(seconds=30)
    positions.fixes_accept(fixes=[Fix(unit_id=officer_unit.pk, lon=JINGAN[0], lat=JINGAN[1], at=at),
                                  Fix(unit_id=officer_unit.pk, lon=BUND[0], lat=BUND[1], at=at + timedelta(seconds=1))],
                           source="batch")
    stats = as_("dispatcher").get("/api/v1/positions/stats").json()
    assert ([row["unit"] for row in stats["suspect_units"]], stats["rejected"]["implausible_jump"]) == ([officer_unit.pk], 1)


def test_the_endpoint_can_be_closed(officer_unit, car, settings):
    settings.AVL_DEVICE_ENDPOINT = "off"
    assert report(officer_unit, key=car.secret).status_code == 404


def test_open_mode_believes_a_registered_identifier_alone_outside_production(officer_unit, car, settings):
    settings.AVL_DEVICE_ENDPOINT = "open"
    assert report(officer_unit, key="").status_code == 200
    assert report("nobody", key="").status_code == 401


def test_production_refuses_to_start_with_the_endpoint_open():
    env = {"DJANGO_MODE": "production", "SECRET_KEY": "k" * 20 + "-production-secret-key-of-fifty-chars",
           "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "postgresql://u:p@db/x", "REDIS_URL": "redis://r:6379/0",
           "AVL_DEVICE_ENDPOINT": "open", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                             "'command.settings'; django.setup()"], env=env, cwd=settings.BASE_DIR,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "AVL_DEVICE_ENDPOINT=open is not allowed with DJANGO_MODE=production" in result.stderr


@pytest.mark.parametrize("persona, code", matrix(readers("administrator", "supervisor")))
def test_tracker_list_matrix(as_, car, persona, code):
    response = as_(persona).get("/api/v1/tracker-devices/")
    assert response.status_code == code
    if code == 200:
        assert [row["identifier"] for row in response.json()["results"]] == [car.tracker.identifier]
        assert "secret" not in response.json()["results"][0]


@pytest.mark.parametrize("persona, code", matrix(readers("administrator", code=201)))
def test_tracker_register_matrix_shows_the_key_once(as_, officer_unit, persona, code):
    body = {"identifier": "new-phone", "vehicle": officer_unit.vehicle.pk}
    response = as_(persona).post("/api/v1/tracker-devices/", body, format="json")
    assert response.status_code == code
    if code == 201:
        secret = response.json()["secret"]
        assert report("new-phone", key=secret).status_code == 200
        again = as_(persona).get(f"/api/v1/tracker-devices/{response.json()['id']}/").json()
        assert "secret" not in again


@pytest.mark.parametrize("persona, code", matrix(readers("administrator")))
def test_tracker_rotate_and_revoke_matrix(as_, car, persona, code):
    rotated = as_(persona).post(f"/api/v1/tracker-devices/{car.tracker.pk}/rotate")
    revoked = as_(persona).post(f"/api/v1/tracker-devices/{car.tracker.pk}/revoke")
    assert (rotated.status_code, revoked.status_code) == (code, code)
    assert TrackerDevice.objects.get(pk=car.tracker.pk).active is (code != 200)


def test_a_supervisor_sees_only_their_platforms_trackers(as_, car, other_platform):
    trackers.tracker_register(actor=None, identifier="elsewhere", vehicle=f.VehicleFactory(platform=other_platform))
    rows = as_("supervisor").get("/api/v1/tracker-devices/").json()["results"]
    assert [row["identifier"] for row in rows] == [car.tracker.identifier]


def test_registering_refuses_two_owners_or_none(officer_unit, officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        trackers.tracker_register(actor=None, identifier="x", vehicle=officer_unit.vehicle, officer=officer.officer)
    with pytest.raises(ValidationError):
        trackers.tracker_register(actor=None, identifier="x")


def test_the_demo_registers_every_vehicle_with_its_own_key(tmp_path, monkeypatch):
    from command.demo import trackers as demo

    monkeypatch.setattr(demo, "KEYS_FILE", tmp_path / "keys.csv")
    vehicles = [f.VehicleFactory(), f.VehicleFactory()]
    assert demo.register_demo_trackers() == 2
    assert demo.register_demo_trackers() == 0  # kept: a second seed makes no new keys
    rows = (tmp_path / "keys.csv").read_text().splitlines()
    keys = {line.split(",")[0]: line.split(",")[2] for line in rows[1:]}
    assert set(keys) == {vehicle.gps_device_id for vehicle in vehicles} and len(set(keys.values())) == 2
    assert oct((tmp_path / "keys.csv").stat().st_mode & 0o777) == "0o600"
