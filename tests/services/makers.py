"""One row of each services model the admin registers, for tests/command/test_admin.py's walk over every
admin page (its MAKERS take these)."""
from datetime import time, timedelta

from django.utils import timezone

from services.models import (
    CallbackSurvey,
    FollowUp,
    HelpGiven,
    OpeningHours,
    OptOut,
    ServiceType,
    Slot,
    SmsMessage,
    SmsReceipt,
    Station,
    Ticket,
)
from tests import factories as f


def _service() -> ServiceType:
    return ServiceType.objects.get_or_create(code="S09", defaults={"name": "无犯罪记录证明"})[0]


def _slot() -> Slot:
    start = timezone.now() + timedelta(days=1)
    return Slot.objects.create(platform=f.PlatformFactory(), service_type=_service(), starts_at=start,
                               ends_at=start + timedelta(minutes=30), capacity=2)


def _ticket() -> Ticket:
    return Ticket.objects.create(platform=f.PlatformFactory(), service_type=_service(), day=timezone.localdate(),
                                 number="A001")


def _follow_up() -> FollowUp:
    survey = CallbackSurvey.objects.create(incident=f.IncidentFactory(), status="answered", satisfaction=1)
    return FollowUp.objects.create(survey=survey)


def _sms() -> SmsMessage:
    message = SmsMessage.objects.create(phone="13800138000", body="您好", purpose="survey", smsc_ids=["M1"])
    SmsReceipt.objects.create(message=message, smsc_id="M1", stat="DELIVRD")
    return message


def services_makers() -> dict:
    return {
        OpeningHours: lambda: OpeningHours.objects.create(platform=f.PlatformFactory(), weekday=0, opens=time(8, 30),
                                                          closes=time(17, 30)),
        Station: lambda: Station.objects.create(code="ST09", name="人民广场派出所"),
        Slot: _slot,
        Ticket: _ticket,
        HelpGiven: lambda: HelpGiven.objects.create(platform=f.PlatformFactory(), kind="directions"),
        FollowUp: _follow_up,
        OptOut: lambda: OptOut.objects.create(phone="13800138000", source="sms"),
        SmsMessage: _sms,
    }
