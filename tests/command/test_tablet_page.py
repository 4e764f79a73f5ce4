"""What the tablet page hands its scripts (the unit, its map and platform area, where its service worker
is) and the on-view form, and the service worker itself: served from under /tablet/ as JavaScript,
never cached by HTTP, naming the shell it keeps."""
import json
import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def script_data(html: str, name: str) -> dict:
    return json.loads(re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)[1])


def test_the_page_hands_its_script_the_unit_its_map_and_its_service_worker(client, officer, officer_unit):
    f.ZoneFactory(platform=officer_unit.platform)  # the factory's square of ±0.01° round People's Square
    client.force_login(officer)
    html = client.get("/tablet/", headers={"accept-language": "en"}).content.decode()
    data = script_data(html, "tablet-data")
    assert data["unit"] == officer_unit.pk
    assert data["sw"] == {"url": "/tablet/sw.js", "scope": "/tablet/"}
    assert data["map"]["platform_area"] == [121.4607, 31.2174, 121.4867, 31.2434]  # padded by 0.003°
    assert data["map"]["basemap"] is None  # no road network imported in this test
    assert len(data["map"]["served_area"]) == 4
    labels = script_data(html, "tablet-labels")
    assert (labels["ui"]["meal_break"], labels["ui"]["report"]) == ("Meal break", "Report it")


def test_the_on_view_form_asks_for_a_category_with_none_chosen(client, officer, officer_unit):
    client.force_login(officer)
    html = client.get("/tablet/", headers={"accept-language": "en"}).content.decode()
    form = re.search(r'<form id="on-view-form".*?</form>', html, re.S)[0]
    categories = re.search(r'<select name="category" required>(.*?)</select>', form, re.S)[1]
    assert re.findall(r'<option value="([^"]*)"', categories)[:2] == ["", "criminal"]
    assert "selected" not in categories
    assert '<option value="3" selected>' in form
    # No maxlength on the note: a paste would be cut silently; the page counts the room left instead.
    for field in ('<textarea name="description" rows="3"></textarea>', 'name="photo" accept="image/jpeg,image/png,image/webp"'):
        assert field in form


def test_the_service_worker_is_javascript_from_under_the_tablet_never_cached(client):
    response = client.get("/tablet/sw.js")  # no login: it is as public as the static files it names
    body = response.content.decode()
    assert response.status_code == 200
    assert (response["Content-Type"], response["Cache-Control"]) == ("text/javascript; charset=utf-8", "no-cache")
    version = re.search(r'const VERSION = "([0-9a-f]+)";', body)[1]
    shell = json.loads(re.search(r"const SHELL_URLS = (\[.*?\]);", body)[1])
    assert len(version) == 16 and 'const PAGE = "/tablet/";' in body
    assert {"/static/command/pages/tablet.js", "/static/command/lib/tablet.js", "/static/command/lib/tablet_queue.js",
            "/static/command/lib/basemap.js", "/static/leaflet/leaflet.js", "/static/command/tablet.css"} <= set(shell)
    assert client.get("/tablet/sw.js").content.decode() == body  # the same release, the same bytes


def test_a_changed_shell_file_makes_a_new_version(client, monkeypatch):
    from command import tablet_page

    before = tablet_page.service_worker_context()["version"]
    monkeypatch.setattr(tablet_page, "SHELL_STATIC", [*tablet_page.SHELL_STATIC, "command/roster.css"])
    assert tablet_page.service_worker_context()["version"] != before
