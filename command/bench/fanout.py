"""`manage.py bench fanout`: how long a position fix takes to reach the consoles, and how long the
console's map takes to draw thousands of moving units in Chromium.

Like `bench dispatch` it runs in a world of its own (a throwaway PostgreSQL database, a Redis
database number of its own): the parent creates them and starts a child (`bench fanout --child`)
that seeds the units, starts uvicorn on loopback, then
1. moves `units` units at 1 Hz (a tenth of them every 100 ms) through the ingest service while `consoles` websocket clients logged
   in as a dispatcher listen on `ws/console/`: the delay of each row of `units.moved` is its arrival
   time minus the fix's own time (the fix is stamped when it is sent), so it covers the ingest, the
   coalescing (about once a second) and the fan-out;
2. moves `frame_units` units and `frame_officers` officers' handsets (issue 16: each crewing one of the
   units, a few metres from it) at 1 Hz while the real console page is open in headless Chromium, and
   reads each canvas layer's draw time per frame (`frameTimes` of the units' and the officers' layers):
   the console draws both, so the budget (16 ms a frame) is for the two together.
"""
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from datetime import timezone as dt_timezone

from command import embedded
from command.bench import world
from command.serving import DEFLATE, uvicorn_env

BENCH_REDIS_DB = 12  # not bench dispatch's: the two may run at once
DRAIN_S = 20.0  # after the last move: an order heard later than this counts as lost

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def run(*, units: int, consoles: int, seconds: float, frame_units: int, frame_seconds: float,
        frame_officers: int = 0, tablets: int = 0, orders_per_s: float = 0.0, web_processes: int = 1,
        ws_deflate: bool = False) -> dict:
    arguments = ["--units", str(units), "--consoles", str(consoles), "--seconds", str(seconds),
                 "--frame-units", str(frame_units), "--frame-seconds", str(frame_seconds),
                 "--frame-officers", str(frame_officers), "--tablets", str(tablets),
                 "--orders-per-s", str(orders_per_s), "--web-processes", str(web_processes),
                 *(["--ws-deflate"] if ws_deflate else [])]
    return world.run_child("fanout", arguments, redis_db=BENCH_REDIS_DB)


# --- the child ---------------------------------------------------------------------------------

def child(*, units: int, consoles: int, seconds: float, frame_units: int, frame_seconds: float,
          frame_officers: int = 0, tablets: int = 0, orders_per_s: float = 0.0, web_processes: int = 1,
          ws_deflate: bool = False) -> dict:
    from django.core.management import call_command

    from command.bench.fanout_officers import seed_officers
    from command.bench.fanout_tablets import crew_sessions

    call_command("migrate", verbosity=0)
    ids, cookie = _seed(max(units, frame_units, tablets))
    crews = crew_sessions(ids[:tablets])
    officers = seed_officers(ids[:frame_units], frame_officers)
    port = embedded.free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "command.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(web_processes), "--ws", "websockets",
                               "--log-level", "warning"], env=_server_env(ws_deflate), start_new_session=True)
    try:
        embedded.wait_for_port(port, name="uvicorn")
        time.sleep(2.0 * web_processes)  # every worker process up and its first imports done
        live = _fanout(server.pid, port, cookie, ids[:units], consoles, seconds, crews, orders_per_s)
        frames = _frames(port, cookie, ids[:frame_units], frame_seconds, officers)
    finally:
        os.killpg(server.pid, 15)
        server.wait(20)
    return {"units": units, "consoles": consoles, "seconds": seconds, "web_processes": web_processes,
            "ws_deflate": ws_deflate, **live,
            "frame_units": frame_units, "frame_officers": len(officers), **frames,
            "targets": "p99 fix to console < 1500 ms with coalescing; order to tablet p99 < 1000 ms; "
                       "both layers' draw < 16 ms per update",
            "note": "loopback; the listeners in two processes of their own, the units moved and the orders sent "
                    "from the bench's process; measured on whatever else this machine is running"}


def _server_env(ws_deflate: bool) -> dict:
    """The server's environment as the project starts it (command.serving), or with deflate on to
    measure the difference (`--ws-deflate`)."""
    return uvicorn_env({**os.environ, DEFLATE: "true"} if ws_deflate else None)


