"""The headless simulator: a discrete-event run on a virtual clock over the simulated city.

Every call is ranked and decided by the production engine's own functions (see `policies`), fed
this in-memory world instead of the database and Redis; nothing is written anywhere. Events are
kept in a heap ordered by (time, sequence), so a seed gives the same run every time.
"""
import heapq
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from command.simulation import assumptions as A
from command.simulation import policies
from command.simulation.calls import Call, call_stream, zone_weight
from command.simulation.movement import Drive, Routes
from command.simulation.moveups import MoveUps
from command.simulation.world import SimUnit, World
from dispatch import engine
from dispatch.engine import Option
from grid import modes
from grid.geometry import distance_m
from grid.travel import OffNetwork
from platforms.positions import LiveFix
from platforms.unit_modes import mode_of

# After the window the run goes on until the calls taken in it are cleared, at most this long.
OVERRUN_S = 3 * 3600


@dataclass
class Crewing:
    """A crew's state during the run."""

    unit: SimUnit
    on_duty: bool = False
    job: int | None = None            # the call it is on
    on_scene: bool = False
    drive: Drive | None = None
    pos: tuple = (0.0, 0.0)
    epoch: int = 0                    # bumped on each new plan: older events of the crew are void
    stop: int = 0
    band: object = None               # the plan's band it is doing
    busy_since: float = 0.0
    busy_s: float = 0.0
    moved_to: tuple | None = None     # a move-up's spot, held until the move-up lets it go

    def position(self, t: float) -> tuple:
        return self.drive.position(t) if self.drive else self.pos

    def fix(self, t: float, start) -> LiveFix:
        lon, lat = self.position(t)
        speed = self.drive.speed_mps(t) if self.drive else None
        return LiveFix(self.unit.pk, lon, lat, start, speed, False)


@dataclass
class Handling:
    """What happened to one call."""

    call: Call
    ordered_at: float | None = None
    on_scene_at: float | None = None
    units: list = field(default_factory=list)   # crews on it now
    arrived: int = 0
    waited: bool = False
    preempted: int = 0
    best_free_eta_s: float | None = None   # the fastest any crew on duty could be there, were all free


