"""`make demo` as a fixture (a fixture plugin loaded by tests/conftest.py): the real topology (uvicorn
ASGI web, Celery worker, Celery beat, the live simulator) on a database and a Valkey db of its own,
started once for the run (its start took 40-45 s a module) by the first test that asks for `demo`;
and logging in to it over real HTTP like a browser. Its tests run one after another (tests/scheduling.py
keeps their modules together) and the demo is stopped as soon as the last of them is done, so its
simulator does not run beside the rest of the suite."""
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from command import embedded

BASE_DIR = settings.BASE_DIR


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


_running: list[subprocess.Popen] = []


def pytest_runtest_teardown(item, nextitem):
    """The last of the demo's tests is done: stop it now, not when the session ends."""
    if "demo" in getattr(item, "fixturenames", ()) and "demo" not in getattr(nextitem, "fixturenames", ()):
        while _running:
            stop(_running.pop())


@pytest.fixture(scope="session")
def demo():
    """The demo on a database and a Valkey db of its own; stopped (all three processes) afterwards."""
    # The owner role makes the database (the app's login may not); the demo migrates as the owner.
    admin_url = with_database(os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"], "postgres")
    embedded._ensure_database(admin_url, "demo_smoke")
    port = embedded.free_port()
    env = {**os.environ, "DATABASE_URL": with_database(os.environ["DATABASE_URL"], "demo_smoke"),
           "REDIS_URL": re.sub(r"/\d+$", "/3", os.environ["REDIS_URL"]),
           "DEMO_HISTORY_DAYS": "0"}  # the live loop's smoke tests need no past (seed_history has its own tests)
    log = open(BASE_DIR / ".local" / "demo-smoke.log", "w")
    process = subprocess.Popen([sys.executable, "manage.py", "demo", "--port", str(port), "--run-for", "600"],
                               cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    _running.append(process)
    try:
        wait_for(f"{base}/healthz", process, timeout=240)
        yield base, env, process
    finally:
        if process in _running:
            _running.remove(process)
            stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """All of the demo's processes: web, worker, beat and the simulator."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def wait_for(url: str, process, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, (BASE_DIR / ".local" / "demo-smoke.log").read_text()[-3000:]
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # still starting
            time.sleep(1)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def log_in(base: str, username: str):
    """POST the login form like a browser; returns the opener (with its session) and the response."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{base}/login/")
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"username": username, "password": "shanghai110", "csrfmiddlewaretoken": token})
    response = browser.open(urllib.request.Request(f"{base}/login/", data=form.encode(), headers={"Referer": f"{base}/login/"}))
    return browser, response


def logged_in(base: str, username: str):
    return log_in(base, username)[0]
