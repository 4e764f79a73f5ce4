"""The officer tablet's own geolocation reaching the server, in real headless Chromium.

The browser's position is set the way a device would report it (Playwright's geolocation, which is
Chromium's DevTools override behind `navigator.geolocation`); the page's own watch takes it and its
own code sends it over the unit socket. Nothing here calls the page's position code or feeds it
fixes (the socket is cut with the feed's pause, as in the live-loop test; the held fixes are read).

Chromium reports a watched position when it changes, not on a clock, so a parked tablet hears
nothing new: the page repeats its last position so that its newest fix is never more than 5 s old,
which these tests see arrive."""
from datetime import timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from platforms import positions
from tests.e2e import support
from tests.e2e.support import CONSOLE, POSTED, STEP_MS, TABLET, feed, log_in, wait_for, watch

# (lat, lon) inside the test city's zone, all away from where the unit was posted.
PARKED = (31.2321, 121.4745)
MOVED = (31.2288, 121.4791)
# Driven from PARKED about 110 m a step: a car's believable drive whatever the seconds between two
# fixes (the ingest flags a jump beyond AVL_JUMP_SLACK_M, 150 m, plus 60 m/s).
OFFLINE_PATH = [(31.2315, 121.4754), (31.2309, 121.4763), (31.2303, 121.4772)]
PASSED_QUICKLY = (31.2301, 121.4776)  # followed at once by the next point: under a second, only the next is kept
LAST = (31.2299, 121.4780)
PARKED_EVERY_S, TICK_S = 5.0, 1.0  # the page's PARKED_EVERY_MS and SEND_EVERY_MS


@pytest.fixture
def road_network(transactional_db, settings, tmp_path):
    """No road network: the tablet needs none to report where it is (the server runs without one)."""
    settings.ROAD_DATA_DIR = tmp_path / "roads"
    return settings.ROAD_DATA_DIR


def live(unit) -> positions.LiveFix | None:
    return positions.live_positions([unit.pk]).get(unit.pk)


def at_point(unit, point) -> bool:
    fix = live(unit)
    return fix is not None and (fix.lat, fix.lon) == pytest.approx(point, abs=1e-6)


def geolocation(point) -> dict:
    return {"latitude": point[0], "longitude": point[1]}


# Watches what the browser hands the page's watch (it changes nothing the page receives).
RECORD_DELIVERIES = """
  window.delivered = [];
  const watch = Geolocation.prototype.watchPosition;
  Geolocation.prototype.watchPosition = function (success, ...rest) {
    return watch.call(this, (position) => {
      window.delivered.push([position.coords.latitude, position.coords.longitude, position.timestamp]);
      success(position);
    }, ...rest);
  };
"""


def tablet_context(browser, point):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                  geolocation=geolocation(point), permissions=["geolocation"])
    context.add_init_script(RECORD_DELIVERIES)
    return context


def logged_in_tablet(context, url: str, errors: list):
    """The officer's tablet page in `context`, logged in; the page's errors go to `errors`."""
    tablet = watch(context.new_page(), errors)
    log_in(tablet, url, "tablet-officer", "/tablet/")
    return tablet


def shot(page, name: str) -> None:
    support.shot(page, f"tablet-position-{name}")


def track_points(unit) -> list[tuple[float, float]]:
    """The unit's accepted fixes waiting in the track stream, oldest first, as (lat, lon)."""
    entries = positions.redis_client().xrange(positions.key("track"))
    return [(float(fields[b"y"]), float(fields[b"x"])) for _, fields in entries if int(fields[b"u"]) == unit.pk]


def next_fix_after(unit, fix, timeout_s: float = STEP_MS / 1000) -> positions.LiveFix:
    """The first live fix newer than `fix` (polled; the ceiling is for a loaded machine, not a speed check)."""
    wait_for(lambda: live(unit).at > fix.at, timeout_s)
    return live(unit)


