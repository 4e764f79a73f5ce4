"""`manage.py bench tracks`: a month of tracks for a megacity's fleet (10,000 units), and one unit's hour
read back, from the monthly partitions (platforms/track_partitions.py) beside the same rows in one plain
table (the design before issue 21), in one run on a throwaway database (command/bench/world.py).

Each unit reports every `--interval` seconds for `--days` days up to now; the same binary COPY blocks
go into both tables, each with the unique (unit, at) index the reads use. Then `--reads` random
(unit, hour) reads on each table, interleaved, and the prune of the oldest month: the partition
dropped against the same rows deleted in chunks from the plain table."""
import random
import statistics
import time
from datetime import UTC

import numpy as np

from command.bench import world
from command.demo.history_tracks import COLUMNS, SIGNATURE, TRAILER, copy_rows

BENCH_REDIS_DB = 13
PLAIN = "bench_trackpoint_plain"
READ = "SELECT at, lon, lat FROM {table} WHERE unit_id = %s AND at >= %s AND at < %s ORDER BY at"


def run(*, units: int, days: int, interval: int, reads: int) -> dict:
    arguments = ["--units", str(units), "--days", str(days), "--interval", str(interval), "--reads", str(reads)]
    return world.run_child("tracks", arguments, redis_db=BENCH_REDIS_DB)


def child(*, units: int, days: int, interval: int, reads: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    unit_ids = _units(units)
    end = time.time()
    start = end - days * 86400
    _plain_table()
    _months(start)
    written = _write(unit_ids, start, end, interval)
    _analyze()
    read = _reads(unit_ids, start, end, reads, random.Random(1))
    sizes = _bytes_per_row(written["rows"])
    return {"units": units, "days": days, "interval_s": interval, "rows_per_table": written["rows"],
            "write": written, "read_one_unit_hour": read, "prune_oldest_month": _prune(start),
            "bytes_per_row": sizes, "partitions": _partitions(), "target": "a unit's hour read in < 50 ms p99 with a month of tracks present"}


def _units(count: int) -> list[int]:
    from datetime import timedelta

    from django.utils import timezone

    from platforms.models import District, Platform, Shift, Squad, Unit, UnitStatus

    district = District.objects.create(code="BENCH", name="bench")
    platform = Platform.objects.create(code="BENCH", name="bench", district=district, lon=121.4737, lat=31.2304)
    squad = Squad.objects.create(platform=platform, number=1, name="bench")
    now = timezone.now()
    shift = Shift.objects.create(squad=squad, kind="day", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=8), approved=True)
    made = Unit.objects.bulk_create(Unit(call_sign=f"T{n:05d}", shift=shift, platform=platform,
                                         status=UnitStatus.AVAILABLE, capabilities=["patrol"]) for n in range(count))
    return [unit.pk for unit in made]


def _months(start: float) -> None:
    """The months the tracks fall in, made before the writes (beat keeps them made ahead in production)."""
    from datetime import datetime

    from platforms import track_partitions

    track_partitions.partitions_maintain("platforms_trackpoint", keep_before=datetime.fromtimestamp(start, UTC))


def _plain_table() -> None:
    """The baseline: the same columns, keys and indexes in one plain table (made as the owner, who may)."""
    from django.db import connection

    from command.db_roles import app_role, as_owner

    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PLAIN} (LIKE platforms_trackpoint INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                       f" INCLUDING IDENTITY)")
        cursor.execute(f"ALTER TABLE {PLAIN} ADD PRIMARY KEY (id), ADD UNIQUE (unit_id, at), ADD FOREIGN KEY (unit_id)"
                       f" REFERENCES platforms_unit (id) DEFERRABLE INITIALLY DEFERRED")
        cursor.execute(f"CREATE INDEX {PLAIN}_at_brin ON {PLAIN} USING brin (at)")
        if app_role():
            cursor.execute(f'GRANT ALL ON {PLAIN} TO "{app_role()}"')


