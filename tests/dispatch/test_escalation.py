"""Escalation and honesty in the figures: a waiting call goes at risk once its wait plus the best ETA
passes the target; stale ETAs are ranked again before an accept; an arrival reported far from the
scene is accepted but unverified."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch import decisions, services, timers
from dispatch.models import Alert, Assignment, Incident, Recommendation
from tests import factories as f
from tests.dispatch.support import place
from tests.places import NANJING_EAST, PEOPLES_SQUARE

pytestmark = pytest.mark.django_db
NEAR_SCENE = (121.4747, 31.2306)   # 95 m east and 22 m north of People's Square: 97.6 m


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform)


def waiting_call(zone, *, waited_s, best_eta_s=None):
    incident = f.IncidentFactory(zone=zone, status="received", priority=3, target_s=180,
                                 received_at=timezone.now() - timedelta(seconds=waited_s))
    if best_eta_s is not None:
        Recommendation.objects.create(incident=incident, proposed=[1], options=[
            {"unit": 1, "call_sign": "人广01", "eta_s": best_eta_s, "stale": False},
            {"unit": 2, "call_sign": "人广02", "eta_s": 10.0, "stale": True}])
    return incident


class TestWaitingCallsAtRisk:
    def test_the_wait_plus_the_best_eta_against_the_target(self, zone):
        safe = waiting_call(zone, waited_s=60, best_eta_s=100)      # 160 s ≤ 180 s
        risky = waiting_call(zone, waited_s=90, best_eta_s=100)     # 190 s > 180 s (the stale 10 s unit does not count)
        unranked = waiting_call(zone, waited_s=200)                 # no unit ranked: the wait alone
        assert timers.waiting_at_risk(timezone.now()) == 2
        assert dict(Incident.objects.values_list("pk", "at_risk")) == {safe.pk: False, risky.pk: True, unranked.pk: True}
        assert sorted(Alert.objects.values_list("incident_id", "kind")) == sorted([(risky.pk, "at_risk"), (unranked.pk, "at_risk")])
        assert risky.events.get().data == {"best_eta_s": 100}

    def test_marked_once(self, zone):
        waiting_call(zone, waited_s=200)
        assert [timers.waiting_at_risk(timezone.now()) for _ in range(2)] == [1, 0]
        assert Alert.objects.count() == 1


@pytest.mark.usefixtures("demo_network")
class TestStaleRecommendations:
    @pytest.fixture
    def recommended(self, zone, platform, dispatcher):
        place(f.UnitFactory(platform=platform, call_sign="人广02"), NANJING_EAST)
        incident = f.IncidentFactory(zone=zone, priority=3)
        return decisions.incident_dispatch(incident_id=incident.pk)

    def test_a_fresh_one_is_accepted(self, recommended, dispatcher):
        made = decisions.recommendation_accept_fresh(actor=dispatcher, recommendation=recommended)
        assert [a.unit.call_sign for a in made] == ["人广02"]

    def test_an_old_one_is_ranked_again_and_refused(self, recommended, dispatcher):
        Recommendation.objects.filter(pk=recommended.pk).update(created_at=timezone.now() - timedelta(seconds=31))
        recommended.refresh_from_db()
        with pytest.raises(decisions.StaleRecommendation) as stale:
            decisions.recommendation_accept_fresh(actor=dispatcher, recommendation=recommended)
        assert stale.value.fresh.pk != recommended.pk and stale.value.fresh.proposed == recommended.proposed
        assert Assignment.objects.count() == 0
        assert [a.unit.call_sign for a in decisions.recommendation_accept_fresh(
            actor=dispatcher, recommendation=stale.value.fresh)] == ["人广02"]

    def test_a_ranked_unit_that_changed_status_makes_it_stale(self, recommended, dispatcher):
        from platforms.models import Unit

        Unit.objects.filter(pk=recommended.proposed[0]).update(status_changed_at=timezone.now())
        assert decisions.stale_reason(recommended) == "unit_changed"

    def test_the_api_answers_409_with_the_fresh_ranking(self, recommended, as_):
        Recommendation.objects.filter(pk=recommended.pk).update(created_at=timezone.now() - timedelta(seconds=31))
        response = as_("dispatcher").post(f"/api/v1/recommendations/{recommended.pk}/accept", {}, format="json")
        assert (response.status_code, response.data["code"]) == (409, "stale")
        assert response.data["recommendation"]["id"] == Recommendation.objects.latest().pk


class TestArrivalVerification:
    @pytest.fixture
    def job(self, zone, platform):
        incident = f.IncidentFactory(zone=zone, status="dispatched", lon=PEOPLES_SQUARE[0], lat=PEOPLES_SQUARE[1])
        unit = f.UnitFactory(platform=platform, status="en_route")
        return f.AssignmentFactory(incident=incident, unit=unit, status="en_route")

    def arrive(self, job, dispatcher, **kwargs):
        services.assignment_advance(actor=dispatcher, assignment=job, status="on_scene", **kwargs)
        job.refresh_from_db()
        return job, Incident.objects.get()

    def test_a_report_near_the_scene_is_verified(self, job, dispatcher):
        job, incident = self.arrive(job, dispatcher, where=NEAR_SCENE)
        assert (job.arrival_distance_m, job.arrival_verified) == (97.6, True)
        assert incident.verified_on_scene_at == incident.on_scene_at and not incident.arrival_unverified

    def test_a_report_far_away_is_accepted_but_unverified(self, job, dispatcher):
        job, incident = self.arrive(job, dispatcher, where=NANJING_EAST)
        assert (job.status, job.arrival_verified, round(job.arrival_distance_m)) == ("on_scene", False, 1294)
        assert (incident.status, incident.verified_on_scene_at, incident.arrival_unverified) == ("on_scene", None, True)

    def test_without_a_position_it_is_unverified(self, job, dispatcher, empty_live_picture):
        job, incident = self.arrive(job, dispatcher)
        assert (job.arrival_distance_m, job.arrival_verified) == (None, False)

    def test_the_live_fix_serves_when_the_report_names_no_place(self, job, dispatcher, empty_live_picture):
        place(job.unit, NEAR_SCENE)
        job, incident = self.arrive(job, dispatcher)
        assert (job.arrival_distance_m, job.arrival_verified) == (97.6, True)