def console_sees_the_unit_at(browser, url: str, errors: list, unit, point) -> None:
    """The dispatcher's console shows the unit at `point`."""
    console = watch(browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page(), errors)
    log_in(console, url, "wall-dispatcher", "/console/")
    on_console = (f"import('{CONSOLE}').then((m) => {{"
                  f" const u = m.liveConsole.units.get({unit.pk}); return u ? [u.lat, u.lon] : null; }})")
    wait_for(lambda: console.evaluate(on_console) == pytest.approx(list(point), abs=1e-6))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_tablets_geolocation_moves_its_unit_and_a_parked_tablet_keeps_reporting(asgi_server, city, chromium,
                                                                                     page_errors):
    assert at_point(city, POSTED)
    context = tablet_context(chromium, PARKED)
    tablet = logged_in_tablet(context, asgi_server, page_errors)
    # The page's watch takes the position and sends it over the unit socket.
    wait_for(lambda: at_point(city, PARKED))
    expect(tablet.locator("#geo-state")).to_have_attribute("data-state", "ok")
    shot(tablet, "1-reporting")
    # The car moves: the server follows, and so does the dispatcher's console.
    context.set_geolocation(geolocation(MOVED))
    wait_for(lambda: at_point(city, MOVED))
    console_sees_the_unit_at(chromium, asgi_server, page_errors, city, MOVED)
    # Parked: the browser reports nothing new, yet the server keeps hearing the same place.
    moved = live(city)
    repeats = [next_fix_after(city, moved)]
    repeats.append(next_fix_after(city, repeats[0]))
    shot(tablet, "2-parked")

    for repeat in repeats:
        assert (repeat.lat, repeat.lon) == pytest.approx(MOVED, abs=1e-6)
        assert not repeat.stale
    gaps = [(later.at - earlier.at).total_seconds() for earlier, later in zip([moved, *repeats], repeats)]
    # Not a speed check: the page repeats on its last 1 s tick before its newest fix is 5 s old (never
    # sooner), and a repeat that came within STALE_FIX_AFTER_S keeps the unit from being flagged stale.
    assert all(PARKED_EVERY_S - TICK_S < gap < settings.STALE_FIX_AFTER_S for gap in gaps), gaps
    print("parked tablet: seconds between the server's fixes", gaps)
    points = track_points(city)
    assert points[0] == POSTED and points[1] == pytest.approx(PARKED, abs=1e-6)
    assert MOVED in [tuple(round(v, 6) for v in point) for point in points]
    assert positions.avl_stats()["rejected"]["from_future"] == 0
    assert page_errors == []


