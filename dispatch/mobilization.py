"""Mass mobilization (集结, DESIGN §3): a head count of officers at a point within a deadline.

Units are taken by ETA until the head count is met, but never a zone's last units: each zone keeps
its `min_cover_units` available, so the rest of the city is still covered while the muster runs.
"""
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import engine
from dispatch.models import Category, Mobilization, MobilizationStatus, Priority
from dispatch.services import AssignmentConflict, assignment_create, incident_create
from grid import travel
from grid.models import Zone, check_point_served
from grid.selectors import zone_at
from platforms.models import Unit
from platforms.positions import live_positions


def mobilization_propose(*, actor, lon, lat, head_count: int, deadline_s: int, reason: str) -> Mobilization:
    """Rank every available unit by ETA and propose the muster; nothing is dispatched yet."""
    lon, lat = check_point_served(lon, lat, field="lon")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the officers are mustered for.")})
    mobilization = Mobilization(lon=lon, lat=lat, head_count=head_count, deadline_s=deadline_s,
                                reason=reason.strip(), created_by=actor)
    mobilization.full_clean()
    mobilization.proposal = muster_plan(lon, lat, head_count=head_count, deadline_s=deadline_s)
    mobilization.save()
    return mobilization


def muster_plan(lon: float, lat: float, *, head_count: int, deadline_s: float, now=None) -> dict:
    """Who goes (by ETA, keeping zone cover), the officers on scene over time, and who stays for cover."""
    arrivals = _arrivals(lon, lat, now or timezone.now())
    cover = _cover_left(arrivals)
    chosen, kept, officers = [], [], 0
    for arrival in arrivals:
        if officers >= head_count or arrival["eta_s"] > deadline_s:
            break
        zone = arrival["zone"]
        if zone is not None and cover[zone] <= 0:
            kept.append(arrival["unit"])
            continue
        if zone is not None:
            cover[zone] -= 1
        chosen.append(arrival)
        officers += arrival["officers"]
    return {"units": chosen, "officers": officers, "met": officers >= head_count, "kept_for_cover": kept,
            "curve": _curve(chosen), "reachable_in_time": sum(a["officers"] for a in arrivals if a["eta_s"] <= deadline_s)}


def _arrivals(lon: float, lat: float, now) -> list[dict]:
    units = list(engine.on_duty_units(capability="patrol", now=now).annotate(n_officers=Count("officers")))
    fixes = live_positions([u.pk for u in units])
    placed = [(u, fixes[u.pk]) for u in units if u.pk in fixes and not fixes[u.pk].stale and u.n_officers]
    result = []
    for profile in ("car", "foot"):
        group = [(u, fix) for u, fix in placed if engine.unit_profile(u.vehicle.kind if u.vehicle else None) == profile]
        legs = travel.durations_to((lon, lat), [(fix.lon, fix.lat) for _, fix in group], profile=profile, at=now)
        result += [_arrival(u, fix, leg) for (u, fix), leg in zip(group, legs) if leg is not None]
    return sorted(result, key=lambda a: (a["eta_s"], a["call_sign"]))


def _arrival(unit: Unit, fix, leg) -> dict:
    return {"unit": unit.pk, "call_sign": unit.call_sign, "officers": unit.n_officers,
            "eta_s": round(leg.duration_s + engine.turnout_s(fix), 1), "estimated": leg.estimated,
            "zone": zone_at(fix.lon, fix.lat)}


def _cover_left(arrivals: list[dict]) -> Counter:
    """How many units each zone can give: its available units here minus the cover it must keep."""
    available = Counter(a["zone"] for a in arrivals if a["zone"] is not None)
    minimum = dict(Zone.objects.filter(pk__in=available).values_list("pk", "min_cover_units"))
    return Counter({zone: n - minimum.get(zone, 0) for zone, n in available.items()})


def _curve(chosen: list[dict]) -> list[list[float]]:
    """[seconds, officers on scene by then] at each arrival."""
    total, curve = 0, []
    for arrival in chosen:
        total += arrival["officers"]
        curve.append([arrival["eta_s"], total])
    return curve


@transaction.atomic
def mobilization_confirm(*, actor, mobilization: Mobilization) -> Mobilization:
    """Dispatch the proposed units under one mass-event incident; units taken meanwhile are skipped."""
    mobilization = Mobilization.objects.select_for_update().get(pk=mobilization.pk)
    if mobilization.status != MobilizationStatus.PROPOSED:
        raise ValidationError(_("This mobilization is %(status)s: it can no longer be confirmed.")
                              % {"status": mobilization.get_status_display()}, code="conflict")
    incident, _created = incident_create(
        actor=actor, category=Category.MASS_EVENT, priority=Priority.P1, lon=mobilization.lon, lat=mobilization.lat,
        description=mobilization.reason, idempotency_key=f"mobilization-{mobilization.pk}")
    sent = [arrival["unit"] for arrival in mobilization.proposal["units"] if _send(actor, incident, arrival)]
    # What was sent is what it needs: the engine must not fill gaps by stripping a zone's cover.
    incident.units_needed = max(1, len(sent))
    incident.save(update_fields=["units_needed"])
    mobilization.proposal = {**mobilization.proposal, "sent": sent}
    mobilization.status, mobilization.incident, mobilization.confirmed_at = MobilizationStatus.CONFIRMED, incident, timezone.now()
    mobilization.save()
    return mobilization


def _send(actor, incident, arrival: dict) -> bool:
    try:
        with transaction.atomic():
            assignment_create(actor=actor, incident=incident, unit=Unit.objects.get(pk=arrival["unit"]),
                              eta_s=arrival["eta_s"])
    except (AssignmentConflict, ValidationError):
        return False
    return True


@transaction.atomic
def mobilization_cancel(*, actor, mobilization: Mobilization) -> Mobilization:
    mobilization = Mobilization.objects.select_for_update().get(pk=mobilization.pk)
    if mobilization.status != MobilizationStatus.PROPOSED:
        raise ValidationError(_("Only a proposed mobilization can be cancelled; cancel its incident instead."),
                              code="conflict")
    mobilization.status = MobilizationStatus.CANCELLED
    mobilization.save(update_fields=["status"])
    return mobilization
