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
    with pytest.raises(CommandError, match="--frame-officers and --tablets 0-20000"):
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


def test_absurd_tablet_counts_and_order_rates_are_refused():
    for arguments in (["--tablets", "20001"], ["--orders-per-s", "51"], ["--web-processes", "0"]):
        with pytest.raises(CommandError, match="--frame-officers and --tablets 0-20000, .* --orders-per-s 0-50, "
                                               "--web-processes 1-16"):
            call_command("bench", "fanout", *arguments)


def test_an_orders_delay_is_its_tablets_hearing_minus_its_commit_and_an_unheard_order_is_lost():
    from command.bench.fanout_tablets import order_delays

    committed = {1: 100.0, 2: 100.5, 3: 101.0}
    delays, lost = order_delays(committed, {1: 100.02, 3: 101.25, 9: 102.0})
    assert ([round(d, 1) for d in delays], lost) == ([20.0, 250.0], 1)


def test_memory_per_socket_is_the_growth_between_two_readings_over_the_sockets_opened():
    from command.bench.fanout_tablets import per_socket

    before = {"server_rss_kb": 100_000, "valkey_bytes": 1_000_000}
    after = {"server_rss_kb": 160_000, "valkey_bytes": 3_500_000}
    assert per_socket(before, after, 5000) == {"sockets": 5000, "server_rss_kb_per_socket": 12.0,
                                               "valkey_bytes_per_socket": 500}
    assert per_socket(before, after, 0) == {"sockets": 0}
