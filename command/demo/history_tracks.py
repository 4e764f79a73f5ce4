"""The history's unit tracks (the last TRACK_KEEP_DAYS days): a crew goes round its platform's posts (a
dwell, then a straight move to the next) with a fix every FIX_EVERY_S, and on a job drives straight to
the scene (a fix every DRIVE_FIX_EVERY_S), stays, and returns. A month is millions of fixes, so each
track is made with numpy and written as one block of PostgreSQL's binary COPY format, laid out by a
numpy record type, never a Python object per fix (text took 3 µs a fix to format: 8 s a month)."""
import math
import random

import numpy as np
from django.db import connection

FIX_EVERY_S = 120.0       # a patrol post's dwell (900 s) still spans its visit (300 s) several times over
DRIVE_FIX_EVERY_S = 10.0
DRIVE_FOR_S = 900.0       # fixes at the driving rate from the order on
DRIVE_SPEED_MPS = 8.0
DWELL_S = 900.0
MOVE_S = 300.0
METRES_PER_DEGREE = (95_000, 111_000)  # lon, lat at Shanghai's latitude
COLUMNS = "unit_id, at, lon, lat, speed_mps, bearing, accuracy_m"
# One row of binary COPY: the field count, then each field's length (-1: NULL) and its big-endian value.
ROW = np.dtype([("fields", ">i2"), ("unit_len", ">i4"), ("unit", ">i8"), ("at_len", ">i4"), ("at", ">i8"),
                ("lon_len", ">i4"), ("lon", ">f8"), ("lat_len", ">i4"), ("lat", ">f8"), ("speed_len", ">i4"), ("speed", ">f8"),
                ("bearing_len", ">i4"), ("accuracy_len", ">i4"), ("accuracy", ">f8")])
SIGNATURE = b"PGCOPY\n\xff\r\n\0" + bytes(8)   # no flags, no header extension
TRAILER = b"\xff\xff"
POSTGRES_EPOCH_US = 946_684_800 * 1_000_000     # timestamps count microseconds from 2000-01-01 UTC
SPEED_MPS, ACCURACY_M = DRIVE_SPEED_MPS, 10.0


def fix_times(start: float, end: float, jobs) -> np.ndarray:
    """Whole microseconds (the column's precision, so two fixes never fall on one instant)."""
    times = [np.arange(start, end, FIX_EVERY_S)]
    times += [np.arange(ordered, ordered + DRIVE_FOR_S, DRIVE_FIX_EVERY_S) for ordered, _cleared, _scene in jobs]
    micros = np.unique(np.round(np.concatenate(times) * 1e6).astype(np.int64))
    return micros[(micros >= round(start * 1e6)) & (micros < round(end * 1e6))]


def patrol(elapsed: np.ndarray, stops: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Round the posts from post `offset`: a dwell at each, then a straight move to the next."""
    cycle = DWELL_S + MOVE_S
    leg = (elapsed // cycle).astype(np.int64) + offset
    share = np.clip((elapsed % cycle - DWELL_S) / MOVE_S, 0, 1)[:, None]
    here, there = stops[leg % len(stops)], stops[(leg + 1) % len(stops)]
    moved = here + (there - here) * share
    return moved[:, 0], moved[:, 1]


def unit_track(start: float, end: float, stops, offset: int, jobs, rng: random.Random):
    """(microseconds, lon, lat) of one crew's shift; `jobs` are (ordered, cleared, (lon, lat)) in epoch seconds."""
    micros = fix_times(start, end, jobs)
    times = micros / 1e6
    lon, lat = patrol(times - start, np.asarray(stops, dtype=float), offset)
    for ordered, cleared, (x, y) in jobs:
        i0 = int(np.searchsorted(times, ordered))
        x0, y0 = (lon[i0 - 1], lat[i0 - 1]) if i0 else (lon[0], lat[0])
        drive = max(60.0, math.hypot((x - x0) * METRES_PER_DEGREE[0], (y - y0) * METRES_PER_DEGREE[1]) / DRIVE_SPEED_MPS)
        share = np.clip((times - ordered) / drive, 0, 1)
        inside = (times >= ordered) & (times < cleared)
        lon = np.where(inside, x0 + (x - x0) * share, lon)
        lat = np.where(inside, y0 + (y - y0) * share, lat)
    jitter = (rng.gauss(0, 0.00003), rng.gauss(0, 0.00003))
    return micros, np.round(lon + jitter[0], 6), np.round(lat + jitter[1], 6)


def copy_rows(unit_id: int, micros: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> bytes:
    """The track as binary COPY rows (no bearing)."""
    rows = np.empty(len(micros), dtype=ROW)
    rows["fields"] = 7
    rows["unit_len"] = rows["at_len"] = rows["lon_len"] = rows["lat_len"] = rows["speed_len"] = rows["accuracy_len"] = 8
    rows["bearing_len"] = -1
    rows["unit"], rows["at"], rows["lon"], rows["lat"] = unit_id, micros - POSTGRES_EPOCH_US, lon, lat
    rows["speed"], rows["accuracy"] = SPEED_MPS, ACCURACY_M
    return rows.tobytes()


def write_tracks(tracks) -> int:
    """COPY the tracks, each given as (unit id, start, end, stops, offset, jobs, seed); the fixes written."""
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY platforms_trackpoint ({COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(SIGNATURE)
        for unit_id, start, end, stops, offset, jobs, seed in tracks:
            micros, lon, lat = unit_track(start, end, stops, offset, jobs, random.Random(seed))
            copy.write(copy_rows(unit_id, micros, lon, lat))
            count += len(micros)
        copy.write(TRAILER)
    return count