class Simulation:
    def __init__(self, world: World, calls: list[Call], policy: str = "road", move_up: bool = False,
                 modes_on: bool = True):
        self.world, self.calls = world, calls
        # issue 16: off, crews are ranked as before (on foot walking, the others as cars), each moving as it does
        self.modes_on = modes_on
        self.choose = getattr(policies, policy)
        self.policy = policy
        self.routes = Routes(world.start)
        self.crews = {u.pk: Crewing(u, pos=u.stops[0]) for u in world.units}
        self.handling = {c.number: Handling(c) for c in calls}
        self.waiting: list[int] = []
        self.jobs = Counter()
        self.events, self.seq = [], itertools.count()
        self.end = world.hours * 3600
        self.post_sites = _post_sites(world)
        self.coverage = _coverage(world) if policy == "coverage" else None
        if self.coverage:
            self.coverage.busy_fraction = self._busy_fraction
        self.move_ups = MoveUps(self) if move_up else None

    # --- the clock -------------------------------------------------------------------------

    def push(self, t: float, kind: str, subject, epoch: int = 0) -> None:
        heapq.heappush(self.events, (t, next(self.seq), kind, subject, epoch))

    def run(self) -> "Simulation":
        for crew in self.crews.values():
            self.push(crew.unit.on_from, "on", crew)
            self.push(crew.unit.on_until, "off", crew)
        for call in self.calls:
            self.push(call.at, "call", call)
        while self.events:
            t, _seq, kind, subject, epoch = heapq.heappop(self.events)
            if t > self.end + OVERRUN_S:
                break
            getattr(self, f"_on_{kind}")(t, subject, epoch)
        return self

    # --- crews coming and going --------------------------------------------------------------

    def _on_on(self, t, crew: Crewing, _epoch) -> None:
        if crew.unit.on_until <= t:
            return
        # the relief takes over at the post, the route, the zone (交接班)
        crew.on_duty, crew.pos, crew.drive = True, crew.unit.post_at(t), None
        crew.epoch += 1
        self.push(t, "patrol", crew, crew.epoch)
        self._retry_waiting(t)

    def _on_off(self, t, crew: Crewing, _epoch) -> None:
        if crew.job is None:
            crew.on_duty = False
            crew.epoch += 1

    def _on_patrol(self, t, crew: Crewing, epoch) -> None:
        """Between calls a crew does its patrol plan's band: holds its post, or drives on to the next
        stop of its route or zone and dwells there; with no band, the posts by the hour (below)."""
        if epoch != crew.epoch or crew.job is not None or not crew.on_duty or t > self.end + 3600:
            return
        crew.pos, crew.drive = crew.position(t), None
        target, dwell, until = self.next_stop(crew, t)
        duration = 0.0
        if not _same(target, crew.pos):
            duration = self.routes.get(crew.pos, target, crew.unit.profile)[0]
            crew.drive = Drive(crew.pos, target, t, t + duration, crew.unit.profile, self.routes)
        wake = min(t + duration + dwell, until)
        if t < wake < math.inf:
            self.push(wake, "patrol", crew, crew.epoch)

    def next_stop(self, crew: Crewing, t: float) -> tuple[tuple, float, float]:
        """(where the crew goes now, how long it stays, when its band ends)."""
        unit = crew.unit
        if crew.moved_to is not None:  # a move-up's spot: held until let go
            return crew.moved_to, math.inf, math.inf
        band = unit.band_at(t)
        if band is not None:
            if crew.band is not band:
                crew.band, crew.stop = band, 0
                return band.stops[0], band.dwell_s, band.end
            if band.hold:
                return band.stops[0], math.inf, band.end
            if _same(band.stops[crew.stop], crew.pos):  # dwelt here: on to the next stop
                crew.stop = (crew.stop + 1) % len(band.stops)
            return band.stops[crew.stop], band.dwell_s, band.end
        crew.band = None
        if unit.parked or self.peak(t):
            return unit.stops[0], math.inf, self.next_band_change(t) if not unit.parked else math.inf
        crew.stop = (crew.stop + 1) % len(unit.stops)
        return unit.stops[crew.stop], A.PATROL_DWELL_S, self.next_band_change(t)

    def peak(self, t: float) -> bool:
        hour = self.world.at(t).hour
        return any(start <= hour < end for start, end in A.PEAK_HOURS)

    def next_band_change(self, t: float) -> float:
        local = self.world.at(t)
        base = t - (local.minute * 60 + local.second + local.microsecond / 1e6)
        peak = self.peak(t)
        for hours in range(1, 25):
            if self.peak(base + hours * 3600) != peak:
                return base + hours * 3600
        return math.inf

    # --- calls --------------------------------------------------------------------------------

    def _on_call(self, t, call: Call, _epoch) -> None:
        self.dispatch(self.handling[call.number], t)

    def dispatch(self, handling: Handling, t: float) -> None:
        call = handling.call
        missing = call.units_needed - len(handling.units)
        if missing <= 0:
            return
        capability = engine.capability_for(call.category)
        if handling.ordered_at is None and handling.best_free_eta_s is None:
            handling.best_free_eta_s = self._best_if_all_free(call, capability, t)
        placed = [(c.unit.crew, c.fix(t, self.world.start)) for c in self._free() if capability in c.unit.capabilities]
        chosen = self.choose(self, call, placed, missing, self.world.at(t))  # none free: it may still pre-empt
        chosen = policies.car_beside(self, call, placed, chosen, self.world.at(t))
        for option in chosen:
            self.assign(handling, option, t)
        if chosen and self.move_ups:
            self.move_ups.recompute(t)
        if len(handling.units) < call.units_needed:
            if handling.ordered_at is None:
                handling.waited = True
            if call.number not in self.waiting:
                self.waiting.append(call.number)
        elif call.number in self.waiting:
            self.waiting.remove(call.number)

    def _best_if_all_free(self, call: Call, capability: str, t: float) -> float | None:
        """The fastest ETA any capable crew on duty would have, were every one free: a free crew where
        it is, a busy one parked at its plan's post for the hour. Beyond the target, the call is out of
        every crew's reach: where crews stand decides it, not which one is sent."""
        placed = []
        for crew in self.crews.values():
            if crew.on_duty and capability in crew.unit.capabilities:
                if crew.job is None:
                    placed.append((crew.unit.crew, crew.fix(t, self.world.start)))
                else:
                    lon, lat = crew.unit.post_at(t)
                    placed.append((crew.unit.crew, LiveFix(crew.unit.pk, lon, lat, self.world.start, None, False)))
        best = self.rank(call, placed, 1, self.world.at(t))
        return best[0].eta_s if best else None

    def assign(self, handling: Handling, option: Option, t: float) -> None:
        crew = self.crews[option.unit]
        if self.move_ups:
            self.move_ups.release(crew, None)
        if option.preempts is not None:
            self._pull_off(crew, t)
        else:
            crew.busy_since = t
        origin = crew.position(t)
        turnout = engine.Turnout.now().of(crew.fix(t, self.world.start))
        crew.epoch += 1
        crew.job, crew.on_scene = handling.call.number, False
        eta_s = self._travel_s(crew, option, handling.call, t)
        crew.drive = Drive(origin, (handling.call.lon, handling.call.lat), t, t + eta_s, crew.unit.profile,
                           self.routes, rolling=t + min(turnout, eta_s))
        handling.units.append(crew.unit.pk)
        handling.ordered_at = t if handling.ordered_at is None else handling.ordered_at
        self.jobs[crew.unit.pk] += 1
        self.push(t + eta_s, "arrive", crew, crew.epoch)

    def _travel_s(self, crew: Crewing, option: Option, call: Call, t: float) -> float:
        """How long the crew really takes: the ranked ETA, unless it was ranked as a car (modes off) while it
        rides a bicycle or filters through traffic on a motorcycle: then its own mode's ETA, as the street has it."""
        mode = mode_of(crew.unit.crew.vehicle_kind)
        if option.mode == mode:
            return option.eta_s
        fix = crew.fix(t, self.world.start)
        try:
            leg = modes.durations_to((call.lon, call.lat), [(fix.lon, fix.lat)], mode=mode, at=self.world.at(t))[0]
        except OffNetwork:
            leg = None
        return option.eta_s if leg is None else round(leg.duration_s + engine.Turnout.now().of(fix), 1)

    def _pull_off(self, crew: Crewing, t: float) -> None:
        other = self.handling[crew.job]
        other.units.remove(crew.unit.pk)
        other.preempted += 1
        if not other.units and other.call.number not in self.waiting:
            self.waiting.append(other.call.number)

    def _on_arrive(self, t, crew: Crewing, epoch) -> None:
        if epoch != crew.epoch:
            return
        handling = self.handling[crew.job]
        crew.pos, crew.drive, crew.on_scene = crew.drive.target, None, True
        if handling.on_scene_at is None:
            handling.on_scene_at = t
        stay = handling.call.on_scene_s[min(handling.arrived, len(handling.call.on_scene_s) - 1)]
        handling.arrived += 1
        self.push(t + stay, "clear", crew, crew.epoch)

    def _on_clear(self, t, crew: Crewing, epoch) -> None:
        if epoch != crew.epoch:
            return
        crew.job, crew.on_scene = None, False
        crew.busy_s += max(0.0, min(t, self.end) - min(crew.busy_since, self.end))  # within the window
        crew.epoch += 1
        if t >= crew.unit.on_until:
            crew.on_duty = False
            return
        self._retry_waiting(t)
        if crew.job is None:  # not taken by a waiting call: back to its posts
            self.push(t, "patrol", crew, crew.epoch)
            if self.move_ups:
                self.move_ups.recompute(t)

    def _retry_waiting(self, t: float) -> None:
        """Calls waiting for a free unit, the most urgent and then the oldest first."""
        order = sorted(self.waiting, key=lambda n: (self.handling[n].call.priority, self.handling[n].call.at))
        for number in order:
            self.dispatch(self.handling[number], t)

    # --- what the policies ask ----------------------------------------------------------------

    def _free(self) -> list[Crewing]:
        return [c for c in self.crews.values() if c.on_duty and c.job is None]

    def free_placed(self, now) -> list:
        t = (now - self.world.start).total_seconds()
        return [(c.unit.crew, c.fix(t, self.world.start)) for c in self._free()]

    def workloads(self, unit_ids) -> dict:
        return {pk: self.jobs[pk] for pk in unit_ids}

    def rank(self, call: Call, placed: list, k: int, now) -> list[Option]:
        return engine.rank_placed((call.lon, call.lat), target_s=call.target_s, placed=placed, k=k, now=now,
                                  workloads=self.workloads, category=call.category, modes_on=self.modes_on)

    def preemption(self, call: Call, options: list[Option], now) -> list[Option]:
        """Production's rule: a pre-empting priority may pull a unit off a lowest-priority job it is
        not yet on scene for, when no free unit makes the target."""
        if any(o.meets_target and not o.stale for o in options) or call.priority not in settings.PREEMPTING_PRIORITIES:
            return []
        if call.priority == engine.LOWEST_PRIORITY:
            return []
        t = (now - self.world.start).total_seconds()
        capability = engine.capability_for(call.category)
        pulled = {c.unit.pk: c for c in self.crews.values()
                  if c.job is not None and not c.on_scene and capability in c.unit.capabilities
                  and self.handling[c.job].call.priority == engine.LOWEST_PRIORITY}
        if not pulled:
            return []
        placed = [(c.unit.crew, c.fix(t, self.world.start)) for c in pulled.values()]
        ranked = self.rank(call, placed, call.units_needed, now)
        return [Option(**{**o.as_dict(), "preempts": pulled[o.unit].job}) for o in ranked]

    def holding_posts(self, call: Call, now) -> set:
        """Free crews on their key-site beat, but for those of the call's own key site."""
        return {pk for pk, site in self.post_sites.items()
                if site != call.key_site_id and (crew := self.crews[pk]).job is None and crew.on_duty}

    def _busy_fraction(self) -> float:
        on = [c for c in self.crews.values() if c.on_duty]
        return sum(1 for c in on if c.job is not None) / len(on) if on else 0.0


