"""一键查询、全程追溯 in real headless Chromium against the real ASGI app: a dispatcher searches a call by
a word of its description, opens its trace from the results (the call, its timeline, the crew sent, both
clocks against the target, the crew's track on the map), plays the track back, then opens the crew's
own track playback from the trace and scrubs it to the scene."""
import pytest
from playwright.sync_api import expect

from tests.e2e.review_support import SCENE, TRACE, TRACKS, on_page, traced_call, until_on_page
from tests.e2e.support import ARTIFACTS, STEP_MS, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MARKER = "p.playback.markers[0].getLatLng()"


def search_and_open(page, url: str, incident) -> None:
    log_in(page, url, "wall-dispatcher", "/analysis/search/", live=False)
    page.fill("#search-form input[name=q]", "被盗窃")
    page.click("#search-form button[type=submit]")
    row = page.locator(f"#search-results tbody tr[data-id='{incident.pk}']")
    expect(row).to_contain_text("110-TRACE-0001", timeout=STEP_MS)
    expect(page.locator("#search-results tbody tr")).to_have_count(1)
    expect(page.locator("#search-status")).to_contain_text("1")
    with page.expect_navigation():
        row.locator("a").click()


def check_the_trace(page, incident) -> None:
    expect(page.locator("h1")).to_contain_text("110-TRACE-0001")
    expect(page.locator("#trace-timeline li")).to_have_count(4)   # received, ordered, on scene, closed
    expect(page.locator("#trace-units tbody tr")).to_contain_text("人广01")
    expect(page.locator("#trace-units tbody tr")).to_contain_text("李警官")
    expect(page.locator("#trace-clocks")).to_contain_text("150.0")   # ordered → on scene, within 180 s
    expect(page.locator("#trace-clocks .done").first).to_be_visible()
    expect(page.locator("#trace-playback")).to_have_attribute("data-ready", "true")


def play_the_track(page) -> None:
    """From the order (the crew at its post) Play runs the clock at 60x and the marker drives off."""
    start = on_page(page, TRACE, "tracePage", MARKER)
    began = int(page.locator("#trace-playback").get_attribute("data-time"))
    page.click("#trace-playback .play")
    expect(page.locator("#trace-playback .play")).to_have_attribute("aria-pressed", "true")
    until_on_page(page, TRACE, "tracePage", f"p.playback.time > {began} + 60000")   # a simulated minute on
    moved = on_page(page, TRACE, "tracePage", MARKER)
    assert moved != start and moved["lng"] > start["lng"]   # towards the scene, east of the post
    page.click("#trace-playback .play")   # pause
    on_page(page, TRACE, "tracePage", "p.playback.seek(1)")
    assert on_page(page, TRACE, "tracePage", MARKER) == {"lat": SCENE[1], "lng": SCENE[0]}


def scrub_the_units_track(page, incident) -> None:
    with page.expect_navigation():
        page.click("#trace-units a")
    expect(page.locator("#track-details")).to_contain_text("110-TRACE-0001", timeout=STEP_MS)
    expect(page.locator("#track-details")).to_contain_text("李警官")
    expect(page.locator("#track-status")).to_contain_text("60")   # its 60 fixes in the last eight hours
    expect(page.locator("#track-playback")).to_have_attribute("data-ready", "true")
    page.locator("#track-playback .scrub").fill("1000")
    assert on_page(page, TRACKS, "tracksPage", MARKER) == {"lat": SCENE[1], "lng": SCENE[0]}


def test_search_a_call_trace_it_and_play_back_the_crews_track(chromium, asgi_server, city, page_errors):
    incident = traced_call(city)
    page = watch(chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page(), page_errors)

    search_and_open(page, asgi_server, incident)
    check_the_trace(page, incident)
    play_the_track(page)
    page.screenshot(path=ARTIFACTS / "review-trace.png", full_page=True)
    scrub_the_units_track(page, incident)
    page.screenshot(path=ARTIFACTS / "review-track.png", full_page=True)
    assert page_errors == []
