"""`make demo` end to end: the real topology (uvicorn ASGI web, Celery worker, Celery beat) on its
own database, every demo login landing on its role's page over real HTTP, the worker answering."""
import subprocess
import sys
import urllib.parse

import pytest
from django.conf import settings

from tests.plugins.demo import log_in, logged_in

BASE_DIR = settings.BASE_DIR
LANDINGS = {"dispatcher": "/console/", "supervisor": "/supervisor/", "district_supervisor": "/supervisor/",
            "officer": "/tablet/", "clerk": "/desk/", "admin": "/admin/"}

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("username, landing", LANDINGS.items())
def test_each_demo_login_lands_on_its_page(demo, username, landing):
    base, _, _ = demo
    _, response = log_in(base, username)
    assert (urllib.parse.urlsplit(response.url).path, response.status) == (landing, 200)


def test_the_admin_shows_the_seeded_city(demo):
    from command.demo.city import PLATFORMS

    base, _, _ = demo
    browser = logged_in(base, "admin")
    page = browser.open(f"{base}/admin/platforms/platform/").read().decode()
    assert [p["name"] for p in PLATFORMS if p["name"] not in page] == []
    officers = browser.open(f"{base}/admin/platforms/officer/").read().decode()
    assert "1425" in officers.replace(",", "").replace(" ", "")


def test_web_worker_and_beat_run_and_the_worker_answers(demo):
    _, env, process = demo
    children = subprocess.run(["ps", "-o", "args=", "--ppid", str(process.pid)], capture_output=True, text=True).stdout
    assert "uvicorn command.asgi:application" in children
    assert "celery -A command worker" in children and "celery -A command beat" in children
    ping = subprocess.run([sys.executable, "-m", "celery", "-A", "command", "inspect", "ping", "--timeout", "10"],
                          cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert "demo-worker@" in ping.stdout and "pong" in ping.stdout
