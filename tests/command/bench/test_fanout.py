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
