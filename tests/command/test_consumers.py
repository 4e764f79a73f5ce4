"""The console and unit websockets through the real ASGI stack (origin check, session login) and the
run's Valkey channel layer: who may join what, which groups an event reaches, fixes over the socket."""
import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.utils import timezone

from command.consumers import REFUSED
from command.live import picture as live_picture
from command.live import scope as live_scope
from common.roles import Role
from dispatch import events as dispatch_events
from platforms import events as platform_events
from platforms import positions
from platforms.events import unit_status_changed
from tests import factories as f
from tests.command.sockets import ORIGIN, WAIT_S, login_headers, opened

pytestmark = pytest.mark.django_db(transaction=True)



@pytest.fixture(autouse=True)
def _empty_live_picture():
    positions.avl_wipe()
    live_picture.PICTURE.read_at = float("-inf")
    yield
    positions.avl_wipe()
    live_picture.PICTURE.read_at = float("-inf")


@pytest.fixture
def other_district_unit(db):
    return f.UnitFactory(platform=f.PlatformFactory(code="P09", name="远处平台"), call_sign="远01")


@pytest.fixture
def other_supervisor(db, other_district_unit):
    user = f.UserFactory(username="other-supervisor")
    f.membership(user, Role.SUPERVISOR, platform=other_district_unit.platform)
    return user


@pytest.fixture
def district_supervisor(db, platform):
    user = f.UserFactory(username="district-supervisor")
    f.membership(user, Role.SUPERVISOR, district=platform.district)
    return user


@pytest.fixture
def neighbour_platform(db, platform):
    """Another platform of the supervisor's platform's district."""
    return f.PlatformFactory(code="P03", name="南京东路平台", district=platform.district)


@pytest.fixture
def neighbour_supervisor(db, neighbour_platform):
    user = f.UserFactory(username="neighbour-supervisor")
    f.membership(user, Role.SUPERVISOR, platform=neighbour_platform)
    return user


async def in_thread(function, *args):
    """Run blocking code (queries, publishes) off the event loop, closing that thread's own
    connection after it, or the test database could not be dropped at the end of the run."""
    def run():
        try:
            return function(*args)
        finally:
            connection.close()

    return await asyncio.to_thread(run)


def connect_outcome(path, user=None, origin=ORIGIN):
    headers = login_headers(user, origin)

    async def attempt():
        communicator, connected, code = await opened(path, headers)
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(attempt)()


@pytest.mark.parametrize(("persona", "allowed"), [
    ("anonymous", False), ("outsider", False), ("clerk", False), ("officer", False), ("leadership", False),
    ("supervisor", True), ("dispatcher", True), ("administrator", True),
])
def test_console_socket_permission_matrix(request, persona, allowed):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    connected, code = connect_outcome("/ws/console/", user)
    assert (connected, code) == ((True, None) if allowed else (False, REFUSED))


@pytest.mark.parametrize(("persona", "own_unit", "allowed"), [
    ("anonymous", True, False), ("outsider", True, False), ("clerk", True, False), ("supervisor", True, False),
    ("officer", True, True), ("officer", False, False), ("dispatcher", True, True), ("dispatcher", False, True),
    ("administrator", False, True), ("leadership", True, False),
])
def test_unit_socket_permission_matrix(request, officer_unit, other_district_unit, persona, own_unit, allowed):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    unit = officer_unit if own_unit else other_district_unit
    connected, code = connect_outcome(f"/ws/unit/{unit.pk}/", user)
    assert (connected, code) == ((True, None) if allowed else (False, REFUSED))


