"""Position fixes while Redis is away (restarting, loading its data): rather than refusing them with a
500 and leaving every tablet and tracker to resend, the intake stores them straight in PostgreSQL, as
the track flush would (platforms.tracks), with the same checks against the unit's last position
(its row: the live picture is what is missing). Once Redis answers again the live picture takes over;
the engine reads the rows meanwhile (platforms.positions.live_positions)."""
from django.conf import settings
from django.db import connection, transaction

from grid.geometry import distance_m
from platforms.models import Unit

_INSERT = (
    "INSERT INTO platforms_trackpoint (unit_id, at, lon, lat, speed_mps, bearing, accuracy_m, source)"
    " SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::float8[], %s::float8[], %s::float8[],"
    " %s::float8[], %s::float8[], %s::varchar[]) ON CONFLICT (unit_id, at) DO NOTHING"
)
_MOVE = (
    "UPDATE platforms_unit AS u SET lon = v.lon, lat = v.lat, last_fix_at = v.at"
    " FROM unnest(%s::bigint[], %s::timestamptz[], %s::float8[], %s::float8[]) AS v(id, at, lon, lat)"
    " WHERE u.id = v.id AND (u.last_fix_at IS NULL OR u.last_fix_at < v.at)"
)


def fixes_store(fixes, units: list, outcomes: list, credential: str) -> dict[int, str]:
    """Store the fixes still in play (outcome None), oldest first; the script's code of each
    ("A" accepted, "D" duplicate, "O" late, "J" implausible jump) by index."""
    valid = sorted((i for i, outcome in enumerate(outcomes) if outcome is None), key=lambda i: fixes[i].at)
    last = {pk: (lon, lat, at) for pk, lon, lat, at in Unit.objects.filter(pk__in={units[i] for i in valid})
            .values_list("pk", "lon", "lat", "last_fix_at")}
    codes, rows = {}, []
    for i in valid:
        fix, unit = fixes[i], units[i]
        codes[i] = _judge(last.get(unit), fix)
        if codes[i] == "A":
            last[unit] = (fix.lon, fix.lat, fix.at)
            rows.append((unit, fix.at, fix.lon, fix.lat, fix.speed_mps, fix.bearing, fix.accuracy_m, credential))
    if rows:
        _store(rows, last)
    return codes


def _judge(previous, fix) -> str:
    if previous is None or previous[2] is None:
        return "A"
    lon, lat, at = previous
    if fix.at <= at:
        return "D" if fix.at == at else "O"
    reach = settings.AVL_JUMP_SLACK_M + settings.AVL_MAX_SPEED_MPS * (fix.at - at).total_seconds()
    return "J" if distance_m(lon, lat, fix.lon, fix.lat) > reach else "A"


def _store(rows: list[tuple], last: dict) -> None:
    moved = sorted({row[0] for row in rows})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT, [list(column) for column in zip(*rows)])
        cursor.execute(_MOVE, [moved, [last[pk][2] for pk in moved], [last[pk][0] for pk in moved],
                               [last[pk][1] for pk in moved]])
