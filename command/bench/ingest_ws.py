"""`manage.py bench ingest-ws`: position fixes per second through the real ASGI server with several
processes (`uvicorn --workers N`, one port), from tablets on their websockets (`ws/unit/<id>/`, each an
officer logged in, crewing its unit) sending small batches, and from trackers on the OsmAnd/Traccar
endpoint (one HTTP request a fix, each tracker with its own key); none lost: what the senders were told
was accepted is counted again in Valkey's track stream and, after the flush, in `TrackPoint`.

A world of its own (command/bench/world.py). The senders run in `--clients` processes of their own
beside the server (each a closed loop per socket: send a batch, wait for its answer, send the next),
so on this 2-core machine they take part of the CPU the server would have: the figure per core
counts the server's own CPU time only."""
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from command.bench import world
from command.serving import uvicorn_env

BENCH_REDIS_DB = 11
WARMUP_S = 5.0  # sent before the counted seconds: each process's first requests load what it caches


def run(*, tablets: int, processes: int, seconds: float, batch: int, clients: int, trackers: int,
        osmand_seconds: float) -> dict:
    arguments = ["--tablets", str(tablets), "--processes", str(processes), "--seconds", str(seconds),
                 "--batch", str(batch), "--clients", str(clients), "--trackers", str(trackers),
                 "--osmand-seconds", str(osmand_seconds)]
    return world.run_child("ingest-ws", arguments, redis_db=BENCH_REDIS_DB)


def child(*, tablets: int, processes: int, seconds: float, batch: int, clients: int, trackers: int,
          osmand_seconds: float) -> dict:
    from django.core.management import call_command

    from command import embedded
    from command.bench.ingest_ws_seed import seed

    call_command("migrate", verbosity=0)
    sockets, devices, bounds = seed(tablets, trackers)
    port = embedded.free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "command.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(processes), "--ws", "websockets",
                               "--log-level", "warning"], env=uvicorn_env(), start_new_session=True)
    try:
        embedded.wait_for_port(port, name="uvicorn")
        time.sleep(2.0 + processes)  # every worker process up, not only the first
        ws = _phase(server.pid, lambda: _senders(port, sockets, bounds, seconds, batch, clients))
        http = _phase(server.pid, lambda: _senders(port, devices, bounds, osmand_seconds, 1, clients, osmand=True))
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
    return {"tablets": tablets, "web_processes": processes, "client_processes": clients,
            "websocket": {**ws, "batch": batch}, "osmand_http": {**http, "trackers": trackers},
            "stored": _stored(sum(phase["accepted"] + phase["accepted_in_warmup"] for phase in (ws, http))),
            "goal": ">= 20,000 fixes/s in total with small batches over websockets on this machine"}


def _phase(server_pid: int, send) -> dict:
    """Run the senders; their counts, with the server's CPU seconds over the phase (all its processes)."""
    cpu_before, started = _cpu_seconds(server_pid), time.perf_counter()
    result = send()
    wall, cpu = time.perf_counter() - started, _cpu_seconds(server_pid) - cpu_before
    rate = result["accepted"] / result["seconds"] if result["seconds"] else 0
    return {**result, "fixes_per_s": round(rate), "server_cpu_s": round(cpu, 1),
            "fixes_per_server_cpu_s": round(result["accepted"] / cpu) if cpu else None, "wall_s": round(wall, 1)}


