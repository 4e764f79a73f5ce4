"""The analysis API: every endpoint for every persona (officers and clerks reach none of it, leadership
reads everything and changes nothing, a platform's supervisor sees only their platform), and bad input
answered 400 with a message, never a 500 or a runaway query."""
from datetime import timedelta

import h3
import pytest
from django.utils import timezone

from analysis import rollups
from analysis.models import Briefing, HotSpotPatrol
from platforms.models import PatrolTask
from tests import factories as f
from tests.platforms import roster_support
from tests.analysis.history import hand_built_history
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db

READ = readers("administrator", "dispatcher", "supervisor", "leadership")
PEOPLES_SQUARE_CELL = h3.latlng_to_cell(31.2304, 121.4737, 9)


@pytest.fixture
def world(platform, officer_unit):
    city = hand_built_history(platform)
    rollups.rollups_build_all()
    incident = city.incident(timezone.now() - timedelta(hours=2), zone=city.centre, category="criminal", response_s=90)
    elsewhere = city.incident(timezone.now() - timedelta(hours=2), zone=city.other, category="dispute", response_s=90)
    mine = Briefing.objects.create(kind="daily", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                                   platform=platform, status="done", figures={})
    city_wide = Briefing.objects.create(kind="daily", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                                        status="done", figures={})
    return {"city": city, "incident": incident, "elsewhere": elsewhere, "mine": mine, "city_wide": city_wide,
            "unit": officer_unit}


def get(as_, persona, url):
    return as_(persona).get(url)


@pytest.mark.parametrize(("persona", "code"), matrix(READ))
@pytest.mark.parametrize("url", ["/api/v1/analysis/incidents?q=110", "/api/v1/analysis/incidents/points",
                                 "/api/v1/analysis/briefings", "/api/v1/analysis/hotspot-patrols",
                                 "/api/v1/analysis/figures?kind=weekly&start=2026-11-16"])
def test_who_may_read(as_, world, persona, code, url):
    if persona == "supervisor" and "figures" in url:
        code = 200  # their own platform, the scope they get when they name none
    assert get(as_, persona, url).status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix({**READ, "supervisor": 200}))
def test_who_may_trace_an_incident(as_, world, persona, code):
    assert get(as_, persona, f"/api/v1/analysis/incidents/{world['incident'].pk}/trace").status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix({**READ, "supervisor": 404}))
def test_a_supervisor_cannot_trace_another_platforms_incident(as_, world, persona, code):
    assert get(as_, persona, f"/api/v1/analysis/incidents/{world['elsewhere'].pk}/trace").status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor", code=202)))
def test_who_may_run_a_briefing(as_, world, persona, code, django_capture_on_commit_callbacks):
    before = Briefing.objects.count()
    with django_capture_on_commit_callbacks():
        response = as_(persona).post("/api/v1/analysis/briefings", {"kind": "weekly", "start": "2026-11-16"}, format="json")
    assert response.status_code == code
    assert Briefing.objects.count() == before + (1 if code == 202 else 0)