def drive_on_while_offline(tablet, context, unit) -> tuple[list, list]:
    """Cut off, the car drives the offline path, then passes a point quickly: what the page holds and
    what the browser delivered to its watch; nothing reaches the server meanwhile."""
    feed(tablet, TABLET, "tablet", "pause")
    context.set_offline(True)
    expect(tablet.locator("#live-state")).to_have_attribute("data-state", "offline")
    before = live(unit)
    for point in OFFLINE_PATH:
        context.set_geolocation(geolocation(point))
        # The page keeps at most one fix a second: each point is held long enough to be its own.
        tablet.wait_for_timeout(1500)
    context.set_geolocation(geolocation(PASSED_QUICKLY))
    # Once the page has it (Chromium may otherwise fold two quick overrides into one), the next.
    wait_for(lambda: tablet.evaluate(f"window.delivered.some(([lat, lon]) => lat === {PASSED_QUICKLY[0]})"))
    context.set_geolocation(geolocation(LAST))
    tablet.wait_for_timeout(500)
    held = tablet.evaluate(f"import('{TABLET}').then((m) => m.tablet.fixes.map((x) => [x.lat, x.lon]))")
    assert live(unit) == before  # nothing reached the server while cut off
    expect(tablet.locator("#geo-state")).to_have_attribute("data-state", "held")
    shot(tablet, "3-offline")
    return held, tablet.evaluate("window.delivered")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_fixes_taken_offline_are_sent_in_order_on_reconnect(asgi_server, city, chromium, page_errors):
    """The tablet loses its connection while the car drives on: the fixes it takes meanwhile are
    kept (at most one a second), and on reconnect they reach the server in the order taken, the
    last one live."""
    context = tablet_context(chromium, PARKED)
    tablet = logged_in_tablet(context, asgi_server, page_errors)
    wait_for(lambda: at_point(city, PARKED))
    held, delivered = drive_on_while_offline(tablet, context, city)
    context.set_offline(False)
    feed(tablet, TABLET, "tablet", "resume")
    wait_for(lambda: at_point(city, LAST))
    expect(tablet.locator("#geo-state")).to_have_attribute("data-state", "ok")
    shot(tablet, "4-reconnected")

    # Held in the page: the path, after at most the parked repeat whose answer the cut lost.
    assert [(lat, lon) for lat, lon, _ in delivered] == [PARKED, *OFFLINE_PATH, PASSED_QUICKLY, LAST]  # by the browser
    # The page keeps one fix a second: the quick one goes when the next came under a second after it
    # (the test cannot promise how soon it set the next point on a loaded machine, so it reads it).
    quick_gap_ms = delivered[-1][2] - delivered[-2][2]
    taken = [*OFFLINE_PATH, LAST] if quick_gap_ms < 1000 else [*OFFLINE_PATH, PASSED_QUICKLY, LAST]
    print("offline: ms between the quick fix and the next", quick_gap_ms)
    assert [tuple(point) for point in held if tuple(point) != PARKED] == taken and len(held) <= len(taken) + 1
    points = [tuple(round(v, 6) for v in point) for point in track_points(city)]
    assert points[:2] == [POSTED, PARKED]
    # The fixes taken offline, once each and in order, then the parked tablet's repeats of the last.
    after_parked = [point for point in points[2:] if point != PARKED]
    assert after_parked[:len(taken)] == taken
    assert set(after_parked[len(taken):]) <= {LAST}
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_tablet_without_location_permission_says_so_and_reports_once_allowed(asgi_server, city, chromium,
                                                                               page_errors):
    """Headless Chromium refuses an ungranted geolocation at once (PERMISSION_DENIED ends the watch):
    the officer reads why, nothing is sent; once the permission is granted the page watches again."""
    # In English: the message's words do not depend on the Chinese catalogue's state.
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-US",
                                   geolocation=geolocation(PARKED))
    tablet = logged_in_tablet(context, asgi_server, page_errors)
    state = tablet.locator("#geo-state")
    expect(state).to_have_attribute("data-state", "denied")
    expect(state).to_have_text(
        "Location is blocked for this page: allow it in the browser so the command centre can see this car.")
    shot(tablet, "5-denied")
    refused_at = live(city)
    context.grant_permissions(["geolocation"])
    wait_for(lambda: at_point(city, PARKED))
    expect(state).to_have_attribute("data-state", "ok")

    assert (refused_at.lat, refused_at.lon) == POSTED  # nothing from the tablet while it was refused
    assert track_points(city)[:2] == [POSTED, pytest.approx(PARKED, abs=1e-6)]
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_tablet_whose_clock_runs_a_minute_fast_is_still_heard(asgi_server, city, chromium, page_errors):
    """The server refuses fixes from more than 5 s in the future. The page learns the server's time
    from its snapshot and sends its times on the server's clock when its own is clearly off."""
    context = tablet_context(chromium, PARKED)
    # The page's clock (Date, timers) a minute ahead of the server's; it runs on from there.
    context.clock.install(time=positions.timezone.now() + timedelta(seconds=60))
    logged_in_tablet(context, asgi_server, page_errors)
    wait_for(lambda: at_point(city, PARKED))
    # A parked repeat carries the page's own time (Chromium's fixes carry the real one).
    heard = next_fix_after(city, live(city))

    assert (heard.lat, heard.lon) == pytest.approx(PARKED, abs=1e-6)
    assert abs((heard.at - positions.timezone.now()).total_seconds()) < 30  # on the server's clock, not the page's
    assert positions.avl_stats()["rejected"]["from_future"] == 0
    assert page_errors == []
