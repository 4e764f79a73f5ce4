"""`manage.py bench fanout`'s officers (issue 16): officers on duty crewing the benchmark's units, their
handsets moved at 1 Hz beside their units, so the console draws both layers while Chromium times them.
Every third officer stands 300 m from their unit, so spread crews (a dashed line and a ring each) are
drawn too."""
from datetime import datetime
from datetime import timezone as dt_timezone

# The console page's two layers: their draw times and how many markers each holds; and the frames'
# draw times, both layers drawn in each (lib/frame_clock.js).
LAYERS = ("import('/static/command/pages/console.js').then((m) => { const c = m.liveConsole; return "
          "[c.unitsLayer.frameTimes.slice(), c.unitsLayer.units.size, "
          "c.officersLayer.frameTimes.slice(), c.officersLayer.officers.size, c.frameClock.frameTimes.slice()]; })")
# Before the frames are timed: every draw of the page's loading forgotten.
FORGET = ("import('/static/command/pages/console.js').then((m) => { const c = m.liveConsole; "
          "for (const times of [c.unitsLayer.frameTimes, c.officersLayer.frameTimes, c.frameClock.frameTimes]) "
          "times.length = 0; })")
SPREAD_DEG = 0.003  # about 300 m east at Shanghai's latitude: beyond CREW_SPREAD_M


def seed_officers(unit_ids: list[int], count: int) -> list[tuple[int, int]]:
    """`count` officers, each crewing one of the units in turn: [(officer, unit)]."""
    from platforms.models import Officer, OfficerKind, Unit

    if not count or not unit_ids:
        return []
    platform = Unit.objects.get(pk=unit_ids[0]).platform
    kinds = [OfficerKind.POLICE, OfficerKind.AUXILIARY, OfficerKind.TRAFFIC_ASSISTANT]
    made = Officer.objects.bulk_create([Officer(badge_number=f"BF{n:06d}", name=f"基准{n:05d}", kind=kinds[n % 3],
                                                platform=platform) for n in range(count)], batch_size=2000)
    pairs = [(officer.pk, unit_ids[n % len(unit_ids)]) for n, officer in enumerate(made)]
    Unit.officers.through.objects.bulk_create([Unit.officers.through(unit_id=unit, officer_id=officer)
                                               for officer, unit in pairs], batch_size=2000)
    return pairs


def move_officers(pairs: list[tuple[int, int]], k: int) -> None:
    """Every officer's handset a few metres from their unit (every third 300 m away), stamped now."""
    from command.bench.fanout import spot
    from grid.selectors import served_area
    from platforms.handsets import handsets_accept
    from platforms.positions import Fix

    if not pairs:
        return
    at = datetime.now(dt_timezone.utc)
    bounds = served_area().bounds
    items = []
    for n, (officer, unit) in enumerate(pairs):
        where = spot(bounds, unit, k)
        east = SPREAD_DEG if n % 3 == 2 else 0.00005 * (n % 3)
        items.append((officer, Fix(unit_id=None, at=at, lon=where["lon"] + east, lat=where["lat"] + 0.00004)))
    handsets_accept(items=items, credential="bench", unit_too=False)


def frame_figures(frames: list, quantiles) -> dict:
    """Each layer's draw time, and the frames' (`frame_ms`: both layers drawn in one animation frame,
    timed together, the figure the 16 ms budget is for)."""
    unit_times, units, officer_times, officers, frame_times = frames
    return {"console_draw_ms": {**quantiles(unit_times), "units_on_map": units},
            "officers_draw_ms": {**quantiles(officer_times), "officers_on_map": officers},
            "frame_ms": quantiles(frame_times), "markers_on_map": units + officers}
