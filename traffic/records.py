"""Enforcement and help records taken on the tablet: a violation (with its photo), a drink-driving
check, a vehicle impounded, people helped. Each is the officer's, for the unit they crew, on their
platform, at the tablet's position; a `client_key` (the tablet's Idempotency-Key) makes a send replayed
after a reconnect the same row. Validate, write, notify after commit."""
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.photos import photo_check
from grid.models import check_point_served
from grid.selectors import zone_at
from traffic import events, plates
from traffic.accidents import CLOCK_SKEW, OLDEST
from traffic.models import DrinkCheck, HelpRecord, Impound, Violation, ViolationType
from traffic.models.records import MAX_SPEED_KMH, breath_result


@dataclass(frozen=True)
class Taker:
    """Who takes a record: the user, their officer row, the unit they crew (or none)."""

    user: object
    officer: object
    unit: object = None


def _at(at):
    now = timezone.now()
    if at is None:
        return now
    if at > now + CLOCK_SKEW:
        raise ValidationError({"at": [_("That time is in the future: check the tablet's clock.")]})
    if at < now - OLDEST:
        raise ValidationError({"at": [_("That time is more than 12 hours ago.")]})
    return min(at, now)


def _place(lon, lat) -> tuple[float, float]:
    return check_point_served(lon, lat, field="lon")


def _existing(model, client_key: str | None):
    return model.objects.filter(client_key=client_key).first() if client_key else None


def _save(kind: str, row, *, photo=None):
    """Insert the checked row; the same client key twice (two sends racing) reads the first."""
    row.full_clean(exclude=["photo", "violation_type", "violation"])
    try:
        with transaction.atomic():
            if photo is not None:
                row.photo.save(f"{uuid.uuid4().hex}.{row.photo_type.split('/')[-1].replace('jpeg', 'jpg')}", photo,
                               save=False)
            row.save()
    except IntegrityError:
        if photo is not None:
            row.photo.delete(save=False)
        found = _existing(type(row), row.client_key)
        if found is None:
            raise
        return found, False
    events.record_taken(kind, row)
    return row, True


def _common(taker: Taker, lon, lat, at, client_key, notes) -> dict:
    lon, lat = _place(lon, lat)
    return {"officer": taker.officer, "unit": taker.unit, "platform": taker.officer.platform,
            "zone_id": zone_at(lon, lat), "lon": lon, "lat": lat, "at": _at(at), "client_key": client_key or None,
            "recorded_by": taker.user, "notes": (notes or "").strip()}


def violation_record(*, taker: Taker, violation_type: ViolationType, plate: str, vehicle_kind: str, lon, lat,
                     measured_speed_kmh=None, speed_limit_kmh=None, notes: str = "", photo=None, at=None,
                     client_key: str | None = None) -> tuple[Violation, bool]:
    """(violation, created). Refused with the reason: a plate that is no plate, a speed out of reason."""
    if found := _existing(Violation, client_key):
        return found, False
    if not violation_type.active:
        raise ValidationError({"violation_type": [_("This violation is no longer offered.")]})
    kind = "e_bike" if violation_type.non_motor and vehicle_kind in ("", "car") else vehicle_kind
    plate = plates.check_plate(plate, kind)
    _check_speeds(violation_type, measured_speed_kmh, speed_limit_kmh)
    photo_type = photo_check(photo).content_type if photo is not None else ""
    row = Violation(violation_type=violation_type, plate=plate, vehicle_kind=kind, measured_speed_kmh=measured_speed_kmh,
                    speed_limit_kmh=speed_limit_kmh, photo_type=photo_type,
                    **_common(taker, lon, lat, at, client_key, notes))
    return _save("violation", row, photo=photo)


def _check_speeds(violation_type: ViolationType, measured, limit) -> None:
    if measured is not None and not 1 <= measured <= MAX_SPEED_KMH:
        raise ValidationError({"measured_speed_kmh": [
            _("A speed of %(speed)s km/h is not plausible: enter what was measured (at most %(max)d km/h).")
            % {"speed": measured, "max": MAX_SPEED_KMH}]})
    if not violation_type.needs_speed:
        return
    if measured is None or limit is None:
        raise ValidationError({"measured_speed_kmh": [_("Speeding needs the measured speed and the limit.")]})
    if measured <= limit:
        raise ValidationError({"measured_speed_kmh": [_("%(speed)s km/h is not over the limit of %(limit)s km/h.")
                                                      % {"speed": measured, "limit": limit}]})


def drink_check_record(*, taker: Taker, plate: str, vehicle_kind: str, alcohol_mg_100ml: float, lon, lat,
                       notes: str = "", at=None, client_key: str | None = None) -> tuple[DrinkCheck, bool]:
    if found := _existing(DrinkCheck, client_key):
        return found, False
    plate = plates.check_plate(plate, vehicle_kind)
    if not 0 <= alcohol_mg_100ml <= 500:
        raise ValidationError({"alcohol_mg_100ml": [_("Enter the breath result in mg/100 ml (0 to 500).")]})
    row = DrinkCheck(plate=plate, vehicle_kind=vehicle_kind, alcohol_mg_100ml=alcohol_mg_100ml,
                     result=breath_result(alcohol_mg_100ml), **_common(taker, lon, lat, at, client_key, notes))
    return _save("drink_check", row)


def impound_record(*, taker: Taker, plate: str, vehicle_kind: str, reason: str, lon, lat, violation=None,
                   notes: str = "", at=None, client_key: str | None = None) -> tuple[Impound, bool]:
    if found := _existing(Impound, client_key):
        return found, False
    plate = plates.check_plate(plate, vehicle_kind)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the vehicle is impounded.")]})
    row = Impound(plate=plate, vehicle_kind=vehicle_kind, reason=reason.strip(), violation=violation,
                  **_common(taker, lon, lat, at, client_key, notes))
    return _save("impound", row)


def help_record(*, taker: Taker, kind: str, people: int, lon, lat, notes: str = "", at=None,
                client_key: str | None = None) -> tuple[HelpRecord, bool]:
    if found := _existing(HelpRecord, client_key):
        return found, False
    row = HelpRecord(kind=kind, people=people, **_common(taker, lon, lat, at, client_key, notes))
    return _save("help", row)
