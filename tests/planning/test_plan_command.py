"""`manage.py plan solve` on plain files: the proven optimum where enumeration establishes it, the
OR-Library format, the output."""
import csv
import io
import itertools
import json

import numpy as np
import pytest
from django.core.management import call_command

from tests.planning import brute_force
from tests.planning.cases import random_case

EXAMPLE = "planning/examples/"


def write_csv(path, header: list, rows) -> str:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def write_case(tmp_path, seconds, weights, limits, fixed=()) -> list[str]:
    """The files of a case and the options that name them."""
    points, sites = seconds.shape
    demand = write_csv(tmp_path / "demand.csv", ["id", "weight", "within"],
                       [(f"d{i}", int(weights[i]), int(limits[i])) for i in range(points)])
    places = write_csv(tmp_path / "sites.csv", ["id", "fixed"], [(f"s{j}", int(j in fixed)) for j in range(sites)])
    times = write_csv(tmp_path / "times.csv", ["from", "to", "seconds"],
                      [(f"s{j}", f"d{i}", int(seconds[i, j])) for j in range(sites) for i in range(points)
                       if np.isfinite(seconds[i, j])])
    return ["--demand", demand, "--sites", places, "--times", times]


def plan(*options) -> dict:
    out = io.StringIO()
    call_command("plan", "solve", *options, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("model", ["pmedian", "mclp", "lscp", "mexclp"])
def test_the_command_gives_the_proven_optimum_that_enumeration_finds(tmp_path, model, seed):
    seconds, weights, limits = random_case(50 + seed, missing=0.1)
    fixed = (seed,) if seed % 2 else ()
    cover, is_fixed = seconds <= limits[:, None], np.isin(range(5), fixed)
    best = {"pmedian": lambda: brute_force.pmedian(seconds, weights, 3, is_fixed),
            "mclp": lambda: brute_force.mclp(cover, weights, 2, is_fixed),
            "lscp": lambda: brute_force.lscp(cover, weights, is_fixed),
            "mexclp": lambda: brute_force.mexclp(cover, weights, 3, 0.4, is_fixed, [1] * 5)}[model]()
    extra = {"pmedian": ["--p", "3"], "mclp": ["--p", "2"], "lscp": [], "mexclp": ["--p", "3", "--busy", "0.4"]}[model]
    report = plan("--model", model, *write_case(tmp_path, seconds, weights, limits, fixed), *extra)
    assert (report["status"], report["proven_optimal"], report["gap"]) == ("optimal", True, 0.0)
    assert report["objective"] == pytest.approx(best, rel=1e-12)
    assert {f"s{j}" for j in fixed} <= set(report["sites"])


def test_euclidean_uses_the_straight_line_between_x_and_y(tmp_path):
    demand = write_csv(tmp_path / "d.csv", ["id", "weight", "x", "y"], [("a", 1, 0, 0), ("b", 2, 3, 4), ("c", 1, 6, 8)])
    sites = write_csv(tmp_path / "s.csv", ["id", "x", "y"], [("left", 0, 0), ("mid", 3, 4), ("right", 6, 8)])
    report = plan("--model", "pmedian", "--demand", demand, "--sites", sites, "--euclidean", "--p", "1")
    assert (report["sites"], report["objective"], report["instance"]) == (["mid"], 10.0, {"demand_points": 3, "sites": 3, "pairs": 9})


def orlib_optimum(n: int, edges: list, p: int) -> float:
    """Floyd-Warshall over the edges (the last of a pair counts), then every set of p nodes."""
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0)
    for i, j, cost in edges:
        dist[i - 1, j - 1] = dist[j - 1, i - 1] = cost
    for k in range(n):
        dist = np.minimum(dist, dist[:, [k]] + dist[[k], :])
    return min(dist[:, list(chosen)].min(axis=1).sum() for chosen in itertools.combinations(range(n), p))


# 8 nodes, the edge 2-3 listed twice: 1 first, then 40, which counts (so does 6-5 after 5-6)
EDGES = [(1, 2, 10), (2, 3, 1), (3, 4, 10), (4, 5, 12), (5, 6, 3), (6, 7, 9), (7, 8, 4), (8, 1, 20), (2, 6, 25),
         (3, 7, 30), (2, 3, 40), (5, 6, 5), (6, 5, 7)]


