"""A crew's relocation order (动态补位) as its tablet sees it: the road from where the unit is to where
it was ordered to stand, and the unit's standing order, which the tablet's snapshot carries so that
the relocation card comes back after a reload or a reconnect (the `unit.relocation` event is heard
only by a tablet connected when it was sent)."""
from grid import travel
from grid.geometry import distance_m
from planning import events
from planning.models import MoveUp, MoveUpStatus
from platforms.positions import live_positions


def relocation_route(move: MoveUp) -> dict:
    """The road from where the unit is now (else where it was) to the destination, with its steps;
    a straight line, marked estimated, where the road network has no route."""
    fix = live_positions([move.unit_id]).get(move.unit_id)
    origin = (fix.lon, fix.lat) if fix and not fix.stale else (move.from_lon, move.from_lat)
    try:
        found = travel.route(origin, (move.to_lon, move.to_lat))
    except (travel.OffNetwork, travel.NoRoute):
        found = travel.Route(move.drive_s, distance_m(*origin, move.to_lon, move.to_lat),
                             {"type": "LineString", "coordinates": [list(origin), [move.to_lon, move.to_lat]]},
                             estimated=True)
    return {"duration_s": round(found.duration_s, 1), "distance_m": round(found.distance_m, 1),
            "geometry": found.geometry, "steps": found.steps, "estimated": found.estimated}


def standing_relocation(unit_id: int) -> dict | None:
    """The unit's ordered move-up not yet ended, as the `unit.relocation` event carries it, or None."""
    move = MoveUp.objects.filter(unit_id=unit_id, status=MoveUpStatus.ORDERED).first()
    return events.relocation_payload(move, relocation_route(move)) if move else None
