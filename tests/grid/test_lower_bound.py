"""The road-time lower bound read from OSRM's dataset never exceeds OSRM's own travel time, is tight
enough to matter, and would be caught if the dataset were misread."""
import dataclasses
import io
import random
import tarfile

import numpy as np
import osrm
import pytest
import shapely

from grid import lower_bound, travel
from grid.roads import dataset_path, road_network_import
from tests.places import HELSINKI, LUJIAZUI, PEOPLES_SQUARE
from tests.plugins.roads import quiet

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def served_box(network):
    ring = network.outline["coordinates"][0]
    return min(p[0] for p in ring), min(p[1] for p in ring), max(p[0] for p in ring), max(p[1] for p in ring)


def random_points(network, rng, count, *, on_road):
    """Points of the served area's box that OSRM can snap within the limit: on the road, or as drawn."""
    min_lon, min_lat, max_lon, max_lat = served_box(network)
    points = []
    while len(points) < count:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        try:
            snapped = travel.snap(lon, lat)
        except travel.OffNetwork:
            continue
        points.append(snapped[:2] if on_road else (lon, lat))
    return points


@pytest.fixture(scope="module")
def times(demo_network):
    return lower_bound.read(dataset_path(demo_network))


@pytest.fixture(scope="module")
def sample(demo_network, django_db_blocker):
    """20 targets x 300 units (half on the road, half up to the snapping limit off it), with OSRM's
    durations from one full table per target."""
    rng = random.Random(5)
    with django_db_blocker.unblock():
        travel.engines.reset()
        units = (random_points(demo_network, rng, 150, on_road=True)
                 + random_points(demo_network, rng, 150, on_road=False))
        targets = random_points(demo_network, rng, 20, on_road=False)
        durations = [np.array([leg.duration_s if leg else np.inf for leg in travel.durations_to(target, units)])
                     for target in targets]
    return units, targets, durations


def overshoots(times, sample) -> tuple[int, list[float]]:
    """(pairs whose bound exceeds OSRM's duration, bound / duration of every pair routed > 60 s)."""
    units, targets, durations = sample
    over, ratios = 0, []
    for target, duration in zip(targets, durations):
        bound = times.bounds(target, units)
        over += int((bound > duration + 1e-6).sum())
        routed = np.isfinite(duration) & (duration > 60)
        ratios += list(bound[routed] / duration[routed])
    return over, ratios


def test_each_segment_takes_exactly_the_time_osrm_gives_it(times, demo_network):
    """People's Square -> Lujiazui: every whole segment of OSRM's route is an edge of the graph, in
    the direction driven, with OSRM's own duration (the route adds turn and signal penalties)."""
    found = travel.engines.router("car").Route(osrm.RouteParameters(
        coordinates=[PEOPLES_SQUARE, LUJIAZUI], annotations=["duration"], geometries="geojson", overview="full"))
    best = found["routes"][0]
    points = [(round(float(lon) * 1e6), round(float(lat) * 1e6)) for lon, lat in best["geometry"]["coordinates"]]
    durations = [float(d) for d in best["legs"][0]["annotation"]["duration"]]
    node_at = {(round(lon * 1e6), round(lat * 1e6)): node for node, (lon, lat) in enumerate(times.node_lonlat)}
    # The first and last points are where OSRM put the two ends, inside a segment: those two are partial.
    whole = list(zip(points[1:-2], points[2:-1], durations[1:-1]))
    assert len(whole) == len(points) - 3 == 106
    assert [times.towards[node_at[b], node_at[a]] for a, b, _ in whole] == [d for _, _, d in whole]
    assert sum(durations) < float(best["duration"])


def test_the_bound_never_exceeds_osrms_travel_time(times, sample):
    over, ratios = overshoots(times, sample)
    assert over == 0
    assert len(ratios) > 5000
    assert 0.75 < float(np.median(ratios)) <= 1.0   # tight enough to prune: measured 0.84


def test_reading_the_one_way_flags_backwards_would_be_caught(times, sample):
    """The comparison above has teeth: a dataset read with directions swapped overshoots at once."""
    backwards = dataclasses.replace(times, towards=times.towards.T.tocsr(), exit_a=times.entry_a,
                                    exit_b=times.entry_b, entry_a=times.exit_a, entry_b=times.exit_b, _near={})
    over, _ = overshoots(backwards, sample)
    assert over > 100


def test_a_unit_just_behind_the_target_on_a_one_way_street_is_not_sent_round_the_block(times, demo_network):
    """Both on one one-way segment, target ahead: OSRM drives straight there, passing no node; the
    bound from the segment's exit node would be a trip round the block. A shared segment bounds 0
    (either way: where on it each point lies is not looked at)."""
    forward_only = np.flatnonzero((times.exit_a == times.exit_b) & times.seg_big)
    lengths = shapely.length(times.lines[forward_only])
    segment = forward_only[np.argmax(lengths)]
    coords = np.array(times.lines[segment].coords)  # local metres, back to lon/lat
    lon = coords[:, 0] / times.scale[0] + times.origin[0]
    lat = coords[:, 1] / times.scale[1] + times.origin[1]
    behind = (lon[0] + 0.3 * (lon[1] - lon[0]), lat[0] + 0.3 * (lat[1] - lat[0]))
    ahead = (lon[0] + 0.7 * (lon[1] - lon[0]), lat[0] + 0.7 * (lat[1] - lat[0]))
    leg, = travel.durations_to(ahead, [behind])
    entry = times.near_segments([ahead])[0]
    seeds = np.unique(np.concatenate([times.entry_a[entry], times.entry_b[entry]]))
    round_the_block = times.seconds_to(seeds)[times.exit_a[segment]]
    assert round_the_block > leg.duration_s          # the trap is real
    assert times.bounds(ahead, [behind])[0] == 0.0
    back, = travel.durations_to(behind, [ahead])     # the other way round OSRM loops; the bound stays 0
    assert back.duration_s > leg.duration_s
    assert times.bounds(behind, [ahead])[0] == 0.0