def test_an_or_library_instance_solved_by_enumeration_and_an_edge_listed_twice_counts_as_listed_last(tmp_path):
    path = tmp_path / "pmed_small.txt"
    path.write_text(f" 8 {len(EDGES)} 2\n" + "".join(f" {i} {j} {c}\n" for i, j, c in EDGES))
    report = plan("--model", "pmedian", "--orlib", str(path))
    assert (report["status"], report["proven_optimal"], report["p"]) == ("optimal", True, 2)
    assert report["objective"] == orlib_optimum(8, EDGES, 2) == 87.0
    assert orlib_optimum(8, EDGES[:10], 2) == 47.0  # the first listing would give another optimum
    assert report["instance"] == {"demand_points": 8, "sites": 8, "pairs": 64}


def test_on_an_or_library_instance_p_may_be_given_and_any_model_run(tmp_path):
    path = tmp_path / "pmed_small.txt"
    path.write_text(f"8 {len(EDGES)} 2\n" + "".join(f"{i} {j} {c}\n" for i, j, c in EDGES))
    assert plan("--model", "pmedian", "--orlib", str(path), "--p", "3")["objective"] == orlib_optimum(8, EDGES, 3)
    assert plan("--model", "lscp", "--orlib", str(path), "--within", "12")["p"] is None


def test_nodes_of_an_or_library_graph_that_cannot_reach_each_other_are_unreachable_pairs(tmp_path):
    path = tmp_path / "two_parts.txt"
    path.write_text("4 2 2\n1 2 5\n3 4 6\n")
    report = plan("--model", "pmedian", "--orlib", str(path))
    assert (report["objective"], report["instance"]["pairs"], len(report["sites"])) == (11.0, 8, 2)


def test_the_worked_example_of_the_readme():
    files = ["--demand", EXAMPLE + "demand.csv", "--sites", EXAMPLE + "sites.csv", "--times", EXAMPLE + "times.csv"]
    found = {model: plan("--model", model, *files, *extra) for model, extra in
             [("mclp", ["--p", "2"]), ("lscp", []), ("pmedian", ["--p", "3"]), ("mexclp", ["--p", "3", "--busy", "0.3"])]}
    assert {model: (report["objective"], report["sites"], report["out_of_reach"]) for model, report in found.items()} == {
        "mclp": (34.0, ["post_square", "stand_station"], ["school_gate"]),
        "lscp": (2.0, ["post_square", "stand_station"], ["school_gate"]),
        "pmedian": (3186.0, ["post_square", "stand_station", "stand_bar"], []),
        "mexclp": (28.945, ["post_square", "stand_market", "stand_station"], ["school_gate"])}


def test_without_json_a_short_summary_is_printed():
    out = io.StringIO()
    call_command("plan", "solve", "--model", "lscp", "--demand", EXAMPLE + "demand.csv", "--sites", EXAMPLE + "sites.csv",
                 "--times", EXAMPLE + "times.csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert (lines[0].startswith("lscp: optimal (proven); objective 2.0, bound 2.0, gap 0.0, "), lines[1:]) == \
        (True, ["sites (2): post_square, stand_station", "out of reach (1): school_gate"])


def test_a_time_limit_that_strikes_is_reported_not_proven(tmp_path):
    rng = np.random.default_rng(4)
    xy = rng.random((150, 2)) * 1000
    rows = [(f"n{k}", 1, x, y) for k, (x, y) in enumerate(xy)]
    demand = write_csv(tmp_path / "d.csv", ["id", "weight", "x", "y"], rows)
    sites = write_csv(tmp_path / "s.csv", ["id", "weight", "x", "y"], rows)
    report = plan("--model", "pmedian", "--demand", demand, "--sites", sites, "--euclidean", "--p", "15", "--time-limit", "0.001")
    assert (report["status"], report["proven_optimal"], len(report["sites"])) == ("time_limit", False, 15)
    assert report["gap"] >= 0
