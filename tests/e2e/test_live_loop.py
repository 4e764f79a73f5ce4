"""The whole dispatch loop in real headless Chromium against the real ASGI app (uvicorn on loopback,
Channels on the run's Valkey) and a real Celery worker (the engine ranks units out of process).

A dispatcher creates an incident by clicking the map, sees the recommendation and accepts it; the
officer's tablet (a second browser context, logged in as that officer) receives it, acknowledges,
goes en route, on scene and clears; the console shows each step and the timeline. Both sides lose
their connection once: the console misses a step and resyncs from the snapshot; the tablet takes a
step offline, which is queued and sent on reconnect. Both end with the server's state.

The demo extract's road network is imported first: the worker ranks by road time, the console draws
our own road tiles, and the tablet shows the road route with its turn list."""
import pytest
from playwright.sync_api import expect

from command.models import UnitMessage
from dispatch.models import Assignment, Incident, Mobilization
from platforms import positions
from platforms.models import UnitStatus
from tests import factories as f
from tests.e2e.support import (
    CONSOLE,
    POSTED,
    STEP_MS,
    TABLET,
    click_at,
    feed,
    log_in,
    map_point,
    shot,
    wait_for,
    watch,
)

SCENE = (31.2296, 121.4722)   # lat, lon: by People's Square (off the platform's marker there)


def click_map_at(page, lat: float, lon: float) -> None:
    page.evaluate(f"([lat, lon]) => import('{CONSOLE}').then((m) => m.consoleMap.map.setView([lat, lon], 17, "
                  "{ animate: false }))", [lat, lon])
    click_at(page, "#console-map", map_point(page, CONSOLE, "consoleMap", lat, lon))


def step_on_console(console, status: str) -> None:
    expect(console.locator(f"#incident-detail [data-assignment][data-status={status}]")).to_have_count(1, timeout=STEP_MS)


def message_the_unit(console, tablet) -> None:
    """The dispatcher clicks the unit on the map and writes to its tablet (a point-to-point message),
    which the officer reads."""
    click_map_at(console, *POSTED)
    console.fill(".unit-popup input[name=text]", "请到人民广场东侧待命")
    console.click(".unit-popup [type=submit]")
    expect(tablet.locator("#unit-messages li.unread .text")).to_have_text("请到人民广场东侧待命", timeout=STEP_MS)
    tablet.click("#unit-messages [data-read]")
    expect(tablet.locator("#unit-messages li.read")).to_have_count(1)
    console.locator(".leaflet-popup-close-button").click()


def take_the_call_and_accept(console, tablet) -> Incident:
    """The dispatcher clicks the map at the scene, takes the call there and accepts the
    recommendation; the tablet gets the order with its route."""
    click_map_at(console, *SCENE)
    console.locator(".map-actions .new-call").click()
    form = console.locator("#call-form")
    expect(form).to_be_visible()
    expect(form.locator(".call-where")).not_to_be_empty(timeout=STEP_MS)
    form.locator("select[name=category]").select_option("dispute")
    form.locator("select[name=priority]").select_option("3")
    form.locator("input[name=address]").fill("人民大道200号")
    form.locator("textarea[name=description]").fill("两人在路口争执")
    form.locator("button[type=submit]").click()
    expect(console.locator("#incident-detail .recommendation .options li.proposed")).to_contain_text(
        "人广01", timeout=STEP_MS)
    incident = Incident.objects.get()
    assert (incident.category, incident.priority, incident.address) == ("dispute", 3, "人民大道200号")
    assert (round(incident.lat, 4), round(incident.lon, 4)) == SCENE
    shot(console, "live-1-recommendation")
    console.locator("#incident-detail .recommendation .accept").click()
    step_on_console(console, "assigned")
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment .address")).to_have_text("人民大道200号")
    expect(tablet.locator("#live-assignment .notes")).to_have_text("两人在路口争执")
    expect(tablet.locator("#live-assignment .route .turns li").first).to_be_visible(timeout=STEP_MS)
    shot(tablet, "live-2-tablet-assigned")
    return incident


