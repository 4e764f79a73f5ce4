"""The demo city's services desk: the 23 services with their English names, handling times and documents,
what each platform offers and when its desk is open, police stations to refer to, slots for the coming
week, a morning of appointments and walk-ins at People's Square, and a week of answered callback
surveys (with a few in the callback queue and an open follow-up) so every page has something on it.

Safe to re-run: rows are found by their codes and numbers; what exists is left alone."""
import random
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from dispatch.models import Category, Incident, IncidentStatus
from grid.models import Zone
from platforms.models import Platform, Unit
from services import catalogue
from services.models import (
    RATING_SCORE,
    Appointment,
    CallbackSurvey,
    DeskEvent,
    FollowUp,
    HelpGiven,
    OpeningHours,
    ServiceOffer,
    ServiceType,
    Slot,
    Station,
    Ticket,
)

ID = ("居民身份证", "ID card")
HOUSEHOLD = ("户口簿", "household register")
PHOTO = ("近期免冠照片", "a recent photo")
# name: (English name, minutes, by appointment only, documents (zh, en) pairs)
SERVICES = {
    "户籍证明": ("Household certificate", 15, False, [ID, HOUSEHOLD]),
    "户口迁移咨询": ("Household transfer advice", 20, False, [ID, HOUSEHOLD]),
    "居民身份证办理": ("ID card application", 20, True, [HOUSEHOLD, PHOTO]),
    "临时身份证明": ("Temporary identity certificate", 10, False, [HOUSEHOLD]),
    "居住证办理": ("Residence permit", 25, True, [ID, ("租房合同或房产证", "tenancy contract or deed")]),
    "出入境证件咨询": ("Exit-entry advice", 15, False, [ID]),
    "港澳通行证签注": ("Hong Kong/Macau endorsement", 15, False, [ID, ("港澳通行证", "HK/Macau travel permit")]),
    "机动车违法处理": ("Traffic violation handling", 15, False, [("驾驶证", "driving licence"), ("行驶证", "vehicle licence")]),
    "驾驶证业务咨询": ("Driving licence advice", 15, False, [("驾驶证", "driving licence")]),
    "机动车登记咨询": ("Vehicle registration advice", 15, False, [("行驶证", "vehicle licence")]),
    "交通事故快处快赔": ("Minor accident settlement", 30, False, [("驾驶证", "driving licence"), ("保险单", "insurance policy")]),
    "非机动车登记": ("E-bike registration", 20, True, [ID, ("购车发票", "purchase invoice")]),
    "无犯罪记录证明": ("Certificate of no criminal record", 20, True, [ID, HOUSEHOLD]),
    "失物招领": ("Lost and found", 10, False, [ID]),
    "报失登记": ("Loss report", 15, False, [ID]),
    "法律咨询": ("Legal advice", 30, False, []),
    "治安调解": ("Mediation", 45, True, [ID]),
    "防诈骗宣传": ("Anti-fraud advice", 10, False, []),
    "寻人求助": ("Missing person help", 30, False, [PHOTO]),
    "便民充电与饮水": ("Phone charging and water", 5, False, []),
    "问路指引": ("Directions", 5, False, []),
    "医疗急救协助": ("First aid help", 15, False, []),
    "特殊人群帮扶": ("Help for vulnerable people", 30, False, []),
}
STATIONS = [
    ("ST01", "南京东路派出所", "East Nanjing Road Police Station", "黄浦区福建中路"),
    ("ST02", "外滩派出所", "The Bund Police Station", "黄浦区中山东一路"),
    ("ST03", "人民广场派出所", "People's Square Police Station", "黄浦区西藏中路"),
    ("ST04", "静安寺派出所", "Jing'an Temple Police Station", "静安区华山路"),
    ("ST05", "陆家嘴派出所", "Lujiazui Police Station", "浦东新区东昌路"),
]
NAMES = ["王丽", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄婷", "周杰", "吴芳", "徐涛", "孙悦"]
COMMENTS = {"satisfied": ["民警很快就到了，谢谢", "处理得很专业", ""], "basic": ["等了一会儿", ""],
            "unsatisfied": ["等了很久才来人", "问题没有解决"]}


def seed_services(platforms: list[Platform], now=None) -> dict:
    now = now or timezone.now()
    _seed_catalogue(platforms)
    for platform in platforms:
        for n in range(8):
            catalogue.slots_generate(platform_id=platform.pk, day=timezone.localdate(now) + timedelta(days=n))
    home = next((p for p in platforms if p.code == "P01"), platforms[0] if platforms else None)
    if home is not None and not Appointment.objects.filter(platform=home, starts_at__date=timezone.localdate(now)).exists():
        _seed_morning(home, now)
    surveys = _seed_surveys(platforms, now)
    return {"stations": Station.objects.count(), "slots": Slot.objects.count(), "surveys": surveys}


# --- the catalogue ------------------------------------------------------------------------------

def _seed_catalogue(platforms: list[Platform]) -> None:
    for code, name, name_en, address in STATIONS:
        Station.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "address": address})
    for n, (name, (name_en, minutes, _appointment, documents)) in enumerate(SERVICES.items(), start=1):
        ServiceType.objects.filter(code=f"S{n:02d}", name=name, name_en="").update(
            name_en=name_en, minutes=minutes, documents="\n".join(zh for zh, _ in documents),
            documents_en="\n".join(en for _, en in documents))
    for platform in platforms:
        _offer_all(platform)
        _open_desk(platform)


