"""Build (or refresh) the demo city: central Shanghai at the Xiangyang staffing figures.

Safe to re-run: rows are found by their codes and only what is missing is created; live state
(unit status of units on a job, incidents) is left alone.
"""
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from shapely.geometry import Point, mapping, shape
from shapely.ops import unary_union

from command.demo import trackers as demo_trackers
from command.demo import city, services_seed, staffing, stands, traffic_seed
from command.models import Membership
from common.roles import Role
from grid.models import KeySite, PatrolPoint, PatrolRoute, ServedArea, Zone
from grid.selectors import forget_spatial_index
from platforms import patrol, rosters, rotation
from platforms.models import (
    District,
    Officer,
    Platform,
    RosterPeriod,
    RosterStatus,
    Shift,
    Squad,
    Unit,
    UnitStatus,
    Vehicle,
)
from services.models import ServiceType

PUBLIC_SERVICES = [
    "户籍证明", "户口迁移咨询", "居民身份证办理", "临时身份证明", "居住证办理", "出入境证件咨询", "港澳通行证签注",
    "机动车违法处理", "驾驶证业务咨询", "机动车登记咨询", "交通事故快处快赔", "非机动车登记", "无犯罪记录证明",
    "失物招领", "报失登记", "法律咨询", "治安调解", "防诈骗宣传", "寻人求助", "便民充电与饮水", "问路指引",
    "医疗急救协助", "特殊人群帮扶",
]
DEMO_USERS = [
    ("admin", Role.ADMINISTRATOR, {}),
    ("dispatcher", Role.DISPATCHER, {}),
    ("supervisor", Role.SUPERVISOR, {"platform": "P01"}),
    ("district_supervisor", Role.SUPERVISOR, {"district": "HP"}),
    ("clerk", Role.CLERK, {"platform": "P01"}),
    ("officer", Role.OFFICER, {}),
    ("leader", Role.LEADERSHIP, {}),
]


def seed_demo(*, password: str, days_before: int = 1, days_after: int = 7, log=print) -> dict:
    now = timezone.now()
    with transaction.atomic():
        _seed_space()
        platforms = _seed_resources()
        stands.seed_stands()  # where each mobile platform may stand (planning.Stand)
        units = _seed_rosters(platforms, now, days_before, days_after)
        _bring_units_on_duty(now)
        _seed_services(platforms)
        services_seed.seed_services(platforms, now)  # the desk: catalogue, slots, a morning, a week of surveys
        users = _seed_users(password, now)
        demo_trackers.register_demo_trackers()  # each vehicle's tracker with its own key (issue 19)
        traffic_seed.seed_traffic(platforms, now)  # rush-hour bands and a morning of traffic work (issue 20)
        _analyze()
    summary = _summary(units, users)
    log(f"demo city ready: {summary}")
    return summary


