"""Issue 19, medium 4: one audit trail of every write outside the incident timeline and the rosters'
record (who, when, from what to what, from which address), readable by administrators and by
supervisors for their own platform, with logins, lockouts and every reading of a caller's number."""
from datetime import timedelta
from datetime import timezone as dt_timezone

import pytest
from django.test import Client

from dispatch.models import PhoneReveal
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db


def entries(api, **params):
    response = api.get("/api/v1/audit", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_unit_status_set_by_hand_keeps_its_actor_and_address(as_, officer_unit, dispatcher):
    api = as_("dispatcher")
    response = api.post(f"/api/v1/units/{officer_unit.pk}/status", {"status": "unavailable", "reason": "车辆故障"},
                        format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content
    [change] = [e for e in entries(as_("administrator"), kind="change")
                if e["subject"].endswith(officer_unit.call_sign) and e["summary"] == "changed"]
    assert (change["actor"], change["address"], change["changes"]["status"]) == (
        "dispatcher", "10.1.2.3", [officer_unit.status, "unavailable"])


def test_a_vehicles_gps_device_id_change_is_recorded(as_, officer_unit, supervisor):
    """Today's defect: a supervisor pointed a car at their own phone and nothing recorded it."""
    vehicle = officer_unit.vehicle
    old = vehicle.gps_device_id
    response = as_("supervisor").patch(f"/api/v1/vehicles/{vehicle.pk}/", {"gps_device_id": "my-phone"}, format="json")
    assert response.status_code == 200, response.content
    def edits(api):
        return [e for e in entries(api, kind="change") if "gps_device_id" in e["changes"] and e["summary"] == "changed"]

    [change] = edits(as_("administrator"))
    assert (change["actor"], change["changes"]["gps_device_id"]) == ("supervisor", [old, "my-phone"])
    assert [e["changes"]["gps_device_id"] for e in edits(as_("supervisor"))] == [[old, "my-phone"]]


def test_an_officers_active_flag_zone_and_shift_changes_are_recorded(as_, officer_unit, platform):
    person = f.OfficerFactory(platform=platform)
    zone = f.ZoneFactory(platform=platform)
    admin = as_("administrator")
    assert admin.patch(f"/api/v1/officers/{person.pk}/", {"active": False}, format="json").status_code == 200
    assert admin.patch(f"/api/v1/zones/{zone.pk}/", {"name": "新网格"}, format="json").status_code == 200
    changed = {field for e in entries(admin, kind="change") for field in e["changes"]}
    assert {"active", "name"} <= changed



def test_key_site_and_shift_edits_are_recorded_from_what_to_what(as_, officer_unit):
    site, shift = f.KeySiteFactory(radius_m=300), officer_unit.shift
    admin = as_("administrator")
    assert admin.patch(f"/api/v1/key-sites/{site.pk}/", {"radius_m": 500}, format="json").status_code == 200
    later = shift.ends_at + timedelta(hours=1)
    response = admin.patch(f"/api/v1/shifts/{shift.pk}", {"ends_at": later.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    changes = [e["changes"] for e in entries(admin, kind="change") if e["summary"] == "changed"]
    assert {"radius_m": [300, 500]} in changes
    naive_utc = [str(moment.astimezone(dt_timezone.utc).replace(tzinfo=None)) for moment in (shift.ends_at, later)]
    assert {"ends_at": naive_utc} in changes

def test_a_supervisor_reads_only_their_platforms_changes(as_, platform, other_platform):
    mine, theirs = f.VehicleFactory(platform=platform), f.VehicleFactory(platform=other_platform)
    admin = as_("administrator")
    for vehicle in (mine, theirs):
        assert admin.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"plate": "沪A0001"}, format="json").status_code == 200
    subjects = {e["subject"] for e in entries(as_("supervisor"), kind="change")}
    assert any(mine.call_number in s for s in subjects) and not any(theirs.call_number in s for s in subjects)


def test_phone_reveals_and_logins_are_in_the_trail(as_, dispatcher, platform):
    incident = f.IncidentFactory(zone=f.ZoneFactory(platform=platform))
    PhoneReveal.objects.create(incident=incident, user=dispatcher)
    dispatcher.set_password("pw-123-secret")
    dispatcher.save()
    assert Client().post("/login/", {"username": "dispatcher", "password": "pw-123-secret"},
                         REMOTE_ADDR="10.9.9.9").status_code == 302
    found = {(e["kind"], e["actor"]) for e in entries(as_("administrator"))}
    assert {("phone_reveal", "dispatcher"), ("login", "dispatcher")} <= found
    assert ("phone_reveal", "dispatcher") in {(e["kind"], e["actor"]) for e in entries(as_("supervisor"))}


def test_a_supervisor_is_not_shown_failed_logins(as_):
    Client().post("/login/", {"username": "nobody", "password": "x"})
    assert [e["kind"] for e in entries(as_("administrator"), kind="login_failure")] == ["login_failure"]
    assert entries(as_("supervisor"), kind="login_failure") == []


def test_bad_audit_queries_are_refused(as_):
    response = as_("administrator").get("/api/v1/audit", {"kind": "everything", "limit": 5000})
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "limit"}


@pytest.mark.parametrize("persona, code", matrix(readers("administrator", "supervisor")))
def test_audit_matrix(as_, persona, code):
    assert as_(persona).get("/api/v1/audit").status_code == code


@pytest.mark.parametrize("persona, code", [("administrator", 200), ("supervisor", 200), ("dispatcher", 403),
                                           ("officer", 403), ("clerk", 403), ("leadership", 403), ("outsider", 403)])
def test_audit_page(request, persona, code, as_):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/audit/")
    assert response.status_code == code
