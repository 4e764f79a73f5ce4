"""Hot spots: Gi* of the analysis against PySAL's esda run by hand on the same H3 grid, the analytic
formula behind it, significance classes, density and emerging spots."""
from datetime import date

import h3
import numpy as np
import pytest
from esda import G_Local
from libpysal.weights import W

from analysis import hotspots, rollups
from analysis.models import CellRollup
from analysis.periods import Period
from analysis.scopes import city_scope

pytestmark = pytest.mark.django_db
CENTRE = h3.latlng_to_cell(31.2304, 121.4737, 9)


@pytest.fixture
def grid(settings):
    """The study area: three rings of cells round People's Square, a busy cluster in its middle."""
    cells = tuple(sorted(h3.grid_disk(CENTRE, 3)))
    counts = {cell: 1 for cell in cells}
    counts[CENTRE] = 12
    for near in h3.grid_ring(CENTRE, 1):
        counts[near] = 6
    return cells, counts


def test_gi_star_is_pysals_on_the_same_grid(grid):
    cells, counts = grid
    ours = hotspots.gi_star(cells, counts)

    y = np.array([counts[c] for c in cells], dtype=float)
    w = W({c: [n for n in h3.grid_ring(c, 1) if n in set(cells)] for c in cells}, id_order=list(cells), silence_warnings=True)
    theirs = G_Local(y, w, transform="B", star=True, permutations=999, seed=12345, n_jobs=1, alternative="two-sided")
    assert [ours[c]["z"] for c in cells] == [round(float(z), 4) for z in theirs.Zs]
    assert [ours[c]["p_norm"] for c in cells] == [round(float(min(1.0, 2 * p)), 6) for p in theirs.p_norm]
    assert [ours[c]["p_sim"] for c in cells] == [round(float(p), 4) for p in theirs.p_sim]


def test_gi_star_is_the_getis_ord_formula(grid):
    """Gi* = (Σ w x − x̄ Σ w) / (S √((n Σ w² − (Σ w)²) / (n − 1))), the cell itself among its neighbours."""
    cells, counts = grid
    x = np.array([counts[c] for c in cells], dtype=float)
    n, mean, s = len(x), x.mean(), np.sqrt((x ** 2).mean() - x.mean() ** 2)
    inside = set(cells)
    expected = []
    for cell in cells:
        weights = np.array([1.0 if (c == cell or c in h3.grid_ring(cell, 1)) and c in inside else 0.0 for c in cells])
        total = weights.sum()
        expected.append((weights @ x - mean * total) / (s * np.sqrt((n * (weights ** 2).sum() - total ** 2) / (n - 1))))
    ours = hotspots.gi_star(cells, counts)
    assert [ours[c]["z"] for c in cells] == pytest.approx(expected, abs=1e-4)


def test_the_cluster_is_a_99_per_cent_hot_spot_and_the_edge_is_not(grid):
    cells, counts = grid
    ours = hotspots.gi_star(cells, counts)
    assert hotspots.significance(ours[CENTRE]["z"], ours[CENTRE]["p_norm"]) == 99
    edge = sorted(h3.grid_ring(CENTRE, 3))[0]
    assert hotspots.significance(ours[edge]["z"], ours[edge]["p_norm"]) <= 0


def test_the_analysis_reads_the_cell_rollups_and_finds_the_emerging_spot(zone_city):
    period = Period(date(2026, 11, 1), date(2026, 11, 28))
    for day in range(1, 29):  # a steady background, then a new cluster in the last week
        for cell in h3.grid_disk(CENTRE, 2):
            CellRollup.objects.create(day=date(2026, 11, day), cell=cell, category="dispute", incidents=1,
                                      by_hour=[1] + [0] * 23)
        if day >= 22:
            CellRollup.objects.create(day=date(2026, 11, day), cell=CENTRE, category="criminal", incidents=5,
                                      by_hour=[0] * 20 + [5, 0, 0, 0])
    found = hotspots.analyse(period=period, scope=city_scope())
    hottest = found["hot_spots"][0]["z"]
    # Gi* sums each cell's neighbourhood: the centre and its six neighbours share the cluster alike
    assert {s["cell"] for s in found["hot_spots"] if s["z"] == hottest} == {CENTRE, *h3.grid_ring(CENTRE, 1)}
    assert {s["class"] for s in found["hot_spots"] if s["z"] == hottest} == {99}
    # hot the four weeks before too (the steady background), and far busier now: intensifying
    trend = {e["cell"]: (e["trend"], e["last_week"], e["weekly_before"]) for e in found["emerging"]}
    assert trend[CENTRE] == ("intensifying", 42, 5.25)
    evening = hotspots.analyse(period=period, scope=city_scope(), band=hotspots.Band(20, 22))
    assert evening["incidents"] == 35
    assert hotspots.analyse(period=period, scope=city_scope(), category="dispute")["incidents"] == 28 * 19


@pytest.fixture
def zone_city(db):
    from tests import factories as f

    f.ZoneFactory(code="Z01", polygon=f.square(121.4737, 31.2304, 0.01))
    rollups.rollups_build_all()