def _write(unit_ids: list[int], start: float, end: float, interval: int) -> dict:
    """A day at a time, every unit's fixes as one binary COPY block, written to both tables."""
    seconds = {"partitioned": 0.0, "plain": 0.0}
    rows = 0
    rng = np.random.default_rng(1)
    for day_start in np.arange(start, end, 86400.0):
        block, count = _day_block(unit_ids, day_start, min(day_start + 86400.0, end), interval, rng)
        for name, table in (("partitioned", "platforms_trackpoint"), ("plain", PLAIN)):
            seconds[name] += _copy(table, block)
        rows += count
    return {"rows": rows, **{f"{name}_s": round(s, 1) for name, s in seconds.items()},
            **{f"{name}_rows_per_s": round(rows / s) for name, s in seconds.items() if s}}


def _day_block(unit_ids, day_start: float, day_end: float, interval: int, rng) -> tuple[bytes, int]:
    parts, count = [SIGNATURE], 0
    for offset, unit_id in enumerate(unit_ids):
        micros = np.round(np.arange(day_start + offset % interval, day_end, interval) * 1e6).astype(np.int64)
        walk = np.cumsum(rng.normal(0, 0.0002, size=(len(micros), 2)), axis=0)
        lon, lat = 121.47 + walk[:, 0] % 0.1, 31.23 + walk[:, 1] % 0.1
        parts.append(copy_rows(unit_id, micros, np.round(lon, 6), np.round(lat, 6)))
        count += len(micros)
    parts.append(TRAILER)
    return b"".join(parts), count


def _copy(table: str, block: bytes) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with (transaction.atomic(), connection.cursor() as cursor,
          cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy):
        copy.write(block)
    return time.perf_counter() - started


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE platforms_trackpoint, {PLAIN}")


def _reads(unit_ids, start: float, end: float, reads: int, rng: random.Random) -> dict:
    from datetime import datetime

    from django.db import connection

    timings = {"partitioned": [], "plain": []}
    rows = []
    with connection.cursor() as cursor:
        for _ in range(reads):
            unit_id, begin = rng.choice(unit_ids), rng.uniform(start, end - 3600)
            window = [datetime.fromtimestamp(begin, UTC), datetime.fromtimestamp(begin + 3600, UTC)]
            for name, table in rng.sample([("partitioned", "platforms_trackpoint"), ("plain", PLAIN)], 2):
                started = time.perf_counter()
                cursor.execute(READ.format(table=table), [unit_id, *window])
                found = cursor.fetchall()
                timings[name].append((time.perf_counter() - started) * 1000)
                rows.append(len(found))
    return {"reads": reads, "rows_per_read_p50": statistics.median(rows),
            **{name: _percentiles(values) for name, values in timings.items()}}


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2)}


def _prune(start: float) -> dict:
    """The oldest month's rows gone: its partition dropped against the same rows deleted in chunks."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db import connection

    from platforms import track_partitions

    first = datetime.fromtimestamp(start, ZoneInfo(settings.TIME_ZONE))
    boundary = (first.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32)).replace(day=1)
    if boundary.timestamp() > time.time() - 86400:
        return {"skipped": "the tracks span one month: nothing whole to drop"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PLAIN} WHERE at < %s", [boundary])
        rows = cursor.fetchone()[0]
    started = time.perf_counter()
    _, dropped = track_partitions.partitions_maintain("platforms_trackpoint", keep_before=boundary)
    drop_s = time.perf_counter() - started
    started, deleted = time.perf_counter(), 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"DELETE FROM {PLAIN} WHERE id IN (SELECT id FROM {PLAIN} WHERE at < %s LIMIT 20000)",
                           [boundary])
            deleted += cursor.rowcount
            if cursor.rowcount < 20000:
                break
    return {"rows": rows, "dropped": dropped, "partition_drop_s": round(drop_s, 3),
            "plain_delete_s": round(time.perf_counter() - started, 1), "plain_deleted": deleted}


def _bytes_per_row(rows: int) -> dict:
    """Disk per fix, indexes included, before the prune: the partitions' total against the plain table's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits"
                       " WHERE inhparent = 'platforms_trackpoint'::regclass")
        partitioned = cursor.fetchone()[0]
        cursor.execute(f"SELECT pg_total_relation_size('{PLAIN}')")
        plain = cursor.fetchone()[0]
    return {"partitioned": round(partitioned / rows), "plain": round(plain / rows)} if rows else {}


def _partitions() -> list:
    from platforms import track_partitions

    return [[name, rows] for name, rows in track_partitions.partitions_of("platforms_trackpoint") if rows]
