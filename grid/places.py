"""The gazetteer in the database: a road network's names stored at its import, the grid's own named
sites (key sites, must-patrol points, zones) kept in step, and reverse lookup, from a map point to
the address a dispatcher would write: the nearest junction or named feature with its street.

Search is in `grid.place_search`; what a name is as text, in `grid.place_names`."""
import json
import re
import threading
import time
import unicodedata
from dataclasses import dataclass

import shapely
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from shapely.geometry import shape

from grid import selectors
from grid.gazetteer import VERSION, Entry
from grid.geometry import LocalProjection
from grid.models import KeySite, PatrolPoint, Place, PlaceKind, RoadNetwork, Zone
from grid.place_names import initials_of, pinyin_of, search_key

SITE_KINDS = (PlaceKind.KEY_SITE, PlaceKind.PATROL_POINT, PlaceKind.ZONE)
# Reverse lookup: how near a thing must be to name the point. A junction or a house number names it
# outright; a named feature with its street ("西藏南路（某大厦附近）"); else the street's nearest
# junction ("西藏南路（复兴东路附近）"); else the street alone.
AT_JUNCTION_M, AT_ADDRESS_M, NEAR_FEATURE_M, NEAR_JUNCTION_M, ON_STREET_M = 40, 30, 60, 400, 150
FEATURES = (PlaceKind.STATION, PlaceKind.METRO_EXIT, PlaceKind.SCHOOL, PlaceKind.HOSPITAL, PlaceKind.SHOP,
            PlaceKind.AMENITY, PlaceKind.BUILDING, PlaceKind.LANDMARK, PlaceKind.KEY_SITE, PlaceKind.BUS_STOP)
PARENTHESIS = re.compile(r"(?P<outer>[^(]+)\((?P<inner>[^)]+)\)(?P<rest>.*)")
SYNC_LOCK = 7_470_301  # pg_advisory_xact_lock key: one writer of the sites' rows at a time

_synced = {"at": -1e9}
_streets_lock = threading.Lock()
_streets: dict[str, "StreetLines"] = {}


def place_rows(entry: Entry, *, network: RoadNetwork | None, inner_alias: bool = False) -> list[Place]:
    """The entry's row, and one more for each other name it is known by: the same place (name and
    point) under another search key. A search shows it once."""
    return [Place(network=network, kind=entry.kind, name=entry.name[:200], key=search_key(said)[:200],
                  pinyin=pinyin_of(said)[:800], initials=initials_of(said)[:200], street=entry.street[:200],
                  cross_street=entry.cross_street[:200], number=entry.number, weight=entry.weight, lon=entry.lon,
                  lat=entry.lat, source=entry.osm[:40])
            for said in names_said(entry.name, entry.aliases, inner_alias=inner_alias)]


def names_said(name: str, aliases=(), *, inner_alias: bool = False) -> list[str]:
    """A name, its aliases and its form without a parenthesis: "上海市第一人民医院（北部）" is also said
    "上海市第一人民医院". With `inner_alias` (the grid's own hand-named sites, where a parenthesis holds
    another name: "陈毅广场（外滩）", "豫园（城隍庙）") the parenthesis alone too."""
    said = [name, *aliases]
    match = PARENTHESIS.fullmatch(unicodedata.normalize("NFKC", name))
    if match:
        said.append(f"{match['outer']}{match['rest']}")
        if inner_alias and not match["rest"]:
            said.append(match["inner"])
    keys = {}
    for text in said:
        if len(search_key(text)) >= 2:
            keys.setdefault(search_key(text), text)
    return list(keys.values())