def _offer_all(platform: Platform) -> None:
    """Every service at every platform (seed.py offers them with the defaults first); those by appointment
    only marked so while their offer is still as made."""
    appointment_only = [name for name, row in SERVICES.items() if row[2]]
    for service in ServiceType.objects.all():
        ServiceOffer.objects.get_or_create(platform=platform, service_type=service)
    untouched = ServiceOffer.objects.filter(platform=platform, minutes=None, needs_appointment=False, slot_capacity=2)
    untouched.filter(service_type__name__in=appointment_only).update(needs_appointment=True)
    if platform.mobile:
        untouched.update(slot_capacity=3)


def _open_desk(platform: Platform) -> None:
    """Mobile platforms 08:30-20:00 every day (Meixian's coverage); fixed posts 09:00-17:00, Monday to Saturday."""
    opens, closes, days = (time(8, 30), time(20, 0), range(7)) if platform.mobile else (time(9), time(17), range(6))
    for weekday in days:
        OpeningHours.objects.get_or_create(platform=platform, weekday=weekday, defaults={"opens": opens, "closes": closes})


# --- a morning at People's Square ------------------------------------------------------------------

def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


def _seed_morning(platform: Platform, now) -> None:
    """Appointments from opening to noon (those already past served or missed), walk-ins served and
    waiting, and help given; the slots' places taken as bookings take them."""
    rng, day = random.Random(7), timezone.localdate(now)
    slots = list(Slot.objects.filter(platform=platform, starts_at__gte=_at(day, 8, 30), starts_at__lt=_at(day, 12))
                 .select_related("service_type").order_by("starts_at", "service_type__code"))
    booked = [slot for slot in slots if slot.service_type.code in ("S01", "S03", "S08", "S13")][:12]
    for n, slot in enumerate(booked):
        _booking(platform, slot, n, rng, now)
    services = list(ServiceType.objects.filter(offers__platform=platform, offers__needs_appointment=False)[:6])
    for n in range(6):
        _walk_in(platform, rng.choice(services), n, now, done=n < 4)
    for kind in ("directions", "directions", "directions", "phone_charge", "water", "lost_handed_in", "first_aid"):
        HelpGiven.objects.create(platform=platform, kind=kind, at=now - timedelta(minutes=rng.randint(5, 180)))


def _booking(platform, slot, n: int, rng, now) -> None:
    Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    appointment = Appointment.objects.create(
        service_type=slot.service_type, platform=platform, slot=slot, starts_at=slot.starts_at,
        citizen_name=NAMES[n % len(NAMES)], citizen_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
        created_at=now - timedelta(days=1, minutes=n))
    DeskEvent.objects.create(appointment=appointment, kind="booked", at=appointment.created_at)
    if slot.starts_at < now - timedelta(minutes=20):
        served = n % 5 != 4
        appointment.status = "served" if served else "no_show"
        appointment.save(update_fields=["status"])
        if served:
            _ticket(platform, slot.service_type, f"Y{n + 1:03d}", slot.starts_at - timedelta(minutes=5), now,
                    appointment=appointment)


