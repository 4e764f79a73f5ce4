"""The fewest more units that lift the share of demand reached within target to a goal per class
(partial set covering on top of a plan already held): "how many crews short are we, and where
would they stand?".

    min  sum_j y_j
    s.t. c_i <= b_i + sum_{j in N_i} a_ij y_j      b_i: presence the held plan already gives
         0 <= c_i <= 1
         sum_{i in C} w_i c_i >= g_C W_C            every class C with a goal g_C (W_C: its weight)
         y_j integer in [0, units the site holds]

A point's coverage counts at most once (c_i <= 1), as a share of time where a_ij or b_i are
shares: no busy fraction, so it is the static reach of the plan. A goal no choice of sites can
meet makes the programme infeasible; `best_shares` says how far every candidate together goes."""
import numpy as np

from .core import Evaluation, Plan, read_units
from .covering import Covering
from .deployment import _shares
from .instance import Instance
from .programme import Programme

OVERALL = "overall"


class FewestToGoal(Covering):
    model = "fewest"
    maximise = False
    counts_units = True

    def __init__(self, instance: Instance, *, classes: dict, goals: dict, base=None, share=None,
                 within: float | None = None):
        """classes: {point id: class}; goals: {class or "overall": share from 0 to 1}; base: {point
        id: presence already held}; share: [(site id, point id, fraction)]."""
        super().__init__(instance, within=within)
        index = {s.id: j for j, s in enumerate(instance.sites)}
        self.cover_share = _shares(instance, share or (), index, self.cover_point, self.cover_site)
        self.room = np.array([1 if s.capacity is None else int(s.capacity) for s in instance.sites], dtype=np.int64)
        ids = [d.id for d in instance.demand]
        self.classes = np.array([str(classes.get(i, "")) for i in ids], dtype=object)
        self.base = np.array([float((base or {}).get(i, 0.0)) for i in ids])
        for name, goal in goals.items():
            if not 0 <= goal <= 1:
                raise ValueError(f"the goal of {name!r} must be a share from 0 to 1, not {goal}")
            if name != OVERALL and name not in set(self.classes):
                raise ValueError(f"no demand point is of class {name!r}")
        self.goals = dict(goals)
        self.out_of_reach = self.out_of_reach & (self.base <= 0)  # held presence reaches these already

    def members(self, name: str) -> np.ndarray:
        return np.ones(len(self.classes), dtype=bool) if name == OVERALL else self.classes == name

    def build(self) -> Programme:
        inst, programme = self.instance, Programme()
        self.y = programme.variables(np.ones(len(inst.sites)), upper=self.room.astype(float), integer=True)
        counted = np.flatnonzero(~self.out_of_reach)
        c = programme.variables(np.zeros(len(counted)), lower=0.0, upper=1.0, integer=False)
        row = np.full(len(inst.demand), -1)
        row[counted] = np.arange(len(counted))
        keep = row[self.cover_point] >= 0
        programme.constraints(np.r_[np.arange(len(counted)), row[self.cover_point[keep]]],
                              np.r_[c, self.y[self.cover_site[keep]]],
                              np.r_[np.ones(len(counted)), -self.cover_share[keep]],
                              count=len(counted), upper=self.base[counted])
        weights = inst.weights
        for name, goal in self.goals.items():
            inside = self.members(name)[counted]
            need = goal * weights[self.members(name)].sum()
            programme.constraints(np.zeros(int(inside.sum())), c[inside], weights[counted][inside], count=1,
                                  lower=need - 1e-9)
        return programme

    def decode(self, x: np.ndarray) -> Plan:
        return Plan(units=read_units(x, self.y))

    def shares(self, units: np.ndarray) -> dict:
        """Each class's share of weight reached (and overall) with `units` beside the held plan."""
        presence = self.base.copy()
        np.add.at(presence, self.cover_point, self.cover_share * units[self.cover_site])
        reached = self.instance.weights * np.minimum(presence, 1.0)
        found = {}
        for name in sorted(set(self.classes)) + [OVERALL]:
            inside = self.members(name)
            total = self.instance.weights[inside].sum()
            found[name] = float(reached[inside].sum() / total) if total else None
        return found

    def met(self, units: np.ndarray) -> bool:
        shares = self.shares(units)
        return all(shares[name] is not None and shares[name] >= goal - 1e-9 for name, goal in self.goals.items())

    def evaluate(self, plan: Plan) -> Evaluation:
        presence = self.base.copy()
        np.add.at(presence, self.cover_point, self.cover_share * plan.units[self.cover_site])
        return Evaluation(objective=float(plan.units.sum()), covered=presence > 1e-9)

    def best_shares(self) -> dict:
        """The shares with every candidate holding all it can: no plan does better."""
        return self.shares(self.room.copy())

    def greedy(self) -> Plan | None:
        """One unit at a time where it closes the most of what the goals still lack."""
        units = np.zeros(len(self.instance.sites), dtype=np.int64)
        while not self.met(units):
            gains = np.array([self._closing(units, j) if units[j] < self.room[j] else -1.0
                              for j in range(len(units))])
            best = int(gains.argmax())
            if gains[best] <= 1e-12:
                return None
            units[best] += 1
        return Plan(units=units)

    def _closing(self, units: np.ndarray, j: int) -> float:
        before, more = self.shares(units), units.copy()
        more[j] += 1
        after = self.shares(more)
        return sum(min(after[n], g) - min(before[n], g) for n, g in self.goals.items())

    def trivial_bound(self) -> float:
        return 0.0
