"""Bad input to the analysis API's writes (a briefing run, a hot-spot patrol): a 400 with the message
in the user's language, under the field it is about, and nothing written or queued."""
from datetime import timedelta

import h3
import pytest
from django.utils import timezone

from analysis.models import Briefing, HotSpotPatrol
from grid.models import PatrolPoint
from platforms.models import PatrolTask

pytestmark = pytest.mark.django_db
PEOPLES_SQUARE_CELL = h3.latlng_to_cell(31.2304, 121.4737, 9)


def _day(days: int) -> str:
    return str(timezone.localdate() + timedelta(days=days))


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"kind": "custom", "start": "2026-11-20", "end": "2026-11-10"}, "end", "The range ends before it starts."),
    ({"kind": "custom", "start": "2016-01-01", "end": "2026-01-01"}, "end", "The range is longer than 400 days."),
    ({"kind": "custom", "start": "2026-11-20"}, "end", "Give the last day of the range."),
    ({"kind": "weekly", "start": "2026-11-16", "district": 999999}, "district", "Unknown district."),
    ({"kind": "yearly", "start": "2026-11-16"}, "kind", '"yearly" is not a valid choice.'),
    ({"kind": "weekly", "start": "last monday"}, "start",
     "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
])
def test_a_bad_briefing_run_is_a_400_and_queues_nothing(as_, body, field, message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = as_("dispatcher").post("/api/v1/analysis/briefings", body, format="json")
    assert (response.status_code, [str(m) for m in response.data[field]]) == (400, [message])
    assert (Briefing.objects.count(), len(queued)) == (0, 0)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"cell": "not-a-cell"}, "cell", "Unknown hot-spot cell."),
    ({"cell": h3.latlng_to_cell(31.2304, 121.4737, 5)}, "cell", "Unknown hot-spot cell."),   # too coarse a cell
    ({"starts_on": _day(3), "ends_on": _day(1)}, "ends_on", "The range ends before it starts."),
    ({"starts_on": _day(1), "ends_on": _day(40)}, "ends_on", "A hot-spot patrol lasts at most 31 days."),
    ({"starts_on": _day(-5), "ends_on": _day(-1)}, "ends_on", "The patrol's days are all past."),
    ({"bands": [[17, 9]]}, "bands", "A band runs from an hour to a later hour of the same day (0-24)."),
    ({"platform": 999999}, "platform", "Unknown platform."),
    ({}, "bands", "The platform has no crew rostered in those days and bands."),   # nobody rostered here
])
def test_a_bad_hot_spot_patrol_is_a_400_and_writes_nothing(as_, platform, change, field, message):
    body = {"cell": PEOPLES_SQUARE_CELL, "platform": platform.pk, "starts_on": _day(1), "ends_on": _day(2),
            "bands": [[9, 17]], **change}
    before = PatrolPoint.objects.count()
    response = as_("administrator").post("/api/v1/analysis/hotspot-patrols", body, format="json")
    assert (response.status_code, [str(m) for m in response.data[field]]) == (400, [message])
    assert (PatrolPoint.objects.count(), HotSpotPatrol.objects.count(), PatrolTask.objects.count()) == (before, 0, 0)


def test_a_supervisor_cannot_send_a_patrol_for_another_platform(as_, other_platform):
    body = {"cell": PEOPLES_SQUARE_CELL, "platform": other_platform.pk, "starts_on": _day(1), "ends_on": _day(1),
            "bands": [[9, 17]]}
    response = as_("supervisor").post("/api/v1/analysis/hotspot-patrols", body, format="json")
    assert (response.status_code, [str(m) for m in response.data["platform"]]) == (400, ["Unknown platform."])
    assert HotSpotPatrol.objects.count() == 0
