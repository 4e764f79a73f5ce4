"""`manage.py simulate`: the simulator. `--headless` runs a day of the demo city on a virtual clock
and prints its figures; without it, the live mode drives the running system over HTTP."""
import json
import os
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from command.simulation.policies import POLICIES
from command.simulation.world import WhatIf


class Command(BaseCommand):
    help = "Simulate the city: headless (figures of a seeded day) or live (drive the running system over HTTP)."

    def add_arguments(self, parser):
        parser.add_argument("--headless", action="store_true", help="a discrete-event run on a virtual clock")
        parser.add_argument("--hours", type=float, default=24.0)
        parser.add_argument("--seed", type=int, nargs="+", default=[1],
                            help="one seed, or several (headless: their figures side by side and pooled)")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--policy", choices=[*POLICIES, "all"], default="road")
        parser.add_argument("--day", type=date.fromisoformat, default=None,
                            help="the local day simulated (its approved shifts); default today")
        parser.add_argument("--rate-factor", type=float, default=1.0, help="multiply the call rate")
        parser.add_argument("--move-platform", nargs=3, action="append", default=[], metavar=("CODE", "LON", "LAT"))
        parser.add_argument("--remove-squad", action="append", default=[], metavar="PLATFORM_CODE:NUMBER")
        parser.add_argument("--mobilization", nargs=2, type=float, default=None, metavar=("LON", "LAT"),
                            help="also report the officers who can muster at this point (headless)")
        parser.add_argument("--placement", choices=["today", "planned"], default="today",
                            help="headless: the seeded patrol plans (today) or the planner's plan for every band, "
                                 "reported beside today's on the same calls")
        parser.add_argument("--plan", type=int, default=None, metavar="ID",
                            help="headless: a deployment plan laid over its band, beside today's placement")
        parser.add_argument("--move-up", action="store_true",
                            help="headless: idle crews move up as the live task suggests (beside today's placement)")
        parser.add_argument("--key-site-posts", action="store_true",
                            help="also report how much of each key site its held posts reach within 60 s, and "
                                 "how many posts 95%% would take (headless)")
        # live mode
        parser.add_argument("--speed", type=float, default=1.0, help="live: simulated seconds per real second")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--token", default=os.environ.get("SIMULATOR_TOKEN"),
                            help="live: API token of a dispatcher or administrator (default: $SIMULATOR_TOKEN)")
        parser.add_argument("--run-for", type=float, default=None, help="live: stop after this many seconds")

    def handle(self, *args, **options):
        if not options["headless"]:
            return self._live(options)
        if not (0 < options["hours"] <= 24 * 7):
            raise CommandError("--hours must be more than 0 and at most 168")
        if not (0 < options["rate_factor"] <= 20):
            raise CommandError("--rate-factor must be more than 0 and at most 20")
        what_if = WhatIf(move_platform=_moves(options["move_platform"]), remove_squads=_squads(options["remove_squad"]),
                         rate_factor=options["rate_factor"], placement=options["placement"], plan_id=options["plan"])
        timings = {}
        try:
            result = self._headless(options, what_if, timings)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["mobilization"]:
            from command.simulation.muster import muster_figures

            result["mobilization"] = muster_figures(*options["mobilization"], day=options["day"], what_if=what_if)
        sys.stderr.write(f"wall-clock seconds: {json.dumps(timings)}\n")
        self.stdout.write(json.dumps(result, indent=None if options["json"] else 2, sort_keys=True,
                                     ensure_ascii=False))

    @staticmethod
    def _headless(options, what_if: WhatIf, timings: dict) -> dict:
        from command.simulation.runs import compare_run, headless_run

        seeds = options["seed"]
        compared = len(seeds) > 1 or options["move_up"] or what_if.placement != "today" or what_if.plan_id is not None
        if compared:
            if options["policy"] == "all":
                raise CommandError("--policy all runs one seed at today's placement: name one policy to compare placements")
            # part 4's figures in one JSON: the late calls of the coverage-aware policy beside the
            # engine's (nearest by ETA), and the planner's fewest extra crews per band
            rival = "coverage" if options["policy"] != "coverage" else "road"
            return compare_run(seeds=seeds, hours=options["hours"], policy=options["policy"], day=options["day"],
                               what_if=what_if, move_up=options["move_up"], timings=timings, rival=rival,
                               extra_crews=what_if.placement == "planned" and what_if.plan_id is None,
                               modes_off=True)
        return headless_run(seed=seeds[0], hours=options["hours"], policy=options["policy"], day=options["day"],
                            what_if=what_if, timings=timings, key_site_posts=options["key_site_posts"], modes_off=True)

    def _live(self, options):
        from command.simulation.live import LiveSimulator

        if not options["token"]:
            raise CommandError("live mode needs --token (a dispatcher's or administrator's API token)")
        if not (0 < options["speed"] <= 60):
            raise CommandError("--speed must be more than 0 and at most 60")
        LiveSimulator(base_url=options["base_url"], token=options["token"], speed=options["speed"],
                      seed=options["seed"][0], rate_factor=options["rate_factor"], log=self.stdout.write).run(
            run_for=options["run_for"])


def _moves(rows) -> dict:
    moves = {}
    for code, lon, lat in rows:
        try:
            moves[code] = (float(lon), float(lat))
        except ValueError:
            raise CommandError(f"--move-platform {code}: LON and LAT must be numbers") from None
    return moves


def _squads(rows) -> frozenset:
    squads = set()
    for row in rows:
        code, _, number = row.partition(":")
        if not code or not number.isdigit():
            raise CommandError(f"--remove-squad {row!r}: expected PLATFORM_CODE:NUMBER, e.g. P01:2")
        squads.add((code, int(number)))
    return frozenset(squads)
