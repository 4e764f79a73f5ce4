"""`manage.py bench fanout --tablets N` (issue 21 §3): the consoles and thousands of officers' tablets on
their sockets at once while the units move, orders sent to some of those tablets meanwhile, and what
each open socket costs the server in memory.

The listeners run in two processes of their own (the consoles in one, the tablets in the other), not
in the bench's process that moves the units and sends the orders: a listener starved of the CPU by the
driver would add its own lag to the delays it stamps. They start one after the other so the server's
memory (the resident size of uvicorn and its workers, and Valkey's `used_memory`) is read with no
socket open, with the tablets' open, and with the consoles' open as well.

- fix -> console: each row of `units.moved` at each console, its arrival minus the fix's own time;
- order -> tablet: `assignment.created` at the unit's tablet, its arrival minus the moment the
  assignment's transaction committed (stamped by an on-commit hook registered before the write).
These processes import nothing from Django: they only speak websocket to the server.
"""
import asyncio
import json
import multiprocessing
import time
from array import array
from pathlib import Path

CONNECTING_AT_ONCE = 200  # handshakes in flight per listener process: a phone fleet reconnects in waves too
READY_TIMEOUT_S = 900.0


# --- the world -----------------------------------------------------------------------------------

def crew_sessions(unit_ids: list[int]) -> list[tuple[int, str]]:
    """An officer with a login crewing each unit, and each login's session cookie: [(unit, cookie)]."""
    from command.bench.ingest_ws_seed import crews
    from platforms.models import Squad, Unit

    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("platform").order_by("pk"))
    if not units:
        return []
    squad = Squad.objects.filter(platform=units[0].platform).first()
    return list(zip([unit.pk for unit in units], crews(units, units[0].platform, squad), strict=True))


class Orders:
    """`rate` orders a second, each a new call sent to the next tablet's unit; the commit time of each."""

    def __init__(self, unit_ids: list[int], rate: float, bounds):
        from django.contrib.auth import get_user_model

        self.unit_ids, self.rate, self.bounds = unit_ids, rate, bounds
        self.actor, _ = get_user_model().objects.get_or_create(username="bench-dispatcher")
        self.committed: dict[int, float] = {}
        self.sent = 0

    def due(self, elapsed_s: float) -> None:
        """Every order due by `elapsed_s` into the measured seconds, while there are tablets left to order."""
        while self.sent < min(len(self.unit_ids), int(elapsed_s * self.rate)):
            self._order(self.unit_ids[self.sent])
            self.sent += 1

    def _order(self, unit_id: int) -> None:
        from django.db import transaction

        from command.bench.fanout import spot
        from dispatch.services import assignment_create, incident_create
        from platforms.models import Unit

        made = {}
        with transaction.atomic():
            # Registered first, so it runs first on commit: the moment the order is durable.
            transaction.on_commit(lambda: self.committed.__setitem__(made["pk"], time.time()))
            incident, _ = incident_create(actor=self.actor, category="traffic_accident", priority=2, engine=False,
                                          **spot(self.bounds, unit_id, 7))
            made["pk"] = assignment_create(actor=self.actor, incident=incident, unit=Unit.objects.get(pk=unit_id)).pk


def order_delays(committed: dict[int, float], arrived: dict[int, float]) -> tuple[list[float], int]:
    """Each order's delay to its tablet in ms, and how many orders no tablet heard."""
    delays = [(arrived[pk] - at) * 1000 for pk, at in committed.items() if pk in arrived]
    return delays, len(committed) - len(delays)


# --- the server's memory -------------------------------------------------------------------------

def server_rss_kb(root_pid: int) -> int:
    """The resident memory of uvicorn and its worker processes, from /proc."""
    from command.bench.ingest_ws import children_of

    total = 0
    for pid in [root_pid, *children_of(root_pid)]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def valkey_used_bytes() -> int:
    from platforms.positions import redis_client

    return int(redis_client().info("memory")["used_memory"])


