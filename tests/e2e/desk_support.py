"""What the services desk's browser tests share: the People's Square desk open all day in 5-minute slots
with a clerk and a supervisor who log in for real, a phone-sized browser, and the one-time code read
from the running site's dev SMS inbox (the console backend's)."""
import json
import re
from datetime import time

from common.roles import Role
from services.catalogue import slots_generate
from services.models import OpeningHours, ServiceOffer, Station
from tests import factories as f
from tests.e2e.support import wait_for
from tests.services.support import service_type

PHONE_SIZE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def desk_city(settings):
    """The platform, its zone and desk (S01 walk-in or booked, 5-minute slots today), a station, and
    the logins `desk-clerk` and `desk-supervisor`."""
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    platform = f.PlatformFactory(code="P01", name="人民广场平台", name_en="People's Square")
    f.ZoneFactory(platform=platform, code="Z01", name="人民广场网格")
    service = service_type()
    ServiceOffer.objects.create(platform=platform, service_type=service, slot_minutes=5, slot_capacity=2)
    for weekday in range(7):
        OpeningHours.objects.create(platform=platform, weekday=weekday, opens=time(0, 0), closes=time(23, 59))
    slots_generate(platform_id=platform.pk, day=timezone.localdate())
    Station.objects.create(code="ST01", name="南京东路派出所", name_en="East Nanjing Rd station")
    f.membership(f.UserFactory(username="desk-clerk"), Role.CLERK, platform=platform)
    f.membership(f.UserFactory(username="desk-supervisor"), Role.SUPERVISOR, platform=platform)
    return platform, service


def code_from_inbox(page, url: str, phone: str) -> str:
    """The six digits of the latest message to the phone in the site's dev inbox, once it has come."""
    found = []

    def arrived():
        messages = json.loads(page.request.get(f"{url}/dev/sms/?phone={phone}").text())["messages"]
        codes = [m for entry in messages for m in re.findall(r"(?<!\d)(\d{6})(?!\d)", entry["text"])]
        found.extend(codes[:1])
        return bool(codes)

    wait_for(arrived)
    return found[0]
