"""`manage.py seed_history --days N`: the demo city's past (command/demo/history.py), then the
analysis rollups built over it. Days seeded already are kept; run it again to top up the days since."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from analysis.rollups import rollups_build_all
from command.demo.history import seed_history


class Command(BaseCommand):
    help = "Seed the demo city's history: N days of incidents with timelines, units and recent tracks."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=400)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--measure-days", type=int, default=2, help="simulated days the times are measured on")

    def handle(self, *args, days, seed, measure_days, **options):
        if not 1 <= days <= 1100 or not 1 <= measure_days <= 14:
            raise CommandError("--days is 1 to 1100 and --measure-days 1 to 14")
        started = time.perf_counter()
        try:
            summary = seed_history(days=days, seed=seed, measure_days=measure_days, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if summary["days"]:
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"ANALYZE: {time.perf_counter() - began:.1f} s")
            began = time.perf_counter()
            self.stdout.write(f"rollups: {rollups_build_all()} days ({time.perf_counter() - began:.1f} s)")
        self.stdout.write(f"seed_history took {time.perf_counter() - started:.1f} s")
