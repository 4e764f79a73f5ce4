"""Rosters: the five-squad three-shift rotation over a month, peak double shifts, crews, checks
and approval, adjustments (swap, leave and sickness, overtime) and their refusals."""
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from platforms import rosters
from platforms.models import (
    Absence, Overtime, RosterChange, RosterPeriod, Shift, ShiftKind, Unit,
)
from platforms.roster_checks import roster_checks
from tests import factories as f

pytestmark = pytest.mark.django_db

MONDAY = date(2030, 3, 4)  # far enough ahead that every shift is still to come


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the site's default language is Chinese."""
    with translation.override("en"):
        yield


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return rosters.local_datetime(day, time(hour, minute))


def staff(platform, *, police=3, auxiliaries=6, assistants=2, cars=2, bikes=1, trucks=1, squads=5):
    """Five squads of `police` officers, `auxiliaries` and `assistants`, and a small fleet."""
    for number in range(1, squads + 1):
        squad = f.SquadFactory(platform=platform, number=number, name=f"{number}班")
        for kind, count in (("police", police), ("auxiliary", auxiliaries), ("traffic_assistant", assistants)):
            for n in range(count):
                f.OfficerFactory(platform=platform, squad=squad, kind=kind, badge_number=f"{number}{kind[0]}{n:03d}",
                                 name=f"{number}班{kind[0]}{n}")
    for kind, count, letter in (("patrol_car", cars, "C"), ("motorcycle", bikes, "M"), ("platform_truck", trucks, "T")):
        for n in range(1, count + 1):
            f.VehicleFactory(platform=platform, kind=kind, call_number=f"{platform.code}-{letter}{n:02d}")
    return platform


@pytest.fixture
def staffed(platform):
    return staff(platform)


def generate(platform, days=7, starts_on=MONDAY, **kwargs):
    return rosters.roster_generate(platform=platform, starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1), **kwargs)


def main_shifts(period):
    return rosters.shifts_of(period).filter(secondary=False).select_related("squad")


# --- the rotation -----------------------------------------------------------------------------

class TestRotation:
    def test_each_squad_repeats_its_five_day_pattern_over_a_month(self, staffed):
        period = generate(staffed, days=30)
        by_squad = defaultdict(dict)
        for shift in main_shifts(period):
            by_squad[shift.squad.number][timezone.localdate(shift.starts_at)] = shift.kind
        for number in range(1, 6):
            days = [MONDAY + timedelta(days=n) for n in range(30)]
            pattern = [by_squad[number].get(day, "rest") for day in days]
            assert pattern[:5] == pattern[5:10] == pattern[25:30], number
            assert sorted(pattern[:5]) == ["day", "evening", "night", "rest", "rest"]
            assert "".join(k[0] for k in pattern[:5]) in "nderrnderr"  # night → day → evening → rest → rest, rotated
            assert pattern.count("rest") == 12

    def test_the_squads_follow_one_another_by_a_day(self, staffed):
        period = generate(staffed, days=10)
        day_squads = [shift.squad.number for shift in main_shifts(period).filter(kind="day").order_by("starts_at")]
        assert day_squads == [(MONDAY.toordinal() + n - 2) % 5 + 1 for n in range(10)]  # day is the cycle's second position
        assert len(set(day_squads[:5])) == 5

    def test_every_day_has_one_squad_on_each_shift_at_the_chinese_times(self, staffed):
        period = generate(staffed, days=30)
        per_day = Counter((timezone.localdate(s.starts_at), s.kind, timezone.localtime(s.starts_at).time(),
                           (s.ends_at - s.starts_at).total_seconds()) for s in main_shifts(period))
        for n in range(30):
            day = MONDAY + timedelta(days=n)
            assert {(kind, start) for (d, kind, start, _length) in per_day if d == day} == {
                ("night", time(0)), ("day", time(8)), ("evening", time(16))}
        assert set(per_day.values()) == {1}
        assert {length for (*_rest, length) in per_day} == {8 * 3600}

    def test_a_squad_never_works_two_shifts_back_to_back(self, staffed):
        period = generate(staffed, days=30)
        rests = set()
        for number in range(1, 6):
            shifts = list(rosters.shifts_of(period).filter(squad__number=number).order_by("starts_at"))
            rests |= {(b.starts_at - a.ends_at).total_seconds() / 3600 for a, b in zip(shifts, shifts[1:])}
        # night → day 24 h, day → evening 24 h, evening → evening peak 17 h, → morning peak 12 h, → night 15 h
        assert rests == {24, 17, 12, 15}

    def test_peaks_run_a_main_and_a_secondary_squad_at_once(self, staffed):
        period = generate(staffed, days=7)
        peaks = rosters.shifts_of(period).filter(secondary=True)
        assert peaks.count() == 14
        assert set(peaks.values_list("kind", flat=True)) == {ShiftKind.PEAK}
        for n in range(7):
            day = MONDAY + timedelta(days=n)
            for moment in (at(day, 7, 30), at(day, 17, 30)):
                on = list(rosters.shifts_of(period).filter(starts_at__lte=moment, ends_at__gt=moment))
                assert sorted(s.secondary for s in on) == [False, True]
                assert len({s.squad_id for s in on}) == 2
            for moment in (at(day, 10), at(day, 20), at(day, 3)):
                assert rosters.shifts_of(period).filter(starts_at__lte=moment, ends_at__gt=moment).count() == 1

    def test_the_secondary_squad_is_the_one_resting(self, staffed):
        period = generate(staffed, days=7)
        for peak in rosters.shifts_of(period).filter(secondary=True):
            day = timezone.localdate(peak.starts_at)
            assert not main_shifts(period).filter(squad=peak.squad, starts_at__date=day).exists()

    def test_every_shift_is_crewed_with_its_squads_people_and_vehicles(self, staffed):
        period = generate(staffed, days=1)
        day_shift = main_shifts(period).get(kind="day")
        units = {u.call_sign: u for u in day_shift.units.prefetch_related("officers")}
        assert sorted(units) == ["P01-C01", "P01-C02", "P01-T01"]
        for sign in ("P01-C01", "P01-C02"):
            assert sorted(o.kind for o in units[sign].officers.all()) == ["auxiliary", "auxiliary", "police"]
        assert sorted(o.kind for o in units["P01-T01"].officers.all()) == ["auxiliary"] * 2 + ["police"] + ["traffic_assistant"] * 2
        assert {o.squad_id for u in units.values() for o in u.officers.all()} == {day_shift.squad_id}
        peak = rosters.shifts_of(period).filter(secondary=True).first()
        posts = list(peak.units.prefetch_related("officers"))
        assert [u.call_sign for u in posts] == ["P01-G01", "P01-G02", "P01-G03"]
        assert [u.vehicle for u in posts] == [None, None, None]
        assert [sorted(o.kind for o in u.officers.all())[-1] for u in posts] == ["police"] * 3

    def test_generation_is_recorded_and_leaves_a_draft(self, staffed, supervisor):
        period = generate(staffed, days=7, actor=supervisor)
        assert (period.status, period.version) == ("draft", 1)
        assert not rosters.shifts_of(period).filter(approved=True).exists()
        change = RosterChange.objects.get(period=period)
        assert (change.kind, change.actor, change.detail) == ("generated", supervisor, {"shifts": 35, "units": 3 * 21 + 3 * 14})

    def test_shift_times_cycle_and_peaks_are_configurable(self, staffed):
        pattern = {"cycle": ["day", "night", "rest", "rest"], "starts": {"day": "08:00", "night": "20:00"},
                   "shift_hours": 12, "peaks": []}
        period = generate(staffed, days=8, pattern=pattern)
        shifts = list(rosters.shifts_of(period).order_by("starts_at"))
        assert len(shifts) == 16
        assert {(s.kind, timezone.localtime(s.starts_at).hour, timezone.localtime(s.ends_at).hour) for s in shifts} == {
            ("day", 8, 20), ("night", 20, 8)}
        assert {s.squad.number for s in shifts} == {1, 2, 3, 4}  # squad 5 is left out of a four-day cycle
        assert period.pattern["cycle"] == ["day", "night", "rest", "rest"]