def gazetteer_store(*, network: RoadNetwork, entries: list[Entry], counts: dict | None = None) -> int:
    """The network's names (replacing its own, if any, and every other network's), run inside the
    import's switch-over; `counts` (read_gazetteer's) are kept in the network's measurements."""
    Place.objects.filter(network__isnull=False).exclude(network=network).delete()
    if not entries:
        return 0
    Place.objects.filter(network=network).delete()
    rows = Place.objects.bulk_create([row for entry in entries for row in place_rows(entry, network=network)],
                                     batch_size=2000)
    measurements = {**RoadNetwork.objects.get(pk=network.pk).measurements, "gazetteer": counts or {"version": VERSION}}
    RoadNetwork.objects.filter(pk=network.pk).update(measurements=measurements)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grid_place")  # thousands of new rows: plan the searches on them
    return len(rows)


def has_gazetteer(network: RoadNetwork) -> bool:
    """Whether the network's names are stored, read by this version of the gazetteer."""
    version = (network.measurements or {}).get("gazetteer", {}).get("version")
    return version == VERSION and Place.objects.filter(network=network).exists()


# --- the grid's own sites ------------------------------------------------------------------------

# One digest of the sites and of their places: a read of a millisecond tells whether to rewrite.
SITES_DIGEST = """SELECT (SELECT id FROM grid_roadnetwork WHERE active), md5(concat_ws('#',
    (SELECT string_agg(concat_ws('|', id, name, lon, lat), ',' ORDER BY id) FROM grid_keysite),
    (SELECT string_agg(concat_ws('|', id, name, lon, lat), ',' ORDER BY id) FROM grid_patrolpoint),
    (SELECT string_agg(concat_ws('|', id, name, updated_at), ',' ORDER BY id) FROM grid_zone),
    (SELECT string_agg(concat_ws('|', source, name, key), ',' ORDER BY source, key) FROM grid_place WHERE network_id IS NULL)))"""


def sync_sites(*, force: bool = False) -> bool:
    """Key sites, must-patrol points and zones as places, checked at most once per RECHECK_S (the
    spatial index's pace). Returns whether rows were rewritten."""
    if not force and time.monotonic() - _synced["at"] < selectors.RECHECK_S:
        return False
    _synced["at"] = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(SITES_DIGEST)
        _synced["network"], digest = cursor.fetchone()
    if digest == _synced.get("digest") and not force:
        return False
    wanted = _site_entries()
    changed = _signature(wanted) != _signature(Place.objects.filter(network=None))
    if changed:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SYNC_LOCK])
            Place.objects.filter(network=None).delete()
            Place.objects.bulk_create(wanted)
            with connection.cursor() as cursor:
                cursor.execute(SITES_DIGEST)
                _synced["network"], digest = cursor.fetchone()
    _synced["digest"] = digest
    return changed


def active_network_id() -> int:
    """The active road network's id as of the last check (sync_sites), -1 when none is loaded."""
    return _synced.get("network") or -1


def _signature(rows) -> set:
    return {(row.source, row.name, row.key, round(row.lon, 7), round(row.lat, 7)) for row in rows}


def _site_entries() -> list[Place]:
    rows = [Entry(PlaceKind.KEY_SITE, name, lon, lat, osm=f"key_site:{pk}")
            for pk, name, lon, lat in KeySite.objects.values_list("pk", "name", "lon", "lat")]
    rows += [Entry(PlaceKind.PATROL_POINT, name, lon, lat, osm=f"patrol_point:{pk}")
             for pk, name, lon, lat in PatrolPoint.objects.values_list("pk", "name", "lon", "lat")]
    for pk, name, polygon in Zone.objects.values_list("pk", "name", "polygon"):
        inside = shape(polygon).point_on_surface()
        rows.append(Entry(PlaceKind.ZONE, name, round(inside.x, 7), round(inside.y, 7), osm=f"zone:{pk}"))
    return [row for entry in rows for row in place_rows(entry, network=None, inner_alias=True)]


# --- reverse lookup --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Nearby:
    place: Place
    distance_m: float


@dataclass(frozen=True)
class Address:
    address: str
    street: str
    street_distance_m: float | None
    nearest: Nearby | None
    lon: float
    lat: float


