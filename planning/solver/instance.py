"""The data of a deployment problem: demand points, candidate sites and the travel times between
them. Plain Python and numpy, so the planner, the move-up task and the simulator can all build one.

Travel times are sparse on purpose: a pair that is not listed is unreachable (a one-way street, a
site across the river at night), which is not the same thing as far. A zero is a real time (a
site standing on its demand point), so the pairs are kept as three arrays, never as a sparse
matrix whose zeros would vanish."""
import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DemandPoint:
    id: str
    weight: float = 1.0
    within: float | None = None  # seconds: this point's own response target (60/180/300 in the city)
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True)
class Site:
    id: str
    fixed: bool = False  # must be open: a platform that cannot move, a post already held
    # p-median, MCLP and LSCP: the most demand weight the site may serve; MEXCLP: the most units
    # that may stand there. None: no limit (MEXCLP: one unit).
    capacity: float | None = None
    x: float | None = None
    y: float | None = None


class Instance:
    """Demand points, candidate sites and the reachable (point, site, seconds) pairs."""

    def __init__(self, demand, sites, point, site, seconds):
        self.demand, self.sites = tuple(demand), tuple(sites)
        self.point = np.asarray(point, dtype=np.int64)
        self.site = np.asarray(site, dtype=np.int64)
        self.seconds = np.asarray(seconds, dtype=np.float64)
        _check_ids("demand point", [d.id for d in self.demand])
        _check_ids("site", [s.id for s in self.sites])
        _check_rows(self)
        _check_pairs(self)
        order = np.lexsort((self.site, self.point))
        self.point, self.site, self.seconds = self.point[order], self.site[order], self.seconds[order]

    @classmethod
    def from_matrix(cls, demand, sites, seconds) -> "Instance":
        """seconds[point, site]; inf or nan means unreachable."""
        seconds = np.asarray(seconds, dtype=np.float64)
        if seconds.shape != (len(demand), len(sites)):
            raise ValueError(f"the matrix is {seconds.shape}, not {len(demand)} points × {len(sites)} sites")
        point, site = np.nonzero(np.isfinite(seconds))
        return cls(demand, sites, point, site, seconds[point, site])

    @classmethod
    def from_pairs(cls, demand, sites, pairs) -> "Instance":
        """pairs: (site id, demand point id, seconds), a site's travel to the point."""
        points = {d.id: n for n, d in enumerate(demand)}
        places = {s.id: n for n, s in enumerate(sites)}
        rows = []
        for frm, to, secs in pairs:
            if frm not in places or to not in points:
                raise ValueError(f"the pair {frm!r} to {to!r} names a site or a demand point that is not in the instance")
            rows.append((points[to], places[frm], secs))
        point, site, seconds = zip(*rows) if rows else ((), (), ())
        return cls(demand, sites, point, site, seconds)

    @property
    def weights(self) -> np.ndarray:
        return np.array([d.weight for d in self.demand], dtype=np.float64)

    @property
    def fixed(self) -> np.ndarray:
        return np.array([s.fixed for s in self.sites], dtype=bool)

    @property
    def capacities(self) -> np.ndarray:
        """Per site, inf where the site has no limit."""
        return np.array([math.inf if s.capacity is None else s.capacity for s in self.sites])

    @property
    def capacitated(self) -> bool:
        return any(s.capacity is not None for s in self.sites)

    def limits(self, default: float | None = None) -> np.ndarray:
        """Each point's own target, or `default` where it has none."""
        if default is not None and not (math.isfinite(default) and default > 0):
            raise ValueError(f"the default limit must be more than 0 seconds, not {default}")
        missing = [d.id for d in self.demand if d.within is None and default is None]
        if missing:
            raise ValueError(f"no time limit for demand point {missing[0]!r}: give it one or a default")
        return np.array([default if d.within is None else d.within for d in self.demand], dtype=np.float64)

    def covering(self, limits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (point, site) pairs within the point's limit."""
        within = self.seconds <= limits[self.point]
        return self.point[within], self.site[within]

    def dense(self) -> np.ndarray:
        """seconds[point, site], inf where unreachable (for small instances and the heuristics)."""
        matrix = np.full((len(self.demand), len(self.sites)), np.inf)
        matrix[self.point, self.site] = self.seconds
        return matrix


def _check_ids(kind: str, ids: list) -> None:
    seen = set()
    for ident in ids:
        if not isinstance(ident, str) or not ident:
            raise ValueError(f"a {kind} id must be a non-empty string, not {ident!r}")
        if ident in seen:
            raise ValueError(f"the {kind} id {ident!r} is listed twice")
        seen.add(ident)


def _check_rows(instance: Instance) -> None:
    for d in instance.demand:
        if not (math.isfinite(d.weight) and d.weight >= 0):
            raise ValueError(f"demand point {d.id!r}: the weight must be a number of at least 0, not {d.weight}")
        if d.within is not None and not (math.isfinite(d.within) and d.within > 0):
            raise ValueError(f"demand point {d.id!r}: the limit must be more than 0 seconds, not {d.within}")
    for s in instance.sites:
        if s.capacity is not None and not (math.isfinite(s.capacity) and s.capacity >= 0):
            raise ValueError(f"site {s.id!r}: the capacity must be a number of at least 0, not {s.capacity}")


def _check_pairs(instance: Instance) -> None:
    point, site, seconds = instance.point, instance.site, instance.seconds
    if not (point.shape == site.shape == seconds.shape and point.ndim == 1):
        raise ValueError("point, site and seconds must be three arrays of one length")
    if len(point) and not (0 <= point.min() and point.max() < len(instance.demand)
                           and 0 <= site.min() and site.max() < len(instance.sites)):
        raise ValueError("a pair names a point or a site that is not in the instance")
    if not np.all(np.isfinite(seconds) & (seconds >= 0)):
        raise ValueError("travel times must be finite and at least 0 (leave an unreachable pair out)")
    if len(np.unique(point * len(instance.sites) + site)) != len(point):
        raise ValueError("a (point, site) pair is listed twice")
