"""Officers' handsets (issue 16): an officer on duty reports their own position, stored like units' fixes
(live in Redis, tracks in PostgreSQL); one not on duty is refused with the reason; a unit on foot moves
with its officers, a car does not; the console reads who, which crew, how long ago and a crew's spread."""
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlencode

import pytest
from django.test import Client

from platforms import crews_live, handset_tracks, handsets, positions, trackers
from platforms.models import OfficerTrackPoint, VehicleKind
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture", "no_handsets")]

SQUARE = (121.4737, 31.2304)
NORTH_300_M = (121.4737, 31.2331)   # 300 m north of SQUARE


@pytest.fixture
def no_handsets():
    handsets.handsets_wipe()
    yield
    handsets.handsets_wipe()


def fix(where=SQUARE, seconds_ago=2, **extra) -> dict:
    at = datetime.now(dt_timezone.utc) - timedelta(seconds=seconds_ago)
    return {"lon": where[0], "lat": where[1], "at": at.isoformat(), **extra}


def report(client, *fixes):
    return client.post("/api/v1/handsets/fixes", {"fixes": list(fixes)}, format="json")


def person_of(user):
    return user.officer


class TestReporting:
    def test_an_officer_on_duty_reports_their_own_position(self, as_, officer, officer_unit):
        answer = report(as_("officer"), fix(accuracy=8.0))
        assert answer.status_code == 200
        assert answer.json() == {"accepted": 1, "rejected": {}, "outcomes": ["accepted"],
                                 "officers": [person_of(officer).pk]}
        live = handsets.officers_live([person_of(officer).pk])[person_of(officer).pk]
        assert (live.lon, live.lat, live.stale) == (SQUARE[0], SQUARE[1], False)

    def test_a_car_stays_where_it_is_a_unit_on_foot_moves_with_its_officer(self, as_, officer, officer_unit):
        report(as_("officer"), fix(NORTH_300_M))
        assert positions.live_positions([officer_unit.pk]) == {}          # the car reports for itself
        officer_unit.vehicle.kind = VehicleKind.ON_FOOT
        officer_unit.vehicle.save()
        report(as_("officer"), fix(NORTH_300_M, seconds_ago=1))
        moved = positions.live_positions([officer_unit.pk])[officer_unit.pk]
        assert (moved.lon, moved.lat) == NORTH_300_M

    def test_an_officer_not_on_duty_is_refused_with_the_reason_and_nothing_is_kept(self, as_, officer, officer_unit):
        officer_unit.shift.approved = False
        officer_unit.shift.save()
        answer = report(as_("officer"), fix())
        assert answer.status_code == 403
        assert answer.json() == {"detail": f"Not on duty: {person_of(officer)}. Only an officer crewing a unit on an "
                                           "approved shift under way reports a handset position; nothing was taken."}
        assert handsets.officers_live([person_of(officer).pk]) == {}
        assert handsets.handset_stats()["rejected"] == {"officer_off_duty": 1}

    def test_an_officer_may_not_report_for_another(self, as_, officer, platform):
        other = f.OfficerFactory(platform=platform)
        answer = report(as_("officer"), {**fix(), "officer": other.pk})
        assert answer.status_code == 403
        assert answer.json()["detail"] == "You may report only your own handset's position."

    def test_the_command_centre_names_each_officer(self, as_, officer, officer_unit):
        me = person_of(officer)
        assert report(as_("dispatcher"), fix()).json()["detail"] == "Name the officer of every fix."
        answer = report(as_("dispatcher"), {**fix(), "officer": me.pk}, {**fix(seconds_ago=1), "officer": me.pk})
        assert answer.json() == {"accepted": 2, "rejected": {}, "outcomes": ["accepted", "accepted"],
                                 "officers": [me.pk]}

    def test_a_malformed_fix_refuses_all_with_its_index(self, as_, officer):
        answer = report(as_("officer"), fix(), {"lon": "east", "lat": 31.2})
        assert answer.status_code == 400
        assert answer.json() == {"fixes": {"1": {"lon": ["A number is required."], "at": ["This field is required."]}}}
        assert handsets.officers_live([person_of(officer).pk]) == {}

    def test_refused_fixes_are_counted_by_reason(self, as_, officer):
        answer = report(as_("officer"), fix(seconds_ago=3), fix(seconds_ago=3), fix((0.0, 0.0), seconds_ago=1))
        assert answer.json()["outcomes"] == ["accepted", "duplicate", "out_of_area"]


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "officer")))
def test_who_may_report_a_handset(as_, persona, code, officer, officer_unit):
    body = fix() if persona == "officer" else {**fix(), "officer": person_of(officer).pk}
    assert report(as_(persona), body).status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor")))
