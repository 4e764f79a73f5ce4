"""Officers' tracks: the accepted handset fixes waiting in Redis moved to PostgreSQL (`OfficerTrackPoint`)
in batches, and pruned by age, as the units' are (platforms.tracks); with Redis away, written directly."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from platforms.models import OfficerTrackPoint
from platforms.positions import ACCEPTED, redis_client


def _key(name: str) -> str:
    return f"{settings.HANDSET_KEY_PREFIX}{name}"


def handset_track_flush(*, batch: int | None = None, max_batches: int = 20) -> int:
    """Move waiting entries to OfficerTrackPoint, oldest first; the number added. Read, insert, then trim:
    a crash in between reads the batch again, which the unique (officer, at) constraint absorbs."""
    client, moved, size = redis_client(), 0, batch or settings.HANDSET_FLUSH_BATCH
    lock = client.lock(_key("flush:lock"), timeout=120, blocking=False)
    if not lock.acquire():
        return 0  # another worker is flushing
    try:
        for _ in range(max_batches):
            entries = client.xrange(_key("track"), count=size)
            if not entries:
                break
            moved += _store(entries)
            last_ms, last_seq = entries[-1][0].decode().split("-")
            client.xtrim(_key("track"), minid=f"{last_ms}-{int(last_seq) + 1}", approximate=False)
            if len(entries) < size:
                break
    finally:
        lock.release()
    return moved


_INSERT = (
    "INSERT INTO platforms_officertrackpoint (officer_id, at, lon, lat, speed_mps, bearing, accuracy_m, source)"
    " SELECT v.officer, 'epoch'::timestamptz + v.at_ms * interval '1 millisecond', v.lon, v.lat, v.speed,"
    " v.bearing, v.accuracy, v.source FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::float8[],"
    " %s::float8[], %s::float8[], %s::float8[], %s::varchar[])"
    " AS v(officer, at_ms, lon, lat, speed, bearing, accuracy, source)"
    " WHERE EXISTS (SELECT 1 FROM platforms_officer o WHERE o.id = v.officer)"
    " ON CONFLICT (officer_id, at) DO NOTHING"
)


def _store(entries) -> int:
    rows = [_row(fields) for _, fields in entries]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT, [list(column) for column in zip(*rows)])
        return cursor.rowcount


def _row(fields: dict) -> tuple:
    def number(name: bytes):
        value = fields.get(name)
        return float(value) if value else None

    return (int(fields[b"u"]), int(fields[b"t"]), float(fields[b"x"]), float(fields[b"y"]),
            number(b"s"), number(b"b"), number(b"a"), fields.get(b"c", b"").decode()[:40])


def store_directly(officers: list[int], fixes, outcomes: list, credential: str) -> None:
    """Redis away: the valid fixes go straight to the track (no live picture meanwhile), each marked
    accepted in `outcomes` (a retry of one stored already is absorbed by the unique constraint)."""
    valid = [i for i, outcome in enumerate(outcomes) if outcome is None]
    OfficerTrackPoint.objects.bulk_create(
        [OfficerTrackPoint(officer_id=officers[i], at=fixes[i].at, lon=fixes[i].lon, lat=fixes[i].lat,
                           speed_mps=fixes[i].speed_mps, bearing=fixes[i].bearing, accuracy_m=fixes[i].accuracy_m,
                           source=credential[:40]) for i in valid], ignore_conflicts=True)
    for i in valid:
        outcomes[i] = ACCEPTED


def handset_track_prune(*, keep_days: int | None = None) -> int:
    """Delete officer track points older than TRACK_KEEP_DAYS, as the units' are."""
    before = timezone.now() - timedelta(days=settings.TRACK_KEEP_DAYS if keep_days is None else keep_days)
    deleted, _ = OfficerTrackPoint.objects.filter(at__lt=before).delete()
    return deleted


def officer_track(officer_id: int, since: datetime, until: datetime | None = None) -> list[tuple]:
    """(at, lon, lat) of the officer's stored track in a time range, oldest first."""
    until = until or datetime.now(dt_timezone.utc)
    return list(OfficerTrackPoint.objects.filter(officer_id=officer_id, at__gte=since, at__lt=until)
                .order_by("at").values_list("at", "lon", "lat"))
