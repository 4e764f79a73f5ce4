"""Each way of moving keeps an exact lower bound (docs/routing.md, "Modes"): foot and bicycle each read
their own dataset, and never overshoot their own profile's OSRM times; the motorcycle's factor keeps the
car's bound; each mode's pruned top 3 equals a full table of that mode."""
import random
from datetime import time

import numpy as np
import pytest
from django.utils import translation

from grid import lower_bound, modes, osrm_build, travel
from grid.models import CongestionBand
from grid.roads import dataset_path
from tests.grid.support import reread_zones_and_bands
from tests.grid.test_lower_bound import random_points
from tests.places import FAR_WEST, PEOPLES_SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def samples(demo_network, django_db_blocker):
    """Per profile: 12 targets x 240 units (half on that profile's roads, half as drawn) and OSRM's
    durations for that profile, one full table per target."""
    found = {}
    with django_db_blocker.unblock():
        travel.engines.reset()
        for profile in ("foot", "bicycle"):
            rng = random.Random(11)
            units = (_points(demo_network, rng, 120, profile, on_road=True)
                     + _points(demo_network, rng, 120, profile, on_road=False))
            targets = _points(demo_network, rng, 12, profile, on_road=False)
            durations = [np.array([leg.duration_s if leg else np.inf
                                   for leg in travel.durations_to(target, units, profile=profile)])
                         for target in targets]
            found[profile] = units, targets, durations
    return found


def _points(network, rng, count, profile, *, on_road):
    points = []
    for lon, lat in random_points(network, rng, count * 3, on_road=False):
        try:
            snapped = travel.snap(lon, lat, profile)
        except travel.OffNetwork:
            continue
        points.append(snapped[:2] if on_road else (lon, lat))
        if len(points) == count:
            break
    return points


def test_every_mode_has_its_own_profile_built_and_checked(demo_network):
    assert osrm_build.BUILT_PROFILES == ("car", "foot", "bicycle")
    assert demo_network.profiles == ["car", "foot", "bicycle"]
    assert modes.unbuilt(demo_network.profiles) == []
    assert {modes.profile_of(mode) for mode in modes.MODES} <= set(lower_bound.PROFILES)


@pytest.mark.parametrize("profile", ["foot", "bicycle"])
def test_each_profiles_bound_never_exceeds_its_own_osrm_time(demo_network, samples, profile):
    times = lower_bound.read(dataset_path(demo_network), profile)
    units, targets, durations = samples[profile]
    over, ratios, pairs = 0, [], 0
    for target, duration in zip(targets, durations):
        bound = times.bounds(target, units)
        over += int((bound > duration + 1e-6).sum())
        pairs += int(np.isfinite(duration).sum())
        routed = np.isfinite(duration) & (duration > 60)
        ratios += list(bound[routed] / duration[routed])
    assert over == 0
    assert pairs > 2000
    assert 0.75 < float(np.median(ratios)) <= 1.0  # tight: its own speeds, not the car's


def test_reading_another_profiles_dataset_would_be_caught(demo_network, samples):
    """The comparison has teeth: walking times taken as a bound on cycling overshoot at once (each mode
    must read its own dataset), while the bicycle's own bound never does."""
    foot = lower_bound.read(dataset_path(demo_network), "foot")
    units, targets, durations = samples["bicycle"]
    over = sum(int((foot.bounds(target, units) > duration + 1e-6).sum()) for target, duration in zip(targets, durations))
    assert over > 1000


@pytest.mark.parametrize("mode", ["foot", "bicycle", "motorcycle", "car"])
def test_each_modes_top_3_is_its_full_tables(demo_network, samples, mode, fresh_engines):
    profile = modes.profile_of(mode)
    units, targets, _ = samples["foot" if profile == "car" else profile]
    rng = random.Random(3)
    fleet = [travel.Candidate(i, lon, lat, extra_s=rng.choice([0.0, 30.0])) for i, (lon, lat) in enumerate(units)]
    for target in targets:
        legs = modes.durations_to(target, units, mode=mode)
        full = sorted((round(leg.duration_s + c.extra_s, 6), c.key) for c, leg in zip(fleet, legs) if leg)[:3]
        picked = modes.fastest_to(target, fleet, mode=mode, k=3)
        assert [(round(leg.duration_s + c.extra_s, 6), c.key) for c, leg in picked] == full


def test_a_motorcycle_keeps_its_advantage_in_a_jam_and_walking_is_not_slowed_by_one(demo_network, settings,
                                                                                 fresh_engines):
    """A whole-city band of factor 2: the car's ETA doubles, the motorcycle's (share 0) stays the car's
    free-flow time, the officer on foot walks as ever; with share 0.5 the motorcycle takes 1.5x."""
    free = {mode: modes.durations_to(PEOPLES_SQUARE, [FAR_WEST], mode=mode)[0].duration_s for mode in modes.MODES}
    CongestionBand.objects.create(zone=None, factor=2.0, starts=time(0), ends=time(23, 59, 59))
    reread_zones_and_bands()
    jammed = {mode: modes.durations_to(PEOPLES_SQUARE, [FAR_WEST], mode=mode)[0].duration_s for mode in modes.MODES}
    settings.MOTORCYCLE_CONGESTION_SHARE = 0.5
    half = modes.durations_to(PEOPLES_SQUARE, [FAR_WEST], mode="motorcycle")[0].duration_s
    assert jammed["car"] == pytest.approx(2 * free["car"])
    assert jammed["motorcycle"] == pytest.approx(free["car"]) == pytest.approx(free["motorcycle"])
    assert jammed["foot"] == pytest.approx(free["foot"]) and jammed["bicycle"] == pytest.approx(free["bicycle"])
    assert half == pytest.approx(1.5 * free["car"])
    assert free["foot"] > free["bicycle"] > free["car"]


def test_a_mode_whose_profile_was_not_built_is_refused_not_ranked_as_a_car(demo_network, monkeypatch, fresh_engines):
    monkeypatch.setattr(travel.engines.current(), "profiles", ["car", "foot"])
    with pytest.raises(modes.UnbuiltProfile, match="bicycle"):
        modes.fastest_to(PEOPLES_SQUARE, [travel.Candidate(0, *FAR_WEST)], mode="bicycle")
    assert modes.fastest_to(PEOPLES_SQUARE, [travel.Candidate(0, *FAR_WEST)], mode="motorcycle")


def test_the_road_import_fails_its_check_for_a_mode_without_a_profile(monkeypatch, tmp_path):
    from grid.roads import road_network_import

    monkeypatch.setattr(osrm_build, "BUILT_PROFILES", ("car", "foot"))
    with pytest.raises(osrm_build.BuildError) as refused, translation.override("en"):
        road_network_import(path=tmp_path / "never-read.osm.pbf", progress=lambda line: None)
    assert str(refused.value) == ("These ways of moving have no routing profile built: bicycle (bicycle). Add the "
                                  "profile to grid.osrm_build.BUILT_PROFILES and import the road network again; a "
                                  "mode is never ranked as another.")
