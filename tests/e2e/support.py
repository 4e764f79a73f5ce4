"""What the browser tests share: Chromium's flags, where screenshots go, logging in, reaching the running
page's objects through its entry module, and waiting on the server."""
import time
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PASSWORD = "pass-1234-word"
STEP_MS = 60_000  # ceiling for one step on a loaded machine (a worker round trip); not a speed check
POSTED = (31.2310, 121.4760)  # lat, lon: where the test city's crew stands

# The page entry modules, whose exports are the running page's objects.
CONSOLE = "/static/command/pages/console.js"            # consoleMap, liveConsole
SUPERVISOR = "/static/command/pages/supervisor.js"      # supervisorMap
TABLET = "/static/command/pages/tablet.js"              # tablet
API = "/static/command/lib/api.js"                      # api: the pages' own fetch with the CSRF token


def watch(page, errors: list):
    """Collect the page's script errors in `errors`; the page back."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def log_in(page, url: str, username: str, landing: str, *, live: bool = True) -> None:
    """The login form, then the landing page; a live page is waited for until its feed is online."""
    page.goto(f"{url}/login/?next={landing}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked [type=submit]")
    if live:
        expect(page.locator("#live-state")).to_have_attribute("data-state", "online", timeout=STEP_MS)


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def feed(page, module: str, name: str, call: str) -> None:
    """Call the live feed of the page object `name` exported by the entry module: pause, resume."""
    page.evaluate(f"import('{module}').then((m) => m.{name}.feed.{call}())")


def map_point(page, module: str, name: str, lat: float, lon: float) -> list[float]:
    """The container pixel of (lat, lon) on the page object's Leaflet map."""
    return page.evaluate(f"([lat, lon]) => import('{module}').then((m) => {{"
                         f" const p = m.{name}.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }})",
                         [lat, lon])


def click_at(page, selector: str, point: list[float]) -> None:
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def wait_for(condition, timeout_s: float = STEP_MS / 1000) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.2)
