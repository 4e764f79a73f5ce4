"""Rows the services tests share: a desk with a service, its opening hours every day and slots
tomorrow; a closed incident with a caller; helpers to read the console backend's messages."""
import re
from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from dispatch.models import IncidentStatus
from services.catalogue import slots_generate
from services.models import OpeningHours, ServiceOffer, ServiceType, Slot, Station
from services.sms.backends import dev_inbox
from tests import factories as f

MOBILE = "13800138000"


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def local(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


def service_type(code="S01", **fields) -> ServiceType:
    defaults = {"name": "户籍证明", "name_en": "Household certificate", "documents": "居民身份证\n户口簿",
                "documents_en": "ID card\nHousehold register"}
    return ServiceType.objects.get_or_create(code=code, defaults={**defaults, **fields})[0]


def desk(platform, *, capacity: int = 2, needs_appointment: bool = False, opens=time(8, 30), closes=time(17, 30)):
    """The platform's desk open every day, offering S01 in 30-minute slots; tomorrow's slots made."""
    service = service_type()
    ServiceOffer.objects.update_or_create(platform=platform, service_type=service, defaults={
        "slot_minutes": 30, "slot_capacity": capacity, "needs_appointment": needs_appointment})
    for weekday in range(7):
        OpeningHours.objects.update_or_create(platform=platform, weekday=weekday, defaults={"opens": opens, "closes": closes})
    slots_generate(platform_id=platform.pk, day=tomorrow())
    return service


def slot_at(platform, service, when) -> Slot:
    return Slot.objects.get(platform=platform, service_type=service, starts_at=when)


def station() -> Station:
    return Station.objects.get_or_create(code="ST01", defaults={"name": "南京东路派出所", "name_en": "Nanjing Rd E. station"})[0]


def closed_incident(platform, *, minutes_ago: int = 40, phone: str = MOBILE, **fields):
    zone = platform.zones.first() or f.ZoneFactory(platform=platform)
    closed_at = timezone.now() - timedelta(minutes=minutes_ago)
    incident = f.IncidentFactory(zone=zone, caller_phone=phone, status=IncidentStatus.CLOSED, closed_at=closed_at,
                                 received_at=closed_at - timedelta(minutes=30), closing="resolved",
                                 result="调解完毕", description=fields.pop("description", "邻里纠纷"), **fields)
    return incident


def run_on_commit() -> None:
    """What would run after the commit of a test's transaction (the SMS tasks, eager), run now: the
    test's own transaction never commits. Callbacks of rolled-back savepoints were dropped already."""
    while connection.run_on_commit:
        _sids, callback, _robust = connection.run_on_commit.pop(0)
        callback()


def last_code(phone: str = MOBILE) -> str:
    """The one-time code of the latest message to the phone in the console backend's inbox."""
    run_on_commit()
    for entry in dev_inbox(phone):
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", entry["text"])
        if found:
            return found[1]
    raise AssertionError(f"no code sent to {phone}")