class StreetLines:
    """The named roads of a network (its roads.json), for "which street is this point on"."""

    def __init__(self, roads: list):
        named = [(name, coords) for name, _kind, coords in roads if name and len(coords) >= 2]
        lons = [lon for _, coords in named for lon, _ in coords] or [0.0]
        lats = [lat for _, coords in named for _, lat in coords] or [0.0]
        self.projection = LocalProjection(sum(lons) / len(lons), sum(lats) / len(lats))
        self.names = [name for name, _ in named]
        self.tree = shapely.STRtree([self.projection.to_metres(shapely.LineString(coords)) for _, coords in named])

    def nearest(self, lon: float, lat: float) -> tuple[str, float] | None:
        if not self.names:
            return None
        point = self.projection.to_metres(shapely.Point(lon, lat))
        index, distance = self.tree.query_nearest(point, return_distance=True)
        return self.names[int(index[0])], float(distance[0])


def street_lines(network: RoadNetwork) -> StreetLines:
    with _streets_lock:  # two first lookups at once read the file once
        if network.dataset_dir not in _streets:
            path = settings.ROAD_DATA_DIR / network.dataset_dir / "roads.json"
            roads = json.loads(path.read_text())["roads"] if path.is_file() else []
            _streets.clear()
            _streets[network.dataset_dir] = StreetLines(roads)
        return _streets[network.dataset_dir]


def reverse_lookup(lon: float, lat: float) -> Address:
    """The address of a served point, as a dispatcher would write it."""
    sync_sites()
    network = selectors.active_road_network()
    on = street_lines(network).nearest(lon, lat) if network else None
    street, street_m = (on[0], round(on[1], 1)) if on and on[1] <= ON_STREET_M else ("", None)
    near = nearby(lon, lat, within_m=NEAR_JUNCTION_M)
    address, nearest = _address(street, near)
    return Address(address=address, street=street, street_distance_m=street_m, nearest=nearest, lon=lon, lat=lat)


def _address(street: str, near: list[Nearby]) -> tuple[str, Nearby | None]:
    def first(kinds, within_m, where=lambda n: True):
        return next((n for n in near if n.place.kind in kinds and n.distance_m <= within_m and where(n)), None)

    junction = first((PlaceKind.JUNCTION,), AT_JUNCTION_M)
    if junction:
        return junction.place.name, junction
    house = first((PlaceKind.ADDRESS,), AT_ADDRESS_M)
    if house:
        return house.place.name, house
    feature = first(FEATURES[:-1], NEAR_FEATURE_M) or first(FEATURES[-1:], NEAR_FEATURE_M)
    if feature:
        return _near(street, feature.place.name), feature
    on_street = first((PlaceKind.JUNCTION,), NEAR_JUNCTION_M, lambda n: street in (n.place.street, n.place.cross_street))
    if street and on_street:
        other = on_street.place.cross_street if on_street.place.street == street else on_street.place.street
        return _near(street, other), on_street
    return street, None


def _near(street: str, landmark: str) -> str:
    if not street:
        return _("near %(place)s") % {"place": landmark}
    return _("%(street)s, near %(place)s") % {"street": street, "place": landmark}


def nearby(lon: float, lat: float, *, within_m: float) -> list[Nearby]:
    """Places of the active network and the grid's sites within `within_m` of a point, nearest first."""
    projection = LocalProjection(lon, lat)
    d_lat, d_lon = within_m / projection.m_per_deg_lat, within_m / projection.m_per_deg_lon
    rows = Place.objects.filter(lat__range=(lat - d_lat, lat + d_lat), lon__range=(lon - d_lon, lon + d_lon))
    rows = rows.filter(active_places())
    found = [Nearby(row, round(projection.distance_m(lon, lat, row.lon, row.lat), 1)) for row in rows]
    return sorted((n for n in found if n.distance_m <= within_m), key=lambda n: (n.distance_m, n.place.name))


def active_places() -> Q:
    """The filter of places searched: the active network's, and the grid's own sites."""
    return Q(network__active=True) | Q(network__isnull=True)
