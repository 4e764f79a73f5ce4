"""A band to plan and what the approved roster puts on the street in it.

The bands are the patrol plan's (`platforms.patrol.DAY_BANDS`: the peaks at fixed posts, routes
off-peak, the communities at night with the night reserve kept at the platform). Staffing is read
from the approved shifts only: the crews on duty for the whole band (the fewest at any moment of
it, since shifts change inside a band), not counting the platform truck, which is the platform
itself and stands where the platform stands."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.models import Platform, RosterPeriod, RosterStatus, Unit, VehicleKind
from platforms.patrol import bands_between

COMMUNITY, POSTS, ROUTES = "community", "posts", "routes"


class NoCrews(ValueError):
    """The band has no crew on duty in the plan's scope."""


@dataclass(frozen=True)
class Band:
    starts_at: datetime
    ends_at: datetime
    mode: str

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


@dataclass
class Staffing:
    """Crews per platform code for the whole band; whether its truck is crewed; the crews' unit ids
    (main and secondary squads) at the band's start."""

    crews: dict = field(default_factory=dict)
    trucks: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.crews.values())


def day_bands(day: date) -> list[Band]:
    """The bands of a local day, in order."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time(0)), tz)
    return [Band(lo, hi, mode) for lo, hi, mode in bands_between(start, start + timedelta(days=1))]


def band_at(moment: datetime) -> Band:
    """The band running at `moment`."""
    for band in day_bands(timezone.localtime(moment).date()):
        if band.starts_at <= moment < band.ends_at:
            return band
    raise ValueError(f"no band at {moment.isoformat()}")  # the day's bands cover it: never reached


def band_starting(starts_at: datetime) -> Band | None:
    """The band that starts at `starts_at` (a local time on the hour of a band's start), or None."""
    return next((b for b in day_bands(timezone.localtime(starts_at).date()) if b.starts_at == starts_at), None)


def crews_on_duty(platforms: list[Platform], band: Band) -> Staffing:
    """The approved roster's crews in the band, per platform: the fewest on duty at any moment of it."""
    overlapping = (Unit.objects.filter(platform__in=platforms, shift__approved=True, shift__starts_at__lt=band.ends_at,
                                       shift__ends_at__gt=band.starts_at)
                   .annotate(people=Count("officers")).filter(people__gt=0)
                   .values_list("pk", "platform__code", "vehicle__kind", "shift__starts_at", "shift__ends_at"))
    rows = list(overlapping)
    moments = sorted({band.starts_at} | {start for *_rest, start, _end in rows if band.starts_at < start < band.ends_at})
    staffing = Staffing()
    for platform in platforms:
        mine = [r for r in rows if r[1] == platform.code]
        crews = [r for r in mine if r[2] != VehicleKind.PLATFORM_TRUCK]
        staffing.crews[platform.code] = min(sum(1 for r in crews if r[3] <= t < r[4]) for t in moments)
        staffing.trucks[platform.code] = any(r[2] == VehicleKind.PLATFORM_TRUCK and r[3] <= band.starts_at < r[4]
                                             for r in mine)
        staffing.units[platform.code] = sorted(r[0] for r in crews if r[3] <= band.starts_at < r[4])
    return staffing


def require_crews(staffing: Staffing, band: Band) -> None:
    if staffing.total == 0:
        start, end = timezone.localtime(band.starts_at), timezone.localtime(band.ends_at)
        raise NoCrews(_("No crew is on duty from %(start)s to %(end)s in the platforms chosen: the plan needs an "
                        "approved roster with crewed units in that band.")
                      % {"start": f"{start:%m-%d %H:%M}", "end": f"{end:%H:%M}"})


def roster_versions(platforms: list[Platform], band: Band) -> dict:
    """{period id: version} of the approved roster periods the band falls in, for the plan to be
    checked against when it is accepted."""
    first = timezone.localtime(band.starts_at).date()
    last = timezone.localtime(band.ends_at - timedelta(microseconds=1)).date()
    periods = RosterPeriod.objects.filter(Q(platform__in=platforms), starts_on__lte=last, ends_on__gte=first,
                                          status=RosterStatus.APPROVED)
    return {str(pk): version for pk, version in periods.values_list("pk", "version")}
