"""Mobilization (集结) on the simulated city: how many officers can be at a point within 600 s and
900 s. The same rule as `dispatch.mobilization.muster_plan` (units by ETA, each zone keeping its
`min_cover_units`), on the simulator's world instead of the live picture in Redis: every crew on
duty at the moment, where its patrol plan has it (its band's first stop; a truck at its platform), by the
same travel tables (road time + a parked crew's turnout)."""
from collections import Counter

from django.conf import settings

from command.simulation.world import WhatIf, load_world
from grid import travel
from grid.selectors import zone_at

DEADLINES = (600, 900)


def muster_figures(lon: float, lat: float, *, day=None, hour: int = 10, what_if: WhatIf | None = None) -> dict:
    world = load_world(day=day, hours=24, what_if=what_if)
    moment = hour * 3600
    crews = [u for u in world.units if u.on_from <= moment < u.on_until]
    where = {u.pk: u.post_at(moment) for u in crews}
    arrivals = sorted(_arrivals((lon, lat), crews, where, world.at(moment)), key=lambda a: (a[0], a[1].crew.call_sign))
    cover = _cover_left(crews, where, world)
    result = {"point": [lon, lat], "at": world.at(moment).isoformat(), "units_on_duty": len(crews),
              "officers_on_duty": sum(u.officers for u in crews)}
    for deadline in DEADLINES:
        reachable = [(eta, unit) for eta, unit in arrivals if eta <= deadline]
        result[f"within_{deadline}s"] = {"officers": sum(u.officers for _, u in reachable), "units": len(reachable),
                                         "officers_keeping_zone_cover": _mustered(reachable, where, Counter(cover))}
    result["curve"] = _curve(arrivals)
    return result


def _arrivals(point, crews, where: dict, at) -> list:
    found = []
    for profile in ("car", "foot"):
        group = [u for u in crews if u.profile == profile]
        legs = travel.durations_to(point, [where[u.pk] for u in group], profile=profile, at=at) if group else []
        found += [(leg.duration_s + settings.TURNOUT_PARKED_S, u) for u, leg in zip(group, legs) if leg is not None]
    return found


def _cover_left(crews, where: dict, world) -> Counter:
    """How many crews each zone can give: those posted in it less its minimum cover."""
    minimum = {z.pk: z.min_cover for z in world.zones}
    posted = Counter(zone_at(*where[u.pk]) for u in crews)
    return Counter({zone: n - minimum.get(zone, 0) for zone, n in posted.items() if zone is not None})


def _mustered(reachable, where: dict, cover: Counter) -> int:
    officers = 0
    for _eta, unit in reachable:
        zone = zone_at(*where[unit.pk])
        if zone is not None:
            if cover[zone] <= 0:
                continue
            cover[zone] -= 1
        officers += unit.officers
    return officers


def _curve(arrivals) -> list:
    """[minute, officers there by then] each minute up to 15."""
    return [[minute, sum(u.officers for eta, u in arrivals if eta <= minute * 60)] for minute in range(1, 16)]
