"""A mixed-integer programme built block by block and solved exactly by HiGHS.

HiGHS through `scipy.optimize.milp`: scipy is already a dependency, and its result carries what
a plan must report (HiGHS's status, the incumbent when a limit stops the search, the dual bound
and the gap); the solve time is measured around the call. What it lacks is a starting solution
(`highspy` has `setSolution`), which the callers make up for by also running a greedy plan when
HiGHS stops before proving its answer (`core.run`). The gap tolerance is 0: "optimal" means
proven, not within HiGHS's default 0.01 %."""
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

STATUS = {0: "optimal", 1: "limit", 2: "infeasible", 3: "unbounded"}


@dataclass(frozen=True)
class Solution:
    status: str  # optimal | limit (time) | infeasible | unbounded | error
    x: np.ndarray | None  # the best solution HiGHS found, None if it found none
    objective: float | None  # in the programme's own sense (maximised if it maximises)
    bound: float | None  # HiGHS's dual bound, same sense
    message: str


class Programme:
    """Columns come in blocks (`variables` returns their indices); constraints as triplets."""

    def __init__(self, *, maximise: bool = False):
        self.maximise = maximise
        self._cost, self._lower, self._upper, self._integer = [], [], [], []
        self._rows, self._cols, self._vals, self._row_lower, self._row_upper = [], [], [], [], []
        self.columns = self.rows = 0

    def variables(self, cost, *, lower=0.0, upper=1.0, integer: bool) -> np.ndarray:
        cost = np.asarray(cost, dtype=np.float64)
        count = len(cost)
        self._cost.append(cost)
        self._lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)))
        self._upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)))
        self._integer.append(np.full(count, 1 if integer else 0))
        first, self.columns = self.columns, self.columns + count
        return np.arange(first, self.columns)

    def constraints(self, row, col, val, *, count: int, lower=-np.inf, upper=np.inf) -> None:
        """`count` rows; entry k is val[k] at (row[k], col[k]), rows numbered 0..count-1 here."""
        row, col = np.asarray(row, dtype=np.int64), np.asarray(col, dtype=np.int64)
        self._rows.append(row + self.rows)
        self._cols.append(col)
        self._vals.append(np.broadcast_to(np.asarray(val, dtype=np.float64), row.shape))
        self._row_lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)))
        self._row_upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)))
        self.rows += count

    def solve(self, time_limit: float | None = None) -> Solution:
        sign = -1.0 if self.maximise else 1.0  # milp minimises
        options = {"mip_rel_gap": 0.0} | ({"time_limit": float(time_limit)} if time_limit is not None else {})
        result = milp(sign * np.concatenate(self._cost), integrality=np.concatenate(self._integer),
                      bounds=Bounds(np.concatenate(self._lower), np.concatenate(self._upper)),
                      constraints=self._matrix(), options=options)
        found = result.x is not None and result.fun is not None
        bound = getattr(result, "mip_dual_bound", None)
        return Solution(status=STATUS.get(result.status, "error"), x=result.x if found else None,
                        objective=sign * result.fun if found else None,
                        bound=sign * bound if bound is not None and np.isfinite(bound) else None,
                        message=result.message)

    def _matrix(self):
        if not self.rows:
            return None
        matrix = sparse.csr_array((np.concatenate(self._vals), (np.concatenate(self._rows), np.concatenate(self._cols))),
                                  shape=(self.rows, self.columns))
        return LinearConstraint(matrix, np.concatenate(self._row_lower), np.concatenate(self._row_upper))
