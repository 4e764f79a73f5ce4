"""Maximum expected coverage (MEXCLP, Daskin 1983): p units at the sites so that the expected
demand reached within its limit is greatest, when each unit is busy a share q of the time and
units are busy independently. A point reached by k units is covered with probability 1 - q^k, so
a point covered twice counts more than one covered once.

Linearised the standard way: z_ik (k = 1..K_i) is "at least k units reach point i", worth
w_i (1 - q) q^(k-1); those worths fall with k, so the k-th is taken only after the (k-1)-th and
the z may stay continuous.

    max  sum_i sum_k w_i (1 - q) q^(k-1) z_ik
    s.t. sum_k z_ik <= sum_{j in N_i} y_j
         sum_j y_j = p,  y_j integer in [1 if fixed else 0, units the site holds]

A site holds as many units as its capacity (one when it has none): a stand that fits two cars."""
import math

import numpy as np

from .core import Evaluation, Plan, check_count, exactly, open_sites, read_units
from .covering import Covering
from .instance import Instance
from .programme import Programme


class MaximumExpectedCovering(Covering):
    model = "mexclp"
    maximise = True
    counts_units = True

    def __init__(self, instance: Instance, *, p: int, busy: float, within: float | None = None):
        super().__init__(instance, within=within)
        if busy is None or not 0 <= busy < 1:
            raise ValueError(f"the busy fraction must be at least 0 and less than 1, not {busy!r}")
        self.room = _units_each(instance)
        check_count(instance, p, most=int(self.room.sum()), what="units the sites can hold")
        self.p, self.busy = p, busy
        # the most units that can reach each point
        reach = np.zeros(len(instance.demand), dtype=np.int64)
        np.add.at(reach, self.cover_point, self.room[self.cover_site])
        self.most = np.minimum(reach, p)

    def build(self) -> Programme:
        programme = Programme(maximise=True)
        self.y = open_sites(programme, self.instance, upper=self.room.astype(float))
        point = np.repeat(np.arange(len(self.most)), self.most)
        k = np.concatenate([np.arange(1, n + 1) for n in self.most]) if len(point) else np.zeros(0)
        worth = self.instance.weights[point] * (1 - self.busy) * self.busy ** (k - 1)
        z = programme.variables(worth, integer=False)
        self.point_rows(programme, (point, z, 1.0), (self.cover_point, self.y[self.cover_site], -1.0), upper=0.0)
        exactly(programme, self.y, self.p)
        return programme

    def decode(self, x: np.ndarray) -> Plan:
        return Plan(units=read_units(x, self.y))

    def evaluate(self, plan: Plan) -> Evaluation:
        times = self.cover().astype(np.int64) @ plan.units
        expected = self.instance.weights @ (1 - self.busy ** times)
        return Evaluation(objective=float(expected), covered=times > 0)

    def greedy(self) -> Plan | None:
        """One unit at each fixed site, then each unit where it adds the most expected coverage."""
        cover, weights = self.cover(), self.instance.weights
        units = self.instance.fixed.astype(np.int64)
        while units.sum() < self.p:
            times = cover.astype(np.int64) @ units
            gain = (weights * (1 - self.busy) * self.busy ** times) @ cover
            units[int(np.where(units < self.room, gain, -1.0).argmax())] += 1
        return Plan(units=units)

    def trivial_bound(self) -> float:
        """Every point reached by as many units as could reach it."""
        return float(self.instance.weights @ (1 - self.busy ** self.most))


def _units_each(instance: Instance) -> np.ndarray:
    room = []
    for site in instance.sites:
        if site.capacity is not None and site.capacity != math.floor(site.capacity):
            raise ValueError(f"site {site.id!r}: in MEXCLP the capacity counts units, not {site.capacity}")
        room.append(1 if site.capacity is None else int(site.capacity))
    return np.array(room, dtype=np.int64)
