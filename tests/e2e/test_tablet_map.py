"""The map on the tablet's assignment card, in real headless Chromium: the console's offline road
basemap, the unit where the tablet is, the incident, and the road route between them (the line the
turn list is read from), fitted into view."""
import re

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.support import POSTED, STEP_MS, TABLET
from tests.e2e.tablet_support import SCENE, logged_in_tablet, on_tablet, shot, tablet_context, until


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_assignment_card_maps_the_unit_the_scene_and_the_route(asgi_server, city, chromium, page_errors):
    incident = f.IncidentFactory(zone=city.platform.zones.get(), status="dispatched", address="人民大道200号",
                                 lat=SCENE[0], lon=SCENE[1], category="dispute", priority=2)
    f.AssignmentFactory(incident=incident, unit=city, status="assigned")
    tablet = logged_in_tablet(tablet_context(chromium, POSTED), asgi_server, page_errors)
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned")
    expect(tablet.locator("#live-assignment .route .turns li").first).to_be_visible(timeout=STEP_MS)
    card_map = tablet.locator("#tablet-map")
    expect(card_map).to_have_class(re.compile(r"\bhas-basemap\b"))
    expect(card_map.locator("canvas.basemap-tile[data-roads]").first).to_be_attached(timeout=STEP_MS)
    until(tablet, f"import('{TABLET}').then((m) => m.tablet.map.routeLine !== null)")
    shot(tablet, "map-route")

    drawn = on_tablet(tablet, """{
        route: t.route.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
        line: t.map.routeLine.getLatLngs().map((p) => [p.lat, p.lng]),
        unit: [t.map.unitMarker.getLatLng().lat, t.map.unitMarker.getLatLng().lng],
        incident: [t.map.incidentMarker.getLatLng().lat, t.map.incidentMarker.getLatLng().lng],
        inView: t.map.map.getBounds().contains(t.map.routeLine.getBounds()),
        tiles: [...document.querySelectorAll('#tablet-map canvas.basemap-tile[data-roads]')]
          .filter((c) => Number(c.dataset.roads) > 0).length,
    }""")
    assert len(drawn["route"]) > 2 and drawn["line"] == drawn["route"]
    assert drawn["unit"] == pytest.approx(list(POSTED), abs=1e-6)
    assert drawn["incident"] == pytest.approx(list(SCENE), abs=1e-6)
    # The route runs from the unit's road to the scene's (OSRM snaps both ends onto the network).
    assert drawn["line"][0] == pytest.approx(list(POSTED), abs=5e-4)
    assert drawn["line"][-1] == pytest.approx(list(SCENE), abs=5e-4)
    assert drawn["inView"] is True and drawn["tiles"] > 0
    assert page_errors == []
