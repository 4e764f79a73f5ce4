"""A realistic past for the demo city (`manage.py seed_history --days N`): calls with the demo call
model's categories, priorities, hourly cycle and places (command/simulation/calls.py, assumptions.py),
a weekly cycle, a year-on-year trend and hot spots that appear, move and fade; full timelines whose
times are drawn from the simulator's measured distributions by zone and hour (history_measure.py);
the units of each past day cloned from the roster's own rotation; unit tracks for the last
TRACK_KEEP_DAYS days. Written with COPY (history_writer.py) a batch of days at a time, beside the
generation of the next.

Chosen here (the accounts give no figures for them), each said once: the weekly cycle, the per-
category yearly trend (the Meixian account's falls: theft -5.3%, provocation -7.2%, fights -6.8%,
vandalism -8.1%), the hot spots' share, the cancelled and unverified shares, the closing delay."""
import math
import random
import time as time_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from command.demo import history_writer as writer
from command.demo.history_measure import measure
from command.simulation import assumptions as A
from command.simulation.calls import _Places, arrival_times
from command.simulation.live import ACK_DELAY_S
from dispatch.engine import capability_for
from dispatch.models import CancelReason, Category, Incident
from grid import selectors

NUMBER_MARK = "-H"   # history numbers: 110-YYYYMMDD-H00001
WEEKDAY_FACTOR = (0.96, 0.95, 0.96, 0.98, 1.06, 1.10, 0.99)       # Monday first: Friday and Saturday busier
YEARLY_TREND = {Category.CRIMINAL: -0.053, Category.PUBLIC_ORDER: -0.072, Category.DISPUTE: -0.068, Category.OTHER: -0.081}
HOT_SPOT_SHARE = 0.08         # of a day's calls, at the hot spots active that day
HOT_SPOT_EVERY_DAYS = 45      # a new hot spot starts this often and lives 60-120 days
CANCELLED_SHARE = 0.03
UNVERIFIED_SHARE = 0.02
CLOSE_AFTER_S = (60.0, 600.0)
POOL = 4000                   # places drawn once, as the call model draws them
BATCH_DAYS = 20               # days written in one transaction, beside the generation of the next
DESCRIPTIONS = {
    Category.CRIMINAL: ("自行车被盗", "手机被扒窃", "入室盗窃", "电动车被盗", "钱包被抢"),
    Category.PUBLIC_ORDER: ("酒后滋事", "噪音扰民", "有人寻衅滋事", "占道经营"),
    Category.DISPUTE: ("邻里纠纷", "买卖纠纷", "家庭纠纷", "停车纠纷"),
    Category.TRAFFIC_ACCIDENT: ("两车追尾", "电动车与行人相撞", "车辆剐蹭", "出租车与电动车相撞"),
    Category.TRAFFIC_CONGESTION: ("路口拥堵", "车辆违停堵路", "信号灯故障拥堵"),
    Category.RESCUE: ("老人走失", "有人晕倒", "儿童走失", "有人被困电梯"),
    Category.MASS_EVENT: ("人员聚集",),
    Category.OTHER: ("求助", "咨询", "捡到失物"),
}
NOTES = ("已联系报警人", "现场已处置", "当事人已离开", "移交派出所")


@dataclass(frozen=True)
class HotSpot:
    start: date
    days: int
    origin: tuple
    drift: tuple         # degrees moved over its life
    category: str

    def weight(self, day: date) -> float:
        """0 outside its life; rises, peaks in the middle, fades."""
        age = (day - self.start).days
        return 0.0 if not 0 <= age < self.days else math.sin(math.pi * (age + 0.5) / self.days)

    def centre(self, day: date) -> tuple:
        share = (day - self.start).days / self.days
        return self.origin[0] + self.drift[0] * share, self.origin[1] + self.drift[1] * share


def hot_spots(first: date, last: date, pool: list, seed: int) -> list[HotSpot]:
    """Hot spots over the window, and one born in the last week (an emerging one)."""
    rng = random.Random(seed * 7919)
    spots, start = [], first - timedelta(days=60)
    categories = [Category.CRIMINAL, Category.DISPUTE, Category.TRAFFIC_ACCIDENT, Category.PUBLIC_ORDER]
    while start <= last:
        place = rng.choice(pool)
        spots.append(HotSpot(start, rng.randint(60, 120), (place[0], place[1]),
                             (rng.uniform(-0.006, 0.006), rng.uniform(-0.005, 0.005)), rng.choice(categories)))
        start += timedelta(days=HOT_SPOT_EVERY_DAYS)
    place = rng.choice(pool)
    spots.append(HotSpot(last - timedelta(days=6), 60, (place[0], place[1]), (0.0, 0.0), Category.CRIMINAL))
    return spots


def place_pool(world, seed: int) -> list[tuple]:
    """(lon, lat, zone id, key site id, target s) drawn as the call model draws its calls."""
    places = _Places(world, random.Random(seed))
    pool = []
    for _ in range(POOL):
        lon, lat = places.draw()
        where = selectors.locate(lon, lat)
        pool.append((lon, lat, where.zone_id, where.key_site_id, where.target_s))
    return pool


def existing_days() -> set[date]:
    rows = Incident.objects.filter(number__contains=NUMBER_MARK).values_list("number", flat=True)
    return {datetime.strptime(n.split("-")[1], "%Y%m%d").date() for n in rows.iterator()}


