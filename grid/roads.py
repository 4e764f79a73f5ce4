"""Importing a road network: read the extract, build OSRM datasets, measure, then switch over.

Everything is built in a scratch folder and switched in only when complete, so a broken or empty
file leaves the previous network serving. Re-importing a file already imported changes nothing.
"""
import json
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping, shape

from grid import modes, osrm_build
from grid.gazetteer import Entry, read_gazetteer
from grid.models import RoadNetwork, ServedArea
from grid.osm import Extract, read_extract, served_outline
from grid.places import gazetteer_store, has_gazetteer
from grid.selectors import forget_spatial_index

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
ODBL_NOTICE = (
    "Map data (c) OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0\n"
    "https://www.openstreetmap.org/copyright  -  https://opendatacommons.org/licenses/odbl/1-0/\n\n"
    "The files in this folder are routing graphs and road geometry built from the extract\n"
    "{name} (sha256 {sha256}): derived databases of OpenStreetMap data. Keep this notice with them.\n"
)


def road_network_import(*, path: Path, progress=print) -> tuple[RoadNetwork, bool]:
    """Import `path` and make it the active network. Returns (network, built)."""
    path = Path(path)
    _check_modes()
    progress(f"reading {path.name} ...")
    extract = read_extract(path)
    existing = RoadNetwork.objects.filter(sha256=extract.sha256).first()
    if existing and dataset_path(existing).is_dir() and _has_every_profile(existing):
        _activate(existing, _gazetteer(existing, extract, progress))
        progress(f"{path.name} is already imported ({existing.sha256[:12]}): nothing to build")
        return existing, False
    progress(f"{len(extract.roads)} drivable roads ({extract.road_km} km, {extract.named_roads} named) "
             f"among {extract.ways} ways and {extract.nodes} nodes")
    network = _build(extract, existing, progress)
    _activate(network, _gazetteer(network, extract, progress))
    progress(f"active network: {network} — {network.algorithm}, fastest road {network.max_speed_kmh:.0f} km/h, "
             f"built in {network.build_s:.1f} s")
    return network, True


def dataset_path(network: RoadNetwork) -> Path:
    return settings.ROAD_DATA_DIR / network.dataset_dir


def _check_modes() -> None:
    """Every way of moving has its own profile among those built (grid.modes), or nothing is built."""
    try:
        modes.check_built(osrm_build.BUILT_PROFILES)
    except modes.UnbuiltProfile as error:
        raise osrm_build.BuildError(error.messages[0]) from None


def _has_every_profile(network: RoadNetwork) -> bool:
    """A network imported before a profile was added is built again, with it."""
    return all(p in network.profiles and (dataset_path(network) / p).is_dir() for p in osrm_build.BUILT_PROFILES)


def _build(extract: Extract, stale: RoadNetwork | None, progress) -> RoadNetwork:
    started = time.perf_counter()
    work = settings.ROAD_DATA_DIR / f"building-{extract.sha256[:12]}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        timings = {p: osrm_build.build_profile(extract.path, work, p, progress=progress)
                   for p in osrm_build.BUILT_PROFILES}
        algorithm, measured = osrm_build.choose_algorithm(work, extract.bbox)
        progress(f"  table 500x1: CH {measured['table_500x1_ch_ms']} ms, MLD {measured['table_500x1_mld_ms']} ms → {algorithm}")
        speeds = osrm_build.speed_profile(osrm_build.engine(work, "car", algorithm), extract.bbox)
        top_speed = osrm_build.max_speed_kmh(speeds)
        measured["fast_road_m"] = osrm_build.fast_road_metres(speeds)
        _write_companions(work, extract)
        final = _move_into_place(work, extract.sha256)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return _save(extract, stale, final, algorithm, top_speed, timings, measured, time.perf_counter() - started)


def _write_companions(work: Path, extract: Extract) -> None:
    """The ODbL notice travels with the built files; the named roads feed the basemap and reverse lookup."""
    (work / "ATTRIBUTION-ODbL.txt").write_text(ODBL_NOTICE.format(name=extract.path.name, sha256=extract.sha256))
    beside = extract.path.parent / "ATTRIBUTION-ODbL.txt"
    if beside.is_file():
        shutil.copyfile(beside, work / "ATTRIBUTION-source.txt")
    roads = [[road.name, road.highway, [[round(lon, 6), round(lat, 6)] for lon, lat in road.coords]]
             for road in extract.roads]
    (work / "roads.json").write_text(json.dumps({"attribution": ATTRIBUTION,
                                                 "roads": roads}, ensure_ascii=False))


def _move_into_place(work: Path, sha256: str) -> Path:
    final = settings.ROAD_DATA_DIR / sha256[:16]
    shutil.rmtree(final, ignore_errors=True)  # a half-built leftover of an interrupted import
    work.rename(final)
    return final


def _save(extract, stale, final: Path, algorithm, top_speed, timings, measured, build_s) -> RoadNetwork:
    min_lon, min_lat, max_lon, max_lat = extract.bbox
    fields = dict(
        name=extract.path.name, dataset_dir=final.name, min_lon=min_lon, min_lat=min_lat, max_lon=max_lon,
        max_lat=max_lat, outline=mapping(served_outline(extract)), nodes=extract.nodes, ways=extract.ways,
        roads=len(extract.roads), named_roads=extract.named_roads, road_km=extract.road_km,
        profiles=list(osrm_build.BUILT_PROFILES), algorithm=algorithm, max_speed_kmh=top_speed,
        build_s=round(build_s, 2), measurements={"steps_s": timings, **measured},
    )
    if stale:  # its row survived but its folder did not: rebuild in place
        RoadNetwork.objects.filter(pk=stale.pk).update(**fields)
        return RoadNetwork.objects.get(pk=stale.pk)
    return RoadNetwork.objects.create(sha256=extract.sha256, **fields)


def _gazetteer(network: RoadNetwork, extract: Extract, progress) -> tuple[list[Entry], dict]:
    """The names of the extract's served area (address lookup), read before the switch-over's
    transaction (slow I/O); none when the network has them, read by this version, already."""
    if has_gazetteer(network):
        return [], {}
    entries, counts = read_gazetteer(extract.path, shape(network.outline))
    kinds = ", ".join(f"{n} {kind}" for kind, n in counts["by_kind"].items())
    progress(f"  gazetteer: {counts['entries']} names ({kinds}) read in {counts['read_s']} s")
    return entries, counts


@transaction.atomic
def _activate(network: RoadNetwork, places: tuple[list[Entry], dict]) -> None:
    """The network, its served area and its names switched in together."""
    gazetteer_store(network=network, entries=places[0], counts=places[1])
    RoadNetwork.objects.exclude(pk=network.pk).filter(active=True).update(active=False)
    RoadNetwork.objects.filter(pk=network.pk).update(active=True)
    ServedArea.objects.update_or_create(pk=1, defaults={
        "name": network.name, "polygon": network.outline, "source": f"road network {network.sha256[:12]}"})
    forget_spatial_index()
