"""Writes of live move-up: the suggestions kept in step with each computation, a dispatcher's order
(the crew's tablet gets a relocation task with its route), whether the crew got there, and the
coverage over time. Every change is published after commit (`planning.events`)."""
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.geometry import distance_m
from planning import events
from planning.relocations import relocation_route
from planning.models import CoverageSample, MoveUp, MoveUpStatus
from platforms.models import Unit, UnitStatus
from platforms.positions import live_positions

LIVE = (MoveUpStatus.OPEN, MoveUpStatus.ORDERED)


class Conflict(ValidationError):
    """The suggestion was ordered, dropped or overtaken already: 409."""


def live_orders() -> list:
    return list(MoveUp.objects.filter(status=MoveUpStatus.ORDERED).order_by("pk").values_list("pk", "unit_id"))


@transaction.atomic
def suggestions_replace(*, found, free, destinations, targets, now) -> int:
    """Make the open suggestions those of `found`: a unit's suggestion to the same place is kept
    (its id stays, so a dispatcher's click still finds it), the others are dropped. Records the
    coverage sample and publishes the list. Units already ordered are left to their order."""
    ordered = set(MoveUp.objects.filter(status=MoveUpStatus.ORDERED).values_list("unit_id", flat=True))
    wanted = {free[f].key: (free[f], destinations[d], drive, gain) for f, d, drive, gain in found.moves
              if free[f].key not in ordered}
    kept = set()
    for move in MoveUp.objects.select_for_update().filter(status=MoveUpStatus.OPEN):
        target = wanted.get(move.unit_id)
        if target and (move.to_lon, move.to_lat) == (target[1].lon, target[1].lat):
            kept.add(move.unit_id)
            continue
        _end(move, MoveUpStatus.DROPPED, now)
    for unit_id, (unit, destination, drive, gain) in sorted(wanted.items()):
        if unit_id not in kept:
            MoveUp.objects.create(unit_id=unit_id, made_at=now, from_lon=unit.lon, from_lat=unit.lat,
                                  to_lon=destination.lon, to_lat=destination.lat, to_label=destination.label[:120],
                                  drive_s=drive, gain=gain, coverage_before=found.before, coverage_after=found.after)
    sample = CoverageSample.objects.create(at=now, expected=round(found.before, 4), by_class=found.by_class_before,
                                           uncovered=round(found.uncovered, 4), free_units=len(free),
                                           suggested=len(wanted))
    publish_moves(coverage=_coverage(sample))
    return sample.pk


def _coverage(sample: CoverageSample) -> dict:
    return {"at": sample.at.isoformat(), "expected": sample.expected, "by_class": sample.by_class,
            "uncovered": sample.uncovered, "free_units": sample.free_units}


def _end(move: MoveUp, status: str, now) -> None:
    move.status, move.ended_at, move.version = status, now, move.version + 1
    move.save(update_fields=["status", "ended_at", "version"])


def publish_moves(*, coverage: dict | None = None) -> None:
    """The open and ordered move-ups, with the latest coverage, to the consoles."""
    if coverage is None:
        latest = CoverageSample.objects.order_by("-at").first()
        coverage = _coverage(latest) if latest else {}
    moves = MoveUp.objects.filter(status__in=LIVE).select_related("unit").order_by("-gain", "pk")
    events.coverage_moveup(coverage, [events.move_up_payload(m) for m in moves])


# --- a dispatcher's order ----------------------------------------------------------------------

def move_up_order(*, move: MoveUp, actor, now=None) -> tuple[MoveUp, dict]:
    """Order the suggested move: the crew's tablet gets it as a relocation task with the route.
    Refused (409) when the suggestion is no longer open, or the unit is no longer free (the
    suggestion is then dropped, and stays dropped)."""
    now = now or timezone.now()
    ordered, refusal = _order(move, actor, now)
    if refusal:
        raise Conflict(refusal, code="conflict")
    return ordered


@transaction.atomic
def _order(move: MoveUp, actor, now) -> tuple:
    move = MoveUp.objects.select_for_update().select_related("unit").get(pk=move.pk)
    if move.status != MoveUpStatus.OPEN:
        return None, _("This move-up is %(status)s: it can no longer be ordered.") % {"status": move.get_status_display()}
    unit = Unit.objects.select_for_update().get(pk=move.unit_id)
    if unit.status != UnitStatus.AVAILABLE:
        _end(move, MoveUpStatus.DROPPED, now)
        transaction.on_commit(publish_moves)
        return None, (_("%(unit)s is no longer free (%(status)s): the move-up is dropped.")
                      % {"unit": unit.call_sign, "status": unit.get_status_display()})
    route = relocation_route(move)
    move.status, move.ordered_by, move.ordered_at = MoveUpStatus.ORDERED, actor, now
    move.due_by = now + timedelta(seconds=route["duration_s"] * settings.MOVEUP_DUE_FACTOR + settings.MOVEUP_DUE_GRACE_S)
    move.version += 1
    move.save(update_fields=["status", "ordered_by", "ordered_at", "due_by", "version"])
    events.unit_relocation(move, route)
    transaction.on_commit(publish_moves)
    return (move, route), None


# --- did they get there ------------------------------------------------------------------------

def compliance_sweep(*, now=None) -> int:
    """Ordered moves: arrived when the unit's fix is within MOVEUP_ARRIVAL_M of the destination;
    dropped when the unit was taken for a job first; missed when its time ran out. Returns how many
    ended (each published to the crew and the consoles)."""
    now = now or timezone.now()
    ordered = list(MoveUp.objects.filter(status=MoveUpStatus.ORDERED).select_related("unit"))
    if not ordered:
        return 0
    fixes = live_positions([m.unit_id for m in ordered])
    ended = 0
    for move in ordered:
        status = _outcome(move, fixes.get(move.unit_id), now)
        if status is not None:
            ended += _close(move.pk, status, now)
    if ended:
        publish_moves()
    return ended


def _outcome(move: MoveUp, fix, now) -> str | None:
    if fix is not None and distance_m(fix.lon, fix.lat, move.to_lon, move.to_lat) <= settings.MOVEUP_ARRIVAL_M:
        return MoveUpStatus.ARRIVED
    if move.unit.status != UnitStatus.AVAILABLE:
        return MoveUpStatus.DROPPED
    if move.due_by and now > move.due_by:
        return MoveUpStatus.MISSED
    return None


@transaction.atomic
def _close(pk: int, status: str, now) -> int:
    move = MoveUp.objects.select_for_update(skip_locked=True).filter(pk=pk, status=MoveUpStatus.ORDERED).first()
    if move is None:
        return 0
    _end(move, status, now)
    events.unit_relocation(move, route={})
    return 1


def compliance(*, since, until) -> dict:
    """Orders in the window by how they ended, and the mean expected coverage sampled in it."""
    moves = MoveUp.objects.filter(ordered_at__gte=since, ordered_at__lt=until)
    counts = {status: moves.filter(status=status).count() for status in MoveUpStatus.values if status != "open"}
    samples = list(CoverageSample.objects.filter(at__gte=since, at__lt=until).values_list("expected", flat=True))
    ordered = sum(counts.values())
    return {"ordered": ordered, "by_status": counts,
            "arrived_share": round(counts[MoveUpStatus.ARRIVED] / ordered, 4) if ordered else None,
            "coverage_mean": round(float(np.mean(samples)), 4) if samples else None, "samples": len(samples)}
