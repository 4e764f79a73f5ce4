"""The engine over HTTP: recommendations and the one-click accept, re-ranking, close and cancel,
alerts, mobilizations and the 1/3/5 figures; who may do what; conflicts answer 409."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch import decisions
from dispatch.models import Alert, Assignment, Incident, Mobilization
from tests import factories as f
from tests.api_support import matrix, readers
from tests.dispatch.support import place

pytestmark = pytest.mark.django_db

PEOPLES_SQUARE = (121.4737, 31.2304)
NEARBY = (121.4760, 31.2310)
COMMAND = ("administrator", "dispatcher")


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform, response_class="city_centre")


@pytest.fixture
def unit(platform):
    return place(f.UnitFactory(platform=platform, call_sign="人广02"), NEARBY)


@pytest.fixture
def recommended(zone, unit):
    """A P3 call with the engine's recommendation, waiting for the dispatcher."""
    incident = f.IncidentFactory(zone=zone, priority=3)
    decisions.incident_dispatch(incident_id=incident.pk)
    return incident


class TestRecommendations:
    # An officer reads incidents they are sent to, and this one is nobody's yet: 404.
    @pytest.mark.parametrize(("persona", "code"), matrix({**readers(*COMMAND, "supervisor"), "officer": 404}))
    def test_read_the_latest(self, as_, recommended, unit, persona, code):
        response = as_(persona).get(f"/api/v1/incidents/{recommended.pk}/recommendation")
        assert response.status_code == code
        if code == 200:
            assert (response.data["proposed"], response.data["options"][0]["call_sign"]) == ([unit.pk], "人广02")

    def test_none_yet_is_a_404_that_says_why(self, as_, zone):
        incident = f.IncidentFactory(zone=zone)
        response = as_("dispatcher").get(f"/api/v1/incidents/{incident.pk}/recommendation")
        assert (response.status_code, str(response.data["detail"])) == (
            404, "The engine has not ranked units for this incident yet.")

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, code=201)))
    def test_accept(self, as_, recommended, unit, persona, code):
        rec = recommended.recommendations.get()
        response = as_(persona).post(f"/api/v1/recommendations/{rec.pk}/accept", {}, format="json")
        assert response.status_code == code
        assert Assignment.objects.filter(unit=unit).count() == (1 if code == 201 else 0)

    def test_accepting_twice_is_a_conflict_and_changes_nothing(self, as_, recommended):
        rec = recommended.recommendations.get()
        api = as_("dispatcher")
        assert api.post(f"/api/v1/recommendations/{rec.pk}/accept", {}, format="json").status_code == 201
        again = api.post(f"/api/v1/recommendations/{rec.pk}/accept", {}, format="json")
        assert (again.status_code, Assignment.objects.count()) == (409, 1)
        assert "superseded or already acted on" in str(again.data)

    @pytest.mark.parametrize("body", [{"units": []}, {"units": ["x"]}, {"units": [424242]}, {"units": "7"}])
    def test_bad_picks_are_refused(self, as_, recommended, body):
        rec = recommended.recommendations.get()
        response = as_("dispatcher").post(f"/api/v1/recommendations/{rec.pk}/accept", body, format="json")
        assert (response.status_code, Assignment.objects.count()) == (400, 0)
        assert "units" in response.data

    def test_rank_again_on_request(self, as_, recommended):
        response = as_("dispatcher").post(f"/api/v1/incidents/{recommended.pk}/recommend")
        assert response.status_code == 200
        assert recommended.recommendations.count() == 2
        assert as_("supervisor").post(f"/api/v1/incidents/{recommended.pk}/recommend").status_code == 403


class TestCloseAndCancel:
    def test_cancel_needs_a_reason_and_frees_the_units(self, as_, recommended, unit):
        api = as_("dispatcher")
        api.post(f"/api/v1/recommendations/{recommended.recommendations.get().pk}/accept", {}, format="json")
        assert api.post(f"/api/v1/incidents/{recommended.pk}/cancel", {"reason": ""}, format="json").status_code == 400
        response = api.post(f"/api/v1/incidents/{recommended.pk}/cancel", {"reason": "duplicate"}, format="json")
        assert response.status_code == 200 and response.data["status"] == "cancelled"
        unit.refresh_from_db()
        assert (unit.status, Assignment.objects.get().status) == ("available", "cancelled")

    def test_only_a_cleared_incident_closes(self, as_, recommended):
        body = {"disposition": "resolved", "result": "已回访"}
        response = as_("dispatcher").post(f"/api/v1/incidents/{recommended.pk}/close", body, format="json")
        assert response.status_code == 409
        Incident.objects.filter(pk=recommended.pk).update(status="cleared")
        response = as_("dispatcher").post(f"/api/v1/incidents/{recommended.pk}/close", body, format="json")
        assert (response.status_code, response.data["status"], response.data["closing"]) == (200, "closed", "resolved")
        assert recommended.events.last().data == {"disposition": "resolved", "result": "已回访"}


class TestStaleTabletUpdates:
    def test_a_step_made_against_an_older_version_is_refused(self, as_, recommended):
        api = as_("dispatcher")
        api.post(f"/api/v1/recommendations/{recommended.recommendations.get().pk}/accept", {}, format="json")
        assignment = Assignment.objects.get()
        url = f"/api/v1/assignments/{assignment.pk}/status"
        assert api.post(url, {"status": "acknowledged", "expected_version": 1}, format="json").status_code == 200
        late = api.post(url, {"status": "en_route", "expected_version": 1}, format="json")
        assert late.status_code == 409 and "changed since your update" in str(late.data)
        assignment.refresh_from_db()
        assert (assignment.status, assignment.version) == ("acknowledged", 2)