def test_each_console_joins_one_group_of_its_scope(request, platform, neighbour_platform):
    expected = {"dispatcher": ("console.city",), "administrator": ("console.city",),
                "supervisor": (f"console.platform.{platform.pk}",),
                "district_supervisor": (f"console.district.{platform.district_id}",),
                "officer": None, "clerk": None, "leadership": None, "outsider": None}
    scopes = {persona: live_scope.console_scope(request.getfixturevalue(persona)) for persona in expected}
    assert {persona: scope and scope.groups for persona, scope in scopes.items()} == expected
    assert scopes["supervisor"].platform_ids == {platform.pk}
    assert scopes["district_supervisor"].platform_ids == {platform.pk, neighbour_platform.pk}
    assert scopes["dispatcher"].platform_ids is None


def test_a_unit_that_does_not_exist_is_refused_even_to_the_command_centre(dispatcher):
    assert connect_outcome("/ws/unit/987654/", dispatcher) == (False, REFUSED)


def test_a_foreign_origin_is_refused_before_login_is_read(dispatcher):
    connected, _code = connect_outcome("/ws/console/", dispatcher, [(b"origin", b"http://evil.example")])
    assert connected is False


def test_an_event_after_commit_reaches_exactly_its_groups(dispatcher, supervisor, district_supervisor, other_supervisor,
                                                           officer, officer_unit, other_district_unit):
    """Each socket's first message is checked: the event about the other district is published
    first, so a socket that wrongly heard it would see it before the one meant for it."""
    plan = [(name, path, login_headers(user)) for name, path, user in [("city", "/ws/console/", dispatcher), ("platform", "/ws/console/", supervisor),
                                 ("district", "/ws/console/", district_supervisor),
                                 ("far", "/ws/console/", other_supervisor),
                                 ("own unit", f"/ws/unit/{officer_unit.pk}/", officer),
                                 ("far unit", f"/ws/unit/{other_district_unit.pk}/", dispatcher)]]

    async def scenario():
        sockets = {}
        for name, path, headers in plan:
            sockets[name], connected, _ = await opened(path, headers)
            assert connected, name
        await in_thread(publish_both)
        first = {name: await communicator.receive_json_from(WAIT_S) for name, communicator in sockets.items()}
        second = await sockets["city"].receive_json_from(WAIT_S)
        for communicator in sockets.values():
            await communicator.disconnect()
        return first, second

    def publish_both():
        other_district_unit.status = "unavailable"
        other_district_unit.version = 7
        unit_status_changed(other_district_unit)  # autocommit: sent at once, as after a commit
        officer_unit.version = 3
        unit_status_changed(officer_unit)

    first, second = async_to_sync(scenario)()
    far = {"event": "unit.status", "data": {"id": other_district_unit.pk, "call_sign": "远01", "status": "unavailable",
                                            "platform": other_district_unit.platform_id, "version": 7, "status_reason": "",
                                            "status_changed_at": other_district_unit.status_changed_at.isoformat()}}
    near = {"event": "unit.status", "data": {"id": officer_unit.pk, "call_sign": "人广01", "status": "available",
                                             "platform": officer_unit.platform_id, "version": 3, "status_reason": "",
                                             "status_changed_at": officer_unit.status_changed_at.isoformat()}}
    assert first == {"city": far, "platform": near, "district": near, "far": far, "own unit": near, "far unit": far}
    assert second == near


async def heard_until_the_end(communicator) -> list[tuple]:
    """(event, number or call sign or id) of every message up to the `test.end` marker."""
    heard = []
    while (message := await communicator.receive_json_from(WAIT_S))["event"] != "test.end":
        heard.append((message["event"], message["data"].get("number") or message["data"].get("call_sign")
                      or message["data"]["id"]))
    return heard


async def heard_by_each(plan, publish) -> dict:
    """Open every socket of the plan, publish (in a thread), and read what each heard up to the marker."""
    sockets = {}
    for name, path, headers in plan:
        sockets[name], connected, _ = await opened(path, headers)
        assert connected, name
    await in_thread(publish)
    heard = {name: await heard_until_the_end(communicator) for name, communicator in sockets.items()}
    for communicator in sockets.values():
        await communicator.disconnect()
    return heard


