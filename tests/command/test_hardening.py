"""Issue 19, low: each a 5xx or a wrong answer before. Deep JSON, years 1 and 9999, offsets past ±14:00,
a GeoJSON with coordinates {}, a body too large, unknown fields, the four schema mismatches, /healthz with
a dependency down, fixes while Valkey is down, the CSP, one transaction per request, a draft roster deleted."""
from datetime import date, timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone

from dispatch.models import Incident
from platforms import positions, rosters
from platforms.models import RosterPeriod, Shift, TrackPoint, Unit
from tests import factories as f
from tests.platforms.roster_support import generate, staff

pytestmark = pytest.mark.django_db
DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/positions"])
def test_json_nested_thousands_deep_is_refused_before_parsing(as_, path):
    response = as_("dispatcher").post(path, DEEP, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": "The JSON is nested more than 64 levels deep."})


def test_the_device_endpoint_refuses_deep_json_too():
    response = Client().post("/osmand/", DEEP, content_type="application/json")
    assert (response.status_code, response.content) == (400, b"bad json")


def test_the_tablet_socket_decodes_with_the_bound():
    from command.consumers import LiveConsumer
    from common.json_depth import TooDeep
    from asgiref.sync import async_to_sync

    with pytest.raises(TooDeep):
        async_to_sync(LiveConsumer.decode_json)(DEEP)


def test_a_body_too_large_answers_413_in_json(as_):
    response = as_("dispatcher").post("/api/v1/incidents/", "x" * (10 * 2**20), content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (413, "application/json")
    assert response.json() == {"detail": "The request body is too large."}


def test_an_unknown_field_is_refused_and_nothing_is_made(as_):
    body = {"category": "dispute", "priority": 3, "lon": 121.4737, "lat": 31.2304, "prority": 1, "x" * 10: "y" * 10**6}
    response = as_("dispatcher").post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"prority", "x" * 10}
    assert Incident.objects.count() == 0


def test_zone_coordinates_that_are_an_object_are_refused(as_, platform):
    body = {"code": "Z9", "name": "网格", "platform": platform.pk, "response_class": "other",
            "polygon": {"type": "Polygon", "coordinates": {}}}
    response = as_("administrator").post("/api/v1/zones/", body, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("query", ["date=0001-01-01", "date=9999-12-31"])
@pytest.mark.parametrize("path", ["/api/v1/patrol-plans/", "/api/v1/patrol-tasks/"])
def test_years_one_and_9999_in_date_filters(as_, path, query):
    assert as_("supervisor").get(f"{path}?{query}").status_code == 400


@pytest.mark.parametrize("query", ["date=0001-01-01", "date=9999-12-31"])
def test_years_one_and_9999_on_coverage(as_, platform, query):
    assert as_("supervisor").get(f"/api/v1/patrol-coverage?platform={platform.pk}&{query}").status_code == 400


@pytest.mark.parametrize("path", ["/supervisor/roster/?week=9999-12-31", "/supervisor/roster/?week=0001-01-01",
                                  "/supervisor/coverage/?date=9999-12-31"])
def test_years_one_and_9999_on_the_pages(supervisor, path):
    client = Client()
    client.force_login(supervisor)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00+16:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:00:00Z"])
def test_bad_offsets_and_years_in_shift_filters(as_, value):
    response = as_("dispatcher").get("/api/v1/shifts/", {"starts_after": value})
    assert response.status_code == 400, response.content


def test_a_roster_for_year_one_is_refused_and_leaves_nothing(as_, platform):
    """Today's defect: answered 500, saved the period, 10 shifts, 144 units, and broke every list."""
    staff(platform)
    body = {"platform": platform.pk, "starts_on": "0001-01-01", "ends_on": "0001-01-02"}
    response = as_("supervisor").post("/api/v1/roster-periods/", body, format="json")
    assert response.status_code == 400
    assert (RosterPeriod.objects.count(), Shift.objects.count(), Unit.objects.count()) == (0, 0, 0)
    assert as_("dispatcher").get("/api/v1/units/").status_code == 200


def test_a_failed_request_leaves_nothing_behind(as_, platform, monkeypatch):
    """ATOMIC_REQUESTS: a roster generated, then the request failing, keeps nothing."""
    staff(platform)
    real = rosters.roster_generate

    def generate_then_fail(**kwargs):
        real(**kwargs)
        from django.core.exceptions import ValidationError

        raise ValidationError("refused after writing")

    monkeypatch.setattr(rosters, "roster_generate", generate_then_fail)
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = as_("supervisor").post("/api/v1/roster-periods/", {"platform": platform.pk, "starts_on": day,
                                                                 "ends_on": day}, format="json")
    assert response.status_code == 400
    assert (RosterPeriod.objects.count(), Shift.objects.count()) == (0, 0)


def test_a_draft_roster_can_be_deleted_an_approved_one_not(as_, platform):
    staff(platform)
    draft = generate(platform, days=1, starts_on=timezone.localdate() + timedelta(days=30))
    assert Shift.objects.count() > 0
    assert as_("supervisor").delete(f"/api/v1/roster-periods/{draft.pk}/").status_code == 204
    assert (RosterPeriod.objects.count(), Shift.objects.count(), Unit.objects.count()) == (0, 0, 0)
    approved = generate(platform, days=1, starts_on=timezone.localdate() + timedelta(days=30))
    RosterPeriod.objects.filter(pk=approved.pk).update(status="approved", approved_at=timezone.now())
    assert as_("supervisor").delete(f"/api/v1/roster-periods/{approved.pk}/").status_code == 409
    assert as_("dispatcher").delete(f"/api/v1/roster-periods/{approved.pk}/").status_code == 403


def test_a_shift_patched_back_in_time_is_refused_not_answered_in_local_mean_time(as_, platform):
    shift = f.ShiftFactory(squad__platform=platform)
    response = as_("supervisor").patch(f"/api/v1/shifts/{shift.pk}/", {"starts_at": "0001-01-01T00:00:00+08:00"},
                                       format="json")
    assert response.status_code == 400
    answered = as_("supervisor").get(f"/api/v1/shifts/{shift.pk}/").json()["starts_at"]
    assert answered.endswith("+08:00")


def test_unit_messages_and_an_accepted_recommendation_answer_lists(as_, officer_unit):
    assert isinstance(as_("dispatcher").get(f"/api/v1/units/{officer_unit.pk}/messages").json(), list)


def test_an_approve_with_bad_input_answers_the_checks_shape(as_, platform):
    staff(platform)
    period = generate(platform, days=1, starts_on=timezone.localdate() + timedelta(days=30))
    response = as_("supervisor").post(f"/api/v1/roster-periods/{period.pk}/approve", {"version": "x"}, format="json")
    assert response.status_code == 400
    assert {"version", "violations", "warnings"} <= set(response.json())


def test_healthz_names_the_dependency_that_is_down(monkeypatch):
    assert Client().get("/healthz").json()["status"] == "ok"

    def down(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(redis.Redis, "ping", down)
    response = Client().get("/healthz")
    assert (response.status_code, response.json()["down"], response["Retry-After"]) == (503, ["redis"], "5")
    assert response.json()["checks"]["database"]["status"] == "ok"



def test_healthz_asks_the_database_on_a_connection_of_its_own_with_a_short_timeout(monkeypatch):
    """Not the pool's: with PostgreSQL away the pool waits its whole timeout (20 s) for a connection."""
    import psycopg

    from command import health

    asked = []

    def refused(**params):
        asked.append(params)
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(health.psycopg, "connect", refused)
    response = Client().get("/healthz")
    assert (response.status_code, response.json()["down"], response["Retry-After"]) == (503, ["database"], "5")
    assert response.json()["checks"]["database"]["error"] == "OperationalError: connection refused"
    assert (len(asked), asked[0]["connect_timeout"], asked[0]["autocommit"]) == (1, 2, True)

def test_fixes_while_valkey_is_down_go_straight_to_postgresql(officer_unit, monkeypatch, as_):
    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(positions, "_write", down)
    stamp = timezone.now() - timedelta(seconds=5)
    body = {"fixes": [{"unit": officer_unit.pk, "lon": 121.4737, "lat": 31.2304, "at": stamp.isoformat()}]}
    response = as_("officer").post("/api/v1/positions", body, format="json")
    assert (response.status_code, response.json()["outcomes"]) == (200, ["accepted"])
    point = TrackPoint.objects.get(unit=officer_unit)
    officer_unit.refresh_from_db()
    user_id = officer_unit.officers.get().user_id
    assert (point.at, point.source, officer_unit.last_fix_at) == (stamp, f"session:{user_id}", stamp)
    again = as_("officer").post("/api/v1/positions", body, format="json")
    assert again.json()["outcomes"] == ["duplicate"]


@pytest.mark.parametrize("path", ["/login/", "/healthz"])
def test_every_page_carries_the_csp(path):
    policy = Client().get(path)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_style():
    import re
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style[\s>]")
    found = [str(path) for path in Path(settings.BASE_DIR, "templates").rglob("*.html") if inline.search(path.read_text())]
    assert found == []
