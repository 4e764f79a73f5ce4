"""Reads for the role pages."""
from django.utils import timezone

from dispatch.models import OPEN_INCIDENT_STATUSES, Incident
from platforms.models import Platform, Shift, Unit


def console_context() -> dict:
    return {
        "open_incidents": Incident.objects.filter(status__in=OPEN_INCIDENT_STATUSES).select_related("zone")[:100],
        "platforms": Platform.objects.select_related("district"),
    }


def tablet_context(officer) -> dict:
    units = Unit.objects.filter(officers=officer).select_related("shift", "vehicle") if officer else Unit.objects.none()
    now = timezone.now()
    unit = units.filter(shift__starts_at__lte=now, shift__ends_at__gt=now).first()
    assignments = unit.assignments.select_related("incident").order_by("-assigned_at")[:10] if unit else []
    return {"officer": officer, "unit": unit, "assignments": assignments}


def _scoped(queryset, platform_ids, field="platform_id"):
    return queryset if platform_ids is None else queryset.filter(**{f"{field}__in": platform_ids})


def supervisor_context(platform_ids) -> dict:
    today = timezone.localdate()
    shifts = _scoped(Shift.objects.select_related("squad__platform"), platform_ids, "squad__platform_id")
    return {
        "platforms": _scoped(Platform.objects.select_related("district"), platform_ids, "id"),
        "shifts_today": shifts.filter(starts_at__date=today),
        "units": _scoped(Unit.objects.select_related("vehicle", "shift"), platform_ids)
        .filter(shift__starts_at__lte=timezone.now(), shift__ends_at__gt=timezone.now()),
    }


def desk_context(platform_ids) -> dict:
    from services.models import Appointment, ServiceType

    return {
        "service_types": ServiceType.objects.all(),
        "appointments": _scoped(Appointment.objects.select_related("service_type", "platform"), platform_ids)
        .filter(starts_at__date=timezone.localdate()),
    }
