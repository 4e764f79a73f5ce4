"""`bench tracks` and `bench ingest-ws`: their own arithmetic and their refusal of absurd sizes (the runs
themselves are benchmarks, measured by the command, not here)."""
import time

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from command.bench import ingest_ws
from command.bench.tracks import _day_block
from command.demo.history_tracks import ROW, SIGNATURE, TRAILER


def test_a_days_block_holds_every_units_fixes_at_the_interval_in_binary_copy_layout():
    block, count = _day_block([7, 8], 1_700_000_000.0, 1_700_000_000.0 + 3600, 600, np.random.default_rng(1))
    rows = np.frombuffer(block[len(SIGNATURE):-len(TRAILER)], dtype=ROW)
    assert (count, len(rows), block[:len(SIGNATURE)], block[-2:]) == (12, 12, SIGNATURE, TRAILER)
    assert list(rows["unit"]) == [7] * 6 + [8] * 6
    assert np.diff(rows["at"][:6]).tolist() == [600_000_000] * 5  # microseconds


@pytest.mark.parametrize("what, arguments, message", [
    ("tracks", ["--units", "0"], "--units must be 1-50000"),
    ("tracks", ["--days", "100"], "--days 1-62"),
    ("ingest-ws", ["--processes", "0"], "--processes 1-16"),
    ("ingest-ws", ["--batch", "1000"], "--batch 1-250"),
])
def test_absurd_sizes_are_refused_before_anything_starts(what, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("bench", what, *arguments)


def test_a_batchs_fixes_are_a_millisecond_apart_and_later_than_the_last_batchs():
    bounds = (121.4, 31.2, 121.5, 31.3)
    first = [ingest_ws._fix(bounds, 5, i, (3 - i) * 0.001) for i in range(3)]
    time.sleep(0.01)
    second = ingest_ws._fix(bounds, 5, 3, 0.003)
    stamps = [fix["at"] for fix in first] + [second["at"]]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert all(bounds[0] < fix["lon"] < bounds[2] and bounds[1] < fix["lat"] < bounds[3] for fix in first)


def test_replies_in_the_warm_up_are_stored_but_not_counted_in_the_measured_seconds():
    counts = {"accepted": 0, "refused": 0, "latency_ms": [], "warmup": 0}
    now = time.time()
    ingest_ws._count(counts, now - 1.0, time.perf_counter(), 5, 0)                         # in the warm-up
    ingest_ws._count(counts, now - ingest_ws.WARMUP_S - 1.0, time.perf_counter(), 4, 1)    # measured
    assert (counts["warmup"], counts["accepted"], counts["refused"], len(counts["latency_ms"])) == (5, 4, 1, 1)
