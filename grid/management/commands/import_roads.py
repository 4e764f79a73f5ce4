from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grid.osm import ExtractError
from grid.osrm_build import BuildError
from grid.roads import road_network_import


class Command(BaseCommand):
    help = "Import an OpenStreetMap extract (.osm.pbf or .osm) as the road network: OSRM datasets, outline, roads."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=settings.ROAD_NETWORK, help="the extract (default: ROAD_NETWORK)")

    def handle(self, *args, file, **options):
        try:
            road_network_import(path=Path(file), progress=self.stdout.write)
        except (ExtractError, BuildError) as error:
            raise CommandError(f"{error} — the previous road network, if any, stays in place") from None
