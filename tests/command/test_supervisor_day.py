"""The supervisor page's day: officers on duty, today's incidents and their 1/3/5 figures, scoped."""
from datetime import timedelta

import pytest
from django.utils import timezone

from command import selectors
from tests import factories as f
from tests.command.logins import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(platform, other_platform, officer_unit, officer):
    now = timezone.now()
    zone, far_zone = f.ZoneFactory(platform=platform), f.ZoneFactory(platform=other_platform)
    reached = f.IncidentFactory(zone=zone, number="110-MET", target_s=180, status="on_scene", received_at=now - timedelta(seconds=100),
                                dispatched_at=now - timedelta(seconds=90), on_scene_at=now - timedelta(seconds=30))
    late = f.IncidentFactory(zone=zone, number="110-LATE", target_s=60, status="on_scene", received_at=now - timedelta(seconds=400),
                             dispatched_at=now - timedelta(seconds=300), on_scene_at=now - timedelta(seconds=100))
    f.IncidentFactory(zone=zone, number="110-OPEN", received_at=now - timedelta(seconds=5))
    f.IncidentFactory(zone=far_zone, number="110-FAR", received_at=now - timedelta(seconds=5))
    f.IncidentFactory(zone=zone, number="110-OLD", received_at=now - timedelta(days=2))
    far_unit = f.UnitFactory(platform=other_platform)
    far_unit.officers.add(f.OfficerFactory(platform=other_platform, name="外滩警官"))
    off_shift = f.UnitFactory(platform=platform, shift__starts_at=now - timedelta(days=1))
    off_shift.officers.add(f.OfficerFactory(platform=platform, name="昨日警官"))
    return reached, late


def test_the_day_in_a_supervisors_scope(day, platform):
    data = selectors.supervisor_day({platform.pk})
    assert [o.name for o in data["officers_on_duty"]] == ["李警官"]
    assert [i.number for i in data["incidents_today"]] == ["110-OPEN", "110-MET", "110-LATE"]
    figures = dict(data["figures_today"])
    assert (figures["city_centre"]["incidents"], figures["city_centre"]["met"], figures["city_centre"]["mean_response_s"]) == (1, 1, 60.0)
    assert (figures["key_site"]["incidents"], figures["key_site"]["met"], figures["key_site"]["mean_response_s"]) == (1, 0, 200.0)
    assert (figures["overall"]["incidents"], figures["overall"]["met"], figures["other"]["incidents"]) == (2, 1, 0)
    assert data["unreached_today"] == 1


def test_the_supervisor_page_shows_the_day(client, supervisor, day):
    login(client, supervisor)
    html = client.get("/supervisor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="officers-on-duty"' in html and "李警官" in html and "外滩警官" not in html and "昨日警官" not in html
    assert "110-MET" in html and "110-FAR" not in html and "110-OLD" not in html
    assert '<tr data-class="overall">' in html
