"""Hot spots (热点) on H3 hexagons: counts per cell for a period, category and time band, a smoothed
density for the heat layer, Getis-Ord Gi* (PySAL esda: z-scores, normal and permutation p-values),
and emerging hot spots (the last week against the four before it).

The study area is every cell of the scope's zones (the served area for the city), empty cells
included: Gi* compares each cell's neighbourhood with the whole area, and leaving the quiet cells
out would make every busy one look ordinary. Neighbours are the six cells touching a cell; Gi*
counts the cell itself too (binary weights)."""
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import h3
import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from scipy import stats
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from analysis.models import CellRollup
from analysis.periods import Period
from grid.models import Zone
from grid.selectors import served_area

PERMUTATIONS = 999
SEED = 12345
SMOOTHING = (1.0, 0.5, 0.25)   # weight of the cell itself, its ring 1 and ring 2 in the heat layer
LEVELS = ((0.01, 99), (0.05, 95), (0.10, 90))
RESOLUTIONS = (7, 8, 9)


@dataclass(frozen=True)
class Band:
    """Local hours [start, end); 0-24 is the whole day, 22-7 wraps past midnight."""

    start: int = 0
    end: int = 24

    @property
    def hours(self) -> list[int]:
        if self.start < self.end:
            return list(range(self.start, self.end))
        return list(range(self.start, 24)) + list(range(0, self.end))


def study_cells(scope, resolution: int) -> tuple[str, ...]:
    """Every cell whose centre lies in the scope's zones (the served area for the city)."""
    zones = scope.zone_ids()
    area = served_area() if zones is None else unary_union(
        [shape(p) for p in Zone.objects.filter(pk__in=zones).values_list("polygon", flat=True)])
    if area.is_empty:
        return ()
    return tuple(sorted(h3.geo_to_cells(mapping(area), resolution)))


def cell_counts(period: Period, *, category: str | None, band: Band, resolution: int) -> Counter:
    """Incidents per cell of the period (from the cell rollups), in the band's hours."""
    rows = CellRollup.objects.filter(day__gte=period.start, day__lte=period.end)
    if category:
        rows = rows.filter(category=category)
    hours = band.hours
    counts = Counter()
    for cell, by_hour in rows.values_list("cell", "by_hour"):
        n = sum(by_hour[h] for h in hours)
        if n:
            counts[cell if resolution == settings.ANALYSIS_CELL_RESOLUTION else h3.cell_to_parent(cell, resolution)] += n
    return counts


def gi_star(cells: tuple[str, ...], counts, *, permutations: int = PERMUTATIONS) -> dict:
    """Gi* of each cell over the study area: {"z", "p_norm" (two-sided), "p_sim"} by cell; with no
    permutations (the emerging spots' weekly comparisons, judged on z alone) p_sim is None."""
    from esda import G_Local  # noqa: PLC0415 - esda takes ~3 s to import: only analyses pay it
    from libpysal.weights import W  # noqa: PLC0415

    y = np.array([counts.get(cell, 0) for cell in cells], dtype=float)
    if len(cells) < 3 or y.sum() == 0:
        return {cell: {"z": 0.0, "p_norm": 1.0, "p_sim": 1.0} for cell in cells}
    inside = set(cells)
    neighbours = {cell: [n for n in h3.grid_ring(cell, 1) if n in inside] for cell in cells}
    w = W(neighbours, id_order=list(cells), silence_warnings=True)
    g = G_Local(y, w, transform="B", star=True, permutations=permutations, seed=SEED, n_jobs=1, keep_simulations=False,
                alternative="two-sided")
    p_sim = g.p_sim if permutations else [None] * len(cells)
    return {cell: {"z": round(float(z), 4), "p_norm": round(float(min(1.0, 2 * p)), 6),
                   "p_sim": None if ps is None else round(float(ps), 4)} for cell, z, p, ps in zip(cells, g.Zs, g.p_norm, p_sim)}


def significance(z: float, p: float) -> int:
    """+99/+95/+90 for a hot spot at that confidence, the negative for a cold spot, 0 for neither."""
    for level, confidence in LEVELS:
        if p <= level:
            return confidence if z > 0 else -confidence
    return 0


