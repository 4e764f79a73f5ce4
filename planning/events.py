"""What the consoles and the tablets hear of deployment planning, sent after commit through the one
door (`platforms.events.publish`), each payload whole, with its object's version:

- `platform.moved` on the platform's console groups when an accepted plan moves it to its stand;
- `coverage.moveup` on the console groups: the free units' coverage now and the open and ordered
  move-ups (a district's or platform's console hears of its own units' only);
- `unit.relocation` on `unit.<id>`: the crew's order to move, with the destination and the route.
"""
from planning.models import MoveUp, Stand
from platforms.events import CITY, platform_groups, publish, unit_group, unit_platform
from platforms.models import Platform


def platform_moved(platform: Platform, *, stand: Stand | None = None, plan_id: int | None = None) -> None:
    data = {"id": platform.pk, "code": platform.code, "name": platform.name, "lon": platform.lon, "lat": platform.lat,
            "moved_at": platform.moved_at.isoformat() if platform.moved_at else None,
            "stand": {"id": stand.pk, "code": stand.code, "name": stand.name} if stand else None, "plan": plan_id}
    publish("platform.moved", data, platform_groups([platform.pk]))


def move_up_payload(move: MoveUp, call_sign: str | None = None) -> dict:
    return {"id": move.pk, "unit": move.unit_id, "call_sign": call_sign or move.unit.call_sign,
            "platform": unit_platform(move.unit_id), "status": move.status,
            "from": {"lon": move.from_lon, "lat": move.from_lat},
            "to": {"lon": move.to_lon, "lat": move.to_lat, "label": move.to_label},
            "drive_s": round(move.drive_s, 1), "gain": round(move.gain, 4),
            "coverage_before": round(move.coverage_before, 4), "coverage_after": round(move.coverage_after, 4),
            "made_at": move.made_at.isoformat(), "ordered_at": move.ordered_at.isoformat() if move.ordered_at else None,
            "due_by": move.due_by.isoformat() if move.due_by else None, "version": move.version}


def coverage_moveup(coverage: dict, moves: list[dict]) -> None:
    """The city's console hears every move-up; a district's or platform's hears its units' only."""
    publish("coverage.moveup", {"coverage": coverage, "suggestions": moves}, [CITY])
    groups = {}
    for move in moves:
        for group in platform_groups([move["platform"]])[1:] if move["platform"] is not None else []:
            groups.setdefault(group, []).append(move)
    for group, mine in sorted(groups.items()):
        publish("coverage.moveup", {"coverage": coverage, "suggestions": mine, "partial": True}, [group])


def unit_relocation(move: MoveUp, route: dict) -> None:
    """The order to the crew's tablet: a relocation task with where to and the road there."""
    publish("unit.relocation", relocation_payload(move, route), [unit_group(move.unit_id)])


def relocation_payload(move: MoveUp, route: dict) -> dict:
    return {"move_up": move.pk, "unit": move.unit_id, "status": move.status, "version": move.version,
            "target": {"lon": move.to_lon, "lat": move.to_lat, "label": move.to_label},
            "route": route, "ordered_at": move.ordered_at.isoformat() if move.ordered_at else None,
            "due_by": move.due_by.isoformat() if move.due_by else None}
