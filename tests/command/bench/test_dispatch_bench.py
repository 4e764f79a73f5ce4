"""The dispatch bench's summary survives a phase that recommended nothing in time (a swamped
baseline at a high call rate), which crashed it with a TypeError."""
from command.bench.dispatch import _p99_ratio


def test_the_ratio_of_two_phases_and_of_an_empty_one():
    ours = {"latency_ms": {"p50": 30.0, "p99": 50.0}}
    assert _p99_ratio({"latency_ms": {"p50": 100.0, "p99": 200.0}}, ours) == 4.0
    assert _p99_ratio({"latency_ms": None}, ours) is None
    assert _p99_ratio({"latency_ms": {"p99": 200.0}}, {"latency_ms": None}) is None