def _cpu_seconds(root_pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in [root_pid, *children_of(root_pid)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def children_of(pid: int) -> list[int]:
    try:
        found = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return found + [grandchild for child in found for grandchild in children_of(child)]


def _senders(port: int, targets: list, bounds, seconds: float, batch: int, clients: int, *, osmand: bool = False) -> dict:
    """`clients` processes, each with its share of the sockets or trackers, starting together."""
    start_at = time.time() + 3.0 + len(targets) / 2000
    shares = [targets[i::clients] for i in range(clients)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        results = pool.starmap(_client_main, [(port, share, bounds, start_at, seconds, batch, osmand) for share in shares])
    latencies = sorted(value for result in results for value in result["latency_ms"])
    return {"seconds": seconds, "accepted": sum(r["accepted"] for r in results),
            "accepted_in_warmup": sum(r["warmup"] for r in results),
            "refused": sum(r["refused"] for r in results), "errors": sum(r["errors"] for r in results),
            "connected": sum(r["connected"] for r in results),
            "message_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "message_p99_ms": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None}


def _client_main(port, share, bounds, start_at, seconds, batch, osmand) -> dict:
    return asyncio.run(_client(port, share, bounds, start_at, seconds, batch, osmand))


async def _client(port, share, bounds, start_at, seconds, batch, osmand) -> dict:
    counts = {"accepted": 0, "refused": 0, "errors": 0, "connected": 0, "latency_ms": [], "warmup": 0}
    stop_at = start_at + WARMUP_S + seconds
    send = _osmand_sender if osmand else _socket_sender
    await asyncio.gather(*(send(port, target, bounds, start_at, stop_at, batch, counts) for target in share))
    counts["latency_ms"] = counts["latency_ms"][::max(1, len(counts["latency_ms"]) // 20000)]
    return counts


async def _socket_sender(port, target, bounds, start_at, stop_at, batch, counts) -> None:
    import websockets

    unit_id, cookie = target
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/unit/{unit_id}/", open_timeout=120,
                                      additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}) as socket:
            counts["connected"] += 1
            await asyncio.sleep(max(0.0, start_at - time.time()))
            step = 0
            while time.time() < stop_at:
                fixes = [_fix(bounds, unit_id, step * batch + i, (batch - i) * 0.001) for i in range(batch)]
                sent = time.perf_counter()
                await socket.send(json.dumps({"type": "fixes", "fixes": fixes}))
                answer = await _answer(socket)
                _count(counts, start_at, sent, answer.get("accepted", 0),
                       sum(answer.get("rejected", {}).values()) if answer.get("type") == "fixes.result" else batch)
                step += 1
    except Exception:  # a refused or dropped socket is counted, not fatal: the totals say what reached
        counts["errors"] += 1


def _count(counts: dict, start_at: float, sent: float, accepted: int, refused: int) -> None:
    """A reply counted in the measured seconds, or in the warm-up before them (stored all the same)."""
    if time.time() - (time.perf_counter() - sent) < start_at + WARMUP_S:
        counts["warmup"] += accepted
        return
    counts["latency_ms"].append((time.perf_counter() - sent) * 1000)
    counts["accepted"] += accepted
    counts["refused"] += refused


async def _answer(socket) -> dict:
    """The next reply to our batch (events for the unit's crew may come in between)."""
    while True:
        message = json.loads(await socket.recv())
        if message.get("type") in ("fixes.result", "fixes.refused", "error"):
            return message


async def _osmand_sender(port, target, bounds, start_at, stop_at, batch, counts) -> None:
    """One tracker: a GET per fix, OsmAnd's way, on a keep-alive connection of its own."""
    identifier, key, unit_id = target
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    counts["connected"] += 1
    await asyncio.sleep(max(0.0, start_at - time.time()))
    step = 0
    try:
        while time.time() < stop_at:
            fix = _fix(bounds, unit_id, step, 1.0)
            stamp = int(datetime.fromisoformat(fix["at"]).timestamp())
            query = f"id={identifier}&key={key}&lat={fix['lat']:.6f}&lon={fix['lon']:.6f}&timestamp={stamp}"
            sent = time.perf_counter()
            writer.write(f"GET /osmand/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status = await _http_status(reader)
            _count(counts, start_at, sent, int(status == 200), int(status != 200))
            step += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - sent)))  # a tracker's 1 s interval
    except Exception:
        counts["errors"] += 1
    finally:
        writer.close()


async def _http_status(reader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0)
    await reader.readexactly(length)
    return int(lines[0].split()[1])


def _fix(bounds, unit_id: int, step: int, age_s: float) -> dict:
    """A unit a few metres further each fix, inside the served area, `age_s` seconds ago (a batch's
    fixes a millisecond apart, each later than the last batch's: the accept script keeps them in order)."""
    west, south, east, north = bounds
    at = datetime.fromtimestamp(time.time() - age_s, UTC)
    return {"unit": unit_id, "at": at.isoformat(),
            "lon": west + (east - west) * (0.2 + (unit_id * 7919 % 1000) / 1000 * 0.6) + (step % 500) * 1e-5,
            "lat": south + (north - south) * (0.2 + (unit_id * 104729 % 1000) / 1000 * 0.6)}


def _stored(accepted: int) -> dict:
    """The accepted fixes counted in the track stream, then flushed into TrackPoint and counted there."""
    from platforms.models import TrackPoint
    from platforms.positions import key, redis_client
    from platforms.tracks import track_flush

    in_stream = redis_client().xlen(key("track"))
    while track_flush(max_batches=50):
        pass
    rows = TrackPoint.objects.count()
    return {"accepted": accepted, "in_track_stream": in_stream, "in_trackpoint": rows, "lost": accepted - rows}