def _seed(count: int) -> tuple[list[int], str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from command.models import Membership
    from common.roles import Role
    from grid.selectors import served_area
    from platforms.models import District, Platform, Shift, Squad, Unit

    west, south, east, north = served_area().bounds
    lon, lat = (west + east) / 2, (south + north) / 2
    district = District.objects.create(code="BF", name="基准分局")
    platform = Platform.objects.create(code="BF01", name="基准平台", district=district, lon=lon, lat=lat)
    squad = Squad.objects.create(platform=platform, number=1, name="1班")
    now = timezone.now()
    shift = Shift.objects.create(squad=squad, kind="day", starts_at=now - timezone.timedelta(hours=1),
                                 ends_at=now + timezone.timedelta(hours=8), approved=True)
    Unit.objects.bulk_create([Unit(call_sign=f"基{i:05d}", shift=shift, platform=platform, status="available",
                                   capabilities=["patrol"]) for i in range(count)], batch_size=2000)
    user = get_user_model().objects.create_user("bench-dispatcher", password=None)
    Membership.objects.create(user=user, role=Role.DISPATCHER)
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return list(Unit.objects.order_by("pk").values_list("pk", flat=True)), cookie


def _move(ids: list[int], k: int) -> None:
    """Every unit a few metres on, stamped now: one ingest call, as a batch of tablets would."""
    from grid.selectors import served_area
    from platforms.positions import Fix, fixes_accept

    at = datetime.now(dt_timezone.utc)
    bounds = served_area().bounds
    fixes_accept(fixes=[Fix(unit_id=pk, at=at, **spot(bounds, pk, k)) for pk in ids], source="bench")


def spot(bounds, pk: int, k: int) -> dict:
    """Where unit `pk` is at its `k`-th move: spread over the middle of the served area, a few metres on."""
    west, south, east, north = bounds
    width, height = (east - west) * 0.6, (north - south) * 0.6
    return {"lon": west + (east - west) * 0.2 + (pk * 7919 % 1000) / 1000 * width + k * 2e-5,
            "lat": south + (north - south) * 0.2 + (pk * 104729 % 1000) / 1000 * height}


def _drive(ids: list[int], seconds: float, orders=None, slices: int = 10) -> None:
    """Each unit once a second, a tenth of them every 100 ms: tablets report at any phase of the
    consoles' once-a-second send, so the delays spread over it as they would in the street. The
    orders due are sent between the moves."""
    began = time.monotonic()
    for k in range(int(seconds) * slices):
        started = time.monotonic()
        _move(ids[k % slices::slices], k // slices)
        if orders is not None:
            orders.due(started - began)
        time.sleep(max(0.0, 1.0 / slices - (time.monotonic() - started)))


def _fanout(server_pid: int, port: int, cookie: str, ids: list[int], consoles: int, seconds: float,
            crews: list[tuple[int, str]], orders_per_s: float) -> dict:
    """The tablets' sockets opened, then the consoles', the server's memory read before and after each;
    the units moved (and the orders sent) while both listen."""
    from command.bench.fanout_tablets import Listeners, Orders
    from grid.selectors import served_area

    listeners = Listeners()
    memory = {"no_socket": _memory(server_pid)}
    if crews:
        listeners.start("tablets", port, [(f"/ws/unit/{pk}/", crew_cookie) for pk, crew_cookie in crews])
    memory["tablets_open"] = _memory(server_pid)
    listeners.start("consoles", port, [("/ws/console/", cookie)] * consoles)
    memory["consoles_open"] = _memory(server_pid)
    orders = Orders([pk for pk, _ in crews], orders_per_s, served_area().bounds) if crews and orders_per_s else None
    _drive(ids, 3)  # warm up: every console has had its first full picture
    listeners.measuring.set()
    _drive(ids, seconds, orders)
    time.sleep(DRAIN_S if orders is not None else 2.0)  # the units stand still; orders still on the way arrive
    memory["after_the_run"] = _memory(server_pid)
    heard = listeners.finish()
    return {"fix_to_console_ms": _sampled(heard["consoles"]), "consoles_connected": heard["consoles"]["connected"],
            "console_errors": heard["consoles"]["errors"],
            **_tablets(heard.get("tablets"), len(crews), orders), **_memory_figures(memory, len(crews), consoles)}


def _memory(server_pid: int) -> dict:
    from command.bench.fanout_tablets import server_rss_kb, valkey_used_bytes

    return {"server_rss_kb": server_rss_kb(server_pid), "valkey_bytes": valkey_used_bytes()}


def _memory_figures(memory: dict, tablets: int, consoles: int) -> dict:
    from command.bench.fanout_tablets import per_socket

    return {"memory": memory,
            "memory_per_tablet_socket": per_socket(memory["no_socket"], memory["tablets_open"], tablets),
            "memory_per_console_socket": per_socket(memory["tablets_open"], memory["consoles_open"], consoles)}


def _tablets(heard: dict | None, tablets: int, orders) -> dict:
    from command.bench.fanout_tablets import order_delays

    if heard is None:
        return {"tablets": 0}
    committed = orders.committed if orders is not None else {}
    delays, unheard = order_delays(committed, heard["orders"])
    return {"tablets": tablets, "tablets_connected": heard["connected"], "tablet_errors": heard["errors"],
            "orders": {"sent": len(committed), "heard": len(delays), "lost": unheard},
            "order_to_tablet_ms": _quantiles(delays)}


def _sampled(heard: dict) -> dict:
    """The quantiles of a listener's sample of its delays, with the number of rows it counted."""
    return {**_quantiles(heard["delays_ms"]), "samples": heard["rows"]}


def _frames(port: int, cookie: str, ids: list[int], seconds: float, officers: list) -> dict:
    from playwright.sync_api import expect, sync_playwright

    from command.bench.fanout_officers import FORGET, LAYERS, frame_figures, move_officers

    name, value = cookie.split("=", 1)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the driver below runs the ingest in this thread
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/console/")
        # a locator, not wait_for_function: the page's CSP refuses the string it would evaluate
        expect(page.locator("#live-state")).to_have_attribute("data-state", "online", timeout=60_000)
        page.evaluate(FORGET)
        for k in range(int(seconds)):
            started = time.monotonic()
            _move(ids, k + 1000)
            move_officers(officers, k + 1000)
            page.wait_for_timeout(max(0.0, 1.0 - (time.monotonic() - started)) * 1000)
        page.wait_for_timeout(1500)
        frames = page.evaluate(LAYERS)
        browser.close()
    return frame_figures(frames, _quantiles)


def _quantiles(values: list[float]) -> dict:
    if not values:
        return {"samples": 0}
    ordered = sorted(values)

    def q(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {"samples": len(ordered), "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "max": round(ordered[-1], 1)}
