"""Celery tasks for resources: the AVL sweeps run by beat (command/settings.py CELERY_BEAT_SCHEDULE).

Each is safe to run twice or at once with itself: the flush holds a Redis lock and absorbs a
re-inserted batch through the unique (unit, at) constraint; the sweep and the prune are idempotent.
"""
from celery import shared_task

from platforms import handset_tracks, handsets, positions, rosters, tracks


@shared_task(name="platforms.tasks.track_flush", ignore_result=True)
def track_flush() -> int:
    """Move waiting track entries from Redis to PostgreSQL and the units' last positions to their rows."""
    return tracks.track_flush()


@shared_task(name="platforms.tasks.track_prune", ignore_result=True)
def track_prune(keep_days: int | None = None) -> int:
    """Delete track points older than TRACK_KEEP_DAYS (or `keep_days`)."""
    return tracks.track_prune(keep_days=keep_days)


@shared_task(name="platforms.tasks.stale_sweep", ignore_result=True)
def stale_sweep() -> list[int]:
    """Record the units on duty that have gone quiet; take units off duty off the live map."""
    return positions.stale_sweep().unit_ids


@shared_task(name="platforms.tasks.shift_changeover", ignore_result=True)
def shift_changeover() -> dict:
    """Units of approved shifts under way come on the board; units of shifts over go off it."""
    return rosters.shift_changeover()


# --- officers' handsets (issue 16) ------------------------------------------------------------------

@shared_task(name="platforms.tasks.handset_track_flush", ignore_result=True)
def handset_track_flush() -> int:
    """Move waiting officers' track entries from Redis to PostgreSQL."""
    return handset_tracks.handset_track_flush()


@shared_task(name="platforms.tasks.handset_sweep", ignore_result=True)
def handset_sweep() -> int:
    """Take officers whose shift ended off the live map."""
    return handsets.handsets_sweep()


@shared_task(name="platforms.tasks.handset_track_prune", ignore_result=True)
def handset_track_prune(keep_days: int | None = None) -> int:
    """Delete officer track points older than TRACK_KEEP_DAYS."""
    return handset_tracks.handset_track_prune(keep_days=keep_days)
