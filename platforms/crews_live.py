"""Where each officer on duty with a handset is, which crew they are in and how spread out that crew is
(issue 16): the read the console's officer layer and its snapshot share.

A crew is spread out when one of its officers is farther than CREW_SPREAD_M from the unit's own position
(two officers on foot 300 m from their car), or, for a unit with no position of its own, when two of its
officers are that far apart. Only fresh handset fixes count towards a spread: a stale one says where an
officer was, not where they are.
"""
from dataclasses import dataclass

from django.conf import settings

from grid.geometry import distance_m
from platforms.filters import on_duty_now
from platforms.handsets import officers_live
from platforms.models import Unit
from platforms.positions import live_positions


@dataclass(frozen=True)
class OfficerOnMap:
    officer: int
    name: str
    badge: str
    kind: str
    unit: int
    call_sign: str
    platform: int
    lon: float
    lat: float
    at_ms: int
    stale: bool
    away_m: float | None   # from the unit's own position (None: the unit has none, or it is theirs)
    spread: bool           # the crew is spread out

    def row(self) -> list:
        """The compact row `officers.moved` sends: [id, lon, lat, at_ms, stale, unit, away_m, spread]."""
        return [self.officer, self.lon, self.lat, self.at_ms, self.stale, self.unit,
                None if self.away_m is None else round(self.away_m), self.spread]

    def as_dict(self) -> dict:
        return {"id": self.officer, "name": self.name, "badge": self.badge, "kind": self.kind, "unit": self.unit,
                "call_sign": self.call_sign, "platform": self.platform, "lon": self.lon, "lat": self.lat,
                "at_ms": self.at_ms, "stale": self.stale,
                "away_m": None if self.away_m is None else round(self.away_m), "spread": self.spread}


def crews_on_duty(platform_ids=None) -> list[tuple]:
    """(officer, name, badge, kind, unit, call sign, platform, unit follows its handsets) of every crew
    member on duty now, a supervisor's platforms only when given."""
    units = Unit.objects.filter(on_duty_now())
    if platform_ids is not None:
        units = units.filter(platform_id__in=platform_ids)
    rows = (Unit.officers.through.objects.filter(unit__in=units)
            .values_list("officer_id", "officer__name", "officer__badge_number", "officer__kind", "unit_id",
                         "unit__call_sign", "unit__platform_id", "unit__vehicle__kind")
            .order_by("unit__call_sign", "officer__badge_number"))
    return list(rows)


def officers_on_map(platform_ids=None) -> list[OfficerOnMap]:
    """Every officer on duty with a handset fix, with their crew and its spread."""
    crews = crews_on_duty(platform_ids)
    live = officers_live([row[0] for row in crews])
    crews = [row for row in crews if row[0] in live]
    units = live_positions({row[4] for row in crews})
    members: dict[int, list] = {}
    for row in crews:
        members.setdefault(row[4], []).append(live[row[0]])
    spread = {unit: _spread(units.get(unit), fixes) for unit, fixes in members.items()}
    found = []
    for officer, name, badge, kind, unit, call_sign, platform, _vehicle in crews:
        fix, own = live[officer], units.get(unit)
        away = distance_m(fix.lon, fix.lat, own.lon, own.lat) if own is not None and not own.stale else None
        found.append(OfficerOnMap(officer, name, badge, kind, unit, call_sign, platform, round(fix.lon, 6),
                                  round(fix.lat, 6), round(fix.at.timestamp() * 1000), fix.stale, away, spread[unit]))
    return found


def _spread(unit_fix, fixes) -> bool:
    """Is the crew spread out: a fresh officer farther than CREW_SPREAD_M from the unit's fresh position,
    or (no such position) two fresh officers that far apart."""
    limit = settings.CREW_SPREAD_M
    fresh = [fix for fix in fixes if not fix.stale]
    if unit_fix is not None and not unit_fix.stale:
        return any(distance_m(fix.lon, fix.lat, unit_fix.lon, unit_fix.lat) > limit for fix in fresh)
    return any(distance_m(a.lon, a.lat, b.lon, b.lat) > limit for i, a in enumerate(fresh) for b in fresh[i + 1:])
