"""Unit positions for the consoles, coalesced: one read of the live picture per process and half
second (`units.moved` is worked out from it once per process and scope: command.live.moves); officers'
own positions per console, only what moved since its last `officers.moved` (issue 16: from their
handsets, with their crew and its spread)."""
import time

from platforms.crews_live import officers_on_map
from platforms.filters import on_duty_now
from platforms.models import Unit
from platforms.positions import live_positions


def positions_now() -> dict[int, tuple]:
    """Every unit on duty with a position: id -> (platform, lon, lat, fix time in epoch ms, stale)."""
    units = dict(Unit.objects.filter(on_duty_now()).values_list("pk", "platform_id"))
    return {pk: (units[pk], round(fix.lon, 6), round(fix.lat, 6), round(fix.at.timestamp() * 1000), fix.stale)
            for pk, fix in live_positions(units).items()}


def officers_now() -> dict[int, tuple]:
    """Every officer on duty with a handset fix: id -> (platform, lon, lat, fix time in epoch ms, stale,
    unit, metres from the unit, crew spread out, name, call sign, kind)."""
    return {o.officer: (o.platform, o.lon, o.lat, o.at_ms, o.stale, o.unit,
                        None if o.away_m is None else round(o.away_m), o.spread, o.name, o.call_sign, o.kind)
            for o in officers_on_map()}


class Picture:
    """`positions_now` (or another read), read at most once per `every_s` in this process and shared by
    its sockets: twenty consoles cost one read a second, not twenty."""

    def __init__(self, every_s: float = 0.5, reader=None):
        self.every_s, self.read_at, self.rows, self.reader = every_s, float("-inf"), {}, reader

    def read(self) -> dict[int, tuple]:
        if time.monotonic() - self.read_at >= self.every_s:
            self.rows, self.read_at = (self.reader or positions_now)(), time.monotonic()
        return self.rows


PICTURE = Picture()
OFFICERS = Picture(reader=officers_now)


def officers_moved_since(picture: dict[int, tuple], sent: dict[int, tuple], platform_ids) -> dict:
    """What changed for one console since its last `officers.moved` (and remember it): `officers` as
    [id, lon, lat, at_ms, stale, unit, away_m, spread] rows, with [name, call sign, kind] after them the
    first time the console hears of the officer or when their crew changes; `gone` the ids off the map."""
    moved = []
    for pk, (platform, lon, lat, at_ms, stale, unit, away_m, spread, name, call_sign, kind) in picture.items():
        if platform_ids is not None and platform not in platform_ids:
            continue
        state = (at_ms, stale, unit, away_m, spread)
        held = sent.get(pk)
        if held != state:
            row = [pk, lon, lat, at_ms, stale, unit, away_m, spread]
            moved.append(row + [name, call_sign, kind] if held is None or held[2] != unit else row)
            sent[pk] = state
    gone = [pk for pk in sent if pk not in picture]
    for pk in gone:
        del sent[pk]
    return {"officers": moved, "gone": gone}