def seed_history(*, days: int, seed: int = 1, measure_days: int = 2, log=print) -> dict:
    """The past `days` days up to yesterday; days seeded already are kept (and skipped)."""
    today = timezone.localdate()
    wanted = [today - timedelta(days=n) for n in range(days, 0, -1)]
    have = existing_days()
    todo = [d for d in wanted if d not in have]
    if not todo:
        log(f"history already seeded: {len(have)} days")
        return {"days": 0, "kept": len(have)}
    began = time_module.perf_counter()
    log(f"measuring the simulator ({measure_days} days)...")
    measured, world = measure(days=measure_days, seed=seed)
    pool = place_pool(world, seed)
    log(f"  measured {measured.calls} calls, drew {len(pool)} places: {time_module.perf_counter() - began:.1f} s")
    spots = hot_spots(wanted[0], wanted[-1], pool, seed)
    roster = writer.Roster.load(today)
    with writer.Writer() as out:
        for start in range(0, len(todo), BATCH_DAYS):
            book = writer.Book()
            for day in todo[start:start + BATCH_DAYS]:
                generate_day(book, day=day, roster=roster, measured=measured, pool=pool, spots=spots, seed=seed,
                             tracks=day >= today - timedelta(days=settings.TRACK_KEEP_DAYS))
            out.put(book)
        log(f"  generated {len(todo)} days: {time_module.perf_counter() - began:.1f} s")
    for label, count in out.counts.items():
        log(f"  {label}: {count} ({out.seconds[label]:.1f} s)")
    log(f"  written (commits {out.seconds['commit']:.1f} s): {time_module.perf_counter() - began:.1f} s")
    log(f"history seeded: {dict(out.counts)}")
    return {"days": len(todo), "kept": len(have), "measured_calls": measured.calls, **out.counts}


def _rng(seed: int, day: date) -> random.Random:
    return random.Random(seed * 1_000_003 + day.toordinal())


def generate_day(book, *, day: date, roster, measured, pool, spots, seed: int, tracks: bool) -> None:
    rng = _rng(seed, day)
    years = (day - date(2026, 1, 1)).days / 365.25
    factor = WEEKDAY_FACTOR[day.weekday()]
    shares = {c: s * (1 + YEARLY_TREND.get(c, 0.0)) ** years for c, s in A.CATEGORY_SHARE.items()}
    scale = sum(shares.values()) / sum(A.CATEGORY_SHARE.values())
    active = [(spot, spot.weight(day)) for spot in spots if spot.weight(day) > 0]
    midnight = timezone.make_aware(datetime.combine(day, time(0)), timezone.get_default_timezone())
    units = roster.units_of(day, book)
    for at in arrival_times(rng, hours=24, rate_factor=factor * scale):
        received = midnight + timedelta(seconds=at)
        spot = _pick_spot(rng, active)
        place = _spot_place(rng, spot, day) if spot else rng.choice(pool)
        category = spot.category if spot and rng.random() < 0.7 else _pick(rng, shares)
        _incident(book, rng, received=received, place=place, category=category, measured=measured, units=units)
    if tracks:
        book.tracks_for_day(units, rng)


def _pick(rng, shares: dict):
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def _pick_spot(rng, active):
    if not active or rng.random() >= HOT_SPOT_SHARE * sum(w for _, w in active):
        return None
    return rng.choices([s for s, _ in active], weights=[w for _, w in active])[0]


def _spot_place(rng, spot: HotSpot, day: date) -> tuple:
    lon, lat = spot.centre(day)
    for _ in range(20):
        x, y = lon + rng.gauss(0, 0.0012), lat + rng.gauss(0, 0.0010)
        if selectors.served_area_contains(x, y):
            where = selectors.locate(x, y)
            return (round(x, 6), round(y, 6), where.zone_id, where.key_site_id, where.target_s)
    where = selectors.locate(lon, lat)
    return (lon, lat, where.zone_id, where.key_site_id, where.target_s)


def _incident(book, rng, *, received, place, category, measured, units) -> None:
    lon, lat, zone_id, key_site_id, target = place
    priority = int(_pick(rng, A.PRIORITY_SHARE[category]))
    row = book.incident(received=received, lon=lon, lat=lat, zone_id=zone_id, key_site_id=key_site_id, target_s=target,
                        category=str(category), priority=priority, description=rng.choice(DESCRIPTIONS[category]),
                        caller_phone=f"13{rng.randint(0, 999_999_999):09d}", caller_name=book.name(rng))
    if rng.random() < CANCELLED_SHARE:
        book.cancel(row, reason=rng.choice(CancelReason.values), at=received + timedelta(seconds=rng.uniform(30, 240)))
        return
    to_order, response = rng.choice(measured.samples(zone_id, target, received.hour))
    unit = units.free(capability_for(category), zone_id, received, rng)
    if unit is None:
        book.leave_waiting(row)
        return
    ordered = received + timedelta(seconds=to_order + rng.uniform(0.5, 3.0))
    acknowledged = ordered + timedelta(seconds=rng.uniform(*ACK_DELAY_S))
    on_scene = acknowledged + timedelta(seconds=response)
    stay = rng.choice(measured.on_scene_by_category.get(category) or [A.ON_SCENE_MIN[category] * 60])
    cleared = on_scene + timedelta(seconds=stay)
    units.busy(unit, ordered, cleared, (lon, lat))
    verified = rng.random() >= UNVERIFIED_SHARE
    book.handled(row, unit=unit, ordered=ordered, acknowledged=acknowledged, on_scene=on_scene, cleared=cleared,
                 closed=cleared + timedelta(seconds=rng.uniform(*CLOSE_AFTER_S)), eta_s=response, verified=verified,
                 distance_m=rng.uniform(5, 40) if verified else rng.uniform(150, 400),
                 note=rng.choice(NOTES) if rng.random() < 0.1 else None)