def test_who_may_read_where_the_officers_are(as_, persona, code, officer):
    assert as_(persona).get("/api/v1/handsets/live").status_code == code


class TestTheConsolesRead:
    def test_who_which_crew_how_long_ago_and_a_crew_spread_out(self, as_, officer, officer_unit, platform):
        partner = f.OfficerFactory(platform=platform, name="王辅警", kind="auxiliary")
        officer_unit.officers.add(partner)
        positions.fixes_accept(fixes=[positions.Fix(unit_id=officer_unit.pk, lon=SQUARE[0], lat=SQUARE[1],
                                                    at=datetime.now(dt_timezone.utc))], source="test")
        report(as_("officer"), fix(NORTH_300_M))
        report(as_("dispatcher"), {**fix(SQUARE), "officer": partner.pk})
        rows = {row["name"]: row for row in as_("dispatcher").get("/api/v1/handsets/live").json()}
        assert set(rows) == {"李警官", "王辅警"}
        assert (rows["李警官"]["unit"], rows["李警官"]["call_sign"], rows["李警官"]["away_m"]) == (
            officer_unit.pk, "人广01", 300)
        assert rows["王辅警"]["away_m"] == 0
        assert rows["李警官"]["spread"] is rows["王辅警"]["spread"] is True
        assert time.time() * 1000 - rows["李警官"]["at_ms"] < 10_000

    def test_together_the_crew_is_not_spread(self, as_, officer, officer_unit):
        positions.fixes_accept(fixes=[positions.Fix(unit_id=officer_unit.pk, lon=SQUARE[0], lat=SQUARE[1],
                                                    at=datetime.now(dt_timezone.utc))], source="test")
        report(as_("officer"), fix((121.4740, 31.2305)))
        row, = crews_live.officers_on_map()
        assert (row.spread, row.away_m < 50) == (False, True)

    def test_a_supervisor_sees_their_own_platforms_officers(self, as_, officer, other_platform):
        stranger_unit = f.UnitFactory(platform=other_platform)
        stranger = f.OfficerFactory(platform=other_platform)
        stranger_unit.officers.add(stranger)
        report(as_("officer"), fix())
        report(as_("dispatcher"), {**fix(), "officer": stranger.pk})
        assert [row["id"] for row in as_("supervisor").get("/api/v1/handsets/live").json()] == [person_of(officer).pk]
        assert len(as_("dispatcher").get("/api/v1/handsets/live").json()) == 2


def test_the_track_reaches_postgresql_and_a_retry_doubles_nothing(as_, officer):
    report(as_("officer"), fix(seconds_ago=5), fix(seconds_ago=3))
    assert handset_tracks.handset_track_flush() == 2
    assert handset_tracks.handset_track_flush() == 0
    points = list(OfficerTrackPoint.objects.values_list("officer_id", "source"))
    assert points == [(person_of(officer).pk, f"session:{officer.pk}")] * 2


def test_the_sweep_takes_officers_whose_shift_ended_off_the_map(as_, officer, officer_unit):
    report(as_("officer"), fix())
    assert handsets.handsets_sweep() == 0
    officer_unit.shift.approved = False
    officer_unit.shift.save()
    assert handsets.handsets_sweep() == 1
    assert handsets.officers_live([person_of(officer).pk]) == {}


def test_a_tracker_registered_to_an_officer_is_their_handset(officer, officer_unit):
    me = person_of(officer)
    issued = trackers.tracker_register(actor=None, identifier="phone-li", officer=me)
    query = urlencode({"id": "phone-li", "key": issued.secret, "lat": NORTH_300_M[1], "lon": NORTH_300_M[0],
                       "timestamp": int(time.time() - 2)})
    assert Client().get(f"/api/v1/positions/osmand?{query}").status_code == 200
    live = handsets.officers_live([me.pk])[me.pk]
    assert (live.lon, live.lat) == NORTH_300_M