class TestGenerationRefusals:
    def assert_nothing_saved(self):
        assert (RosterPeriod.objects.count(), Shift.objects.count(), Unit.objects.count()) == (0, 0, 0)

    def test_an_unknown_squad(self, platform):
        staff(platform, squads=4)
        with pytest.raises(ValidationError) as error:
            generate(platform)
        assert error.value.message_dict == {"platform": ["人民广场平台 has no squad number 5: the rotation needs squads 1 to 5."]}
        self.assert_nothing_saved()

    def test_the_last_day_before_the_first(self, staffed):
        with pytest.raises(ValidationError) as error:
            rosters.roster_generate(platform=staffed, starts_on=MONDAY, ends_on=MONDAY - timedelta(days=1))
        assert error.value.message_dict == {"ends_on": ["The last day comes before the first."]}
        self.assert_nothing_saved()

    @pytest.mark.parametrize(("pattern", "message"), [
        ({"shift_hours": 0}, "A shift must end after it starts and last at most 12 hours."),
        ({"shift_hours": -8}, "A shift must end after it starts and last at most 12 hours."),
        ({"peaks": [{"starts": "09:00", "ends": "07:00", "rest_day": 1}]}, "A peak window must end after it starts."),
        ({"peaks": [{"starts": "07:00", "ends": "09:00", "rest_day": 3}]},
         "A peak window's squad must be on one of the cycle's 2 rest days."),
        ({"starts": {"day": "25:00"}}, "starts.day is not a time of day (HH:MM)."),
        ({"cycle": ["day", "brunch", "rest"]}, "The cycle must list 3 to 20 days, each a shift (day, evening, night) or rest."),
    ])
    def test_a_bad_pattern(self, staffed, pattern, message):
        with pytest.raises(ValidationError) as error:
            generate(staffed, pattern=pattern)
        assert error.value.message_dict == {"pattern": [message]}
        self.assert_nothing_saved()

    def test_overlapping_periods(self, staffed):
        generate(staffed)
        with pytest.raises(ValidationError) as error:
            generate(staffed, starts_on=MONDAY + timedelta(days=3))
        assert error.value.code == "conflict"
        assert error.value.messages == ["These days overlap the roster 2030-03-04 to 2030-03-10."]
        assert RosterPeriod.objects.count() == 1

    def test_shifts_made_by_hand_in_the_days(self, staffed):
        f.ShiftFactory(squad=staffed.squads.first(), starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 17))
        with pytest.raises(ValidationError) as error:
            generate(staffed)
        assert (error.value.code, error.value.messages) == ("conflict", ["Shifts outside any roster already start on these days."])
        assert (RosterPeriod.objects.count(), Shift.objects.count()) == (0, 1)
