"""Instances from plain files, so any published instance can be checked: demand, sites and times
as CSV, or the OR-Library p-median format. Every error names the file and the line.

- demand CSV: `id,weight`, optionally `within` (seconds, the point's own limit) and `x,y`
- sites CSV: `id`, optionally `fixed` (1/0, true/false, yes/no), `capacity`, `x,y`
- times CSV: `from,to,seconds`, from a site to a demand point; a pair not listed is unreachable
- OR-Library (Beasley's pmed1-40): `n m p`, then m undirected edges `i j cost` over nodes 1..n;
  every node is a demand point of weight 1 and a candidate site, travel is the shortest path and
  an edge listed twice counts as listed last (as the library's own codes read it)."""
import csv
import math
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import shortest_path

from .instance import DemandPoint, Instance, Site

TRUE, FALSE = {"1", "true", "yes", "y", "t"}, {"", "0", "false", "no", "n", "f"}


class InputError(ValueError):
    """A file the solver cannot read, with where and why."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path, self.line = str(path), line
        super().__init__(f"{path}, line {line}: {message}" if line else f"{path}: {message}")


def read_demand(path, *, xy: bool = False, within: bool = False) -> list[DemandPoint]:
    """`xy`: every point needs x,y; `within`: every point needs its own limit (no default given)."""
    points, first = [], {}
    for line, row in _rows(path, ("id", "weight")):
        ident = _ident(path, line, row, first, "demand point")
        limit = _number(path, line, row, "within", blank=True, positive=True)
        if limit is None and within:
            raise InputError(path, f"demand point {ident!r} has no within: give it one or pass --within", line)
        points.append(DemandPoint(id=ident, weight=_number(path, line, row, "weight"), within=limit,
                                  **_place(path, line, row, xy)))
    if not points:
        raise InputError(path, "no demand points")
    return points


def read_sites(path, *, xy: bool = False) -> list[Site]:
    sites, first = [], {}
    for line, row in _rows(path, ("id",)):
        ident = _ident(path, line, row, first, "site")
        fixed = (row.get("fixed") or "").strip().lower()
        if fixed not in TRUE | FALSE:
            raise InputError(path, f"fixed must be 1 or 0 (true/false, yes/no), not {fixed!r}", line)
        sites.append(Site(id=ident, fixed=fixed in TRUE, capacity=_number(path, line, row, "capacity", blank=True),
                          **_place(path, line, row, xy)))
    if not sites:
        raise InputError(path, "no candidate sites")
    return sites


def read_times(path, demand: list[DemandPoint], sites: list[Site], *, demand_file, sites_file) -> Instance:
    points = {d.id: n for n, d in enumerate(demand)}
    places = {s.id: n for n, s in enumerate(sites)}
    pairs = {}
    for line, row in _rows(path, ("from", "to", "seconds")):
        frm, to = (row.get("from") or "").strip(), (row.get("to") or "").strip()
        if frm not in places:
            raise InputError(path, f"{frm!r} is not a site in {sites_file}", line)
        if to not in points:
            raise InputError(path, f"{to!r} is not a demand point in {demand_file}", line)
        if (places[frm], points[to]) in pairs:
            raise InputError(path, f"{frm} to {to} is listed twice (first on line {pairs[places[frm], points[to]][1]})", line)
        pairs[places[frm], points[to]] = (_number(path, line, row, "seconds"), line)
    site, point = zip(*pairs) if pairs else ((), ())
    return Instance(demand, sites, point, site, [seconds for seconds, _ in pairs.values()])


def euclidean(demand: list[DemandPoint], sites: list[Site]) -> Instance:
    """Every pair reachable, the straight-line distance between x,y (the classic instances)."""
    a = np.array([(d.x, d.y) for d in demand], dtype=np.float64)
    b = np.array([(s.x, s.y) for s in sites], dtype=np.float64)
    return Instance.from_matrix(demand, sites, np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)))


def read_orlib(path) -> tuple[Instance, int]:
    """An OR-Library p-median instance and its p."""
    lines = _lines(path)
    if not lines:
        raise InputError(path, "the file is empty")
    n, m, p = _whole_numbers(path, *lines[0], "n m p")
    if n < 1 or p < 1:
        raise InputError(path, f"n and p must be at least 1: {lines[0][1].strip()!r}", lines[0][0])
    if p > n:
        raise InputError(path, f"p = {p} is more than the {n} nodes", lines[0][0])
    if len(lines) - 1 != m:
        raise InputError(path, f"the first line announces {m} edges, {len(lines) - 1} follow")
    edges = {}
    for line, text in lines[1:]:
        i, j, cost = _edge(path, line, text, n)
        edges[min(i, j), max(i, j)] = cost  # listed twice: the last one counts
    nodes = [str(k) for k in range(1, n + 1)]
    return Instance.from_matrix([DemandPoint(k) for k in nodes], [Site(k) for k in nodes], _shortest(edges, n)), p


def _shortest(edges: dict, n: int) -> np.ndarray:
    row, col = (np.array(side, dtype=np.int64) for side in zip(*edges)) if edges else (np.zeros(0, int),) * 2
    graph = sparse.csr_array((np.fromiter(edges.values(), float, len(edges)), (row, col)), shape=(n, n))
    return shortest_path(graph, method="D", directed=False)  # explicit zeros are edges; inf: unreachable


def _lines(path) -> list[tuple[int, str]]:
    try:
        with _open(path) as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _whole_numbers(path, line: int, text: str, shape: str) -> tuple[int, ...]:
    words = text.split()
    if len(words) != len(shape.split()) or not all(w.isdigit() for w in words):
        raise InputError(path, f"expected {shape!r} (whole numbers), not {text.strip()!r}", line)
    return tuple(int(w) for w in words)


def _edge(path, line: int, text: str, n: int) -> tuple[int, int, float]:
    words = text.split()
    if len(words) != 3 or not (words[0].isdigit() and words[1].isdigit()):
        raise InputError(path, f"expected an edge 'i j cost', not {text.strip()!r}", line)
    i, j = int(words[0]) - 1, int(words[1]) - 1
    if not (0 <= i < n and 0 <= j < n):
        raise InputError(path, f"the nodes are 1 to {n}: {text.strip()!r}", line)
    return i, j, _value(path, line, "cost", words[2])


def _open(path):
    try:
        return Path(path).open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None


def _rows(path, required: tuple[str, ...]):
    """(line, row) of each row that is not blank, names and values stripped."""
    with _open(path) as handle:
        try:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            if not header:
                raise InputError(path, "the file is empty")
            if missing := [name for name in required if name not in header]:
                raise InputError(path, f"missing column {missing[0]!r} (the header is {','.join(header)})", 1)
            reader.fieldnames = header
            for row in reader:
                values = {k: (v or "").strip() for k, v in row.items() if k is not None}
                if any(values.values()):
                    yield reader.line_num, values
        except UnicodeDecodeError:
            raise InputError(path, "is not UTF-8 text") from None
        except csv.Error as error:
            raise InputError(path, f"not CSV: {error}", reader.line_num) from None


def _ident(path, line: int, row: dict, first: dict, kind: str) -> str:
    ident = row.get("id", "")
    if not ident:
        raise InputError(path, "no id", line)
    if ident in first:
        raise InputError(path, f"{kind} {ident!r} is listed twice (first on line {first[ident]})", line)
    first[ident] = line
    return ident


def _number(path, line: int, row: dict, column: str, *, blank: bool = False, positive: bool = False):
    text = row.get(column, "")
    if not text:
        if blank:
            return None
        raise InputError(path, f"no {column}", line)
    value = _value(path, line, column, text)
    if positive and value == 0:
        raise InputError(path, f"{column} must be more than 0, not {text}", line)
    return value


def _value(path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(path, f"{column} must be a number, not {text!r}", line) from None
    if not math.isfinite(value):
        raise InputError(path, f"{column} must be a finite number, not {text!r}", line)
    if value < 0:
        raise InputError(path, f"{column} must not be negative, not {text}", line)
    return value


def _place(path, line: int, row: dict, needed: bool) -> dict:
    x, y = (_coordinate(path, line, row, axis) for axis in "xy")
    if needed and (x is None or y is None):
        raise InputError(path, "no x,y (--euclidean needs both)", line)
    return {"x": x, "y": y}


def _coordinate(path, line: int, row: dict, axis: str) -> float | None:
    text = row.get(axis, "")
    try:
        value = float(text) if text else None
    except ValueError:
        raise InputError(path, f"{axis} must be a number, not {text!r}", line) from None
    if value is not None and not math.isfinite(value):
        raise InputError(path, f"{axis} must be a finite number, not {text!r}", line)
    return value
