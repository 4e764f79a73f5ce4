"""The rollups equal the raw computation, also after new incidents arrive and old ones change: the
refresh takes up exactly the days whose timelines moved; the hot spots' cell counts too."""
from collections import Counter
from datetime import timedelta

import h3
import pytest
from django.utils import timezone

from analysis import briefings, hotspots, rollups
from analysis.hotspots import Band
from analysis.models import DailyRollup
from analysis.periods import Period, period_of
from analysis.scopes import city_scope, platform_scope
from dispatch.models import EventKind, Incident, IncidentEvent
from tests.analysis.history import WEEK, hand_built_history, local

pytestmark = pytest.mark.django_db


def both(kind, start, scope):
    period = period_of(kind, start)
    return [briefings.incident_figures(kind=kind, period=period, scope=scope, source=s) for s in ("rollups", "raw")]


def test_rollups_equal_raw_after_new_incidents_and_changes():
    city = hand_built_history()
    rollups.rollups_build_all()
    # new calls in the week, one the day before it, and a late arrival on an old incident
    city.incident(local(2026, 11, 18, 3, 10), zone=city.other, category="rescue", response_s=75)
    city.incident(local(2026, 11, 22, 23, 59), zone=city.centre, category="criminal", response_s=181, verified=False)
    city.incident(local(2026, 11, 15, 12, 0), zone=city.centre, category="other")
    old = city.incident(local(2026, 11, 16, 8, 0), zone=city.centre, category="dispute")
    assert both("weekly", WEEK[0], city_scope())[0]["totals"]["incidents"]["value"] == 6  # not taken up yet

    rebuilt = rollups.rollups_refresh()
    assert rebuilt == 4  # 15, 16, 18 and 22 November
    old.on_scene_at = old.dispatched_at = old.received_at + timedelta(minutes=2)
    old.save()
    IncidentEvent.objects.create(incident=old, kind=EventKind.ON_SCENE, at=old.on_scene_at)
    assert rollups.rollups_refresh() >= 1

    for kind, start in (("weekly", WEEK[0]), ("daily", WEEK[0]), ("monthly", WEEK[0]), ("weekly", WEEK[0] - timedelta(days=7))):
        for scope in (city_scope(), platform_scope(city.centre_platform), platform_scope(city.other_platform)):
            from_rollups, from_raw = both(kind, start, scope)
            assert from_rollups == from_raw, (kind, start, scope)
    weekly = both("weekly", WEEK[0], city_scope())[0]
    assert weekly["totals"]["incidents"]["value"] == 9
    assert weekly["response"]["city_centre"]["met"] == 3  # 181 s is late; the 2-minute arrival is in time


def test_a_refresh_with_nothing_new_rebuilds_nothing():
    hand_built_history()
    rollups.rollups_build_all()
    count = DailyRollup.objects.count()
    assert (rollups.rollups_refresh(), DailyRollup.objects.count()) == (0, count)


def raw_cell_counts(period, *, category, band, resolution):
    """The hot spots' counts worked out from the incidents themselves, one by one."""
    counts = Counter()
    for incident in Incident.objects.all():
        at = timezone.localtime(incident.received_at)
        if period.start <= at.date() <= period.end and at.hour in band.hours and category in (None, incident.category):
            counts[h3.latlng_to_cell(incident.lat, incident.lon, resolution)] += 1
    return counts


def test_cell_rollups_equal_raw_counts_after_new_incidents():
    city = hand_built_history()
    rollups.rollups_build_all()
    city.incident(local(2026, 11, 18, 23, 30), zone=city.other, category="dispute", response_s=75)
    city.incident(local(2026, 11, 19, 2, 15), zone=city.centre, category="criminal")
    city.incident(local(2026, 11, 20, 9, 40), zone=city.centre, category="criminal", cancelled=True)
    rollups.rollups_refresh()

    period = Period(WEEK[0] - timedelta(days=7), WEEK[1])
    for category, band, resolution in ((None, Band(), 9), ("criminal", Band(), 9), ("dispute", Band(21, 24), 9),
                                       (None, Band(22, 7), 8), (None, Band(9, 10), 7)):
        ours = hotspots.cell_counts(period, category=category, band=band, resolution=resolution)
        assert ours == raw_cell_counts(period, category=category, band=band, resolution=resolution), (category, band)
    assert sum(hotspots.cell_counts(period, category=None, band=Band(), resolution=9).values()) == 13
