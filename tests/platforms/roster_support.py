"""Helpers the roster, patrol and roster-page tests share: a staffed platform and its days."""
from datetime import date, datetime, time, timedelta

from platforms import rosters, rotation
from platforms.models import Squad
from platforms.roster_checks import roster_checks
from tests import factories as f

MONDAY = date(2030, 3, 4)  # far enough ahead that every shift is still to come


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return rotation.local_datetime(day, time(hour, minute))


def staff(platform, *, police=3, auxiliaries=6, assistants=2, cars=2, bikes=1, trucks=1, squads=5):
    """Five squads of `police` officers, `auxiliaries` and `assistants`, and a small fleet."""
    for number in range(1, squads + 1):
        squad = Squad.objects.get_or_create(platform=platform, number=number, defaults={"name": f"{number}班"})[0]
        for kind, count in (("police", police), ("auxiliary", auxiliaries), ("traffic_assistant", assistants)):
            for n in range(count):
                f.OfficerFactory(platform=platform, squad=squad, kind=kind, badge_number=f"{platform.code}{number}{kind[0]}{n:03d}",
                                 name=f"{number}班{kind[0]}{n}")
    for kind, count, letter in (("patrol_car", cars, "C"), ("motorcycle", bikes, "M"), ("platform_truck", trucks, "T")):
        for n in range(1, count + 1):
            f.VehicleFactory(platform=platform, kind=kind, call_number=f"{platform.code}-{letter}{n:02d}")
    return platform


def generate(platform, days=7, starts_on=MONDAY, **kwargs):
    return rosters.roster_generate(platform=platform, starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1), **kwargs)


def shift_at(period, day, hour, secondary=False):
    return rosters.shifts_of(period).select_related("squad").get(starts_at=at(day, hour), secondary=secondary)


def police_of(shift):
    return shift.squad.officers.filter(kind="police").order_by("badge_number")


def findings_of(period, check):
    return [finding for finding in roster_checks(period) if finding.check == check]
