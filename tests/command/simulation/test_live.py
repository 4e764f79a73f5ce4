"""Live mode end to end: `make demo`'s topology with the simulator beside web, worker and beat, on
the demo's own database. Within a few minutes the units report fresh positions, some of them moving,
and a call the simulator made is met on scene, all through the HTTP API; the demo officer's own crew
is left to the tablet (nobody opened it here, so it reports nothing)."""
import json
import subprocess
import time

import pytest

from tests.plugins.demo import log_in, logged_in

pytestmark = pytest.mark.slow


def get(browser, url):
    return json.loads(browser.open(url).read().decode())


def test_the_simulator_runs_beside_the_demo_and_a_simulated_call_is_met_on_scene(demo):
    base, _, process = demo
    children = subprocess.run(["ps", "-o", "args=", "--ppid", str(process.pid)], capture_output=True, text=True).stdout
    assert "manage.py simulate --base-url" in children
    browser, _ = log_in(base, "dispatcher")
    deadline, met = time.monotonic() + 420, []
    while not met and time.monotonic() < deadline:
        time.sleep(5)
        incidents = get(browser, f"{base}/api/v1/incidents/?page_size=100")["results"]
        met = [i for i in incidents if "simulator" in i["description"] and i["on_scene_at"]]
    assert met, "no simulated call was met on scene in 7 minutes"
    assert met[0]["dispatch_to_scene_s"] > 0
    positions = get(browser, f"{base}/api/v1/positions/live")
    # Every unit on duty reports but the demo officer's own crew, which the simulator leaves to whoever
    # opens the tablet: nobody here, so it has no position, or a stale one from an earlier run.
    [own] = get(logged_in(base, "officer"), f"{base}/api/v1/units/?on_duty=true")["results"]
    assert len(positions) >= 69
    assert [p["call_sign"] for p in positions if p["stale"]] in ([], [own["call_sign"]])
    assert any((p["speed_mps"] or 0) > 1 for p in positions)  # some are driving between posts
