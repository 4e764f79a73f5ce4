"""`bench fanout`'s own arithmetic and its refusal of absurd sizes (the run itself is a benchmark,
measured by the command, not here)."""
import pytest
from django.core.management import CommandError, call_command

from command.bench.fanout import _quantiles


def test_quantiles_are_nearest_rank_over_the_samples():
    assert _quantiles([float(v) for v in range(1, 101)]) == {"samples": 100, "p50": 51.0, "p95": 96.0, "p99": 100.0,
                                                             "max": 100.0}
    assert _quantiles([]) == {"samples": 0}


@pytest.mark.parametrize("arguments", [["--units", "0"], ["--consoles", "500"], ["--frame-units", "50000"],
                                       ["--seconds", "0"]])
def test_absurd_sizes_are_refused_before_anything_starts(arguments):
    with pytest.raises(CommandError, match="--units and --frame-units must be 1-20000"):
        call_command("bench", "fanout", *arguments)


def test_absurd_officer_counts_are_refused_too():
    with pytest.raises(CommandError, match="--frame-officers 0-20000"):
        call_command("bench", "fanout", "--frame-officers", "-1")


def test_each_layer_and_the_frames_that_draw_both_are_reported():
    from command.bench.fanout_officers import frame_figures

    units = [float(v) for v in range(1, 101)]
    officers = [v / 2 for v in units]
    frames = [u + o for u, o in zip(units, officers)][:40]
    assert frame_figures([units, 5000, officers, 2500, frames], _quantiles) == {
        "console_draw_ms": {"samples": 100, "p50": 51.0, "p95": 96.0, "p99": 100.0, "max": 100.0, "units_on_map": 5000},
        "officers_draw_ms": {"samples": 100, "p50": 25.5, "p95": 48.0, "p99": 50.0, "max": 50.0,
                             "officers_on_map": 2500},
        "frame_ms": {"samples": 40, "p50": 31.5, "p95": 58.5, "p99": 60.0, "max": 60.0},
        "markers_on_map": 7500}
