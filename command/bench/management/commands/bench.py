"""`manage.py bench <what> [--json]`: speed is measured here, never by timed assertions in tests."""
import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError


def _routing_arguments(routing):
    routing.add_argument("--units", type=int, default=2000)
    routing.add_argument("--incidents", type=int, default=200)
    routing.add_argument("--table-incidents", type=int, default=30, help="incidents also answered by a full table")
    routing.add_argument("--naive-incidents", type=int, default=3, help="incidents also answered unit by unit")
    routing.add_argument("--seed", type=int, default=1)
    routing.add_argument("--no-build", action="store_true", help="report the recorded build time instead")


def _basemap_arguments(basemap):
    basemap.add_argument("--zooms", type=int, nargs="+", default=[13, 15, 17])


def _ingest_arguments(ingest):
    ingest.add_argument("--units", type=int, default=2000)
    ingest.add_argument("--seconds", type=float, default=20.0, help="through the service")
    ingest.add_argument("--batch", type=int, default=250, help="fixes per call to the service")
    ingest.add_argument("--http-seconds", type=float, default=5.0, help="through the HTTP endpoint, per batch size")
    ingest.add_argument("--http-batches", type=int, nargs="+", default=[250, 5])
    ingest.add_argument("--baseline-seconds", type=float, default=5.0)
    ingest.add_argument("--seed", type=int, default=1)


def _dispatch_arguments(dispatch):
    dispatch.add_argument("--units", type=int, default=2000)
    dispatch.add_argument("--rate", type=float, default=5.0, help="calls per second")
    dispatch.add_argument("--seconds", type=float, default=60.0)
    dispatch.add_argument("--baseline-seconds", type=float, default=20.0, help="the naive full-table ranking")
    dispatch.add_argument("--seed", type=int, default=1)
    dispatch.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def _fanout_arguments(fanout):
    fanout.add_argument("--units", type=int, default=2000)
    fanout.add_argument("--consoles", type=int, default=20)
    fanout.add_argument("--seconds", type=float, default=20.0)
    fanout.add_argument("--frame-units", type=int, default=5000, help="units moving while Chromium draws the console")
    fanout.add_argument("--frame-seconds", type=float, default=15.0)
    fanout.add_argument("--frame-officers", type=int, default=2500, help="officers' handsets moving beside them")
    fanout.add_argument("--tablets", type=int, default=0, help="officers' tablets open on their units' sockets")
    fanout.add_argument("--orders-per-s", type=float, default=2.0, help="orders sent to those tablets' units")
    fanout.add_argument("--web-processes", type=int, default=1, help="uvicorn worker processes on one port")
    fanout.add_argument("--ws-deflate", action="store_true", help="websocket per-message deflate on (off as served)")
    fanout.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def _geocode_arguments(geocode):
    geocode.add_argument("--repeat", type=int, default=20, help="rounds over the fixed list of queries")


def _reports_arguments(reports):
    reports.add_argument("--repeat", type=int, default=20, help="runs of the briefing on each path")


def _plan_arguments(plan):
    plan.add_argument("--day", type=date.fromisoformat, default=None, help="the local day (its approved roster)")
    plan.add_argument("--runs", type=int, default=3, help="exact solves per band (p50 and p99 of them)")


def _tracks_arguments(tracks):
    tracks.add_argument("--units", type=int, default=10_000)
    tracks.add_argument("--days", type=int, default=30, help="days of tracks written before the reads")
    tracks.add_argument("--interval", type=int, default=60, help="seconds between one unit's fixes")
    tracks.add_argument("--reads", type=int, default=200, help="one unit's hour read, this many times on each table")
    tracks.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def _ingest_ws_arguments(ingest_ws):
    ingest_ws.add_argument("--tablets", type=int, default=2000, help="units whose officer sends on their websocket")
    ingest_ws.add_argument("--processes", type=int, default=2, help="uvicorn worker processes on one port")
    ingest_ws.add_argument("--seconds", type=float, default=20.0)
    ingest_ws.add_argument("--batch", type=int, default=5, help="fixes per websocket message (a tablet's 1-5)")
    ingest_ws.add_argument("--clients", type=int, default=2, help="sender processes")
    ingest_ws.add_argument("--trackers", type=int, default=500, help="OsmAnd/Traccar trackers, one GET a second each")
    ingest_ws.add_argument("--osmand-seconds", type=float, default=10.0)
    ingest_ws.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


# name: (help, its arguments)
BENCHES = {
    "routing": ("ETAs of many units to one incident on the road network", _routing_arguments),
    "basemap": ("every basemap tile of the network: vector JSON (PNG if Pillow is there)", _basemap_arguments),
    "ingest": ("position fixes accepted per second into the live map, and their latency", _ingest_arguments),
    "dispatch": ("intake commit to recommendation on the channel layer, via Celery", _dispatch_arguments),
    "fanout": ("a fix's delay to the consoles' websockets; the console's draw time", _fanout_arguments),
    "geocode": ("address lookups (junctions, places, pinyin, typos) against an ILIKE scan", _geocode_arguments),
    "reports": ("a month's briefing from the rollups against raw rows, hot spots, search", _reports_arguments),
    "plan": ("the city's deployment plan per band: size, matrix, exact solve, greedy baseline", _plan_arguments),
    "ingest-ws": ("fixes/s through uvicorn with several processes: tablets' websockets, OsmAnd trackers; none lost",
                  _ingest_ws_arguments),
    "tracks": ("a unit's hour of track read from monthly partitions against one plain table", _tracks_arguments),
}