def _analyze() -> None:
    """Statistics for what was just bulk-loaded, before anything plans a query over it: left to
    autovacuum, a query can plan for a table it believes empty (see tests/harness.py)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- space ------------------------------------------------------------------------------------

def _seed_space() -> None:
    ServedArea.objects.update_or_create(pk=1, defaults={"name": "上海中心城区 (演示)", "polygon": mapping(city.served_area()),
                                                        "source": "OpenStreetMap (ODbL) demo extract"})
    forget_spatial_index()  # the zones and routes below are checked against this outline
    for row in city.DISTRICTS:
        District.objects.update_or_create(code=row["code"], defaults=_pick(row, "name", "name_en"))
    districts = {d.code: d for d in District.objects.all()}
    for row in city.PLATFORMS:
        Platform.objects.get_or_create(code=row["code"], defaults={
            **_pick(row, "name", "name_en", "lon", "lat", "mobile"), "district": districts[row["district"]]})
    platforms = {p.code: p for p in Platform.objects.all()}
    for row in city.zones():
        Zone.objects.update_or_create(code=row["code"], defaults={
            **_pick(row, "name", "name_en", "response_class", "polygon"), "platform": platforms[row["platform"]]})
    for row in city.KEY_SITES:
        KeySite.objects.update_or_create(code=row["code"], defaults=_pick(row, "name", "name_en", "kind", "lon", "lat", "radius_m"))
    for row in city.PATROL_POINTS:
        PatrolPoint.objects.update_or_create(code=row["code"], defaults={
            **_pick(row, "name", "name_en", "lon", "lat", "radius_m", "dwell_s"), "platform": platforms[row["platform"]]})
    for row in city.patrol_routes():
        route = PatrolRoute(code=row["code"], **_pick(row, "name", "name_en", "line", "corridor_m"), platform=platforms[row["platform"]])
        route.clean()  # computes length_m
        PatrolRoute.objects.update_or_create(code=row["code"], defaults={
            **_pick(row, "name", "name_en", "line", "corridor_m"), "length_m": route.length_m, "platform": route.platform})


def _pick(row: dict, *keys: str) -> dict:
    return {key: row[key] for key in keys if key in row}


# --- people and vehicles ----------------------------------------------------------------------

def _seed_resources() -> list[Platform]:
    platforms = list(Platform.objects.filter(code__in=[p["code"] for p in city.PLATFORMS]).order_by("code"))
    for index, platform in enumerate(platforms, start=1):
        squads = [Squad.objects.get_or_create(platform=platform, number=n, defaults={"name": name})[0]
                  for n, name in enumerate(staffing.SQUAD_NAMES, start=1)]
        _seed_officers(platform, index, squads, city.STAFFING[platform.code])
        _seed_vehicles(platform, index, city.STAFFING[platform.code])
    return platforms


def _seed_officers(platform: Platform, index: int, squads: list[Squad], counts: dict) -> None:
    existing = set(Officer.objects.filter(platform=platform).values_list("badge_number", flat=True))
    serial, new = 0, []
    for kind in ("police", "auxiliary", "traffic_assistant"):
        for n in range(counts[kind]):
            serial += 1
            badge = f"{index:02d}{serial:04d}"
            if badge not in existing:
                # Auxiliaries go to the squads in pairs, as the police officers go one by one: every
                # squad keeps one sworn officer to two auxiliaries.
                squad = squads[(n // 2 if kind == "auxiliary" else n) % 5]
                new.append(Officer(badge_number=badge, name=staffing.person_name(index * 10000 + serial), kind=kind,
                                   platform=platform, squad=squad, skills=_skills(kind, n)))
    Officer.objects.bulk_create(new)


def _skills(kind: str, n: int) -> list[str]:
    base = {"police": ["patrol", "traffic", "firearms"], "auxiliary": ["patrol", "traffic"], "traffic_assistant": ["traffic"]}[kind]
    return base + (["first_aid"] if n % 4 == 0 else [])


def _seed_vehicles(platform: Platform, index: int, counts: dict) -> None:
    fleet = [("patrol_car", "C", counts["patrol_cars"], 4), ("motorcycle", "M", counts["motorcycles"], 1),
             ("platform_truck", "T", counts["platform_trucks"], 8), ("on_foot", "F", counts.get("foot_posts", 4), 1)]
    for kind, letter, count, seats in fleet:
        for n in range(1, count + 1):
            call_number = f"{platform.code}-{letter}{n:02d}"
            Vehicle.objects.get_or_create(call_number=call_number, defaults={
                "kind": kind, "platform": platform, "seats": seats, "gps_device_id": f"dev-{call_number.lower()}",
                "plate": f"沪A{index}{n:03d}{letter}警" if kind != "on_foot" else ""})


# --- the rota ---------------------------------------------------------------------------------

def _seed_rosters(platforms: list[Platform], now, days_before: int, days_after: int) -> int:
    """An approved roster (platforms.rosters) and patrol plans (platforms.patrol) for every week,
    Monday to Sunday, that the days touch."""
    today = timezone.localdate(now)
    first, last = today - timedelta(days=days_before), today + timedelta(days=days_after)
    units_before = Unit.objects.count()
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        for platform in platforms:
            _seed_week(platform, monday, now)
        monday += timedelta(days=7)
    return Unit.objects.count() - units_before


def _seed_week(platform: Platform, monday, now) -> None:
    if not platform.roster_periods.filter(starts_on=monday).exists():
        _roster_week(platform, monday, now)
    for day in range(7):
        patrol.patrol_plans_for_day(platform=platform, day=monday + timedelta(days=day))  # keeps plans made already


def _roster_week(platform: Platform, monday, now) -> None:
    sunday = monday + timedelta(days=6)
    if rosters.shifts_of(RosterPeriod(platform=platform, starts_on=monday, ends_on=sunday)).exists():
        # A database seeded before rosters existed: its shifts become that week's approved roster.
        RosterPeriod.objects.create(platform=platform, starts_on=monday, ends_on=sunday, status=RosterStatus.APPROVED,
                                    approved_at=now, pattern=rotation.DEFAULT_PATTERN.to_json())
        return
    period = rosters.roster_generate(platform=platform, starts_on=monday, ends_on=sunday)
    rosters.roster_approve(period=period, actor=None)  # a demo roster with a hard violation fails loudly


def _bring_units_on_duty(now) -> None:
    """Units of the shifts running now start available at a street position in their platform's area."""
    on_now = Unit.objects.filter(shift__starts_at__lte=now, shift__ends_at__gt=now, status=UnitStatus.OFF_DUTY)
    areas = {}
    for unit in on_now.select_related("platform"):
        area = areas.setdefault(unit.platform_id, unary_union([shape(z.polygon) for z in unit.platform.zones.all()]))
        unit.lon, unit.lat = _point_in(area, random.Random(unit.pk))
        unit.status, unit.status_changed_at, unit.last_fix_at = UnitStatus.AVAILABLE, now, now
        unit.save(update_fields=["lon", "lat", "status", "status_changed_at", "last_fix_at"])
    Unit.objects.filter(shift__ends_at__lte=now, status=UnitStatus.AVAILABLE).update(status=UnitStatus.OFF_DUTY)