def en_route_while_the_console_is_cut_off(console, tablet) -> None:
    """The console loses its connection; the officer goes en route meanwhile; the console comes back,
    reloads the snapshot and shows the step it never heard."""
    tablet.locator("[data-step=acknowledged]").click()
    step_on_console(console, "acknowledged")
    feed(console, CONSOLE, "liveConsole", "pause")
    expect(console.locator("#live-state")).to_have_attribute("data-state", "offline")
    tablet.locator("[data-step=en_route]").click()
    wait_for(lambda: Assignment.objects.get().status == "en_route")
    step_on_console(console, "acknowledged")  # still the old picture while cut off
    feed(console, CONSOLE, "liveConsole", "resume")
    expect(console.locator("#live-state")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    step_on_console(console, "en_route")


def on_scene_while_the_tablet_is_offline(tablet, tablet_context, unit) -> None:
    """The tablet goes offline and reports on scene: queued, sent in order when it is back."""
    feed(tablet, TABLET, "tablet", "pause")
    tablet_context.set_offline(True)
    tablet.locator("[data-step=on_scene]").click()
    expect(tablet.locator("#tablet-message")).to_have_attribute("data-kind", "info")
    assert tablet.evaluate("JSON.parse(localStorage.getItem('tablet-queue-%d')).length" % unit.pk) == 1
    assert Assignment.objects.get().status == "en_route"
    shot(tablet, "live-3-tablet-offline-queued")
    tablet_context.set_offline(False)
    feed(tablet, TABLET, "tablet", "resume")


def clear_the_job(console, tablet) -> tuple[list, list, list]:
    """The officer clears with a disposition; the timeline and both pages' versions, as shown."""
    tablet.locator("#live-assignment input[name=disposition]").fill("双方已调解")
    tablet.locator("[data-step=cleared]").click()
    step_on_console(console, "cleared")
    expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible(timeout=STEP_MS)
    expect(console.locator("#incident-detail")).to_have_attribute("data-status", "cleared", timeout=STEP_MS)
    expect(console.locator("#incident-detail .timeline li[data-kind=cleared]")).to_have_count(1, timeout=STEP_MS)
    shot(console, "live-4-console-cleared")
    shot(tablet, "live-5-tablet-cleared")
    timeline = console.locator("#incident-detail .timeline li").evaluate_all("(items) => items.map((i) => i.dataset.kind)")
    console_versions = console.evaluate(
        f"import('{CONSOLE}').then((m) => {{"
        " const c = m.liveConsole; const i = c.incidents.get(c.selected);"
        " return [i.version, i.status, [...c.assignments.values()].map((a) => [a.id, a.version, a.status])]; })")
    tablet_state = tablet.evaluate(f"import('{TABLET}').then((m) => [...m.tablet.assignments.values()]"
                                   ".map((a) => [a.id, a.version, a.status]))")
    expect(tablet.locator(".unit-tile .badge.status")).to_have_attribute("data-status", "available")
    return timeline, console_versions, tablet_state


def muster_at_the_scene(console, tablet) -> None:
    """A muster at the same corner: the proposal names the free unit, the dispatcher confirms, and
    the tablet gets the new order."""
    console.keyboard.press("Escape")
    click_map_at(console, *SCENE)
    console.locator(".map-actions .mobilize").click()
    muster = console.locator("form.mobilization-form")
    muster.locator("input[name=head_count]").fill("1")
    muster.locator("input[name=deadline]").fill("10")
    muster.locator("input[name=reason]").fill("大型活动集结")
    muster.locator("button[type=submit]").click()
    expect(console.locator("#mobilization-panel .options li")).to_have_count(1, timeout=STEP_MS)
    expect(console.locator("#mobilization-panel .arrival-curve")).to_be_visible()
    console.locator("#mobilization-panel .confirm").click()
    expect(console.locator("#mobilization-panel")).to_have_attribute("data-status", "confirmed", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned", timeout=STEP_MS)
    expect(console.locator(".map-actions")).to_have_count(0)  # the muster's clicks opened no other popup
    shot(console, "live-7-console-mobilization")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_dispatch_loop_between_console_and_tablet(asgi_server, worker, city, chromium, page_errors):
    started_at = positions.timezone.now()
    console = watch(chromium.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page(),
                    page_errors)
    tablet_context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                          geolocation={"latitude": POSTED[0], "longitude": POSTED[1]},
                                          permissions=["geolocation"])
    tablet = watch(tablet_context.new_page(), page_errors)
    log_in(console, asgi_server, "wall-dispatcher", "/console/")
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
    expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible()

    message_the_unit(console, tablet)
    incident = take_the_call_and_accept(console, tablet)
    en_route_while_the_console_is_cut_off(console, tablet)
    on_scene_while_the_tablet_is_offline(tablet, tablet_context, city)
    step_on_console(console, "on_scene")
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "on_scene", timeout=STEP_MS)
    timeline, console_versions, tablet_state = clear_the_job(console, tablet)
    muster_at_the_scene(console, tablet)

    incident.refresh_from_db()
    assignment = Assignment.objects.get(incident=incident)
    city.refresh_from_db()
    # Available after clearing (the tablet's badge said so), then sent again by the muster.
    assert (incident.status, assignment.status, city.status) == ("cleared", "cleared", UnitStatus.DISPATCHED)
    assert timeline == list(incident.events.values_list("kind", flat=True))
    assert timeline[0] == "created" and timeline[-3:] == ["en_route", "on_scene", "cleared"]
    assert {"recommended", "assigned", "acknowledged"} <= set(timeline)
    assert console_versions == [incident.version, "cleared", [[assignment.pk, assignment.version, "cleared"]]]
    assert tablet_state == [[assignment.pk, assignment.version, "cleared"]]
    # The tablet's own geolocation (its context's, at POSTED) reached the live picture over its socket,
    # newer than the fix the fixture posted (tests/e2e/test_tablet_position.py: moving, parked, offline).
    tablet_fix = positions.live_positions([city.pk])[city.pk]
    assert positions.avl_stats()["sources"].get("websocket", 0) >= 1
    assert (tablet_fix.lat, tablet_fix.lon) == pytest.approx(POSTED, abs=1e-6) and tablet_fix.at > started_at
    assert_the_muster_sent_it_and_the_message_was_read(city)
    assert page_errors == []


