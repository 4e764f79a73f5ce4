"""A stretch of road between two points picked on the map, as OSRM's own segments: what a road closure
closes (grid/closures.py). The car's route from one point to the other on the open network, with the OSM
node of every point of its geometry; its whole segments are the stretch (the two partial ones at its
ends, from the picked points to the first and last nodes, are left out, so the line drawn is exactly the
segments closed)."""
from dataclasses import dataclass

import osrm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grid import travel

MAX_STRETCH_M = 3000.0   # a closure longer than this is a mistake in the map more often than an event


@dataclass(frozen=True)
class Stretch:
    segments: list[tuple[int, int]]     # (OSM node, OSM node), in the direction driven
    line: list[list[float]]             # the nodes' (lon, lat)
    length_m: float
    road_name: str


def stretch(origin, target) -> Stretch:
    """The whole segments of the car's road from `origin` to `target`; a ValidationError says why none."""
    router = travel.engines.open_router("car")
    if router is None:
        raise ValidationError(_("No road network is loaded: a closure needs one."))
    travel.snap(*origin), travel.snap(*target)  # refuses a point off the road
    try:
        found = router.Route(osrm.RouteParameters(coordinates=[origin, target], annotations=["nodes", "distance"],
                                                  geometries="geojson", overview="full", steps=True))
    except RuntimeError:
        raise ValidationError(_("No road joins the two points.")) from None
    best = found["routes"][0]
    leg = best["legs"][0]
    nodes = [int(n) for n in leg["annotation"]["nodes"]]
    metres = [float(d) for d in leg["annotation"]["distance"]]
    coords = [[float(x), float(y)] for x, y in best["geometry"]["coordinates"]]
    if len(nodes) < 4 or len(coords) != len(nodes):
        raise ValidationError(_("Pick two points farther apart along the same road."))
    length = sum(metres[1:-1])
    if length > MAX_STRETCH_M:
        raise ValidationError(_("That stretch is %(km).1f km by road: close at most %(max).0f km at once.")
                              % {"km": length / 1000, "max": MAX_STRETCH_M / 1000})
    names = [str(step["name"]) for step in leg["steps"] if str(step["name"])]
    return Stretch(segments=list(zip(nodes[1:-2], nodes[2:-1])), line=coords[1:-1], length_m=round(length, 1),
                   road_name=max(set(names), key=names.count) if names else "")
