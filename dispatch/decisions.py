"""The deciding half of the dispatch engine (DESIGN §3.3–3.5, 3.7): recommend, auto-dispatch or wait
for the dispatcher's accept, pre-empt, and re-dispatch what was not acknowledged.

Ranking (routing) runs first, outside any transaction; the decision then takes the incident's lock
and re-checks what is still missing, so two runs for one incident (the task and the sweeper, or a
retried task) never send more units than needed.
"""
import json
import logging
import math
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import engine, events
from dispatch.engine import Option
from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, AlertKind, Assignment, AssignmentStatus, EventKind, Incident, IncidentStatus,
    Recommendation,
)
from dispatch.services import (
    AssignmentConflict, alert_raise, assignment_create, assignment_end, incident_move, queue_dispatch, record,
)
from grid import modes
from platforms.models import Unit, UnitStatus

timing = logging.getLogger("dispatch.timing")  # see settings.DISPATCH_TIMING_LOG
DISPATCHABLE = (IncidentStatus.RECEIVED, IncidentStatus.WAITING, IncidentStatus.DISPATCHED)


def missing_units(incident: Incident) -> int:
    active = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).count()
    return incident.units_needed - active


def incident_dispatch(*, incident_id: int, reason: str = "new", force_auto: bool = False) -> Recommendation | None:
    """Rank units for the incident and act on the result; quietly nothing if it needs no more units.

    The recommendation is committed, and so published, before the engine assigns: the console sees
    the ranking at once, and the assignment follows in its own transaction. A worker that dies in
    between leaves a P1/P2 incident received and unassigned, which the sweeper picks up."""
    started, cpu_started = time.time(), time.process_time()
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or incident.status not in DISPATCHABLE or missing_units(incident) <= 0:
        return None
    options = engine.rank(incident)
    preempt = [] if _fresh_makes_it(options) else engine.preemption_options(incident)
    beside = engine.car_backup(incident, options)
    ranked, cpu_ranked = time.time(), time.process_time()
    if settings.DISPATCH_FAULT_PAUSE_S:  # fault injection for the killed-worker test; 0 in production
        time.sleep(settings.DISPATCH_FAULT_PAUSE_S)
    decided = _decide(incident.pk, options, preempt, reason=reason, force_auto=force_auto, beside=beside)
    if timing.isEnabledFor(logging.DEBUG):
        timing.debug(json.dumps({"incident": incident.pk, "started": started, "ranked": ranked, "decided": time.time(),
                                 "rank_cpu": cpu_ranked - cpu_started, "decide_cpu": time.process_time() - cpu_ranked}))
    if decided is None:
        return None
    recommendation, chosen = decided
    if recommendation.auto:
        _auto_dispatch(recommendation, chosen)
    return recommendation


def _fresh_makes_it(options: list[Option]) -> bool:
    return any(o.meets_target and not o.stale for o in options)


@transaction.atomic
def _decide(incident_id: int, options, preempt, *, reason: str, force_auto: bool, beside=()):
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    missing = missing_units(incident)
    if incident.status not in DISPATCHABLE or missing <= 0:
        return None
    incident.engine_checked_at, version = timezone.now(), incident.version
    chosen = choose_units(options, preempt, missing)
    if beside and not incident.events.filter(kind=EventKind.CAR_BACKUP).exists():
        chosen = _car_beside(incident, chosen, with_car_beside(chosen, beside))
    auto = bool(chosen) and (force_auto or incident.priority in settings.AUTO_DISPATCH_PRIORITIES)
    ranked = {option.unit for option in options}
    recommendation = _recommendation(incident, preempt + options + [b for b in beside if b.unit not in ranked],
                                     chosen, auto)
    if not _others_active(incident):  # backups for a unit already sent leave the judgement as it is
        _mark_at_risk(incident, at_risk=not chosen or not chosen[0].meets_target,
                      best_eta_s=chosen[0].eta_s if chosen else None)
        if not chosen:
            _wait(incident)
    incident.save()
    if incident.version != version:  # at risk or waiting now: one event with the whole new state
        events.incident_changed(incident)
    record(incident, EventKind.RECOMMENDED, data={"recommendation": recommendation.pk, "reason": reason,
                                                  "proposed": recommendation.proposed, "auto": auto})
    events.recommendation_published(recommendation)
    return recommendation, chosen


@transaction.atomic
def _auto_dispatch(recommendation: Recommendation, chosen: list[Option]) -> None:
    """Assign what the engine proposed, unless a newer ranking or a dispatcher got there first."""
    incident = Incident.objects.select_for_update().get(pk=recommendation.incident_id)
    latest = incident.recommendations.latest()
    if latest.pk != recommendation.pk or latest.accepted_at is not None or incident.status not in DISPATCHABLE:
        return
    _assign_all(incident, chosen[:max(missing_units(incident), 0)], actor=None)
    latest.accepted_at = timezone.now()
    latest.save(update_fields=["accepted_at"])


