"""The supervisor page's live map: the page carries their zones and platforms only (units and
incidents come from the scoped snapshot and socket), the labels its script shows, and the script."""
import json
import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def map_data(client, user) -> tuple[dict, dict, str]:
    client.force_login(user)
    html = client.get("/supervisor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tags = dict(re.findall(r'<script id="(supervisor-[a-z-]+)" type="application/json">(.*?)</script>', html, re.S))
    return json.loads(tags["supervisor-map-data"]), json.loads(tags["supervisor-labels"]), html


def test_a_supervisors_map_carries_their_zones_and_platforms_only(client, supervisor, platform, other_platform):
    f.ZoneFactory(platform=platform, code="Z01")
    f.ZoneFactory(platform=other_platform, code="Z02")
    data, labels, html = map_data(client, supervisor)
    assert [zone["code"] for zone in data["zones"]] == ["Z01"]
    assert [row["code"] for row in data["platforms"]] == ["P01"]
    assert len(data["served_area"]) == 4 and "basemap" in data
    assert labels["unit_status"]["unavailable"] == "Unavailable" and labels["ui"]["stale"] == "no recent position"
    assert '<script type="module" src="/static/command/pages/supervisor.js"></script>' in html
    assert 'id="supervisor-map"' in html and 'id="console-map"' not in html  # the console's own start() stays idle


def test_an_administrator_sees_every_zone(client, administrator, platform, other_platform):
    f.ZoneFactory(platform=platform, code="Z01")
    f.ZoneFactory(platform=other_platform, code="Z02")
    data, _labels, _html = map_data(client, administrator)
    assert sorted(zone["code"] for zone in data["zones"]) == ["Z01", "Z02"]