def _same(a, b) -> bool:
    return abs(a[0] - b[0]) < 1e-6 and abs(a[1] - b[1]) < 1e-6


def _post_sites(world: World) -> dict:
    """Crews keeping a beat of posts all shift inside a key site's circle -> that key site's pk."""
    found = {}
    for unit in world.units:
        post = unit.beat[0] if unit.beat else None
        site = next((pk for pk, _code, lon, lat, radius in world.key_sites
                     if post and distance_m(post[0], post[1], lon, lat) <= radius), None)
        if site is not None:
            found[unit.pk] = site
    return found


def _coverage(world: World) -> policies.Coverage:
    """Demand points weighted by the calls they stand for (calls.py draws them so): each zone's centre
    against its target, by the zone's call rate; each key site (an equal share of the key-site calls)
    at its centre and at the posts inside it, against 60 s."""
    zones = [z for z in world.zones if z.centre]
    weights = [zone_weight(z) for z in zones]
    total = sum(weights) or 1.0
    points = [z.centre for z in zones]
    weights = [w / total * (1 - A.KEY_SITE_SHARE) for w in weights]
    targets = [z.target_s for z in zones]
    posts = sorted({post for u in world.units for post in u.beat})
    for _pk, _code, lon, lat, radius in world.key_sites:
        here = [(lon, lat)] + [p for p in posts if distance_m(p[0], p[1], lon, lat) <= radius]
        points += here
        weights += [A.KEY_SITE_SHARE / len(world.key_sites) / len(here)] * len(here)
        targets += [settings.RESPONSE_TARGET_KEY_SITE_S] * len(here)
    return policies.Coverage(points, weights, targets, settings.TURNOUT_PARKED_S)


def simulate(world: World, *, seed: int, policy: str = "road", calls: list[Call] | None = None,
             move_up: bool = False, modes_on: bool = True) -> "Simulation":
    calls = call_stream(world, seed=seed) if calls is None else calls
    return Simulation(world, calls, policy, move_up=move_up, modes_on=modes_on).run()