def _point_in(area, rng: random.Random) -> tuple[float, float]:
    min_lon, min_lat, max_lon, max_lat = area.bounds
    while True:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if area.contains(Point(lon, lat)):
            return round(lon, 6), round(lat, 6)


# --- services desk and logins -----------------------------------------------------------------

def _seed_services(platforms: list[Platform]) -> None:
    for n, name in enumerate(PUBLIC_SERVICES, start=1):
        service, _ = ServiceType.objects.get_or_create(code=f"S{n:02d}", defaults={"name": name})
        service.platforms.add(*platforms)


def _seed_users(password: str, now) -> dict[str, str]:
    User = get_user_model()
    logins = {}
    for username, role, scope in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        if role != Role.ADMINISTRATOR:
            _membership(user, role, scope)
        if role == Role.OFFICER:
            _link_officer_on_duty(user, now)
        logins[username] = role
    return logins


def _membership(user, role: str, scope: dict) -> None:
    resolved = {}
    if "platform" in scope:
        resolved["platform"] = Platform.objects.get(code=scope["platform"])
    if "district" in scope:
        resolved["district"] = District.objects.get(code=scope["district"])
    Membership.objects.update_or_create(user=user, defaults={"role": role, "platform": None, "district": None, **resolved})


def officer_login_keep_on_duty(now=None) -> bool:
    """At a shift change the demo officer's crew goes off duty and the tablet would have nothing to show:
    the demo has one officer login, so it moves to a crew of the shift on duty (a real officer logs out
    with their crew). True when it moved."""
    now = now or timezone.now()
    users = [username for username, role, _ in DEMO_USERS if role == Role.OFFICER]
    user = get_user_model().objects.filter(username__in=users).first()
    if user is None or Unit.objects.filter(officers__user=user, shift__starts_at__lte=now, shift__ends_at__gt=now).exists():
        return False
    _link_officer_on_duty(user, now)
    return True


def _link_officer_on_duty(user, now) -> None:
    """The demo officer login belongs to the leader of a People's Square car crew on duty now. The link
    is also what marks the crew as driven by a person: the live simulator leaves every unit crewed by
    an officer with a login to its tablet (command/simulation/live.py), and this is the only one."""
    unit = (Unit.objects.filter(platform__code="P01", shift__starts_at__lte=now, shift__ends_at__gt=now,
                                vehicle__kind="patrol_car").order_by("call_sign").first())
    if unit is None:
        return
    Officer.objects.filter(user=user).update(user=None)
    leader = unit.officers.filter(kind="police").order_by("badge_number").first()
    leader.user = user
    leader.save(update_fields=["user"])


def _summary(units_created: int, users: dict) -> dict:
    return {
        "platforms": Platform.objects.count(), "zones": Zone.objects.count(), "key_sites": KeySite.objects.count(),
        "officers": Officer.objects.count(), "vehicles": Vehicle.objects.count(), "shifts": Shift.objects.count(),
        "units_created": units_created, "units_on_duty": Unit.objects.exclude(status=UnitStatus.OFF_DUTY).count(),
        "logins": sorted(users),
    }
