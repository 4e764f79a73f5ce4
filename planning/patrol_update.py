"""An accepted plan rewrites its band's patrol tasks (platforms.patrol's plans): each platform's
crews take the plan's tasks in order (the posts it holds, the routes, the zones), each task as
many crews as the plan gives it; crews left over patrol the platform's zones, and a secondary
squad's foot crews double the posts, as the seeded plans do; at night the reserve's crews keep no
patrol task (they wait with the truck at the stand). Only the patrol bands inside the plan's
band change; the others, and every band of a shift not approved, are left as they are."""
from grid.models import PatrolPoint, PatrolRoute, Zone
from planning.models import DeploymentPlan
from platforms.models import PatrolBand, PatrolTask, Platform, VehicleKind

MODELS = {"post": ("point", PatrolPoint), "route": ("route", PatrolRoute), "zone": ("zone", Zone)}
RESERVE = "reserve"


def plan_slots(row: dict) -> list[tuple[str, int]]:
    """One platform's tasks as slots, one a crew: [(kind, pk)], posts first, then routes, then zones."""
    order = {"post": 0, "route": 1, "zone": 2}
    tasks = sorted(row["tasks"], key=lambda t: (order[t["kind"]], t["code"]))
    return [(t["kind"], t["pk"]) for t in tasks for _ in range(int(round(t["crews"])))]


def assign(slots: list, crews: list, zones: list, *, secondary: bool, reserve: int = 0) -> list[tuple]:
    """(crew, kind, pk) for every crew: a main shift's first `reserve` crews kept ready with the
    truck ("reserve", None: no patrol task), then the slots in order; a main shift's spare crews
    round the zones, a secondary squad's round the posts again (the main shift holds the rest)."""
    posts = [slot for slot in slots if slot[0] == "post"] or slots
    if secondary:
        return [(crew, *posts[n % len(posts)]) for n, crew in enumerate(crews)] if posts else []
    kept = [(crew, RESERVE, None) for crew in crews[:reserve]]
    crews = crews[reserve:]
    found = kept + [(crew, *slot) for crew, slot in zip(crews, slots)]
    spare = crews[len(slots):]
    if spare and zones:
        found += [(crew, "zone", zones[n % len(zones)]) for n, crew in enumerate(spare)]
    elif spare and slots:
        found += [(crew, *slots[n % len(slots)]) for n, crew in enumerate(spare)]
    return found


def rewrite_band(plan: DeploymentPlan, platforms: list[Platform]) -> int:
    """Replace the tasks of every patrol band inside the plan's band; returns the tasks written."""
    rows = {row["code"]: row for row in plan.result["platforms"]}
    written = 0
    for platform in platforms:
        row = rows.get(platform.code)
        if row is None:
            continue
        slots = plan_slots(row)
        zones = list(Zone.objects.filter(platform=platform).order_by("code").values_list("pk", flat=True))
        for band in _bands(platform, plan):
            written += _rewrite(band, slots, zones, row.get("reserve", 0))
    return written


def _bands(platform: Platform, plan: DeploymentPlan):
    return (PatrolBand.objects.filter(plan__shift__squad__platform=platform, plan__shift__approved=True,
                                      starts_at__gte=plan.starts_at, ends_at__lte=plan.ends_at)
            .select_related("plan__shift").order_by("starts_at", "pk"))


def _rewrite(band: PatrolBand, slots: list, zones: list, reserve: int) -> int:
    shift = band.plan.shift
    crews = list(shift.units.filter(officers__isnull=False).exclude(vehicle__kind=VehicleKind.PLATFORM_TRUCK)
                 .distinct().order_by("call_sign"))
    band.tasks.all().delete()
    tasks = [PatrolTask(band=band, unit=crew, **{MODELS[kind][0] + "_id": pk})
             for crew, kind, pk in assign(slots, crews, zones, secondary=shift.secondary, reserve=reserve)
             if kind != RESERVE]
    PatrolTask.objects.bulk_create(tasks)
    return len(tasks)
