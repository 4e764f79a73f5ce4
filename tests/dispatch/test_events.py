"""Which consoles hear of an incident (DESIGN §4): the city, and the district and platform consoles of
the incident's zone and of every unit sent to it; the unit's own tablet hears of its assignments."""
import pytest
from django.utils import timezone

from dispatch import events
from dispatch.models import Alert, Recommendation
from platforms import events as platform_events
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_lookups():
    lookups = (events.zone_platform, platform_events.platform_district, platform_events.unit_platform)
    for lookup in lookups:
        lookup.values.clear()
    yield
    for lookup in lookups:
        lookup.values.clear()


@pytest.fixture
def sent(monkeypatch):
    heard = []
    monkeypatch.setattr(platform_events, "send_now", lambda event, data, groups: heard.append((event, data, groups)))
    return heard


@pytest.fixture
def incident(platform):
    return f.IncidentFactory(zone=f.ZoneFactory(platform=platform), number="110-E1", version=3)


@pytest.fixture
def far_unit(other_platform):
    return f.UnitFactory(platform=other_platform, call_sign="外滩01")


def consoles(*platforms) -> list[str]:
    districts = list(dict.fromkeys(f"console.district.{platform.district_id}" for platform in platforms))
    return ["console.city", *districts, *(f"console.platform.{platform.pk}" for platform in platforms)]


def test_an_incident_nobody_was_sent_to_goes_to_its_zones_platform(platform, incident):
    assert events.incident_groups(incident) == consoles(platform)


def test_an_incident_outside_every_zone_goes_to_the_city_only():
    assert events.incident_groups(f.IncidentFactory(zone=None)) == ["console.city"]


def test_units_sent_from_other_platforms_bring_their_consoles_in_even_after_they_left(platform, other_platform, incident,
                                                                                       officer_unit, far_unit):
    f.AssignmentFactory(incident=incident, unit=far_unit, status="cleared", ended_at=timezone.now())
    f.AssignmentFactory(incident=incident, unit=officer_unit)
    assert events.incident_groups(incident) == consoles(platform, other_platform)


def test_the_groups_of_an_incident_cost_one_query_once_the_lookups_are_warm(platform, incident, far_unit,
                                                                            django_assert_num_queries):
    f.AssignmentFactory(incident=incident, unit=far_unit)
    events.incident_groups(incident)
    with django_assert_num_queries(1):  # its assignments: a unit sent a moment ago by another process counts
        assert events.incident_groups(incident) == consoles(platform, far_unit.platform)


def test_an_incident_never_dispatched_asks_nothing_once_the_lookups_are_warm(platform, incident,
                                                                            django_assert_num_queries):
    events.incident_groups(incident)
    with django_assert_num_queries(0):  # a new call's first ranking publishes three times on the hot path
        assert events.incident_groups(incident) == consoles(platform)


def test_an_incident_event_is_sent_after_commit_without_the_callers_name_or_phone(platform, incident, sent,
                                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.incident_changed(incident, created=True)
    [(name, data, groups)] = sent
    assert (name, data["id"], data["number"], data["version"], groups) == (
        "incident.created", incident.pk, "110-E1", 3, consoles(platform))
    assert not {"caller_name", "caller_phone"} & set(data)


def test_an_assignment_goes_where_its_incident_goes_and_to_the_units_tablet(platform, other_platform, incident, far_unit,
                                                                            sent, django_capture_on_commit_callbacks):
    assignment = f.AssignmentFactory(incident=incident, unit=far_unit, version=2)
    with django_capture_on_commit_callbacks(execute=True):
        events.assignment_changed(assignment, created=True)
    assert [(name, data["id"], data["unit"], data["version"], groups) for name, data, groups in sent] == [
        ("assignment.created", assignment.pk, far_unit.pk, 2, [*consoles(platform, other_platform), f"unit.{far_unit.pk}"])]


def test_a_recommendation_goes_where_its_incident_goes(platform, incident, officer_unit, sent,
                                                       django_capture_on_commit_callbacks):
    recommendation = Recommendation.objects.create(incident=incident, options=[{"unit": officer_unit.pk, "eta_s": 60.0}],
                                                   proposed=[officer_unit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        events.recommendation_published(recommendation)
    assert [(name, data["proposed"], groups) for name, data, groups in sent] == [
        ("incident.recommended", [officer_unit.pk], consoles(platform))]


def test_alerts_go_where_their_incident_or_unit_goes_else_to_the_command_centre(platform, other_platform, incident, far_unit,
                                                                                sent, django_capture_on_commit_callbacks):
    about_incident = Alert.objects.create(kind="at_risk", incident=incident, message="late")
    about_unit = Alert.objects.create(kind="not_acknowledged", unit=far_unit, message="quiet")
    about_nothing = Alert.objects.create(kind="no_unit", message="none")
    with django_capture_on_commit_callbacks(execute=True):
        for alert in (about_incident, about_unit, about_nothing):
            events.alert_raised(alert)
        about_unit.closed_at = timezone.now()
        events.alert_closed(about_unit)
    assert [(name, data["id"], groups) for name, data, groups in sent] == [
        ("alert.raised", about_incident.pk, consoles(platform)),
        ("alert.raised", about_unit.pk, consoles(other_platform)),
        ("alert.raised", about_nothing.pk, ["console.city"]),
        ("alert.closed", about_unit.pk, consoles(other_platform)),
    ]
