"""The console's traffic layers in real headless Chromium: the live speed layer draws the segments the
fleet drove this slot in the colour of their measured factor (on once the dispatcher ticks it in the
layer switch), and the congestion layer shows a congestion incident with its age since the call."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grid.models import Zone
from tests import factories as f
from tests.e2e.support import CONSOLE, STEP_MS, log_in, shot, wait_for, watch
from traffic.models import SegmentSpeed
from traffic.speeds import slot_start

# (from, to, metres, seconds, free-flow seconds): a road crawling at a third of free flow, one at free flow
SEGMENTS = [((121.4700, 31.2300), (121.4710, 31.2300), 95.0, 34.2, 11.4), ((121.4760, 31.2310), (121.4760, 31.2320), 111.0, 10.0, 10.0)]


def layers(page, expression: str):
    return page.evaluate(f"import('{CONSOLE}').then((m) => {{ const t = m.trafficLayers; return {expression}; }})")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_console_shows_live_speeds_and_congestion_with_its_age(asgi_server, city, chromium, page_errors):
    now = timezone.now()
    for n, ((a, b), metres, seconds, free) in enumerate((s[:2], *s[2:]) for s in SEGMENTS):
        SegmentSpeed.objects.create(from_node=n * 2 + 1, to_node=n * 2 + 2, slot_start=slot_start(now), samples=3,
                                    metres=metres, seconds=seconds, free_flow_s=free, from_lon=a[0], from_lat=a[1],
                                    to_lon=b[0], to_lat=b[1])
    jam = f.IncidentFactory(zone=Zone.objects.get(), category="traffic_congestion", status="on_scene",
                            received_at=now - timedelta(minutes=7, seconds=10), number="110-JAM-1")
    console = watch(chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page(), page_errors)
    log_in(console, asgi_server, "wall-dispatcher", "/console/")
    wait_for(lambda: layers(console, "t.jams.length") == 1)
    console.get_by_label("实时车速").check()
    wait_for(lambda: layers(console, "t.map.hasLayer(t.speeds) && t.speeds.getLayers().length") == 2)
    colours = layers(console, "t.speeds.getLayers().map((line) => line.options.color)")
    factors = layers(console, "t.segments.map((s) => s.factor)")
    expect(console.locator(".leaflet-tooltip", has_text="110-JAM-1")).to_contain_text("距报警 7 分钟", timeout=STEP_MS)
    shot(console, "traffic-console-layers")
    assert sorted(zip(factors, colours)) == [(1.0, "#2e7d32"), (3.0, "#c62828")]
    assert layers(console, "t.jams.map((j) => [j.incident, j.flowing_at])") == [[jam.pk, None]]
    assert page_errors == []
