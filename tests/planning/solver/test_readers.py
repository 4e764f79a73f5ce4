"""The readers on their own: what they make of each file (the errors are in test_plan_command_errors)."""
import numpy as np

from planning.solver.readers import euclidean, read_demand, read_orlib, read_sites, read_times


def test_an_or_library_file_is_every_node_a_demand_point_and_a_site_and_shortest_paths_between_them(tmp_path):
    path = tmp_path / "pmed.txt"
    # the edge 1-3 is listed twice and its last cost counts: 1 to 3 is 9, not through 2 (4 + 4)
    path.write_text("  4 4 2 \n\n 1 2 4\n 2 3 4\n 1 3 1\n 3 1 9\n")
    instance, p = read_orlib(path)  # 4 edges announced, 4 follow: the blank line is none
    assert (p, [d.id for d in instance.demand], [s.id for s in instance.sites]) == (2, ["1", "2", "3", "4"], ["1", "2", "3", "4"])
    assert [d.weight for d in instance.demand] == [1.0] * 4
    seconds = instance.dense()
    assert seconds[:3, :3].tolist() == [[0, 4, 8], [4, 0, 4], [8, 4, 0]]
    assert np.isinf(seconds[3, :3]).all() and seconds[3, 3] == 0  # node 4 has no edge: reaches only itself


def test_a_zero_cost_edge_is_an_edge(tmp_path):
    path = tmp_path / "zero.txt"
    path.write_text("2 1 1\n1 2 0\n")
    assert read_orlib(path)[0].dense().tolist() == [[0, 0], [0, 0]]


def test_csv_files_with_a_byte_order_mark_blank_lines_and_extra_columns(tmp_path):
    demand, sites = tmp_path / "d.csv", tmp_path / "s.csv"
    demand.write_text("\ufeffid , weight,within,note\nd1, 2.5 ,,corner\n\n,,,\nd2,1,60,\n", encoding="utf-8")
    sites.write_text("id,fixed,capacity\ns1,TRUE,\ns2,no,3\ns3,,\n")
    points, places = read_demand(demand), read_sites(sites)
    assert [(d.id, d.weight, d.within) for d in points] == [("d1", 2.5, None), ("d2", 1.0, 60.0)]
    assert [(s.id, s.fixed, s.capacity) for s in places] == [("s1", True, None), ("s2", False, 3.0), ("s3", False, None)]


def test_times_run_from_a_site_to_a_demand_point_and_a_missing_pair_is_unreachable(tmp_path):
    demand, sites, times = tmp_path / "d.csv", tmp_path / "s.csv", tmp_path / "t.csv"
    demand.write_text("id,weight\na,1\nb,1\n")
    sites.write_text("id\nx\ny\n")
    times.write_text("from,to,seconds\ny,a,0\nx,b,12.5\n")
    instance = read_times(times, read_demand(demand), read_sites(sites), demand_file="d.csv", sites_file="s.csv")
    assert instance.dense().tolist() == [[np.inf, 0.0], [12.5, np.inf]]


def test_straight_lines_between_x_and_y(tmp_path):
    demand, sites = tmp_path / "d.csv", tmp_path / "s.csv"
    demand.write_text("id,weight,x,y\na,1,0,0\nb,1,-3,-4\n")
    sites.write_text("id,x,y\nx,3,4\n")
    assert euclidean(read_demand(demand, xy=True), read_sites(sites, xy=True)).dense().tolist() == [[5.0], [10.0]]
