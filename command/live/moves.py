"""`units.moved` for all the consoles of a process from one tick (issue 21 §3).

Once a second the tick reads the live picture (command.live.picture: one read per process), works out
once what changed since the last tick, and encodes it once per scope: the command centre's consoles
share one text, a supervisor's console shares one with every console of the same platforms. A console
that joined since the last tick gets its scope's whole picture first (the same text for all joining
in that tick), then only the changes. Before, each console walked the whole picture against what it
had been sent and encoded its own message: at 10,000 units and 50 consoles that was 50 walks and 50
encodings of up to 10,000 rows a second in each process, the bulk of the server's work.

The sends of a tick go out together (`asyncio.gather`): a console slow to take its message delays
only itself. One tick runs per event loop (a server process has one; tests make one per scenario)."""
import asyncio
import json
import logging
import time
import weakref

from channels.db import database_sync_to_async

from command.live.picture import PICTURE

log = logging.getLogger(__name__)

MOVES_EVERY_S = 1.0


def changes(before: dict[int, tuple], now: dict[int, tuple]) -> tuple[list[tuple], list[tuple]]:
    """What changed between two pictures (id -> (platform, lon, lat, at_ms, stale)): the changed rows
    as (platform, [id, lon, lat, at_ms, stale]), and the units gone as (platform, id)."""
    moved = [(platform, [pk, lon, lat, at_ms, stale]) for pk, (platform, lon, lat, at_ms, stale) in now.items()
             if (held := before.get(pk)) is None or (held[3], held[4]) != (at_ms, stale)]
    gone = [(held[0], pk) for pk, held in before.items() if pk not in now]
    return moved, gone


def whole(picture: dict[int, tuple]) -> tuple[list[tuple], list[tuple]]:
    """A picture as changes from nothing: what a console that has just joined is sent."""
    return changes({}, picture)


def message(moved: list[tuple], gone: list[tuple], platform_ids, sent_at: float) -> str | None:
    """The `units.moved` text for consoles that watch `platform_ids` (None: the city), or None when
    nothing in their scope changed."""
    if platform_ids is not None:
        moved = [row for row in moved if row[0] in platform_ids]
        gone = [row for row in gone if row[0] in platform_ids]
    if not moved and not gone:
        return None
    data = {"units": [row for _, row in moved], "gone": [pk for _, pk in gone], "sent_at": sent_at}
    return json.dumps({"event": "units.moved", "data": data})


class Tick:
    """The consoles of one event loop and the picture they were last sent."""

    def __init__(self, every_s: float = MOVES_EVERY_S):
        self.every_s, self.last, self.joining, self.watching, self.task = every_s, {}, set(), set(), None

    def add(self, console) -> None:
        self.joining.add(console)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    def discard(self, console) -> None:
        self.joining.discard(console)
        self.watching.discard(console)

    async def run(self) -> None:
        while self.joining or self.watching:
            await asyncio.sleep(self.every_s)
            try:
                picture = await database_sync_to_async(PICTURE.read)()
            except Exception:  # Redis or the database away for a moment: try again next tick
                log.exception("could not read the live picture")
                continue
            await self.send(picture)

    async def send(self, picture: dict[int, tuple]) -> None:
        sent_at = time.time()
        # each walk of the picture only for consoles that need it (none joining: most ticks)
        sends = [*(self._sends(self.watching, changes(self.last, picture), sent_at) if self.watching else []),
                 *(self._sends(self.joining, whole(picture), sent_at) if self.joining else [])]
        self.last = picture
        self.watching |= self.joining
        self.joining = set()
        await asyncio.gather(*sends, return_exceptions=True)  # a console gone meanwhile is discarded on disconnect

    @staticmethod
    def _sends(consoles, found: tuple[list, list], sent_at: float) -> list:
        texts = {}
        for console in consoles:
            if console.platform_ids not in texts:
                texts[console.platform_ids] = message(*found, console.platform_ids, sent_at)
        return [console.send(text_data=texts[console.platform_ids]) for console in consoles
                if texts[console.platform_ids] is not None]


_TICKS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Tick]" = weakref.WeakKeyDictionary()


def tick() -> Tick:
    """This event loop's tick."""
    loop = asyncio.get_running_loop()
    if loop not in _TICKS:
        _TICKS[loop] = Tick()
    return _TICKS[loop]
