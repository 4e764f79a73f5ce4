"""The catalogue's writes and checks: the slots each offer makes out of the desk's opening hours, and
whether a time is open for booking."""
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import OpeningHours, ServiceOffer, Slot


def hours_of(platform_id: int, day: date) -> OpeningHours | None:
    return OpeningHours.objects.filter(platform_id=platform_id, weekday=day.weekday()).first()


def _local(day: date, time) -> datetime:
    return timezone.make_aware(datetime.combine(day, time), timezone.get_default_timezone())


def check_open(*, platform_id: int, starts_at: datetime, ends_at: datetime) -> None:
    """Refuses a time in the past or outside the desk's opening hours that day."""
    if starts_at <= timezone.now():
        raise ValidationError({"slot": _("This time has already passed: choose a later one.")}, code="past")
    day = timezone.localtime(starts_at).date()
    hours = hours_of(platform_id, day)
    if hours is None or starts_at < _local(day, hours.opens) or ends_at > _local(day, hours.closes):
        raise ValidationError({"slot": _("The desk is not open at this time: choose a time within its opening hours.")},
                              code="closed")
    if day > timezone.localdate() + timedelta(days=settings.BOOKING_DAYS_AHEAD):
        raise ValidationError({"slot": _("Bookings open %(days)d days ahead at most.") % {"days": settings.BOOKING_DAYS_AHEAD}},
                              code="too_far")


def slots_generate(*, platform_id: int, day: date) -> int:
    """Slots for every service the platform offers, across the day's opening hours; slots made
    already (and their bookings) are kept. Returns how many were added."""
    hours = hours_of(platform_id, day)
    if hours is None:
        return 0
    opens, closes = _local(day, hours.opens), _local(day, hours.closes)
    rows = []
    for offer in ServiceOffer.objects.filter(platform_id=platform_id):
        step = timedelta(minutes=offer.slot_minutes)
        start = opens
        while start + step <= closes:
            rows.append(Slot(platform_id=platform_id, service_type_id=offer.service_type_id, starts_at=start,
                             ends_at=start + step, capacity=offer.slot_capacity))
            start += step
    before = Slot.objects.filter(platform_id=platform_id, starts_at__range=(opens, closes)).count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True)  # the unique (platform, service, start) keeps one
    return Slot.objects.filter(platform_id=platform_id, starts_at__range=(opens, closes)).count() - before


def slots_ahead(*, days: int | None = None) -> int:
    """Every platform's slots from today to BOOKING_DAYS_AHEAD (the hourly beat task)."""
    days = settings.BOOKING_DAYS_AHEAD if days is None else days
    today = timezone.localdate()
    platform_ids = OpeningHours.objects.values_list("platform_id", flat=True).distinct()
    return sum(slots_generate(platform_id=pid, day=today + timedelta(days=n)) for pid in platform_ids
               for n in range(days + 1))
