"""Rosters: the five-squad three-shift rotation over a month, peak double shifts, crews, adjustments
(swap, leave and sickness, overtime) and their refusals, approval withdrawn by edits, the changeover
(the checks that approval runs: test_roster_checks.py)."""
from collections import Counter, defaultdict
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from platforms import rosters
from platforms.models import (
    Absence,
    Overtime,
    RosterChange,
    RosterPeriod,
    Shift,
    ShiftKind,
    Unit,
)
from platforms.roster_checks import roster_checks
from tests import factories as f
from tests.platforms.roster_support import MONDAY, at, findings_of, generate, police_of, shift_at, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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


# --- adjustments ------------------------------------------------------------------------------

@pytest.fixture
def approved(staffed, supervisor):
    return rosters.roster_approve(period=generate(staffed), actor=supervisor)[0]


class TestSwap:
    def test_two_shifts_exchange_squads_and_are_crewed_afresh(self, approved, supervisor):
        day, evening = shift_at(approved, MONDAY, 8), shift_at(approved, MONDAY, 16)
        day_squad, evening_squad = day.squad, evening.squad
        period = rosters.roster_swap(period=approved, shift_a=day.pk, shift_b=evening.pk, actor=supervisor)
        day.refresh_from_db()
        evening.refresh_from_db()
        assert (day.squad, evening.squad) == (evening_squad, day_squad)
        assert {o.squad_id for u in day.units.all() for o in u.officers.all()} == {evening_squad.pk}
        assert sorted(day.units.values_list("call_sign", flat=True)) == ["P01-C01", "P01-C02", "P01-T01"]
        assert (period.status, period.version) == ("draft", 2)
        assert list(period.changes.values_list("kind", "version")) == [
            ("generated", 1), ("approved", 1), ("swapped", 2), ("unapproved", 2)]
        assert rosters.shifts_of(period).filter(approved=True).count() == 0  # all still to come
        assert roster_checks(period) == []

    def test_a_squad_on_two_shifts_at_once_is_refused(self, approved, supervisor):
        day, peak = shift_at(approved, MONDAY, 8), shift_at(approved, MONDAY, 7, secondary=True)
        later = rosters.shifts_of(approved).exclude(pk=day.pk).filter(squad=day.squad).order_by("starts_at").first()
        with pytest.raises(ValidationError) as error:
            rosters.roster_swap(period=approved, shift_a=peak.pk, shift_b=later.pk, actor=supervisor)
        assert error.value.message_dict == {"shift_b": [
            f"{day.squad.name} would work two shifts at once: Day shift 03-04 08:00–16:00 and "
            f"Peak (secondary squad) 03-04 07:00–09:00."]}
        self.assert_unchanged(approved, peak, later)

    @pytest.mark.parametrize(("pick", "message"), [
        (lambda p: (shift_at(p, MONDAY, 8), shift_at(p, MONDAY, 8)), {"shift_b": ["Choose two shifts of different squads."]}),
        (lambda p: (shift_at(p, MONDAY, 8), None), {"shift_b": ["No such shift in this roster."]}),
    ])
    def test_bad_pairs(self, approved, supervisor, pick, message):
        a, b = pick(approved)
        with pytest.raises(ValidationError) as error:
            rosters.roster_swap(period=approved, shift_a=a.pk, shift_b=b.pk if b else 0, actor=supervisor)
        assert error.value.message_dict == message
        self.assert_unchanged(approved, a, a)

    def test_a_shift_of_another_platform_is_unknown(self, approved, supervisor, other_platform):
        stranger = f.ShiftFactory(squad__platform=other_platform, starts_at=at(MONDAY, 8))
        with pytest.raises(ValidationError) as error:
            rosters.roster_swap(period=approved, shift_a=shift_at(approved, MONDAY, 16).pk, shift_b=stranger.pk,
                                actor=supervisor)
        assert error.value.message_dict == {"shift_b": ["No such shift in this roster."]}

    def test_a_shift_under_way_cannot_be_swapped(self, staffed, supervisor):
        today = timezone.localdate()
        period = generate(staffed, starts_on=today)
        night, day = shift_at(period, today, 0), shift_at(period, today, 8)
        with pytest.raises(ValidationError) as error:
            rosters.roster_swap(period=period, shift_a=night.pk, shift_b=day.pk, actor=supervisor)
        assert error.value.message_dict == {"shift_a": ["Only shifts still to come can be swapped."]}

    def assert_unchanged(self, period, *shifts):
        fresh = RosterPeriod.objects.get(pk=period.pk)
        assert (fresh.status, fresh.version, fresh.changes.count()) == ("approved", 1, 2)
        for shift in shifts:
            assert Shift.objects.get(pk=shift.pk).squad_id == shift.squad_id
            assert shift.units.count() > 0


