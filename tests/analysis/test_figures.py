"""The briefing's numbers on the hand-built history (tests/analysis/history.py), worked out by hand:
同比, 环比, P50/P90 by nearest rank, share within target, unverified arrivals, busiest hours; from the
rollups and from the raw rows alike."""
import pytest

from analysis import briefings, rollups
from analysis.periods import Period, period_of
from analysis.scopes import city_scope, platform_scope
from tests.analysis.history import WEEK, hand_built_history, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    built = hand_built_history()
    rollups.rollups_build_all()
    return built


def weekly(scope, source):
    return briefings.incident_figures(kind="weekly", period=period_of("weekly", WEEK[0]), scope=scope, source=source)


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_totals_against_last_year_and_the_week_before(city, source):
    figures = weekly(city_scope(), source)

    assert figures["period"] == {"start": "2026-11-16", "end": "2026-11-22", "days": 7}
    assert figures["previous_period"] == {"start": "2026-11-09", "end": "2026-11-15", "days": 7}
    assert figures["last_year_period"] == {"start": "2025-11-17", "end": "2025-11-23", "days": 7}
    assert figures["totals"]["incidents"] == {"value": 6, "previous": 4, "last_year": 5, "pop_pct": 50.0, "yoy_pct": 20.0}
    assert figures["totals"]["cancelled"] == {"value": 1, "previous": 0, "last_year": 0, "pop_pct": None, "yoy_pct": None}
    assert [(r["key"], r["value"], r["previous"], r["last_year"], r["pop_pct"], r["yoy_pct"])
            for r in figures["by_category"]] == [
        ("criminal", 3, 2, 4, 50.0, -25.0), ("dispute", 2, 2, 1, 0.0, 100.0), ("traffic_accident", 1, 0, 0, None, None)]
    assert [(r["key"], r["value"], r["previous"], r["last_year"]) for r in figures["by_zone"]] == [
        ("Z01", 4, 2, 4), ("Z02", 2, 2, 1)]
    assert [(r["key"], r["value"]) for r in figures["by_platform"]] == [("P01", 4), ("P02", 2)]


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_response_figures_per_class(city, source):
    response = weekly(city_scope(), source)["response"]

    assert response["city_centre"] == {
        "reached": 3, "met": 2, "share_within_target": 0.6667, "unverified_arrivals": 0, "unreached": 0,
        "p50_response_s": 150.0, "p90_response_s": 200.0, "p50_call_to_scene_s": 170.0, "p90_call_to_scene_s": 220.0}
    assert response["other"] == {
        "reached": 2, "met": 1, "share_within_target": 0.5, "unverified_arrivals": 1, "unreached": 0,
        "p50_response_s": 250.0, "p90_response_s": 320.0, "p50_call_to_scene_s": 270.0, "p90_call_to_scene_s": 340.0}
    assert response["overall"] == {
        "reached": 5, "met": 3, "share_within_target": 0.6, "unverified_arrivals": 1, "unreached": 0,
        "p50_response_s": 200.0, "p90_response_s": 320.0, "p50_call_to_scene_s": 220.0, "p90_call_to_scene_s": 340.0}
    assert response["key_site"]["reached"] == 0 and response["key_site"]["p90_response_s"] is None


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_share_within_target_against_last_year_and_the_week_before(city, source):
    assert weekly(city_scope(), source)["within_target"] == {
        "value": 0.6, "previous": 0.5, "last_year": 1.0, "pop_pct": 20.0, "yoy_pct": -40.0}


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_busiest_hours_of_the_week(city, source):
    figures = weekly(city_scope(), source)

    assert figures["hour_of_week"][0][9] == 4 and figures["hour_of_week"][5][21] == 2
    assert [(h["weekday"], h["hour"], h["incidents"]) for h in figures["busiest_hours"]] == [(1, 9, 4), (6, 21, 2)]


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_a_platform_sees_its_own_zones_only(city, source):
    figures = weekly(platform_scope(city.other_platform), source)

    assert figures["totals"]["incidents"] == {"value": 2, "previous": 2, "last_year": 1, "pop_pct": 0.0, "yoy_pct": 100.0}
    assert figures["response"]["overall"]["p90_response_s"] == 320.0


def test_a_custom_range_compares_with_the_days_before_and_a_year_before(city):
    figures = briefings.incident_figures(kind="custom", period=Period(WEEK[0], WEEK[0]), scope=city_scope())

    assert figures["previous_period"] == {"start": "2026-11-15", "end": "2026-11-15", "days": 1}
    assert figures["last_year_period"] == {"start": "2025-11-16", "end": "2025-11-16", "days": 1}
    assert figures["totals"]["incidents"]["value"] == 4


@pytest.mark.parametrize("source", ["rollups", "raw"])
def test_incidents_found_on_patrol_are_counted_beside_the_response_figures(city, source):
    """An on-view incident's crew was on scene when it was made: an incident, not a response."""
    at = local(2026, 11, 17, 10, 0)
    city.incident(at, zone=city.centre, category="public_order", response_s=0, origin="on_view")
    city.incident(at, zone=city.other, category="public_order", origin="on_view")  # no arrival stamped: not unreached
    rollups.rollups_refresh()
    figures = weekly(city_scope(), source)

    assert figures["totals"]["incidents"]["value"] == 8
    assert figures["totals"]["on_view"] == {"value": 2, "previous": 0, "last_year": 0, "pop_pct": None, "yoy_pct": None}
    assert [(n, r["reached"], r["met"], r["unreached"]) for n, r in figures["response"].items()] == [
        ("key_site", 0, 0, 0), ("city_centre", 3, 2, 0), ("other", 2, 1, 0), ("overall", 5, 3, 0)]
    assert figures["within_target"]["value"] == 0.6