class TestAlerts:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, "supervisor")))
    def test_list(self, as_, zone, persona, code):
        incident = f.IncidentFactory(zone=zone)
        Alert.objects.create(kind="at_risk", incident=incident, message="at risk")
        response = as_(persona).get("/api/v1/alerts/?closed_at__isnull=true")
        assert response.status_code == code
        if code == 200:
            assert [a["kind"] for a in response.data["results"]] == ["at_risk"]

    def test_close(self, as_, dispatcher):
        alert = Alert.objects.create(kind="no_unit", message="no unit")
        assert as_("supervisor").post(f"/api/v1/alerts/{alert.pk}/close").status_code == 403
        response = as_("dispatcher").post(f"/api/v1/alerts/{alert.pk}/close")
        assert (response.status_code, response.data["closed_by"]) == (200, dispatcher.pk)


class TestMobilizations:
    ORDER = {"lon": PEOPLES_SQUARE[0], "lat": PEOPLES_SQUARE[1], "head_count": 2, "deadline_s": 600, "reason": "集结"}

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, code=201)))
    def test_propose(self, as_, unit, persona, code):
        unit.officers.add(f.OfficerFactory(platform=unit.platform), f.OfficerFactory(platform=unit.platform))
        response = as_(persona).post("/api/v1/mobilizations/", self.ORDER, format="json")
        assert response.status_code == code
        if code == 201:
            proposal = response.data["proposal"]
            assert ([u["unit"] for u in proposal["units"]], proposal["officers"], proposal["met"]) == ([unit.pk], 2, True)

    @pytest.mark.parametrize(("change", "field"), [
        ({"head_count": 0}, "head_count"), ({"deadline_s": 30}, "deadline_s"), ({"lat": 40.0}, "lon"),
        ({"reason": ""}, "reason"), ({"lon": "east"}, "lon"),
    ])
    def test_bad_orders(self, as_, change, field):
        response = as_("dispatcher").post("/api/v1/mobilizations/", {**self.ORDER, **change}, format="json")
        assert (response.status_code, field in response.data) == (400, True)
        assert not Mobilization.objects.exists()

    def test_confirm_dispatches(self, as_, unit):
        unit.officers.add(f.OfficerFactory(platform=unit.platform))
        api = as_("dispatcher")
        proposed = api.post("/api/v1/mobilizations/", self.ORDER, format="json").data
        response = api.post(f"/api/v1/mobilizations/{proposed['id']}/confirm")
        assert (response.status_code, response.data["status"], response.data["proposal"]["sent"]) == (200, "confirmed", [unit.pk])
        assert api.post(f"/api/v1/mobilizations/{proposed['id']}/confirm").status_code == 409


class TestFigures:
    def test_per_class_and_overall(self, as_, zone):
        now = timezone.now()

        def reached(target_s, response_s, call_wait_s=20, verified_s=None):
            verified = None if verified_s is None else now + timedelta(seconds=call_wait_s + verified_s)
            f.IncidentFactory(zone=zone, target_s=target_s, status="closed", received_at=now,
                              dispatched_at=now + timedelta(seconds=call_wait_s),
                              on_scene_at=now + timedelta(seconds=call_wait_s + response_s), verified_on_scene_at=verified)

        reached(60, 50)                  # an arrival resting on a report alone: counted, and counted beside
        reached(60, 40, verified_s=58)   # reported at 40 s, a fix near the scene at 58 s: the verified one counts
        reached(180, 170, verified_s=170)
        reached(300, 200, verified_s=310)
        f.IncidentFactory(zone=zone, status="waiting")
        f.IncidentFactory(zone=zone, status="on_scene", origin="on_view", received_at=now, dispatched_at=now,
                          on_scene_at=now, verified_on_scene_at=now)  # found on patrol: no response to judge
        response = as_("dispatcher").get("/api/v1/incidents/figures")
        assert response.status_code == 200
        figures = response.data
        assert figures["key_site"] == {"incidents": 2, "met": 2, "fraction_met": 1.0, "mean_response_s": 54.0,
                                       "p90_response_s": 58.0, "mean_call_to_scene_s": 74.0, "unverified_arrivals": 1}
        assert (figures["city_centre"]["met"], figures["other"]["met"]) == (1, 0)
        assert (figures["overall"]["incidents"], figures["overall"]["fraction_met"]) == (4, 0.75)
        assert figures["overall"]["unverified_arrivals"] == 1
        assert (figures["waiting_or_unreached"], figures["on_view"]) == (1, 1)

    def test_a_bad_window_is_a_400(self, as_):
        assert as_("dispatcher").get("/api/v1/incidents/figures?since=yesterday").status_code == 400


def test_closing_an_alert_tells_every_console(as_, monkeypatch, django_capture_on_commit_callbacks):
    from platforms import events as platform_events

    sent = []
    monkeypatch.setattr(platform_events, "send_now", lambda event, data, groups: sent.append((event, data["id"], groups)))
    alert = Alert.objects.create(kind="no_unit", message="no unit")
    with django_capture_on_commit_callbacks(execute=True):
        assert as_("dispatcher").post(f"/api/v1/alerts/{alert.pk}/close").status_code == 200
        assert as_("dispatcher").post(f"/api/v1/alerts/{alert.pk}/close").status_code == 200   # again: no news
    assert sent == [("alert.closed", alert.pk, ["console.city"])]