class TestAbsence:
    def test_sickness_takes_the_officer_off_every_crew_it_overlaps(self, approved, supervisor):
        day = shift_at(approved, MONDAY, 8)
        officer = day.squad.officers.filter(kind="auxiliary").order_by("badge_number").first()
        before = set(officer.units.values_list("pk", flat=True))
        absence = rosters.roster_mark_absence(period=approved, officer=officer, kind="sick", starts_at=at(MONDAY, 0),
                                              ends_at=at(MONDAY + timedelta(days=2), 0), note="发烧", actor=supervisor)
        gone = {pk for pk in before if Unit.objects.get(pk=pk).shift.starts_at < absence.ends_at}
        assert gone and set(officer.units.values_list("pk", flat=True)) == before - gone
        period = RosterPeriod.objects.get(pk=approved.pk)
        assert (period.status, period.version) == ("draft", 2)
        change = period.changes.get(kind="absence")
        assert change.summary == f"{officer.name}: Sickness from 03-04 00:00 to 03-06 00:00, taken off {len(gone)} crews."
        assert (change.detail["absence"], sorted(change.detail["units"])) == (absence.pk, sorted(gone))

    def test_leave_of_the_only_sworn_officer_of_a_crew_then_overtime_fills_it(self, approved, supervisor):
        day = shift_at(approved, MONDAY, 8)
        car = day.units.get(call_sign="P01-C01")
        leader = car.officers.get(kind="police")
        rosters.roster_mark_absence(period=approved, officer=leader, kind="leave", starts_at=at(MONDAY, 8),
                                    ends_at=at(MONDAY, 16), actor=supervisor)
        assert [c.message for c in findings_of(approved, "crew")] == ["Crew P01-C01 (03-04 08:00) has no sworn police officer."]
        with pytest.raises(rosters.RosterRefused):
            rosters.roster_approve(period=approved, actor=supervisor)
        resting = police_of(shift_at(approved, MONDAY, 17, secondary=True)).first()
        overtime = rosters.roster_add_overtime(period=approved, officer=resting, unit=car, reason="顶岗", actor=supervisor)
        assert (overtime.hours, overtime.reason, overtime.recorded_by) == (8.0, "顶岗", supervisor)
        assert set(car.officers.values_list("kind", flat=True)) == {"police", "auxiliary"}
        assert findings_of(approved, "crew") == []
        period, _warnings = rosters.roster_approve(period=approved, actor=supervisor)
        assert period.status == "approved"
        assert list(period.changes.values_list("kind", flat=True)) == [
            "generated", "approved", "absence", "unapproved", "overtime", "approved"]

    @pytest.mark.parametrize(("hours", "field", "message"), [
        ((8, 8), "ends_at", "The absence must end after it starts."),
        ((16, 8), "ends_at", "The absence must end after it starts."),
    ])
    def test_an_absence_ending_before_it_starts(self, approved, supervisor, hours, field, message):
        officer = police_of(shift_at(approved, MONDAY, 8)).first()
        with pytest.raises(ValidationError) as error:
            rosters.roster_mark_absence(period=approved, officer=officer, kind="leave", starts_at=at(MONDAY, hours[0]),
                                        ends_at=at(MONDAY, hours[1]), actor=supervisor)
        assert error.value.message_dict == {field: [message]}
        self.assert_unchanged(approved)

    def test_overlapping_absences_and_strangers_are_refused(self, approved, supervisor, other_platform):
        officer = police_of(shift_at(approved, MONDAY, 8)).first()
        rosters.roster_mark_absence(period=approved, officer=officer, kind="leave", starts_at=at(MONDAY, 8),
                                    ends_at=at(MONDAY, 16), actor=supervisor)
        with pytest.raises(ValidationError) as error:
            rosters.roster_mark_absence(period=approved, officer=officer, kind="sick", starts_at=at(MONDAY, 12),
                                        ends_at=at(MONDAY, 20), actor=supervisor)
        assert error.value.message_dict == {"starts_at": [f"{officer.name} is already recorded away at that time."]}
        stranger = f.OfficerFactory(platform=other_platform, name="外人")
        with pytest.raises(ValidationError) as error:
            rosters.roster_mark_absence(period=approved, officer=stranger, kind="sick", starts_at=at(MONDAY, 8),
                                        ends_at=at(MONDAY, 9), actor=supervisor)
        assert error.value.message_dict == {"officer": ["外人 is not on this roster's platform."]}
        with pytest.raises(ValidationError) as error:
            rosters.roster_mark_absence(period=approved, officer=officer, kind="sick", starts_at=at(MONDAY, 0) - timedelta(days=3),
                                        ends_at=at(MONDAY, 0), actor=supervisor)
        assert error.value.message_dict == {"starts_at": ["The absence falls outside this roster's days."]}
        assert Absence.objects.count() == 1

    def assert_unchanged(self, period):
        fresh = RosterPeriod.objects.get(pk=period.pk)
        assert (fresh.status, fresh.version, Absence.objects.count()) == ("approved", 1, 0)