def test_incident_and_unit_news_reach_the_consoles_of_their_platforms_only(
        dispatcher, supervisor, district_supervisor, neighbour_supervisor, other_supervisor, officer, platform,
        neighbour_platform, officer_unit, other_district_unit):
    """Every socket reads until an end marker sent to all groups, so what it heard is exact: a
    supervisor hears their platform's units and incidents (and a job their unit was sent to across
    the boundary), a district supervisor the district's, the tablet only its own unit's news."""
    near, far = (f.IncidentFactory(zone=f.ZoneFactory(platform=where), number=number)
                 for where, number in ((platform, "110-NEAR"), (other_district_unit.platform, "110-FAR")))
    neighbour_unit = f.UnitFactory(platform=neighbour_platform, call_sign="南东01")
    watchers = {"city": dispatcher, "platform": supervisor, "district": district_supervisor,
                "neighbour": neighbour_supervisor, "far": other_supervisor}
    plan = [*((name, "/ws/console/", login_headers(user)) for name, user in watchers.items()),
            ("own unit", f"/ws/unit/{officer_unit.pk}/", login_headers(officer))]
    everyone = ["console.city", f"console.district.{platform.district_id}", f"unit.{officer_unit.pk}",
                *(f"console.platform.{p.pk}" for p in (platform, neighbour_platform, other_district_unit.platform))]

    def publish_all():  # autocommit: each is sent at once, as after a commit
        dispatch_events.incident_changed(far, created=True)
        dispatch_events.incident_changed(near, created=True)
        neighbour_unit.status = "unavailable"
        unit_status_changed(neighbour_unit)
        unit_status_changed(officer_unit)
        sent_far = f.AssignmentFactory(incident=near, unit=other_district_unit)  # help from another district
        dispatch_events.assignment_changed(sent_far, created=True)
        dispatch_events.incident_changed(near)
        platform_events.send_now("test.end", {}, everyone)

    heard = async_to_sync(heard_by_each)(plan, publish_all)
    sent_far = ("assignment.created", other_district_unit.assignments.get().pk)
    assert heard == {
        "city": [("incident.created", "110-FAR"), ("incident.created", "110-NEAR"), ("unit.status", "南东01"),
                 ("unit.status", "人广01"), sent_far, ("incident.updated", "110-NEAR")],
        "platform": [("incident.created", "110-NEAR"), ("unit.status", "人广01"), sent_far,
                     ("incident.updated", "110-NEAR")],
        "district": [("incident.created", "110-NEAR"), ("unit.status", "南东01"), ("unit.status", "人广01"), sent_far,
                     ("incident.updated", "110-NEAR")],
        "neighbour": [("unit.status", "南东01")],
        "far": [("incident.created", "110-FAR"), sent_far, ("incident.updated", "110-NEAR")],
        "own unit": [("unit.status", "人广01")],
    }


def test_fixes_over_the_unit_socket_move_the_unit_and_reach_the_consoles(officer, officer_unit, dispatcher, supervisor,
                                                                          district_supervisor, neighbour_supervisor,
                                                                          other_supervisor):
    at = timezone.now().replace(microsecond=0)
    fix = {"lon": 121.4801, "lat": 31.2333, "at": at.isoformat(), "speed": 8.5, "unit": 999999}
    hearing, deaf = ("city", "platform", "district"), ("neighbour", "far")
    headers = {name: login_headers(user) for name, user in (
        ("officer", officer), ("city", dispatcher), ("platform", supervisor), ("district", district_supervisor),
        ("neighbour", neighbour_supervisor), ("far", other_supervisor))}

    async def scenario():
        tablet, connected, _ = await opened(f"/ws/unit/{officer_unit.pk}/", headers["officer"])
        assert connected
        await tablet.send_json_to({"type": "fixes", "fixes": [fix, fix]})
        reply = await tablet.receive_json_from(WAIT_S)
        watchers = {}
        for name in (*hearing, *deaf):
            watchers[name], connected, _ = await opened("/ws/console/", headers[name])
            assert connected
        moved = {name: await watchers[name].receive_json_from(WAIT_S) for name in hearing}
        quiet = await asyncio.gather(*(watchers[name].receive_nothing(timeout=1.5) for name in deaf))
        for communicator in (tablet, *watchers.values()):
            await communicator.disconnect()
        return reply, moved, quiet

    reply, moved, quiet = async_to_sync(scenario)()
    assert reply == {"type": "fixes.result", "accepted": 1, "rejected": {"duplicate": 1}}
    live_fix = positions.live_positions([officer_unit.pk])[officer_unit.pk]
    assert (live_fix.lon, live_fix.lat, live_fix.at, live_fix.speed_mps) == (121.4801, 31.2333, at, 8.5)
    row = [officer_unit.pk, 121.4801, 31.2333, round(at.timestamp() * 1000), False]
    for name in hearing:
        assert moved[name]["event"] == "units.moved"
        assert (moved[name]["data"]["units"], moved[name]["data"]["gone"]) == ([row], [])
    assert quiet == [True, True]  # the neighbouring and the far platform's supervisors are not shown this unit