def choose_units(options: list[Option], preempt: list[Option], missing: int) -> list[Option]:
    """The best units not stale; a pre-emption first only when it makes the target and nobody free does.
    Pure: the simulator decides with it too."""
    fresh = [o for o in options if not o.stale]
    best_free = fresh[0].eta_s if fresh else math.inf
    pulled = [o for o in preempt if o.meets_target and o.eta_s < best_free][:1]
    return (pulled + fresh)[:missing]


def with_car_beside(chosen: list[Option], beside: list[Option]) -> list[Option]:
    """`chosen` with a car added when the first chosen moves on foot or on two wheels, none of the chosen
    is a car, and a car is offered `beside` it (engine.car_backup). Pure: the simulator decides with it too."""
    if not chosen or not beside or chosen[0].mode == modes.CAR or any(o.mode == modes.CAR for o in chosen):
        return chosen
    car = beside[0]
    return chosen if car.unit in {o.unit for o in chosen} else chosen + [car]


def _car_beside(incident: Incident, chosen: list[Option], backed: list[Option]) -> list[Option]:
    """The incident now needs one more unit, the car; recorded with whom it backs (in memory: saved and
    published by the caller)."""
    if len(backed) == len(chosen):
        return chosen
    car = backed[-1]
    incident.units_needed += 1
    incident.version += 1
    record(incident, EventKind.CAR_BACKUP, unit=Unit.objects.get(pk=car.unit),
           data={"beside": chosen[0].unit, "beside_call_sign": chosen[0].call_sign, "beside_mode": chosen[0].mode,
                 "car": car.unit, "car_call_sign": car.call_sign})
    return backed


def _recommendation(incident: Incident, options: list[Option], chosen: list[Option], auto: bool) -> Recommendation:
    return Recommendation.objects.create(
        incident=incident, options=[o.as_dict() for o in options], proposed=[o.unit for o in chosen],
        at_risk=not chosen or not chosen[0].meets_target, auto=auto)


def _mark_at_risk(incident: Incident, *, at_risk: bool, best_eta_s: float | None) -> None:
    """In memory, with its event and alert; the caller saves and publishes."""
    if at_risk == incident.at_risk:
        return
    incident.at_risk = at_risk
    incident.version += 1
    if at_risk:
        eta = _("none free") if best_eta_s is None else f"{best_eta_s:.0f} s"
        record(incident, EventKind.AT_RISK, data={"best_eta_s": best_eta_s})
        alert_raise(kind=AlertKind.AT_RISK, incident=incident,
                    message=_("%(number)s: no unit makes the %(target)s s target (fastest: %(eta)s).")
                    % {"number": incident.number, "target": incident.target_s, "eta": eta})


@transaction.atomic
def incident_mark_at_risk(*, incident_id: int, best_eta_s: float | None) -> int:
    """The sweeper's claim on a waiting call gone at risk: 1 if this call marked it, 0 if it was done."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.at_risk or incident.dispatched_at is not None:
        return 0
    _mark_at_risk(incident, at_risk=True, best_eta_s=best_eta_s)
    incident.save()
    events.incident_changed(incident)
    return 1


def _wait(incident: Incident) -> None:
    """No capable unit is free: the incident waits, and is tried again as soon as one frees up."""
    if incident.status == IncidentStatus.WAITING:
        return
    incident_move(incident, IncidentStatus.WAITING)
    record(incident, EventKind.WAITING)
    alert_raise(kind=AlertKind.NO_UNIT, incident=incident,
                message=_("%(number)s is waiting: no capable unit is free.") % {"number": incident.number})


def _assign_all(incident: Incident, chosen: list[Option], *, actor) -> list[Assignment]:
    """Assign what can still be assigned; a unit taken meanwhile sends the incident back to the engine."""
    made = []
    for option in chosen:
        try:
            with transaction.atomic():
                made.append(_assign(incident, option, actor=actor))
        except AssignmentConflict:
            queue_dispatch(incident.pk, reason="conflict")
    return made


def _assign(incident: Incident, option: Option, *, actor) -> Assignment:
    unit = Unit.objects.get(pk=option.unit)
    previous = _preempt(incident, option, actor=actor) if option.preempts else None
    return assignment_create(actor=actor, incident=incident, unit=unit, eta_s=option.eta_s, preempted_from=previous)


def _preempt(incident: Incident, option: Option, *, actor) -> Assignment:
    """Pull the unit off its lowest-priority job, which goes back to the engine. Lock order: this
    incident (held), the other incident, then the unit and its assignment."""
    previous = Assignment.objects.get(pk=option.preempts)
    other = Incident.objects.select_for_update().get(pk=previous.incident_id)
    previous.refresh_from_db()
    if previous.status not in engine.PREEMPTABLE or previous.unit_id != option.unit:
        raise AssignmentConflict(_("The unit left the job it was to be pulled from."), code="conflict")
    assignment_end(previous, AssignmentStatus.PREEMPTED)
    if missing_units(other) > 0 and other.status == IncidentStatus.DISPATCHED and not _others_active(other):
        incident_move(other, IncidentStatus.WAITING)
        other.save()
        events.incident_changed(other)
    unit = previous.unit
    record(other, EventKind.PREEMPTED, actor=actor, unit=unit, data={"assignment": previous.pk, "for_incident": incident.number})
    record(incident, EventKind.PREEMPTED, actor=actor, unit=unit,
           data={"assignment": previous.pk, "from_incident": other.number})
    alert_raise(kind=AlertKind.PREEMPTED, incident=other,
                message=_("%(unit)s was pulled off %(other)s for %(number)s.")
                % {"unit": option.call_sign, "other": other.number, "number": incident.number})
    queue_dispatch(other.pk, reason="preempted")
    return previous


def _others_active(incident: Incident) -> bool:
    return incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exists()


@transaction.atomic
def recommendation_accept(*, actor, recommendation: Recommendation, units: list[int] | None = None) -> list[Assignment]:
    """The dispatcher's one-click accept (or a pick among the ranked units): all or nothing."""
    incident = Incident.objects.select_for_update().get(pk=recommendation.incident_id)
    latest = incident.recommendations.latest()
    if latest.pk != recommendation.pk or recommendation.accepted_at is not None:
        raise ValidationError(_("This recommendation was superseded or already acted on: use the latest one."),
                              code="conflict")
    picked = _picked(recommendation, units)
    assignments = [_assign(incident, option, actor=actor) for option in picked]
    recommendation.accepted_at = timezone.now()
    recommendation.save(update_fields=["accepted_at"])
    return assignments


