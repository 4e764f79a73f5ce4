"""The officer's traffic page (/tablet/traffic/) and the supervisor page's traffic section: who may open
them, the traffic jobs and choices the page is given, today's clocks and counts in the supervisor's scope."""
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests.api_support import matrix
from tests.traffic.conftest import on_job
from traffic.models import CongestionRecord, Violation, ViolationType

pytestmark = pytest.mark.django_db


def opened(request, persona: str, url: str):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(url)


@pytest.mark.parametrize(("persona", "code"), matrix({
    "administrator": 403, "dispatcher": 403, "supervisor": 403, "officer": 200, "clerk": 403, "leadership": 403,
    "outsider": 403, "anonymous": 302}))
def test_only_officers_open_the_traffic_page(request, persona, code):
    assert opened(request, persona, "/tablet/traffic/").status_code == code


def test_the_page_names_the_crews_traffic_job_and_the_choices(request, officer_unit, officer, platform):
    zone = f.ZoneFactory(platform=platform)
    crash = on_job("traffic_accident", zone, officer_unit)
    response = opened(request, "officer", "/tablet/traffic/")
    data = json.loads(json.dumps(response.context["traffic_data"]))
    assert data["unit"] == officer_unit.pk
    assert [(j["incident"], j["category"]) for j in data["jobs"]] == [(crash.pk, "traffic_accident")]
    assert data["choices"]["responsibility"] == [["one", "One party fully responsible"],
                                                 ["both", "Both parties share the responsibility"],
                                                 ["none", "Neither party is responsible"]]
    assert len(data["choices"]["violation_types"]) == ViolationType.objects.filter(active=True).count()


def test_the_supervisor_sees_todays_clocks_and_counts_in_scope(request, platform, other_platform, officer_unit, officer):
    zone, far_zone = f.ZoneFactory(platform=platform), f.ZoneFactory(platform=other_platform)
    jam = on_job("traffic_congestion", zone, officer_unit, arrived_ago_s=400)
    CongestionRecord.objects.create(incident=jam, cause="volume", lanes_affected=2,
                                    flowing_at=jam.arrived_at + timedelta(seconds=240), recorded_by=officer)
    red = ViolationType.objects.get(code="1625")
    person = officer_unit.officers.get()
    Violation.objects.create(officer=person, unit=officer_unit, platform=platform, zone=zone, lon=121.47, lat=31.23,
                             at=timezone.now(), violation_type=red, plate="沪A12345", recorded_by=officer)
    f.IncidentFactory(zone=far_zone, category="traffic_congestion")
    context = opened(request, "supervisor", "/supervisor/").context
    clocks = dict(context["clocks"])
    overall = dict(clocks["congestion"])["overall"]
    assert (overall["arrived"], overall["handled"], overall["met"], overall["mean_s"]) == (1, 1, 1, 240.0)
    assert [(row["label"], row["violations"]) for row in context["counts"]] == [(f"{person.name} ({person.badge_number})", 1)]
    assert context["totals"]["violations"] == 1


def test_the_control_point_form_asks_whose_point_only_of_those_with_several_platforms(request, platform, other_platform):
    assert list(opened(request, "supervisor", "/supervisor/").context["control_platforms"]) == []
    assert list(opened(request, "administrator", "/supervisor/").context["control_platforms"]) == [platform, other_platform]
