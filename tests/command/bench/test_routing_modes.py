"""`manage.py bench routing` per way of moving (issue 16): every mode's exact top 3 against a full table of
its own profile, on the demo network, with a small fleet (speed is the benchmark's business, not this)."""
from datetime import datetime

import pytest
from django.utils import timezone

from command.bench import routing_modes
from grid import modes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_network")]


def test_every_mode_is_ranked_exactly_on_its_own_profile():
    found = routing_modes.run_modes(units=60, incidents=4, table_incidents=4, seed=3)
    assert [mode for mode in found if mode != "at"] == list(modes.MODES)
    assert {mode: (found[mode]["profile"], found[mode]["congestion_share"], found[mode]["exactness"])
            for mode in modes.MODES} == {
        "car": ("car", 1.0, {"incidents_compared": 4, "top3_mismatches": 0}),
        "motorcycle": ("car", 0.0, {"incidents_compared": 4, "top3_mismatches": 0}),
        "bicycle": ("bicycle", 0.0, {"incidents_compared": 4, "top3_mismatches": 0}),
        "foot": ("foot", 0.0, {"incidents_compared": 4, "top3_mismatches": 0}),
    }
    assert found["foot"]["fastest_3_ms"]["n"] == 4


def test_the_peak_is_the_next_weekdays_morning():
    saturday_noon = timezone.make_aware(datetime(2026, 12, 5, 12, 0))
    monday_early = timezone.make_aware(datetime(2026, 12, 7, 6, 0))
    assert routing_modes.peak_moment(saturday_noon) == timezone.make_aware(datetime(2026, 12, 7, 8, 30))
    assert routing_modes.peak_moment(monday_early) == timezone.make_aware(datetime(2026, 12, 7, 8, 30))


def test_a_pick_off_the_full_tables_order_is_a_mismatch():
    class Leg:
        def __init__(self, duration_s):
            self.duration_s = duration_s

    table = [Leg(30.0), None, Leg(10.0), Leg(20.0)]
    assert routing_modes.exactness([[(0, Leg(10.0)), (0, Leg(20.0))]], [table]) == {
        "incidents_compared": 1, "top3_mismatches": 0}
    assert routing_modes.exactness([[(0, Leg(10.0)), (0, Leg(30.0))]], [table]) == {
        "incidents_compared": 1, "top3_mismatches": 1}
