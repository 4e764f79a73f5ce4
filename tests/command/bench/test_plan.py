"""`manage.py bench plan` on the demo city: every band of the day measured and solved exactly, the
greedy plan never better than the exact one. (Its figures are measured by running it, never asserted.)"""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.usefixtures("demo_city"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _steady_geometry(monkeypatch):
    """The city does not change during the bench: the spatial index is read once a second, as in production."""
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)


def test_bench_plan_solves_every_band_exactly_beside_the_greedy_plan():
    out = StringIO()
    call_command("bench", "plan", "--runs", "1", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert [(band["starts_at"], band["mode"]) for band in result["bands"]] == [
        ("00:00", "community"), ("07:00", "posts"), ("09:00", "routes"), ("17:00", "posts"), ("19:00", "routes"),
        ("22:00", "community")]
    for band in result["bands"]:
        assert (band["solve"]["status"], band["solve"]["proven_optimal"], band["solve"]["gap"]) == ("optimal", True, 0.0)
        # HiGHS proves optimality within its feasibility tolerance (1e-7 per row): 1e-5 relative slack
        assert band["objective"]["greedy"] <= band["objective"]["exact"] * (1 + 1e-5) + 1e-6
        assert band["cells"] <= result["universe_cells"] and band["candidates"] > 0 and band["crews"] > 0


@pytest.mark.parametrize("runs", ["0", "101"])
def test_absurd_runs_are_refused(runs):
    with pytest.raises(CommandError, match="--runs must be 1-100"):
        call_command("bench", "plan", "--runs", runs)
