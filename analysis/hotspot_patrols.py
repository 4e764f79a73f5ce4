"""Hot spot → targeted patrol (热点 → 巡防) in one step: a patrol point at the hot spot's centre, and for
each chosen day and band a band of that time in every overlapping shift's patrol plan of the
platform, with one crew tasked to the point. The plans' own verification (platforms.patrol) judges
the tasks from the crews' tracks; the tablet lists them with the crew's other tasks.

The point has no platform of its own: a platform's must-patrol points are every shift's duty, and a
hot spot is only the chosen days' and bands'. After the period the hot spot's page compares its
incidents before and during the patrol, and those of the surrounding cells (displacement)."""
from datetime import date, datetime, time, timedelta

import h3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.hotspots import Band, cell_counts
from analysis.models import HotSpotPatrol
from analysis.periods import Period
from grid.models import PatrolPoint
from grid.selectors import served_area_contains
from platforms import patrol
from platforms.models import PatrolBand, PatrolTask, Shift, VehicleKind

MAX_DAYS = 31
RADIUS_M = {7: 600, 8: 300, 9: 150}   # the visit radius: about the cell's inner circle
DWELL_S = 600


def _at(day: date, hour: int) -> datetime:
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.combine(day, time(0)), tz) + timedelta(hours=hour)


def check_request(*, cell: str, starts_on: date, ends_on: date, bands: list[tuple[int, int]], today: date) -> None:
    if not h3.is_valid_cell(cell) or h3.get_resolution(cell) not in RADIUS_M:
        raise ValidationError({"cell": [_("Unknown hot-spot cell.")]})
    lat, lon = h3.cell_to_latlng(cell)
    if not served_area_contains(lon, lat):
        raise ValidationError({"cell": [_("The hot spot lies outside the served area.")]})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The range ends before it starts.")]})
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValidationError({"ends_on": [_("A hot-spot patrol lasts at most %(days)d days.") % {"days": MAX_DAYS}]})
    if ends_on < today:
        raise ValidationError({"ends_on": [_("The patrol's days are all past.")]})
    if not bands:
        raise ValidationError({"bands": [_("Choose at least one band.")]})
    for start, end in bands:
        if not 0 <= start < end <= 24:
            raise ValidationError({"bands": [_("A band runs from an hour to a later hour of the same day (0-24).")]})


