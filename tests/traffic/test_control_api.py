"""Traffic control points and closures through the API: who may place, change and cancel them and who reads
them (the permission matrix), a supervisor only for their own platform, a closure drawn along a road routed
around while active and open again once cancelled, and a window that ends before it starts refused."""
from datetime import timedelta

import pytest
from django.utils import timezone

from grid import closures, travel
from tests import factories as f
from tests.api_support import client_as, matrix, readers
from tests.places import FAR_WEST, PEOPLES_SQUARE
from traffic.models import ControlPoint, RoadClosure

pytestmark = pytest.mark.django_db
PLACERS = readers("administrator", "dispatcher", "supervisor", code=201)


def window(hours: float = 3, starts_in: float = -0.1) -> dict:
    start = timezone.now() + timedelta(hours=starts_in)
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=hours)).isoformat()}


def place(request, persona, platform, **change):
    body = {"platform": platform.pk, "name": "人民广场演唱会管制点", "reason": "event", "lon": 121.4737, "lat": 31.2304,
            **window(), **change}
    return client_as(request, persona).post("/api/v1/traffic/control-points", body, format="json")


@pytest.fixture
def point(platform, supervisor):
    start = timezone.now() - timedelta(minutes=5)
    return ControlPoint.objects.create(platform=platform, name="西藏中路管制点", lon=121.4737, lat=31.2304,
                                       starts_at=start, ends_at=start + timedelta(hours=3), created_by=supervisor)


@pytest.fixture
def routing(settings, demo_network):
    """Closures read from the database, as in production, with every cache started afresh."""
    settings.TRAVEL_CLOSURES = "traffic.control.closed_now"
    closures.forget()
    travel.engines.reset()
    yield
    closures.forget()
    travel.engines.reset()


@pytest.mark.parametrize(("persona", "status"), matrix(PLACERS))
def test_who_may_place_a_control_point(request, platform, persona, status):
    assert place(request, persona, platform).status_code == status
    assert ControlPoint.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(("persona", "status"), matrix(readers("administrator", "dispatcher", "supervisor", "officer",
                                                                "leadership")))
def test_who_reads_the_control_points(request, point, persona, status):
    response = client_as(request, persona).get("/api/v1/traffic/control-points")
    assert response.status_code == status
    if status == 200:
        assert [(row["name"], row["active"]) for row in response.json()] == [("西藏中路管制点", True)]


@pytest.mark.parametrize(("persona", "status"), matrix(readers("administrator", "dispatcher", "supervisor")))
def test_who_may_cancel_a_control_point(request, point, persona, status):
    response = client_as(request, persona).post(f"/api/v1/traffic/control-points/{point.pk}/cancel")
    assert response.status_code == status
    point.refresh_from_db()
    assert (point.cancelled_at is not None) == (status == 200)


def test_a_supervisor_places_only_for_their_own_platform_and_posts_only_its_crews(request, platform, other_platform):
    foreign = place(request, "supervisor", other_platform)
    crew = f.UnitFactory(platform=other_platform, call_sign="外滩03")
    posted = place(request, "supervisor", platform, units=[crew.pk])
    assert foreign.status_code == 403
    assert (posted.status_code, posted.json()) == (400, {"units": ["Post only your platform's crews here (not 外滩03)."]})
    assert ControlPoint.objects.count() == 0


@pytest.mark.parametrize(("change", "said"), [
    ({"ends_at": (timezone.now() - timedelta(hours=2)).isoformat()}, {"ends_at": ["The end must be after the start."]}),
    (window(hours=24 * 20), {"ends_at": ["At most 14 days at once."]}),
    ({"lon": 100.0, "lat": 20.0}, {"lon": ["The point (100.000000, 20.000000) is outside the served area."]}),
])
def test_a_bad_window_or_place_is_refused_and_nothing_changes(request, platform, change, said):
    response = place(request, "dispatcher", platform, **change)
    assert (response.status_code, response.json()) == (400, said)
    assert ControlPoint.objects.count() == 0


def test_changing_a_point_keeps_its_window_valid(request, point):
    api = client_as(request, "supervisor")
    moved = api.patch(f"/api/v1/traffic/control-points/{point.pk}", {"name": "西藏中路北口"}, format="json")
    backwards = api.patch(f"/api/v1/traffic/control-points/{point.pk}",
                          {"ends_at": (point.starts_at - timedelta(minutes=1)).isoformat()}, format="json")
    point.refresh_from_db()
    assert (moved.status_code, moved.json()["version"]) == (200, 2)
    assert (backwards.status_code, backwards.json()) == (400, {"ends_at": ["The end must be after the start."]})
    assert (point.name, point.version) == ("西藏中路北口", 2)


def closure_body(path, **change):
    a, b = path[len(path) * 2 // 5], path[len(path) // 2]
    return {"from_lon": a[0], "from_lat": a[1], "to_lon": b[0], "to_lat": b[1], **change}


def test_a_closure_is_routed_around_while_active_and_open_again_when_cancelled(request, point, routing):
    before = travel.route(PEOPLES_SQUARE, FAR_WEST)
    path = before.geometry["coordinates"]
    response = client_as(request, "supervisor").post(f"/api/v1/traffic/control-points/{point.pk}/closures",
                                                      closure_body(path), format="json")
    closures.forget()
    during = travel.route(PEOPLES_SQUARE, FAR_WEST)
    client_as(request, "supervisor").post(f"/api/v1/traffic/closures/{response.json()['id']}/cancel")
    closures.forget()
    after = travel.route(PEOPLES_SQUARE, FAR_WEST)
    assert response.status_code == 201
    assert 200 < response.json()["length_m"] < 1500
    assert during.duration_s > before.duration_s
    assert after.duration_s == before.duration_s


def test_a_closure_that_ends_before_it_starts_is_refused(request, point, routing):
    path = travel.route(PEOPLES_SQUARE, FAR_WEST).geometry["coordinates"]
    start = timezone.now() + timedelta(hours=1)
    body = closure_body(path, starts_at=start.isoformat(), ends_at=(start - timedelta(minutes=30)).isoformat())
    response = client_as(request, "supervisor").post(f"/api/v1/traffic/control-points/{point.pk}/closures", body,
                                                     format="json")
    assert (response.status_code, response.json()) == (400, {"ends_at": ["The end must be after the start."]})
    assert RoadClosure.objects.count() == 0


def test_a_closure_starting_later_does_not_close_the_road_yet(request, point, routing):
    path = travel.route(PEOPLES_SQUARE, FAR_WEST).geometry["coordinates"]
    later = timezone.now() + timedelta(hours=1)
    body = closure_body(path, starts_at=later.isoformat(), ends_at=(later + timedelta(hours=1)).isoformat())
    assert client_as(request, "dispatcher").post(f"/api/v1/traffic/control-points/{point.pk}/closures", body,
                                                 format="json").status_code == 201
    closures.forget()
    assert closures.closed_now(travel.engines.current()) is None
