"""Trackers' credentials (issue 19): every device has its own secret, made here, shown once, stored
only as its SHA-256, rotated or revoked from the admin or the API; an unregistered or revoked
device, or a wrong secret, moves nothing.

A plain SHA-256 (not a slow password hash) is right for a secret of 32 random bytes: nobody can
guess one, and a device reporting every second must be checked in microseconds."""
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from platforms.filters import on_duty_now
from platforms.models import Officer, TrackerDevice, Unit, Vehicle


@dataclass(frozen=True)
class Issued:
    """A tracker with its secret in clear: given to whoever registered or rotated it, never again."""

    tracker: TrackerDevice
    secret: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def tracker_register(*, actor, identifier: str, vehicle: Vehicle | None = None,
                     officer: Officer | None = None) -> Issued:
    """Register a device for a vehicle or an officer; its secret comes back once."""
    identifier = (identifier or "").strip()
    if (vehicle is None) == (officer is None):
        raise ValidationError({"vehicle": _("A tracker reports for one vehicle or one officer.")})
    if not identifier:
        raise ValidationError({"identifier": _("Give the identifier the device sends.")})
    if TrackerDevice.objects.filter(identifier=identifier).exists():
        raise ValidationError({"identifier": _("A tracker with this identifier is already registered.")})
    secret = _new_secret()
    tracker = TrackerDevice.objects.create(identifier=identifier, vehicle=vehicle, officer=officer,
                                           secret_hash=secret_hash(secret), created_by=actor)
    return Issued(tracker, secret)


@transaction.atomic
def tracker_rotate(*, actor, tracker: TrackerDevice) -> Issued:
    """A new secret for the device (the old one stops working at once); a revoked device is
    registered again by rotating it."""
    tracker = TrackerDevice.objects.select_for_update().get(pk=tracker.pk)
    secret = _new_secret()
    tracker.secret_hash, tracker.rotated_at = secret_hash(secret), timezone.now()
    tracker.revoked_at, tracker.revoked_by = None, None
    tracker.save()
    return Issued(tracker, secret)


@transaction.atomic
def tracker_revoke(*, actor, tracker: TrackerDevice) -> TrackerDevice:
    """The device's reports are refused from now on (a lost phone, a box taken out of a car)."""
    tracker = TrackerDevice.objects.select_for_update().get(pk=tracker.pk)
    if tracker.revoked_at is None:
        tracker.revoked_at, tracker.revoked_by = timezone.now(), actor
        tracker.save()
    return tracker


def tracker_authenticate(identifier: str, secret: str) -> TrackerDevice | None:
    """The active tracker whose identifier and secret these are, else None. The hash is compared
    even when the identifier is unknown, so timing does not tell which identifiers exist."""
    tracker = TrackerDevice.objects.filter(identifier=identifier, revoked_at__isnull=True).first()
    expected = tracker.secret_hash if tracker else "0" * 64
    if constant_time_compare(secret_hash(secret or ""), expected) and tracker is not None:
        return tracker
    return None


def tracker_unit_id(tracker: TrackerDevice) -> int | None:
    """The unit the tracker reports for now: its vehicle's, or its officer's, on an approved shift
    under way (the latest shift if two overlap); None when nobody is on duty with it."""
    units = Unit.objects.filter(on_duty_now())
    units = units.filter(vehicle_id=tracker.vehicle_id) if tracker.vehicle_id else units.filter(officers=tracker.officer_id)
    return units.order_by("-shift__starts_at").values_list("pk", flat=True).first()


def demo_trackers(*, vehicles, actor=None) -> list[Issued]:
    """Register a tracker for each vehicle with a GPS device id and none yet (the demo's simulated
    fleet, `command/demo/seed.py`): the identifier is the vehicle's device id."""
    issued = []
    for vehicle in vehicles:
        if vehicle.gps_device_id and not TrackerDevice.objects.filter(identifier=vehicle.gps_device_id).exists():
            issued.append(tracker_register(actor=actor, identifier=vehicle.gps_device_id, vehicle=vehicle))
    return issued