@transaction.atomic
def hotspot_patrol_create(*, actor, platform, cell: str, starts_on: date, ends_on: date, bands: list[tuple[int, int]],
                          category: str = "") -> HotSpotPatrol:
    """The patrol point and its tasks in the platform's plans, in one step (all or nothing)."""
    today = timezone.localdate()
    check_request(cell=cell, starts_on=starts_on, ends_on=ends_on, bands=bands, today=today)
    lat, lon = h3.cell_to_latlng(cell)
    serial = PatrolPoint.objects.filter(code__startswith="HS").count() + 1
    point = PatrolPoint.objects.create(code=f"HS{serial:05d}",
                                       name=_("Hot-spot patrol %(cell)s") % {"cell": cell[-7:-3]}, lon=round(lon, 6),
                                       lat=round(lat, 6), radius_m=RADIUS_M[h3.get_resolution(cell)], dwell_s=DWELL_S)
    tasks = []
    day = max(starts_on, today)
    while day <= ends_on:
        for start, end in bands:
            tasks += _tasks_for(platform, point, _at(day, start), _at(day, end), actor)
        day += timedelta(days=1)
    if not tasks:
        raise ValidationError({"bands": [_("The platform has no crew rostered in those days and bands.")]})
    before = Period(starts_on - timedelta(days=28), starts_on - timedelta(days=1))
    found = {"incidents_28_days": cell_counts(before, category=category or None, band=Band(),
                                              resolution=h3.get_resolution(cell)).get(cell, 0)}
    hot_spot = HotSpotPatrol.objects.create(cell=cell, category=category, platform=platform, point=point,
                                            starts_on=starts_on, ends_on=ends_on, bands=[list(b) for b in bands],
                                            found=found, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    hot_spot.tasks.set(tasks)
    return hot_spot


def _tasks_for(platform, point, start: datetime, end: datetime, actor) -> list[PatrolTask]:
    """A band of [start, end) in each main shift of the platform overlapping it, with one crew tasked."""
    shifts = (Shift.objects.filter(squad__platform=platform, secondary=False, starts_at__lt=end, ends_at__gt=start)
              .select_related("squad__platform").order_by("starts_at", "pk"))
    made = []
    for shift in shifts:
        lo, hi = max(start, shift.starts_at), min(end, shift.ends_at)
        if lo >= hi or (crew := _crew(shift, lo, hi)) is None:
            continue
        plan = patrol.patrol_plan_generate(shift=shift, actor=actor)
        mode = patrol.bands_between(lo, hi)[0][2]
        band = PatrolBand.objects.create(plan=plan, starts_at=lo, ends_at=hi, mode=mode)
        made.append(PatrolTask.objects.create(band=band, unit=crew, point=point))
    return made


def _crew(shift, lo: datetime, hi: datetime):
    """The crew to send: not one holding a key site's posts (only they make its 60 s), the one with the
    fewest tasks meanwhile, then by call sign; the platform truck never."""
    crews = list(shift.units.filter(officers__isnull=False).exclude(vehicle__kind=VehicleKind.PLATFORM_TRUCK)
                 .distinct().order_by("call_sign"))
    if not crews:
        return None
    posts = {p.pk for beat in patrol.key_site_posts(list(PatrolPoint.objects.filter(platform=shift.squad.platform)))
             for p in beat}
    busy = PatrolTask.objects.filter(band__plan__shift=shift, band__starts_at__lt=hi, band__ends_at__gt=lo)
    beats = set(busy.filter(point_id__in=posts).values_list("unit_id", flat=True))
    load = {unit.pk: busy.filter(unit=unit).count() for unit in crews}
    free = [unit for unit in crews if unit.pk not in beats] or crews
    return min(free, key=lambda unit: (load[unit.pk], unit.call_sign))


def patrol_effect(hot_spot: HotSpotPatrol, *, today: date | None = None) -> dict:
    """Incidents in the cell and in its ring of neighbours, in the patrol's days against as many days
    just before; and each task as the patrol verification judged it."""
    today = today or timezone.localdate()
    resolution = h3.get_resolution(hot_spot.cell)
    during = Period(hot_spot.starts_on, min(hot_spot.ends_on, today))
    before = Period(hot_spot.starts_on - timedelta(days=during.days), hot_spot.starts_on - timedelta(days=1))
    ring = set(h3.grid_ring(hot_spot.cell, 1))
    result = {"during": during.as_json(), "before": before.as_json(), "started": today >= hot_spot.starts_on}
    for name, span in (("during", during), ("before", before)):
        counts = cell_counts(span, category=hot_spot.category or None, band=Band(), resolution=resolution)
        result[f"cell_{name}"] = counts.get(hot_spot.cell, 0)
        result[f"around_{name}"] = sum(counts.get(c, 0) for c in ring)
    result["tasks"] = [_task_verdict(task) for task in
                       hot_spot.tasks.select_related("band", "unit", "point").order_by("band__starts_at", "pk")]
    return result


def _task_verdict(task) -> dict:
    band = task.band
    verdict = {"task": task.pk, "unit": task.unit.call_sign, "unit_id": task.unit_id,
               "starts_at": timezone.localtime(band.starts_at).isoformat(),
               "ends_at": timezone.localtime(band.ends_at).isoformat(), "done": None}
    if band.starts_at <= timezone.now():
        judged = patrol.task_result(task, patrol.unit_track(task.unit_id, band.starts_at, band.ends_at))
        verdict.update(done=judged["done"], longest_stay_s=judged.get("longest_stay_s"))
    return verdict