def assert_the_muster_sent_it_and_the_message_was_read(unit) -> None:
    muster = Mobilization.objects.get()
    assert (muster.status, muster.head_count, muster.deadline_s, [u["unit"] for u in muster.proposal["units"]]) == (
        "confirmed", 1, 600, [unit.pk])
    assert Assignment.objects.filter(unit=unit, incident=muster.incident, status="assigned").count() == 1
    assert [(m.text, m.read_at is not None) for m in UnitMessage.objects.all()] == [("请到人民广场东侧待命", True)]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_step_queued_offline_that_no_longer_fits_is_refused_and_shown(asgi_server, city, chromium, page_errors):
    """The officer acknowledges while offline; meanwhile the dispatcher cancels the call. On reconnect
    the queued step is refused (409) and the officer reads why; the tablet shows the server's truth."""
    from dispatch import closing

    dispatcher = f.UserFactory(username="wall-dispatcher")
    incident = f.IncidentFactory(zone=city.platform.zones.get(), status="dispatched", address="南京东路1号",
                                 dispatched_at=positions.timezone.now())
    assignment = f.AssignmentFactory(incident=incident, unit=city, status="assigned")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    tablet = watch(context.new_page(), page_errors)
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned")
    feed(tablet, TABLET, "tablet", "pause")
    context.set_offline(True)
    tablet.locator("[data-step=acknowledged]").click()
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "acknowledged")

    closing.incident_cancel(actor=dispatcher, incident=incident, reason="duplicate")

    context.set_offline(False)
    feed(tablet, TABLET, "tablet", "resume")
    expect(tablet.locator("#tablet-message")).to_have_attribute("data-kind", "problem", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible(timeout=STEP_MS)
    message = tablet.inner_text("#tablet-message")
    queued = tablet.evaluate("JSON.parse(localStorage.getItem('tablet-queue-%d'))" % city.pk)
    shot(tablet, "live-6-tablet-step-refused")

    assignment.refresh_from_db()
    assert assignment.status == "cancelled" and assignment.acknowledged_at is None
    assert queued == []
    assert message.endswith("此任务在您更新之后已变化（现为已撤销）：请刷新。")  # the server's 409, word for word
    assert page_errors == []