class TestOvertime:
    def test_someone_already_on_duty_then_is_refused(self, approved, supervisor):
        day = shift_at(approved, MONDAY, 8)
        busy = police_of(shift_at(approved, MONDAY, 7, secondary=True)).first()
        with pytest.raises(ValidationError) as error:
            rosters.roster_add_overtime(period=approved, officer=busy, unit=day.units.first(), actor=supervisor)
        assert error.value.message_dict == {"officer": [
            f"{busy.name} is already on duty at that time, in P01-G01 (Peak (secondary squad) 03-04 07:00–09:00)."]}
        self.assert_unchanged(approved)

    def test_someone_away_then_is_refused(self, approved, supervisor):
        resting = police_of(shift_at(approved, MONDAY, 17, secondary=True)).first()
        Absence.objects.create(officer=resting, kind="leave", starts_at=at(MONDAY, 0), ends_at=at(MONDAY, 12))
        with pytest.raises(ValidationError) as error:
            rosters.roster_add_overtime(period=approved, officer=resting, unit=shift_at(approved, MONDAY, 8).units.first(),
                                        actor=supervisor)
        assert error.value.message_dict == {"officer": [f"{resting.name} is recorded away at that time."]}
        self.assert_unchanged(approved)

    def test_a_unit_outside_the_roster_is_unknown(self, approved, supervisor):
        resting = police_of(shift_at(approved, MONDAY, 17, secondary=True)).first()
        with pytest.raises(ValidationError) as error:
            rosters.roster_add_overtime(period=approved, officer=resting, unit=f.UnitFactory(), actor=supervisor)
        assert error.value.message_dict == {"unit": ["No such unit in this roster."]}
        self.assert_unchanged(approved)

    def assert_unchanged(self, period):
        fresh = RosterPeriod.objects.get(pk=period.pk)
        assert (fresh.status, fresh.version, Overtime.objects.count()) == ("approved", 1, 0)


