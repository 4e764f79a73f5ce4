"""The console's basemap in a real browser with no internet: our road tiles load, draw and name streets."""
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from common.roles import Role
from tests import factories as f

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PEOPLES_SQUARE = (31.2304, 121.4737)

# How many of a drawn tile canvas's pixels are not transparent, and how many colours they use.
INK_OF_A_TILE = """() => {
  const canvases = [...document.querySelectorAll(".road-basemap canvas.basemap-tile")]
    .filter((c) => Number(c.dataset.roads) > 0);
  const ink = canvases.map((canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]) { inked += 1; colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]); }
    }
    return { inked, colours: colours.size, size: canvas.width * canvas.height };
  });
  return ink.sort((a, b) => b.inked - a.inked)[0] || null;
}"""


@pytest.fixture
def road_network(settings, tmp_path):
    settings.ROAD_DATA_DIR = tmp_path / "roads"
    call_command("import_roads", stdout=io.StringIO())


@pytest.fixture
def dispatcher_login(transactional_db):
    f.membership(f.UserFactory(username="wall-dispatcher"), Role.DISPATCHER)
    return "wall-dispatcher", "pass-1234-word"


class Offline:
    """Lets through only requests to the site itself, as a console on a cut-off network would see."""

    def __init__(self, site_url: str):
        self.site = urlsplit(site_url).netloc
        self.blocked, self.tiles, self.errors = [], [], []

    def route(self, route):
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def response(self, response):
        if "/basemap/" in response.url:
            self.tiles.append(response.status)

    def watch(self, page) -> None:
        page.route("**/*", self.route)
        page.on("response", self.response)
        page.on("pageerror", lambda error: self.errors.append(str(error)))


def log_in(page, site_url: str, username: str, password: str) -> None:
    page.goto(f"{site_url}/login/?next=/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stacked [type=submit]")
    page.wait_for_url(f"{site_url}/console/")


def wait_for_tiles(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelectorAll('.road-basemap canvas.basemap-tile[data-roads]').length > 0 && "
                           "!document.querySelector('.road-basemap .leaflet-tile:not(.leaflet-tile-loaded)')")
    page.wait_for_timeout(400)  # Leaflet fades new tiles in over 200 ms; the screenshot should not catch that


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_console_draws_our_street_map_with_no_internet(live_server, road_network, dispatcher_login):
    ARTIFACTS.mkdir(exist_ok=True)
    offline = Offline(live_server.url)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        offline.watch(page)
        log_in(page, live_server.url, *dispatcher_login)
        wait_for_tiles(page)
        page.screenshot(path=ARTIFACTS / "console-basemap-city.png")
        page.evaluate("([lat, lon]) => import('/static/command/console.js')"
                      ".then((m) => m.consoleMap.map.setView([lat, lon], 16, { animate: false }))", PEOPLES_SQUARE)
        wait_for_tiles(page)
        page.screenshot(path=ARTIFACTS / "console-basemap.png")
        ink = page.evaluate(INK_OF_A_TILE)
        attribution = page.inner_text(".leaflet-control-attribution")
        browser.close()

    assert offline.errors == []
    assert offline.blocked == []  # nothing tried to reach a tile server, or anything else outside
    assert offline.tiles and set(offline.tiles) == {200}
    assert ink["inked"] > 0.1 * ink["size"] and ink["colours"] > 20  # roads, casings, anti-aliased names
    assert "© OpenStreetMap contributors (ODbL)" in attribution
