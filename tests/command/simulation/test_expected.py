"""The call model as the planner's demand: a city with no key site yet draws its calls in its zones
(the draw failed on the empty list of sites once, so a plan of such a city failed)."""
import random
from types import SimpleNamespace

import pytest
from shapely.geometry import shape

from command.simulation.calls import _Places
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_network")]


def test_a_city_without_key_sites_draws_every_call_in_its_zones():
    zone = shape(f.square(*f.PEOPLES_SQUARE, half=0.005))
    city = SimpleNamespace(zones=[SimpleNamespace(polygon=zone, response_class="city_centre")], key_sites=[])
    places = _Places(city, random.Random(17))
    drawn = [places.draw() for _ in range(20)]
    assert all(zone.buffer(0.001).covers(shape({"type": "Point", "coordinates": list(point)})) for point in drawn)
    assert len(set(drawn)) == 20
