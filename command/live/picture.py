"""Unit positions for the consoles, coalesced: one read of the live picture per process and half
second, and per console only what moved since its last `units.moved`."""
import time

from platforms.filters import on_duty_now
from platforms.models import Unit
from platforms.positions import live_positions


def positions_now() -> dict[int, tuple]:
    """Every unit on duty with a position: id -> (platform, lon, lat, fix time in epoch ms, stale)."""
    units = dict(Unit.objects.filter(on_duty_now()).values_list("pk", "platform_id"))
    return {pk: (units[pk], round(fix.lon, 6), round(fix.lat, 6), round(fix.at.timestamp() * 1000), fix.stale)
            for pk, fix in live_positions(units).items()}


class Picture:
    """`positions_now`, read at most once per `every_s` in this process and shared by its sockets:
    twenty consoles cost one read a second, not twenty."""

    def __init__(self, every_s: float = 0.5):
        self.every_s, self.read_at, self.rows = every_s, float("-inf"), {}

    def read(self) -> dict[int, tuple]:
        if time.monotonic() - self.read_at >= self.every_s:
            self.rows, self.read_at = positions_now(), time.monotonic()
        return self.rows


PICTURE = Picture()


def moved_since(picture: dict[int, tuple], sent: dict[int, tuple], platform_ids) -> dict:
    """What changed for one console since its last send (and remember it): `units` as
    [id, lon, lat, at_ms, stale] rows, `gone` the ids no longer on the map. Updates `sent`."""
    moved = []
    for pk, (platform, lon, lat, at_ms, stale) in picture.items():
        if platform_ids is not None and platform not in platform_ids:
            continue
        if sent.get(pk) != (at_ms, stale):
            sent[pk] = (at_ms, stale)
            moved.append([pk, lon, lat, at_ms, stale])
    gone = [pk for pk in sent if pk not in picture]
    for pk in gone:
        del sent[pk]
    return {"units": moved, "gone": gone}
