"""The whole dispatch loop in real headless Chromium against the real ASGI app (uvicorn on loopback,
Channels on the run's Valkey) and a real Celery worker (the engine ranks units out of process).

A dispatcher creates an incident by clicking the map, sees the recommendation and accepts it; the
officer's tablet (a second browser context, logged in as that officer) receives it, acknowledges,
goes en route, on scene and clears; the console shows each step and the timeline. Both sides lose
their connection once: the console misses a step and resyncs from the snapshot; the tablet takes a
step offline, which is queued and sent on reconnect. Both end with the server's state.

The demo extract's road network is imported first: the worker ranks by road time, the console draws
our own road tiles, and the tablet shows the road route with its turn list."""
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from command.models import UnitMessage
from common.roles import Role
from dispatch.models import Assignment, Incident, Mobilization
from platforms import positions
from platforms.models import UnitStatus
from tests import factories as f
from tests.dispatch.test_worker import Worker, database_url_of_this_run

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCENE = (31.2296, 121.4722)   # lat, lon: by People's Square (off the platform's marker there)
POSTED = (31.2310, 121.4760)  # where the unit stands
PASSWORD = "pass-1234-word"
STEP_MS = 60_000  # ceiling for one step on a loaded machine (a worker round trip); not a speed check


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def road_network(transactional_db, settings, tmp_path):
    settings.ROAD_DATA_DIR = tmp_path / "roads"  # where the worker (tests.dispatch.test_worker.Worker) reads too
    call_command("import_roads", stdout=io.StringIO())
    return settings.ROAD_DATA_DIR