class Command(BaseCommand):
    help = f"Benchmarks, each beside a baseline measured in the same run: {', '.join(BENCHES)}."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        for name, (text, arguments) in BENCHES.items():
            sub_parser = sub.add_parser(name, help=text)
            arguments(sub_parser)
            sub_parser.add_argument("--json", action="store_true", help="print JSON only")

    def handle(self, *args, what, **options):
        if what == "routing":
            from command.bench import routing

            if not (1 <= options["units"] <= 50_000 and 1 <= options["incidents"] <= 10_000):
                raise CommandError("--units must be 1-50000 and --incidents 1-10000")
            result = routing.run(units=options["units"], incidents=options["incidents"], seed=options["seed"],
                                 naive_incidents=options["naive_incidents"], table_incidents=options["table_incidents"],
                                 build=not options["no_build"])
        elif what == "basemap":
            from command.bench import basemap

            if not all(11 <= z <= 18 for z in options["zooms"]):
                raise CommandError("--zooms must be 11-18")
            result = basemap.run(zooms=options["zooms"])
        elif what == "ingest":
            from command.bench import ingest

            if not (1 <= options["units"] <= 50_000 and 1 <= options["batch"] <= 10_000
                    and all(1 <= size <= 10_000 for size in options["http_batches"])):
                raise CommandError("--units must be 1-50000, --batch and --http-batches 1-10000")
            result = ingest.run(units=options["units"], seconds=options["seconds"], batch=options["batch"],
                                http_seconds=options["http_seconds"], http_batches=options["http_batches"],
                                baseline_seconds=options["baseline_seconds"], seed=options["seed"])
        elif what == "dispatch":
            result = self._dispatch(options)
        elif what == "fanout":
            result = self._fanout(options)
        elif what == "geocode":
            result = self._geocode(options)
        elif what == "reports":
            result = self._reports(options)
        elif what == "plan":
            result = self._plan(options)
        elif what == "tracks":
            result = self._tracks(options)
        elif what == "ingest-ws":
            result = self._ingest_ws(options)
        self.stdout.write(json.dumps(result, indent=None if options["json"] else 2, ensure_ascii=False))

    def _ingest_ws(self, options) -> dict:
        from command.bench import ingest_ws

        if not (1 <= options["tablets"] <= 20_000 and 1 <= options["processes"] <= 16 and 1 <= options["seconds"] <= 600
                and 1 <= options["batch"] <= 250 and 1 <= options["clients"] <= 8 and 0 <= options["trackers"] <= 5000
                and 1 <= options["osmand_seconds"] <= 600):
            raise CommandError("--tablets must be 1-20000, --processes 1-16, --seconds and --osmand-seconds 1-600, "
                               "--batch 1-250, --clients 1-8, --trackers 0-5000")
        arguments = {name: options[name] for name in ("tablets", "processes", "seconds", "batch", "clients", "trackers",
                                                      "osmand_seconds")}
        return ingest_ws.child(**arguments) if options["child"] else ingest_ws.run(**arguments)

    def _tracks(self, options) -> dict:
        from command.bench import tracks

        if not (1 <= options["units"] <= 50_000 and 1 <= options["days"] <= 62 and 10 <= options["interval"] <= 3600
                and 1 <= options["reads"] <= 10_000):
            raise CommandError("--units must be 1-50000, --days 1-62, --interval 10-3600, --reads 1-10000")
        arguments = {name: options[name] for name in ("units", "days", "interval", "reads")}
        return tracks.child(**arguments) if options["child"] else tracks.run(**arguments)

    def _plan(self, options) -> dict:
        from command.bench import plan

        if not 1 <= options["runs"] <= 100:
            raise CommandError("--runs must be 1-100")
        return plan.run_bench(day=options["day"], runs=options["runs"])

    def _reports(self, options) -> dict:
        from command.bench import reports

        if not 1 <= options["repeat"] <= 1000:
            raise CommandError("--repeat must be 1-1000")
        try:
            return reports.run(repeat=options["repeat"])
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _dispatch(self, options) -> dict:
        from command.bench import dispatch

        if not (1 <= options["units"] <= 20_000 and 0.1 <= options["rate"] <= 100
                and 1 <= options["seconds"] <= 3600 and 1 <= options["baseline_seconds"] <= 3600):
            raise CommandError("--units must be 1-20000, --rate 0.1-100, --seconds and --baseline-seconds 1-3600")
        arguments = {name: options[name] for name in ("units", "rate", "seconds", "baseline_seconds", "seed")}
        return dispatch.child(**arguments) if options["child"] else dispatch.run(**arguments)

    def _fanout(self, options) -> dict:
        from command.bench import fanout

        if not (1 <= options["units"] <= 20_000 and 1 <= options["consoles"] <= 200 and 1 <= options["seconds"] <= 600
                and 1 <= options["frame_units"] <= 20_000 and 1 <= options["frame_seconds"] <= 600
                and 0 <= options["frame_officers"] <= 20_000 and 0 <= options["tablets"] <= 20_000
                and 0 <= options["orders_per_s"] <= 50 and 1 <= options["web_processes"] <= 16):
            raise CommandError("--units and --frame-units must be 1-20000, --frame-officers and --tablets 0-20000, "
                               "--consoles 1-200, the seconds 1-600, --orders-per-s 0-50, --web-processes 1-16")
        arguments = {name: options[name] for name in ("units", "consoles", "seconds", "frame_units", "frame_seconds",
                                                      "frame_officers", "tablets", "orders_per_s", "web_processes", "ws_deflate")}
        return fanout.child(**arguments) if options["child"] else fanout.run(**arguments)

    def _geocode(self, options) -> dict:
        from command.bench import geocode

        if not 1 <= options["repeat"] <= 1000:
            raise CommandError("--repeat must be 1-1000")
        return geocode.run(repeat=options["repeat"])