def per_socket(before: dict, after: dict, sockets: int) -> dict:
    """What each of `sockets` opened between two readings cost: the server's RSS and Valkey's memory."""
    if not sockets:
        return {"sockets": 0}
    return {"sockets": sockets,
            "server_rss_kb_per_socket": round((after["server_rss_kb"] - before["server_rss_kb"]) / sockets, 1),
            "valkey_bytes_per_socket": round((after["valkey_bytes"] - before["valkey_bytes"]) / sockets)}


# --- the listeners (processes of their own, no Django) ---------------------------------------------

class Listeners:
    """The consoles' and the tablets' processes, with the events that start and stop their counting."""

    def __init__(self):
        self.context = multiprocessing.get_context("spawn")
        self.measuring, self.stop = self.context.Event(), self.context.Event()
        self.results = self.context.Queue()
        self.processes = []

    def start(self, what: str, port: int, targets: list) -> None:
        """Open `targets` sockets of one kind and return once every one is open or has failed."""
        ready = self.context.Event()
        process = self.context.Process(target=_listen_main, daemon=True,
                                       args=(what, port, targets, ready, self.measuring, self.stop, self.results))
        process.start()
        self.processes.append(process)
        if not ready.wait(READY_TIMEOUT_S):
            raise RuntimeError(f"the {what} did not connect within {READY_TIMEOUT_S:.0f} s")

    def finish(self) -> dict[str, dict]:
        self.stop.set()
        found = {}
        for _ in self.processes:
            result = self.results.get(timeout=120)
            found[result["what"]] = result
        for process in self.processes:
            process.join(30)
        return found


def _listen_main(what, port, targets, ready, measuring, stop, results) -> None:
    results.put(asyncio.run(_listen(what, port, targets, ready, measuring, stop)))


async def _listen(what, port, targets, ready, measuring, stop) -> dict:
    counts = {"what": what, "connected": 0, "errors": 0, "delays_ms": array("d"), "orders": {}}
    opened = [asyncio.Event() for _ in targets]
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
    listen = _console if what == "consoles" else _tablet
    tasks = [asyncio.create_task(_socket(port, target, gate, done, listen, counts, measuring, stop))
             for target, done in zip(targets, opened, strict=True)]
    for done in opened:
        await done.wait()
    ready.set()
    await asyncio.gather(*tasks)
    delays = sorted(counts.pop("delays_ms"))
    counts["rows"] = len(delays)
    counts["delays_ms"] = delays[::max(1, len(delays) // 200_000)]  # a sample for the parent's quantiles
    return counts


async def _socket(port, target, gate, opened, listen, counts, measuring, stop) -> None:
    import websockets

    path, cookie = target
    try:
        async with gate:
            socket = await websockets.connect(f"ws://127.0.0.1:{port}{path}", open_timeout=300, max_size=None,
                                              additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"})
        counts["connected"] += 1
    except Exception:  # refused or timed out: counted, the others go on
        counts["errors"] += 1
        opened.set()
        return
    opened.set()
    try:
        async with socket:
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(socket.recv(), 1.0)
                except TimeoutError:
                    continue
                listen(raw, time.time(), counts, measuring)
    except Exception:  # dropped by the server: counted
        counts["errors"] += 1


def _console(raw: str, arrived_s: float, counts: dict, measuring) -> None:
    if not measuring.is_set() or '"units.moved"' not in raw[:40]:
        return
    message = json.loads(raw)
    if message.get("event") == "units.moved":
        arrived_ms = arrived_s * 1000
        counts["delays_ms"].extend(arrived_ms - row[3] for row in message["data"]["units"])


def _tablet(raw: str, arrived_s: float, counts: dict, measuring) -> None:
    message = json.loads(raw)
    if message.get("event") == "assignment.created":
        counts["orders"][message["data"]["id"]] = arrived_s