def density(cells: tuple[str, ...], counts) -> dict:
    """Incidents per km² smoothed over two rings of neighbours: the heat layer."""
    inside = set(cells)
    area = h3.average_hexagon_area(h3.get_resolution(cells[0]), unit="km^2") if cells else 1.0
    found = {}
    for cell in cells:
        total = weight = 0.0
        for ring, factor in enumerate(SMOOTHING):
            for near in (h3.grid_ring(cell, ring) if ring else [cell]):
                if near in inside:
                    total, weight = total + factor * counts.get(near, 0), weight + factor
        found[cell] = round(total / weight / area, 2) if weight else 0.0
    return found


def analyse(*, period: Period, scope, category: str | None = None, band: Band = Band(),
            resolution: int | None = None) -> dict:
    """The hot-spot analysis of a period: every cell of the study area with its count, density and
    Gi*, the significant hot spots (hottest first), and the emerging ones."""
    resolution = resolution or settings.ANALYSIS_CELL_RESOLUTION
    if resolution not in RESOLUTIONS or resolution > settings.ANALYSIS_CELL_RESOLUTION:
        raise ValidationError({"resolution": [_("Choose a resolution of 7, 8 or 9.")]})
    cells = study_cells(scope, resolution)
    counts = cell_counts(period, category=category, band=band, resolution=resolution)
    gi, heat = gi_star(cells, counts), density(cells, counts)
    rows = [_cell_row(cell, counts.get(cell, 0), heat[cell], gi[cell]) for cell in cells]
    hot = sorted((r for r in rows if r["class"] > 0), key=lambda r: (-r["z"], r["cell"]))
    return {"period": period.as_json(), "scope": scope.as_json(), "category": category or "", "resolution": resolution,
            "band": [band.start, band.end], "incidents": sum(counts[c] for c in cells), "cells": rows, "hot_spots": hot,
            "emerging": emerging(period=period, cells=cells, category=category, band=band, resolution=resolution)}


def _cell_row(cell: str, count: int, heat: float, gi: dict) -> dict:
    lat, lon = h3.cell_to_latlng(cell)
    return {"cell": cell, "lon": round(lon, 6), "lat": round(lat, 6), "incidents": count, "density": heat, **gi,
            "class": significance(gi["z"], gi["p_norm"]), "boundary": cell_polygon(cell)}


def emerging(*, period: Period, cells, category, band: Band, resolution: int) -> list[dict]:
    """Cells hot in the period's last week and not before (new), hotter than in the four weeks before
    it (intensifying: more incidents than the weekly mean by a Poisson test at 5%), or hot in both
    (persistent); the cells hot before and no longer (diminishing) close the list."""
    last = Period(period.end - timedelta(days=6), period.end)
    before = Period(period.end - timedelta(days=34), period.end - timedelta(days=7))
    now_counts = cell_counts(last, category=category, band=band, resolution=resolution)
    old_counts = cell_counts(before, category=category, band=band, resolution=resolution)
    now_gi, old_gi = gi_star(cells, now_counts, permutations=0), gi_star(cells, old_counts, permutations=0)
    found = []
    for cell in cells:
        hot_now = significance(now_gi[cell]["z"], now_gi[cell]["p_norm"]) >= 95
        hot_before = significance(old_gi[cell]["z"], old_gi[cell]["p_norm"]) >= 95
        trend = _trend(now_counts.get(cell, 0), old_counts.get(cell, 0) / 4, hot_now, hot_before)
        if trend:
            lat, lon = h3.cell_to_latlng(cell)
            found.append({"cell": cell, "lon": round(lon, 6), "lat": round(lat, 6), "trend": trend,
                          "boundary": cell_polygon(cell),
                          "last_week": now_counts.get(cell, 0), "weekly_before": round(old_counts.get(cell, 0) / 4, 2),
                          "z": now_gi[cell]["z"], "p_norm": now_gi[cell]["p_norm"]})
    order = {"new": 0, "intensifying": 1, "persistent": 2, "diminishing": 3}
    return sorted(found, key=lambda row: (order[row["trend"]], -row["z"], row["cell"]))


def _trend(now: int, weekly_before: float, hot_now: bool, hot_before: bool) -> str | None:
    if hot_now and not hot_before:
        return "new"
    if hot_now and now > weekly_before and stats.poisson.sf(now - 1, max(weekly_before, 0.25)) <= 0.05:
        return "intensifying"
    if hot_now:
        return "persistent"
    return "diminishing" if hot_before else None


def cell_polygon(cell: str) -> list[list[float]]:
    """The hexagon as a GeoJSON ring ([lon, lat], closed)."""
    ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(cell)]
    return ring + ring[:1]