def test_the_unit_socket_refuses_bad_fixes_and_fixes_from_the_command_centre(officer, officer_unit, dispatcher):
    crew, command_centre = login_headers(officer), login_headers(dispatcher)

    async def scenario():
        tablet, _, _ = await opened(f"/ws/unit/{officer_unit.pk}/", crew)
        await tablet.send_json_to({"type": "fixes", "fixes": [{"lon": "east", "lat": 31.2, "at": "now"}]})
        malformed = await tablet.receive_json_from(WAIT_S)
        await tablet.send_json_to({"type": "chat"})
        unknown = await tablet.receive_json_from(WAIT_S)
        await tablet.send_to(text_data="{not json")
        unreadable = await tablet.receive_json_from(WAIT_S)
        watcher, _, _ = await opened(f"/ws/unit/{officer_unit.pk}/", command_centre)
        await watcher.send_json_to({"type": "fixes", "fixes": [{"lon": 121.48, "lat": 31.23,
                                                               "at": timezone.now().isoformat()}]})
        spoofed = await watcher.receive_json_from(WAIT_S)
        await tablet.disconnect()
        await watcher.disconnect()
        return malformed, unknown, unreadable, spoofed

    malformed, unknown, unreadable, spoofed = async_to_sync(scenario)()
    assert unreadable == {"type": "error", "detail": "Send JSON."}
    assert malformed["type"] == "fixes.refused" and set(malformed["errors"]["fixes"]["0"]) == {"lon", "at"}
    assert unknown == {"type": "error", "detail": 'Send {"type": "fixes", "fixes": [...]}.'}
    assert spoofed == {"type": "error", "detail": "Only the unit's crew reports its position."}
    assert positions.live_positions([officer_unit.pk]) == {}


def test_the_layer_outwaits_its_own_blocking_receive():
    """channels-redis blocks `brpop_timeout` (5 s) on each receive; a socket timeout no longer than
    that (redis-py 8's default is 5 s) killed every idle consumer."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    pool = layer.create_pool(0)
    assert pool.connection_kwargs["socket_timeout"] == 30 > layer.brpop_timeout


def test_an_idle_console_socket_outlives_the_layers_blocking_receive(dispatcher, officer_unit):
    """Quiet for longer than one blocking receive (5 s), the socket still hears the next event."""
    headers = login_headers(dispatcher)

    async def scenario():
        console, connected, _ = await opened("/ws/console/", headers)
        assert connected
        quiet = await console.receive_nothing(timeout=7.0, interval=0.5)
        await in_thread(unit_status_changed, officer_unit)
        heard = await console.receive_json_from(WAIT_S)
        await console.disconnect()
        return quiet, heard

    quiet, heard = async_to_sync(scenario)()
    assert quiet is True
    assert (heard["event"], heard["data"]["id"]) == ("unit.status", officer_unit.pk)
