"""The console's basemap in a real browser with no internet: our road tiles load, draw and name streets."""
from urllib.parse import urlsplit

import pytest

from common.roles import Role
from tests import factories as f
from tests.e2e.support import CONSOLE, log_in, shot, wait_for

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
def dispatcher_login(transactional_db):
    f.membership(f.UserFactory(username="wall-dispatcher"), Role.DISPATCHER)
    return "wall-dispatcher"


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


def wait_for_tiles(page) -> None:
    page.wait_for_load_state("networkidle")
    # Polled with evaluate: wait_for_function evaluates a string, which the page's CSP refuses.
    wait_for(lambda: page.evaluate(
        "document.querySelectorAll('.road-basemap canvas.basemap-tile[data-roads]').length > 0 && "
        "!document.querySelector('.road-basemap .leaflet-tile:not(.leaflet-tile-loaded)')"))
    page.wait_for_timeout(400)  # Leaflet fades new tiles in over 200 ms; the screenshot should not catch that


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_console_draws_our_street_map_with_no_internet(live_server, road_network, dispatcher_login, chromium):
    offline = Offline(live_server.url)
    page = chromium.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    offline.watch(page)
    log_in(page, live_server.url, dispatcher_login, "/console/", live=False)  # Django's live server has no sockets
    wait_for_tiles(page)
    shot(page, "console-basemap-city")
    page.evaluate(f"([lat, lon]) => import('{CONSOLE}')"
                  ".then((m) => m.consoleMap.map.setView([lat, lon], 16, { animate: false }))", PEOPLES_SQUARE)
    wait_for_tiles(page)
    shot(page, "console-basemap")
    ink = page.evaluate(INK_OF_A_TILE)
    attribution = page.inner_text(".leaflet-control-attribution")

    assert offline.errors == []
    assert offline.blocked == []  # nothing tried to reach a tile server, or anything else outside
    assert offline.tiles and set(offline.tiles) == {200}
    assert ink["inked"] > 0.1 * ink["size"] and ink["colours"] > 20  # roads, casings, anti-aliased names
    assert "© OpenStreetMap contributors (ODbL)" in attribution