@pytest.fixture
def rostered(world, platform):
    """Tomorrow's roster of the supervisor's platform, generated as a supervisor would (five staffed
    squads, the rotation, crews in every shift)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    roster_support.generate(roster_support.staff(platform), days=1, starts_on=tomorrow)
    return tomorrow


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "supervisor", code=201)))
def test_who_may_send_a_hot_spot_patrol(as_, rostered, persona, code, platform):
    body = {"cell": PEOPLES_SQUARE_CELL, "platform": platform.pk, "starts_on": str(rostered), "ends_on": str(rostered),
            "bands": [[9, 17]]}
    response = as_(persona).post("/api/v1/analysis/hotspot-patrols", body, format="json")
    assert response.status_code == code
    if code != 201:
        assert (HotSpotPatrol.objects.count(), PatrolTask.objects.count()) == (0, 0)
        return
    sent = HotSpotPatrol.objects.get()
    # 09-17 spans the day shift (08-16) and the evening one (16-24): a band and a crew in each shift's plan.
    at_the_spot = PatrolTask.objects.filter(point=sent.point).order_by("band__starts_at")
    assert [(t.band.plan.shift.kind, timezone.localtime(t.band.starts_at).hour, timezone.localtime(t.band.ends_at).hour,
             t.unit.shift_id == t.band.plan.shift_id) for t in at_the_spot] == [("day", 9, 16, True), ("evening", 16, 17, True)]
    assert set(sent.tasks.all()) == set(at_the_spot)
    assert [t["unit_id"] for t in response.data["effect"]["tasks"]] == [t.unit_id for t in sent.tasks.order_by("band__starts_at")]


def test_a_supervisor_lists_their_platforms_briefings_only(as_, world):
    ids = [row["id"] for row in as_("supervisor").get("/api/v1/analysis/briefings").data["results"]]
    assert ids == [world["mine"].pk]
    assert as_("supervisor").get(f"/api/v1/analysis/briefings/{world['city_wide'].pk}").status_code == 404
    assert {row["id"] for row in as_("leadership").get("/api/v1/analysis/briefings").data["results"]} == {
        world["mine"].pk, world["city_wide"].pk}


def test_a_supervisors_search_covers_their_platform_only(as_, world):
    found = as_("supervisor").get("/api/v1/analysis/incidents", {"since": "2026-01-01", "until": "2026-12-31"}).data
    assert {row["zone"] for row in found["results"]} == {"Z01"}


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"since": "2026-11-20", "until": "2026-11-10"}, "until", "The range ends before it starts."),
    ({"since": "2016-01-01", "until": "2026-01-01"}, "until", "The range is longer than 400 days."),
    ({"platform": 999999}, "platform", "Unknown platform."),
    ({"area": "[[121.47, 31.23], [121.48, 31.24], [121.48, 31.23], [121.47, 31.24]]"}, "area",
     "The area crosses itself: draw it again without crossing lines."),
    ({"page_size": 1000}, "page_size", "Ensure this value is less than or equal to 100."),
    ({"category": "theft"}, "category", "Unknown category."),
    ({"since": "yesterday"}, "since", "Give a date (2026-01-31) or a date and time (2026-01-31T08:00)."),
])
def test_bad_search_input_is_a_400_with_a_message(as_, world, params, field, message):
    response = as_("dispatcher").get("/api/v1/analysis/incidents", params)
    assert response.status_code == 400
    assert [str(m) for m in response.data[field]] == [message]


@pytest.mark.parametrize(("url", "field", "message"), [
    ("/api/v1/analysis/figures?kind=custom&start=2026-11-20&end=2026-11-10", "end", "The range ends before it starts."),
    ("/api/v1/analysis/figures?kind=custom&start=2016-01-01&end=2026-01-01", "end", "The range is longer than 400 days."),
    ("/api/v1/analysis/figures?kind=weekly&start=2026-11-16&platform=999999", "platform", "Unknown platform."),
    ("/api/v1/analysis/hotspots?start=2026-11-20&end=2026-11-10", "end", "The range ends before it starts."),
    ("/api/v1/analysis/hotspots?start=2016-11-20&end=2026-11-10", "end", "The range is longer than 400 days."),
    ("/api/v1/analysis/tracks?unit=1&since=2026-11-20&until=2026-11-10", "until", "The range ends before it starts."),
    ("/api/v1/analysis/tracks?unit=1&since=2016-11-20&until=2026-11-10", "until", "A playback covers at most 24 hours."),
])
def test_bad_analysis_input_is_a_400_with_a_message(as_, world, url, field, message):
    response = as_("leadership").get(url)
    assert response.status_code == 400
    assert [str(m) for m in response.data[field]] == [message]


def test_an_unknown_platform_for_a_briefing_run_is_a_400_and_queues_nothing(as_, world):
    response = as_("dispatcher").post("/api/v1/analysis/briefings", {"kind": "weekly", "start": "2026-11-16", "platform": 999999},
                                      format="json")
    assert (response.status_code, [str(m) for m in response.data["platform"]]) == (400, ["Unknown platform."])
    assert Briefing.objects.count() == 2


def test_the_search_finds_chinese_text_and_masks_nothing_it_should_not_show(as_, world):
    f.IncidentFactory(zone=world["city"].centre, description="自行车被盗窃", received_at=timezone.now() - timedelta(hours=1))
    found = as_("leadership").get("/api/v1/analysis/incidents", {"q": "盗窃"}).data
    assert found["count"] == 1 and "caller_phone" not in found["results"][0]
