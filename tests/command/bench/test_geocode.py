"""`manage.py bench geocode` runs end to end on the demo network, finds every expected answer where its
fixed list says, and leaves no trace: the key sites, patrol points and login it adds are rolled back.
(Its figures are measured by running it, never asserted here.)"""
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from command.bench.geocode import QUERIES
from grid.models import KeySite, PatrolPoint, Place

pytestmark = [pytest.mark.usefixtures("demo_network"), pytest.mark.django_db]


def test_bench_geocode_finds_each_expected_place_first_and_leaves_no_trace():
    out = StringIO()
    call_command("bench", "geocode", "--repeat", "1", "--json", stdout=out)
    result = json.loads(out.getvalue())
    every = f"{len(QUERIES)}/{len(QUERIES)} (100%)"
    assert (result["found"], result["missed_at_rank_1"]) == ({"rank_1": every, "top_5": every}, [])
    assert result["sites_added_for_the_run"] == {"key_sites": 17, "patrol_points": 64}
    assert [result[name]["n"] for name in ("lookup_ms", "baseline_ilike_ms", "api_ms")] == [len(QUERIES)] * 3
    assert result["baseline_found"]["rank_1"] != every
    assert (KeySite.objects.count(), PatrolPoint.objects.count(), Place.objects.filter(network=None).count()) == (0, 0, 0)
    assert not get_user_model().objects.filter(username="bench-geocode").exists()


def test_every_query_names_a_kind_of_query_and_an_expected_place():
    kinds = {kind for _, _, _, kind in QUERIES}
    assert kinds == {"junction", "place", "street", "house number", "pinyin", "initials", "typo"}
    assert len({query for query, *_ in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("repeat", ["0", "1001"])
def test_absurd_repeats_are_refused(repeat):
    with pytest.raises(CommandError, match="--repeat must be 1-1000"):
        call_command("bench", "geocode", "--repeat", repeat)
