"""Key-site posts against the 1-minute target: the exact fewest posts on hand-made reach tables, and
the reach of held posts on the real demo road network."""
from dataclasses import replace

import numpy as np
import pytest

from command.simulation import posts
from command.simulation.world import Band, SimUnit
from dispatch.engine import Crew
from tests.command.simulation.support import call, road_s, world_of
from tests.places import BUND, LUJIAZUI, PUDONG_RIVERSIDE


def table(rows: str) -> np.ndarray:
    """'1100 0011' -> [[T, T, F, F], [F, F, T, T]]: a spot per word, a sample per letter."""
    return np.array([[c == "1" for c in word] for word in rows.split()], dtype=bool)


class TestFewestPosts:
    def test_two_spots_reach_every_sample_where_no_one_does(self):
        assert posts._fewest_posts([table("1100 0011 1010 0101")], [4]) == 2

    def test_one_spot_when_fewer_samples_are_wanted(self):
        assert posts._fewest_posts([table("1100 0011 1110 0101")], [3]) == 1

    def test_greedy_would_take_three_where_two_do(self):
        # The middle spot reaches most, but the two ends reach everything between them.
        assert posts._fewest_posts([table("111000 000111 011110")], [6]) == 2

    def test_a_spot_between_two_sites_serves_both(self):
        near_both = table("11 00 11")
        other = table("11 11 00")
        assert posts._fewest_posts([near_both], [2]) == 1
        assert posts._fewest_posts([other], [2]) == 1
        # each site wants both its samples: the first spot reaches all four
        assert posts._fewest_posts([near_both, other], [2, 2]) == 1
        assert posts._fewest_posts([table("10 01 00"), table("00 00 11")], [2, 2]) == 3


def beat_crew(pk: int, post) -> SimUnit:
    """A crew holding one post in every band of its shift (a key site's beat)."""
    bands = (Band(0.0, 3600.0, "posts", (post,), 60.0, True), Band(3600.0, 7200.0, "routes", (post,), 60.0, True))
    return SimUnit(crew=Crew(pk, f"K{pk:02d}", "patrol_car"), platform="P01", capabilities=("patrol",), officers=3,
                   on_from=0.0, on_until=7200.0, stops=[post], bands=bands)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_network")
class TestOnTheDemoRoads:
    def test_a_car_reaches_a_sample_exactly_within_its_drive(self):
        assert road_s(PUDONG_RIVERSIDE, BUND) == 120.1
        assert posts._reach_matrix([PUDONG_RIVERSIDE], [BUND], 120.1).tolist() == [[True]]
        assert posts._reach_matrix([PUDONG_RIVERSIDE], [BUND], 120.0).tolist() == [[False]]

    def test_the_run_reports_the_bund_post_against_its_own_calls(self, settings):
        assert settings.TURNOUT_PARKED_S == 30.0
        world = world_of(beat_crew(1, BUND))
        world.key_sites = [(7, "K99", BUND[0], BUND[1], 150)]
        calls = [at_site(call(1, 10.0, BUND)), at_site(call(2, 20.0, LUJIAZUI)), call(3, 30.0, PUDONG_RIVERSIDE)]
        result = posts.key_site_posts(world, calls, seed=3)
        assert result == posts.key_site_posts(world, calls, seed=3)       # seeded: the same every time
        site = result["sites"]["K99"]
        assert site["posts_held"] == result["posts_held"] == 1
        assert 0 < site["reach_of_held_posts"] <= site["reach_possible"] <= 1
        assert result["posts_needed"] == site["posts_needed"] >= 1
        # the call at the post is met (0 s of road); Lujiazui is 180 s away; the third is not at a key site
        assert (result["calls"], result["calls_reachable_from_held_posts"]) == (2, 1)
        assert result["patrol_crews_on_duty_at_noon"] == 0      # the run starts at 10:00, the shift ends at noon
        assert (result["target_s"], result["turnout_s"], result["share"]) == (60, 30.0, 0.95)


def at_site(c):
    return replace(c, key_site_id=7)
