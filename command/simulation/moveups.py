"""Move-up (动态补位) in the headless run (`--move-up`): after every order and every clear, the free
crews' coverage is judged as the live task judges it (`planning.moveup.choose` on the band's demand
and destinations, `planning.moveup_live.band_context`) and the moves it suggests are made at once,
as a dispatcher who orders every suggestion would: the crew drives there and holds the spot. A crew
no longer in the answer goes back to its plan's task; one sent to a call drops its move.

A free crew is judged from where it stands or, on the move, from the stop it drives to (a post, a
route's waypoint, a zone's stop, a move-up's spot: a crew is at one of those or on its way); a crew
just back from a call, from the stop of its plan it goes back to. Those points are few: their road
times to the cells and destinations are routed once per band, in many-to-many tables (one OSRM
table per recompute for a single crew's square cost 0.14 s and was most of a move-up run's time)."""
import time

from django.conf import settings

from command.simulation.placement import staffing_of
from planning import bands, matrix, moveup
from planning.moveup_live import band_context



class MoveUps:
    def __init__(self, sim):
        self.sim, self.contexts, self.reach, self.moved = sim, {}, {}, {}
        self.stats = {"recomputed": 0, "moves_ordered": 0, "returned": 0, "seconds": 0.0}

    def recompute(self, t: float) -> None:
        started = time.perf_counter()
        context = self._context(t)
        crews = [c for c in self.sim.crews.values() if c.on_duty and c.job is None and not c.unit.parked]
        anchors = [(self._anchor(c, t), c.unit.profile) for c in crews]
        self._route(anchors, context)
        free = [self._free(c, anchor, t, context) for c, (anchor, _profile) in zip(crews, anchors)]
        found = moveup.choose(weights=context["weights"], targets=context["targets"], free=free,
                              destinations=context["destinations"], busy=context["busy"])
        wanted = {crews[f].unit.pk: context["destinations"][d] for f, d, _drive, _gain in found.moves}
        for pk in [pk for pk in self.moved if pk not in wanted]:
            self.release(self.sim.crews[pk], t)
        for pk, destination in wanted.items():
            if self.moved.get(pk) != (destination.lon, destination.lat):
                self._send(self.sim.crews[pk], (destination.lon, destination.lat), t)
        self.stats["recomputed"] += 1
        self.stats["seconds"] += time.perf_counter() - started

    def _send(self, crew, point: tuple, t: float) -> None:
        self.moved[crew.unit.pk] = point
        crew.moved_to = point
        crew.epoch += 1
        self.stats["moves_ordered"] += 1
        self.sim.push(t, "patrol", crew, crew.epoch)

    def release(self, crew, t: float | None) -> None:
        """Back to the plan's task (or, sent to a call, simply no longer moved)."""
        self.moved.pop(crew.unit.pk, None)
        if crew.moved_to is None:
            return
        crew.moved_to = None
        if t is not None and crew.job is None:
            crew.epoch += 1
            self.stats["returned"] += 1
            self.sim.push(t, "patrol", crew, crew.epoch)

    def _context(self, t: float) -> dict:
        band = bands.band_at(self.sim.world.at(t))
        if band.key not in self.contexts:
            context = self.contexts[band.key] = band_context(band, staffing_of(self.sim.world, band))
            start, end = (band.starts_at - self.sim.world.start).total_seconds(), (band.ends_at - self.sim.world.start).total_seconds()
            stops = {(p, u.profile) for u in self.sim.world.units if u.on_from < end and u.on_until > start
                     for b in u.bands if b.start < end and b.end > start for p in b.stops}
            self._route(sorted(stops) + [((d.lon, d.lat), "car") for d in context["destinations"]], context)
        return self.contexts[band.key]

    @staticmethod
    def _anchor(crew, t: float) -> tuple:
        if crew.moved_to is not None:
            return crew.moved_to
        if crew.drive is not None:
            return crew.drive.target
        band = crew.unit.band_at(t)
        known = crew.pos in band.stops if band is not None else crew.pos in crew.unit.stops
        return crew.pos if known else crew.unit.post_at(t)

    def _free(self, crew, anchor: tuple, t: float, context: dict) -> moveup.Free:
        times = self.reach[(id(context), anchor, crew.unit.profile)]
        count = len(context["targets"])
        moving = crew.drive is not None and crew.drive.speed_mps(t)
        turnout = settings.TURNOUT_MOVING_S if moving else settings.TURNOUT_PARKED_S
        return moveup.Free(crew.unit.pk, anchor[0], anchor[1], times[:count] + turnout <= context["targets"],
                           times[count:])

    def _route(self, anchors: list, context: dict) -> None:
        """Road times from every point not seen yet to the cells and destinations, one table a profile."""
        points = context["cells"] + [(d.lon, d.lat) for d in context["destinations"]]
        for profile in sorted({profile for _, profile in anchors}):
            new = sorted({point for point, p in anchors if p == profile and (id(context), point, p) not in self.reach})
            for start in range(0, len(new), matrix.BATCH):
                chunk = new[start:start + matrix.BATCH]
                rows = matrix.table(chunk, points, profile)
                self.reach.update({(id(context), point, profile): row for point, row in zip(chunk, rows)})

    def figures(self) -> dict:
        """Counts only: the JSON of a seed stays the same byte for byte (the seconds go to the timings)."""
        return {name: value for name, value in self.stats.items() if name != "seconds"}
