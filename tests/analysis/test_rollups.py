"""The rollups equal the raw computation, also after new incidents arrive and old ones change: the
refresh takes up exactly the days whose timelines moved."""
from datetime import timedelta

import pytest

from analysis import briefings, rollups
from analysis.models import DailyRollup
from analysis.periods import period_of
from analysis.scopes import city_scope, platform_scope
from dispatch.models import EventKind, IncidentEvent
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