def _walk_in(platform, service, n: int, now, *, done: bool) -> None:
    issued = now - timedelta(minutes=20 * (6 - n) + 5)
    _ticket(platform, service, f"A{n + 1:03d}", issued, now, done=done)


def _ticket(platform, service, number, issued, now, *, appointment=None, done=True) -> Ticket:
    ticket, created = Ticket.objects.get_or_create(platform=platform, day=timezone.localdate(now), number=number,
                                                   defaults={"service_type": service, "appointment": appointment,
                                                             "issued_at": issued})
    if created and done:
        called = min(now, issued + timedelta(minutes=4 + len(number) % 3 * 3))
        Ticket.objects.filter(pk=ticket.pk).update(status="done", called_at=called, serving_at=called, counter="1",
                                                   completed_at=min(now, called + timedelta(minutes=service.minutes)),
                                                   outcome="done")
    return ticket


# --- a week of callback surveys ----------------------------------------------------------------------

def _seed_surveys(platforms: list[Platform], now) -> int:
    """Per platform and day of the last week, a few closed calls with their surveys answered (most
    satisfied); yesterday's last ones in the callback queue or still unanswered; one open follow-up."""
    rng, made = random.Random(11), 0
    zones = {p.pk: Zone.objects.filter(platform=p).first() for p in platforms}
    for days_ago in range(7, 0, -1):
        for platform in platforms:
            if zones[platform.pk] is None:
                continue
            for n in range(3):
                made += _survey(platform, zones[platform.pk], now - timedelta(days=days_ago, hours=n * 3 + 2),
                                f"110-DEMO-{days_ago}{platform.code}{n}", rng, last=days_ago == 1 and n == 2)
    return made


def _survey(platform, zone, received_at, number: str, rng, *, last: bool) -> int:
    if Incident.objects.filter(number=number).exists():
        return 0
    incident = Incident.objects.create(
        number=number, received_at=received_at, caller_name=rng.choice(NAMES),
        caller_phone=f"137{rng.randint(10_000_000, 99_999_999)}", lon=platform.lon, lat=platform.lat, zone=zone,
        category=rng.choice([Category.DISPUTE, Category.PUBLIC_ORDER, Category.TRAFFIC_ACCIDENT, Category.RESCUE]),
        target_s=180, status=IncidentStatus.CLOSED, closing="resolved", result="现场处置完毕",
        dispatched_at=received_at + timedelta(seconds=40), on_scene_at=received_at + timedelta(seconds=rng.randint(120, 400)),
        closed_at=received_at + timedelta(minutes=50))
    unit = Unit.objects.filter(platform=platform).order_by("pk").first()
    survey = CallbackSurvey(incident=incident, platform=platform, unit=unit, created_at=incident.closed_at + timedelta(minutes=30),
                            sent_at=incident.closed_at + timedelta(minutes=30), status="sent")
    if last:
        survey.status, survey.callback_due_at, survey.channel = "callback", survey.sent_at + timedelta(hours=24), "phone"
    else:
        _answers(survey, rng)
    survey.save()
    if survey.unsatisfied:
        FollowUp.objects.create(survey=survey, platform=platform, opened_at=survey.answered_at)
    return 1


def _answers(survey, rng) -> None:
    def rating():
        roll = rng.random()
        return "satisfied" if roll < 0.82 else "basic" if roll < 0.96 else "unsatisfied"

    survey.speed, survey.attitude, survey.result = rating(), rating(), rating()
    survey.satisfaction = min(RATING_SCORE[r] for r in (survey.speed, survey.attitude, survey.result))
    worst = {5: "satisfied", 3: "basic", 1: "unsatisfied"}[survey.satisfaction]
    survey.comment = rng.choice(COMMENTS[worst])
    survey.status, survey.answered_at = "answered", survey.sent_at + timedelta(hours=rng.randint(1, 6))