class StaleRecommendation(ValidationError):
    """The ETAs were too old to act on: ranked again; `fresh` is the new recommendation (None when the
    incident needs no more units)."""

    def __init__(self, fresh: Recommendation | None):
        super().__init__(_("The ranking was out of date, so the units were ranked again: check the new ETAs and "
                           "accept again."), code="stale")
        self.fresh = fresh


def stale_reason(recommendation: Recommendation, now=None) -> str | None:
    """Why a recommendation may no longer be acted on: too old, or a ranked unit changed status since."""
    now = now or timezone.now()
    if (now - recommendation.created_at).total_seconds() > settings.RECOMMENDATION_FRESH_S:
        return "old"
    ranked = [option["unit"] for option in recommendation.options]
    if Unit.objects.filter(pk__in=ranked, status_changed_at__gt=recommendation.created_at).exists():
        return "unit_changed"
    return None


def recommendation_accept_fresh(*, actor, recommendation: Recommendation, units: list[int] | None = None) -> list[Assignment]:
    """Accept, unless the ETAs went stale: then rank again first (outside any transaction: routing is
    slow) and refuse with the fresh recommendation, so nobody dispatches on old ETAs."""
    if recommendation.accepted_at is None and stale_reason(recommendation):
        raise StaleRecommendation(incident_dispatch(incident_id=recommendation.incident_id, reason="stale"))
    return recommendation_accept(actor=actor, recommendation=recommendation, units=units)


def _picked(recommendation: Recommendation, units: list[int] | None) -> list[Option]:
    ranked = {option["unit"]: Option(**option) for option in recommendation.options}
    wanted = recommendation.proposed if units is None else units
    unknown = [unit for unit in wanted if unit not in ranked]
    if unknown or not wanted:
        raise ValidationError({"units": _("Pick units from the recommendation (unknown: %(units)s).")
                               % {"units": ", ".join(map(str, unknown)) or "-"}})
    return [ranked[unit] for unit in wanted]


@transaction.atomic
def assignment_time_out(*, assignment_id: int) -> bool:
    """An order not acknowledged in time: bench the unit, alert, and send the next unit."""
    assignment = Assignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        return False
    incident = Incident.objects.select_for_update().get(pk=assignment.incident_id)
    assignment.refresh_from_db()
    if assignment.status != AssignmentStatus.ASSIGNED or assignment.ack_due_at > timezone.now():
        return False
    assignment_end(assignment, AssignmentStatus.TIMED_OUT, unit_status=UnitStatus.UNAVAILABLE)
    unit = assignment.unit
    record(incident, EventKind.ACK_TIMEOUT, unit=unit, data={"assignment": assignment.pk})
    alert_raise(kind=AlertKind.NOT_ACKNOWLEDGED, incident=incident, unit=unit,
                message=_("%(unit)s did not acknowledge %(number)s in time; it is off the board and the next "
                          "unit is being sent.") % {"unit": unit.call_sign, "number": incident.number})
    record(incident, EventKind.REDISPATCHED, unit=unit, data={"assignment": assignment.pk})
    transaction.on_commit(lambda: _redispatch(incident.pk))
    return True


def _redispatch(incident_id: int) -> None:
    from dispatch.tasks import incident_dispatch_task

    incident_dispatch_task.delay(incident_id, "ack_timeout", True)
