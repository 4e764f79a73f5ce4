"""Tracks: the accepted fixes waiting in Redis moved to PostgreSQL (`TrackPoint`) in batches with the
units' last positions, and pruned by age (whole months dropped: platforms/track_partitions.py). Both
run on Celery beat."""
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from platforms import track_partitions
from platforms.positions import key, redis_client


def track_flush(*, batch: int | None = None, max_batches: int = 20) -> int:
    """Move waiting track entries to TrackPoint, oldest first, and the units' last positions to
    their rows; the number of track points added. Read a batch, insert it, then trim it: a crash in
    between reads the batch again, which the unique (unit, at) constraint absorbs, so nothing is
    lost and nothing doubled."""
    client, moved = redis_client(), 0
    lock = client.lock(key("flush:lock"), timeout=120, blocking=False)
    if not lock.acquire():
        return 0  # another worker is flushing
    try:
        for _ in range(max_batches):
            entries = client.xrange(key("track"), count=batch or settings.AVL_FLUSH_BATCH)
            if not entries:
                break
            moved += _track_store(entries)
            last_ms, last_seq = entries[-1][0].decode().split("-")
            client.xtrim(key("track"), minid=f"{last_ms}-{int(last_seq) + 1}", approximate=False)
            if len(entries) < (batch or settings.AVL_FLUSH_BATCH):
                break
    finally:
        lock.release()
    return moved


_TRACK_INSERT = (
    # bulk_create(ignore_conflicts=True)'s statement, fed by arrays instead of seven placeholders a
    # row: at 5,000 rows a batch building and binding those cost more than PostgreSQL's insert.
    "INSERT INTO platforms_trackpoint (unit_id, at, lon, lat, speed_mps, bearing, accuracy_m, source)"
    " SELECT v.unit, 'epoch'::timestamptz + v.at_ms * interval '1 millisecond', v.lon, v.lat, v.speed, v.bearing,"
    " v.accuracy, v.source FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::float8[], %s::float8[],"
    " %s::float8[], %s::float8[], %s::varchar[]) AS v(unit, at_ms, lon, lat, speed, bearing, accuracy, source)"
    " WHERE EXISTS (SELECT 1 FROM platforms_unit u WHERE u.id = v.unit)"  # units deleted since: skipped
    " ON CONFLICT (unit_id, at) DO NOTHING"
)
_UNITS_MOVE = (
    # One UPDATE for every unit that moved; a row already holding a newer fix is left alone.
    "UPDATE platforms_unit AS u SET lon = v.lon, lat = v.lat, last_fix_at = v.at"
    " FROM (SELECT id, lon, lat, 'epoch'::timestamptz + at_ms * interval '1 millisecond' AS at"
    " FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::float8[]) AS f(id, at_ms, lon, lat)) AS v"
    " WHERE u.id = v.id AND (u.last_fix_at IS NULL OR u.last_fix_at < v.at)"
)


def _track_store(entries) -> int:
    """Insert a batch of stream entries; the number of track points it added."""
    rows = [_track_row(fields) for _, fields in entries]
    latest: dict[int, tuple] = {}
    for row in rows:
        if row[0] not in latest or row[1] > latest[row[0]][1]:
            latest[row[0]] = row
    moved = [latest[unit] for unit in sorted(latest)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_TRACK_INSERT, [list(column) for column in zip(*rows)])
        inserted = cursor.rowcount
        cursor.execute(_UNITS_MOVE, [list(column) for column in list(zip(*moved))[:4]])
    return inserted


def _track_row(fields: dict) -> tuple:
    def number(name: bytes):
        value = fields.get(name)
        return float(value) if value else None

    return (int(fields[b"u"]), int(fields[b"t"]), float(fields[b"x"]), float(fields[b"y"]),
            number(b"s"), number(b"b"), number(b"a"), fields.get(b"c", b"").decode())


def track_prune(*, keep_days: int | None = None, chunk: int = 20_000) -> int:
    """Drop the months of track points (the units' and the officers') wholly older than TRACK_KEEP_DAYS
    and make the months ahead (platforms.track_partitions), then delete what is left older, in chunks
    so no lock is held for long: the rows of the first month kept, and any in DEFAULT. The units' rows
    deleted, the dropped months' not counted (a drop does not count its rows)."""
    before = timezone.now() - timedelta(days=settings.TRACK_KEEP_DAYS if keep_days is None else keep_days)
    for table in track_partitions.TABLES:
        track_partitions.partitions_maintain(table, keep_before=before)
    deleted = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM platforms_trackpoint WHERE id IN"
                           " (SELECT id FROM platforms_trackpoint WHERE at < %s LIMIT %s)", [before, chunk])
            deleted += cursor.rowcount
        if cursor.rowcount < chunk:
            return deleted