def test_a_point_on_a_tiny_component_is_also_bounded_from_the_nearest_big_road(times, demo_network):
    """OSRM may add the nearest big-component road as a start when the nearest road is in a tiny one:
    both are among the roads the bound takes, and the bound stays below OSRM wherever it routes."""
    tiny = np.flatnonzero(~times.seg_big)
    middles = shapely.line_interpolate_point(times.lines[tiny], 0.5, normalized=True)
    points = [(p.x / times.scale[0] + times.origin[0], p.y / times.scale[1] + times.origin[1]) for p in middles[::10]]
    legs = travel.durations_to(LUJIAZUI, points)
    bounds = times.bounds(LUJIAZUI, points)
    near = times.near_segments(points)
    assert len(points) == 113
    assert all(segment in segments and times.seg_big[segments].any()
               for segment, segments in zip(tiny[::10], near))
    routed = [(bound, leg.duration_s) for bound, leg in zip(bounds, legs) if leg is not None]
    assert len(routed) > 20
    assert all(bound <= duration for bound, duration in routed)


def test_the_search_limit_only_weakens_the_bound(times):
    units = [PEOPLES_SQUARE, LUJIAZUI, (121.4420, 31.2280)]
    full = times.bounds(PEOPLES_SQUARE, units)
    cut = times.bounds(PEOPLES_SQUARE, units, limit=60.0)
    assert full[0] == 0.0 and full[1] > 60.0
    assert list(cut) == [0.0, 60.0, 60.0]


def test_22_bit_packed_durations_are_read_as_osrm_writes_them(tmp_path):
    values = [0, 1, 2, 77, 4194303, 123456, 3000000] + list(range(100, 165))
    bits = np.array([(v >> b) & 1 for v in values for b in range(22)], dtype=np.uint8)
    words = -(-len(bits) // 1408) * 22  # whole blocks of 64 values
    packed = np.packbits(np.concatenate([bits, np.zeros(words * 64 - len(bits), np.uint8)]), bitorder="little")
    path = tmp_path / "network.osrm.geometry"
    with tarfile.open(path, "w") as archive:
        for name, data in {"/common/segment_data/forward_durations/packed": packed.tobytes(),
                           "/common/segment_data/forward_durations/number_of_elements.meta":
                               np.array([len(values)], "<u8").tobytes()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with tarfile.open(path) as archive:
        assert lower_bound._unpack(archive, "forward_durations", len(values)).tolist() == values
        with pytest.raises(lower_bound.DatasetLayoutError):
            lower_bound._unpack(archive, "forward_durations", len(values) + 1)


def test_a_dataset_it_cannot_read_gives_no_bound(tmp_path):
    (tmp_path / "car").mkdir()
    (tmp_path / "car" / "network.osrm.fileIndex").write_bytes(b"\0" * 20)
    with pytest.raises(lower_bound.DatasetLayoutError):
        lower_bound.read(tmp_path)
    assert lower_bound.for_dataset(tmp_path) is None
    assert lower_bound.for_dataset(tmp_path / "nowhere") is None


def test_only_an_osrm_version_whose_layout_was_checked_is_read():
    lower_bound._check_version(b"OSRP\x1a\x0a\x00\x01\x01\x08G")  # 26.10.0, the one these tests check
    for other in (b"OSRP\x1b\x00\x00\x01\x01\x08G", b"OSRP\x1a\x0b\x00\x01\x01\x08G", b"XXXX\x1a\x0a\x00"):
        with pytest.raises(lower_bound.DatasetLayoutError):
            lower_bound._check_version(other)


def test_on_another_city_the_bound_holds_and_the_hot_path_stays_exact(demo_network):
    """Helsinki's centre (one-way streets, turn restrictions, another latitude): read with no code
    changes, bounded below OSRM for every pair, and the pruned top 3 is the full table's."""
    helsinki, _ = road_network_import(path=HELSINKI, progress=quiet)
    travel.engines.reset()
    try:
        times = lower_bound.read(dataset_path(helsinki))
        rng = random.Random(43)
        units = random_points(helsinki, rng, 120, on_road=True) + random_points(helsinki, rng, 60, on_road=False)
        targets = random_points(helsinki, rng, 12, on_road=False)
        fleet = [travel.Candidate(i, lon, lat, extra_s=rng.choice([0.0, 30.0])) for i, (lon, lat) in enumerate(units)]
        pairs = over = 0
        for target in targets:
            legs = travel.durations_to(target, units)
            duration = np.array([leg.duration_s if leg else np.inf for leg in legs])
            over += int((times.bounds(target, units) > duration + 1e-6).sum())
            pairs += int(np.isfinite(duration).sum())
            full = sorted((leg.duration_s + c.extra_s, c.key) for c, leg in zip(fleet, legs) if leg)[:3]
            assert [(leg.duration_s + c.extra_s, c.key) for c, leg in travel.fastest_to(target, fleet, k=3)] == full
        assert over == 0
        assert pairs > 1500
    finally:
        travel.engines.reset()