class TestApprovalWithdrawal:
    def test_an_edit_during_the_period_keeps_shifts_under_way_approved(self, staffed, supervisor):
        today = timezone.localdate()
        period = rosters.roster_approve(period=generate(staffed, starts_on=today, days=2), actor=supervisor)[0]
        officer = police_of(shift_at(period, today + timedelta(days=1), 8)).first()
        rosters.roster_mark_absence(period=period, officer=officer, kind="sick", starts_at=at(today + timedelta(days=1), 0),
                                    ends_at=at(today + timedelta(days=2), 0), actor=supervisor)
        now = timezone.now()
        shifts = rosters.shifts_of(period)
        assert shifts.filter(starts_at__lte=now).exists()
        assert set(shifts.filter(starts_at__lte=now).values_list("approved", flat=True)) == {True}  # crews stay on the board
        assert set(shifts.filter(starts_at__gt=now).values_list("approved", flat=True)) == {False}
        assert RosterPeriod.objects.get(pk=period.pk).status == "draft"

    def test_approving_an_approved_roster_changes_nothing(self, staffed, supervisor):
        period = rosters.roster_approve(period=generate(staffed, days=1), actor=supervisor)[0]
        again, warnings = rosters.roster_approve(period=period, actor=supervisor)
        assert (again.status, again.version, warnings) == ("approved", 1, [])
        assert list(again.changes.values_list("kind", flat=True)) == ["generated", "approved"]


class TestShiftChangeover:
    def test_units_come_on_and_go_off_the_board_with_their_shifts(self, staffed, supervisor, django_capture_on_commit_callbacks):
        today = timezone.localdate()
        period = rosters.roster_approve(period=generate(staffed, starts_on=today - timedelta(days=1), days=2),
                                        actor=supervisor)[0]
        now = timezone.now()
        running = rosters.shifts_of(period).filter(starts_at__lte=now, ends_at__gt=now)
        over = rosters.shifts_of(period).filter(ends_at__lte=now)
        Unit.objects.filter(shift__in=over).update(status="available")
        on_a_job = Unit.objects.filter(shift__in=over).first()
        Unit.objects.filter(pk=on_a_job.pk).update(status="en_route")
        empty = Unit.objects.filter(shift__in=running).first()
        empty.officers.clear()
        with django_capture_on_commit_callbacks() as sent:
            counts = rosters.shift_changeover(now=now)
        expected_on = Unit.objects.filter(shift__in=running).count() - 1
        assert counts == {"on": expected_on, "off": Unit.objects.filter(shift__in=over).count() - 1}
        assert len(sent) == counts["on"] + counts["off"]  # one unit.status event each, after commit
        assert set(Unit.objects.filter(shift__in=running).exclude(pk=empty.pk).values_list("status", flat=True)) == {"available"}
        assert Unit.objects.get(pk=empty.pk).status == "off_duty"  # nobody to send
        assert Unit.objects.get(pk=on_a_job.pk).status == "en_route"  # goes off when it clears
        assert set(Unit.objects.filter(shift__in=over).exclude(pk=on_a_job.pk).values_list("status", flat=True)) == {"off_duty"}
        assert rosters.shift_changeover(now=now) == {"on": 0, "off": 0}

    def test_units_of_unapproved_shifts_stay_off_the_board(self, staffed):
        today = timezone.localdate()
        period = generate(staffed, starts_on=today, days=1)
        assert rosters.shift_changeover() == {"on": 0, "off": 0}
        assert set(Unit.objects.filter(shift__in=rosters.shifts_of(period)).values_list("status", flat=True)) == {"off_duty"}

    def test_beat_runs_the_changeover_task(self, settings, staffed, supervisor):
        from command.celery import app
        from platforms import tasks

        app.loader.import_default_modules()
        entry = settings.CELERY_BEAT_SCHEDULE["shift-changeover"]
        assert (entry["task"], entry["schedule"], entry["task"] in app.tasks) == ("platforms.tasks.shift_changeover", 30.0, True)
        rosters.roster_approve(period=generate(staffed, starts_on=timezone.localdate(), days=1), actor=supervisor)
        running = Unit.objects.filter(shift__starts_at__lte=timezone.now(), shift__ends_at__gt=timezone.now())
        assert tasks.shift_changeover.apply().get() == {"on": running.count(), "off": 0}
