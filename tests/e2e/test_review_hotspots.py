"""Hot spots to operations (热点 → 巡防) in real headless Chromium against the real ASGI app: a platform
supervisor turns on the hot-spot layer of their live map (LiveConsole's, scoped to their platform) and
sees the corner where calls gather, opens
the hot-spot page, sends a patrol to that cell for the band running now in one step, and the crew on
duty finds the task on its tablet."""
import re

import h3
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analysis import rollups
from command.analysis_views import PATROL_BANDS
from tests.e2e.review_support import HOT_SPOT, a_hot_spot, on_page, review_logins
from tests.e2e.support import ARTIFACTS, STEP_MS, SUPERVISOR, log_in, watch
from tests.e2e.tablet_support import SCENE, tablet_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CELL = h3.latlng_to_cell(HOT_SPOT[1], HOT_SPOT[0], 9)


def toggle_the_layer(page) -> None:
    button = page.locator("#hotspot-toggle")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_attribute("data-cells", re.compile(r"^[1-9]\d*$"), timeout=STEP_MS)
    assert on_page(page, SUPERVISOR, "supervisorMap", "p.hotspots.map.hasLayer(p.hotspots.layer)") is True
    page.screenshot(path=ARTIFACTS / "review-supervisor-hotspots.png")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert on_page(page, SUPERVISOR, "supervisorMap", "p.hotspots.layer") is None


def band_now() -> str:
    hour = timezone.localtime().hour
    start, end = next((s, e) for s, e in PATROL_BANDS if s <= hour < e)
    return f"{start}-{end}"


def send_a_patrol(page, url: str) -> None:
    """The analysis of the last four weeks runs as the page opens; the hot cell is sent a patrol."""
    page.goto(f"{url}/analysis/hotspots/")
    spot = page.locator(f"#hotspot-list tbody tr[data-cell='{CELL}']")
    expect(spot).to_be_visible(timeout=STEP_MS)
    spot.locator("button.send").click()
    form = page.locator("#patrol-form")
    expect(form.locator("output[name=cell_shown]")).to_have_text(CELL)
    for box in form.locator("input[name=band]").all():
        box.set_checked(box.get_attribute("value") == band_now())
    form.locator("button[type=submit]").click()
    expect(page.locator("#patrol-status")).to_have_attribute("data-patrol", re.compile(r"^\d+$"), timeout=STEP_MS)
    expect(page.locator("#patrol-status")).to_contain_text("HS00001")
    page.screenshot(path=ARTIFACTS / "review-hotspot-patrol.png", full_page=True)
    with page.expect_navigation():
        page.click("#patrol-status a")
    expect(page.locator("#patrol-tasks tbody tr")).to_have_count(1)
    expect(page.locator("#patrol-tasks tbody tr")).to_contain_text("人广01")


def test_a_supervisor_sends_a_patrol_to_a_hot_spot_and_the_crew_sees_it(chromium, asgi_server, city, page_errors):
    review_logins(city.platform)
    a_hot_spot()
    rollups.rollups_build_all()
    supervisor = watch(chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page(),
                       page_errors)
    log_in(supervisor, asgi_server, "platform-supervisor", "/supervisor/")

    toggle_the_layer(supervisor)
    send_a_patrol(supervisor, asgi_server)
    tablet = watch(tablet_context(chromium, SCENE).new_page(), page_errors)
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
    expect(tablet.locator(".patrol-tasks")).to_contain_text("HS00001")
    tablet.screenshot(path=ARTIFACTS / "review-tablet-hotspot-task.png", full_page=True)
    assert page_errors == []