@pytest.fixture
def asgi_server(road_network):
    """uvicorn serving command.asgi on loopback against this test's database."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_of_this_run(), "REDIS_URL": settings.REDIS_URL,
           "ROAD_DATA_DIR": str(road_network), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "command.asgi:application", "--host", "127.0.0.1",
                                "--port", str(port), "--ws", "websockets", "--log-level", "warning"],
                               env=env, cwd=settings.BASE_DIR, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield url
    os.killpg(process.pid, 15)
    process.wait(20)


@pytest.fixture
def worker(tmp_path):
    from command.celery import app as celery_app

    celery_app.control.purge()
    started = Worker(tmp_path, ACK_TIMEOUT_S="600").start()
    yield started
    started.stop()
    celery_app.control.purge()


@pytest.fixture
def city(transactional_db, settings):
    # The server checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    positions.avl_wipe()
    platform = f.PlatformFactory(code="P01", name="人民广场平台")
    f.ZoneFactory(platform=platform, code="Z01", name="人民广场网格", min_cover_units=0)
    f.PatrolPointFactory(platform=platform, code="PP01", name="西藏中路口", lon=121.4760, lat=31.2330)
    unit = f.UnitFactory(platform=platform, call_sign="人广01", capabilities=["patrol", "traffic"])
    person = f.OfficerFactory(platform=platform, squad=unit.shift.squad, name="李警官",
                              user=f.UserFactory(username="tablet-officer"))
    unit.officers.add(person)
    f.membership(person.user, Role.OFFICER)
    f.membership(f.UserFactory(username="wall-dispatcher"), Role.DISPATCHER)
    result = positions.fixes_accept(fixes=[positions.Fix(unit_id=unit.pk, lon=POSTED[1], lat=POSTED[0],
                                                         at=positions.timezone.now())], source="test")
    assert result.accepted == 1
    yield unit
    positions.avl_wipe()


def log_in(page, url: str, username: str, landing: str) -> None:
    page.goto(f"{url}/login/?next={landing}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked [type=submit]")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "online", timeout=STEP_MS)


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"live-{name}.png")


def click_map_at(page, lat: float, lon: float) -> None:
    point = page.evaluate("([lat, lon]) => import('/static/command/console.js').then((m) => {"
                          " m.consoleMap.map.setView([lat, lon], 17, { animate: false });"
                          " const p = m.consoleMap.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; })",
                          [lat, lon])
    box = page.locator("#console-map").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def feed(page, module: str, name: str, call: str) -> None:
    page.evaluate(f"import('/static/command/{module}.js').then((m) => m.{name}.feed.{call}())")


def wait_for(condition, timeout_s: float = STEP_MS / 1000) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.2)


def step_on_console(console, status: str) -> None:
    expect(console.locator(f"#incident-detail [data-assignment][data-status={status}]")).to_have_count(1, timeout=STEP_MS)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_dispatch_loop_between_console_and_tablet(asgi_server, worker, city, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    started_at = positions.timezone.now()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        console_context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        tablet_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                             geolocation={"latitude": POSTED[0], "longitude": POSTED[1]},
                                             permissions=["geolocation"])
        console, tablet = console_context.new_page(), tablet_context.new_page()
        for page in (console, tablet):
            page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(console, asgi_server, "wall-dispatcher", "/console/")
        log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
        expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible()

        # A place found by name opens the new-incident form there; the dispatcher closes it and
        # clicks the map at the scene instead.
        console.fill("#place-search-input", "西藏中路口")
        console.click("#place-search [type=submit]")
        expect(console.locator("form.new-incident")).to_have_count(1)
        centre = console.evaluate("import('/static/command/console.js').then((m) => m.consoleMap.map.getCenter())")
        assert (round(centre["lat"], 4), round(centre["lng"], 4)) == (31.233, 121.476)
        console.locator(".leaflet-popup-close-button").click()
        expect(console.locator("form.new-incident")).to_have_count(0)

        # A point-to-point message: the dispatcher clicks the unit on the map and writes to its tablet.
        click_map_at(console, *POSTED)
        console.fill(".unit-popup input[name=text]", "请到人民广场东侧待命")
        console.click(".unit-popup [type=submit]")
        expect(tablet.locator("#unit-messages li.unread .text")).to_have_text("请到人民广场东侧待命", timeout=STEP_MS)
        tablet.click("#unit-messages [data-read]")
        expect(tablet.locator("#unit-messages li.read")).to_have_count(1)
        console.locator(".leaflet-popup-close-button").click()

        # The dispatcher clicks the map at the scene and takes the call.
        click_map_at(console, *SCENE)
        form = console.locator("form.new-incident")
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
        shot(console, "1-recommendation")

        console.locator("#incident-detail .recommendation .accept").click()
        step_on_console(console, "assigned")
        expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned", timeout=STEP_MS)
        expect(tablet.locator("#live-assignment .address")).to_have_text("人民大道200号")
        expect(tablet.locator("#live-assignment .notes")).to_have_text("两人在路口争执")
        expect(tablet.locator("#live-assignment .route .turns li").first).to_be_visible(timeout=STEP_MS)
        shot(tablet, "2-tablet-assigned")

        tablet.locator("[data-step=acknowledged]").click()
        step_on_console(console, "acknowledged")

        # The console loses its connection; the officer goes en route meanwhile; the console comes
        # back, reloads the snapshot and shows the step it never heard.
        feed(console, "console_live", "liveConsole", "pause")
        expect(console.locator("#live-state")).to_have_attribute("data-state", "offline")
        tablet.locator("[data-step=en_route]").click()
        wait_for(lambda: Assignment.objects.get().status == "en_route")
        step_on_console(console, "acknowledged")  # still the old picture while cut off
        feed(console, "console_live", "liveConsole", "resume")
        expect(console.locator("#live-state")).to_have_attribute("data-state", "online", timeout=STEP_MS)
        step_on_console(console, "en_route")

        # The tablet goes offline and reports on scene: queued, sent in order when it is back.
        feed(tablet, "tablet", "tablet", "pause")
        tablet_context.set_offline(True)
        tablet.locator("[data-step=on_scene]").click()
        expect(tablet.locator("#tablet-message")).to_have_attribute("data-kind", "info")
        assert tablet.evaluate("JSON.parse(localStorage.getItem('tablet-queue-%d')).length" % city.pk) == 1
        assert Assignment.objects.get().status == "en_route"
        shot(tablet, "3-tablet-offline-queued")
        tablet_context.set_offline(False)
        feed(tablet, "tablet", "tablet", "resume")
        step_on_console(console, "on_scene")
        expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "on_scene", timeout=STEP_MS)

        tablet.locator("#live-assignment input[name=disposition]").fill("双方已调解")
        tablet.locator("[data-step=cleared]").click()
        step_on_console(console, "cleared")
        expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible(timeout=STEP_MS)
        expect(console.locator("#incident-detail")).to_have_attribute("data-status", "cleared", timeout=STEP_MS)
        expect(console.locator("#incident-detail .timeline li[data-kind=cleared]")).to_have_count(1, timeout=STEP_MS)
        shot(console, "4-console-cleared")
        shot(tablet, "5-tablet-cleared")
        timeline = console.locator("#incident-detail .timeline li").evaluate_all("(items) => items.map((i) => i.dataset.kind)")
        console_versions = console.evaluate(
            "import('/static/command/console_live.js').then((m) => {"
            " const c = m.liveConsole; const i = c.incidents.get(c.selected);"
            " return [i.version, i.status, [...c.assignments.values()].map((a) => [a.id, a.version, a.status])]; })")
        tablet_state = tablet.evaluate("import('/static/command/tablet.js').then((m) => [...m.tablet.assignments.values()]"
                                       ".map((a) => [a.id, a.version, a.status]))")
        expect(tablet.locator(".unit-tile .badge.status")).to_have_attribute("data-status", "available")

        # A muster at the same corner: the proposal names the free unit, the dispatcher confirms,
        # and the tablet gets the new order.
        console.keyboard.press("Escape")
        click_map_at(console, *SCENE)
        console.locator("form.new-incident .mobilize").click()
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
        expect(console.locator("form.new-incident")).to_have_count(0)  # the muster's clicks opened no other form
        shot(console, "7-console-mobilization")
        browser.close()

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
    muster = Mobilization.objects.get()
    assert (muster.status, muster.head_count, muster.deadline_s, [u["unit"] for u in muster.proposal["units"]]) == (
        "confirmed", 1, 600, [city.pk])
    assert Assignment.objects.filter(unit=city, incident=muster.incident, status="assigned").count() == 1
    assert [(m.text, m.read_at is not None) for m in UnitMessage.objects.all()] == [("请到人民广场东侧待命", True)]
    assert errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_step_queued_offline_that_no_longer_fits_is_refused_and_shown(asgi_server, city, monkeypatch):
    """The officer acknowledges while offline; meanwhile the dispatcher cancels the call. On reconnect
    the queued step is refused (409) and the officer reads why; the tablet shows the server's truth."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from dispatch import services

    dispatcher = f.UserFactory(username="wall-dispatcher")
    incident = f.IncidentFactory(zone=city.platform.zones.get(), status="dispatched", address="南京东路1号",
                                 dispatched_at=positions.timezone.now())
    assignment = f.AssignmentFactory(incident=incident, unit=city, status="assigned")
    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        tablet = context.new_page()
        tablet.on("pageerror", lambda error: errors.append(str(error)))
        log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
        expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned")
        feed(tablet, "tablet", "tablet", "pause")
        context.set_offline(True)
        tablet.locator("[data-step=acknowledged]").click()
        expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "acknowledged")

        services.incident_cancel(actor=dispatcher, incident=incident, reason="重复报警")

        context.set_offline(False)
        feed(tablet, "tablet", "tablet", "resume")
        expect(tablet.locator("#tablet-message")).to_have_attribute("data-kind", "problem", timeout=STEP_MS)
        expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible(timeout=STEP_MS)
        message = tablet.inner_text("#tablet-message")
        queued = tablet.evaluate("JSON.parse(localStorage.getItem('tablet-queue-%d'))" % city.pk)
        shot(tablet, "6-tablet-step-refused")
        browser.close()

    assignment.refresh_from_db()
    assert assignment.status == "cancelled" and assignment.acknowledged_at is None
    assert queued == []
    assert message.endswith("此任务在您更新之后已变化（现为已撤销）：请刷新。")  # the server's 409, word for word
    assert errors == []
