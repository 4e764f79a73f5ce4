"""The checks a roster's approval runs (platforms.roster_checks), each on a crafted violation, and
approval refused on a hard one."""
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from platforms import rosters
from platforms.models import RosterPeriod, Unit
from platforms.roster_checks import roster_checks
from tests import factories as f
from tests.platforms.roster_support import MONDAY, at, findings_of, generate, police_of, shift_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class TestChecks:
    def test_a_generated_roster_is_clean_and_is_approved(self, staffed, supervisor):
        period = generate(staffed)
        assert roster_checks(period) == []
        period, warnings = rosters.roster_approve(period=period, actor=supervisor)
        assert (period.status, period.approved_by, warnings) == ("approved", supervisor, [])
        assert rosters.shifts_of(period).filter(approved=False).count() == 0
        assert list(period.changes.values_list("kind", flat=True)) == ["generated", "approved"]

    def test_units_count_as_on_duty_only_once_approved(self, staffed, supervisor):
        period = generate(staffed)
        unit = shift_at(period, MONDAY, 8).units.first()
        assert not unit.is_on_duty(at(MONDAY, 9))
        rosters.roster_approve(period=period, actor=supervisor)
        unit.refresh_from_db()
        assert unit.is_on_duty(at(MONDAY, 9))
        assert not unit.is_on_duty(at(MONDAY, 17))

    def test_a_gap_below_the_platforms_minimum(self, staffed, supervisor):
        staffed.min_units_on_duty = 4  # three crews a shift; six at the peaks
        staffed.save()
        period = generate(staffed)
        gaps = findings_of(period, "gap")
        assert len(gaps) == 15  # Monday 00–07, then 09–17 and 19–07 each day
        assert gaps[0].message == "Gap: from 03-04 00:00 to 03-04 07:00 only 3 units are on duty; the platform needs at least 4."
        assert gaps[1].message == "Gap: from 03-04 09:00 to 03-04 17:00 only 3 units are on duty; the platform needs at least 4."
        assert gaps[-1].message == "Gap: from 03-10 19:00 to 03-11 00:00 only 3 units are on duty; the platform needs at least 4."
        assert {g.hard for g in gaps} == {True}
        self.assert_refused(period, supervisor, gaps[0].message, count=15)

    def test_a_crew_emptied_of_officers_leaves_a_gap(self, staffed, supervisor):
        night = shift_at(period := generate(staffed), MONDAY, 0)
        for unit in night.units.all()[:2]:
            unit.officers.clear()
        gaps = findings_of(period, "gap")
        assert [g.message for g in gaps] == [
            "Gap: from 03-04 00:00 to 03-04 07:00 only 1 units are on duty; the platform needs at least 2."]

    def test_a_crew_without_a_sworn_officer(self, staffed, supervisor):
        period = generate(staffed)
        unit = shift_at(period, MONDAY, 8).units.get(call_sign="P01-C01")
        unit.officers.remove(*unit.officers.filter(kind="police"))
        crews = findings_of(period, "crew")
        assert [(c.message, c.hard) for c in crews] == [("Crew P01-C01 (03-04 08:00) has no sworn police officer.", True)]
        self.assert_refused(period, supervisor, crews[0].message)

    def test_fewer_than_one_officer_to_two_auxiliaries_is_a_warning(self, staffed, supervisor):
        period = generate(staffed)
        day = shift_at(period, MONDAY, 8)
        truck = day.units.get(call_sign="P01-T01")
        truck.officers.add(*[f.OfficerFactory(platform=staffed, squad=day.squad, kind="auxiliary") for _ in range(3)])
        ratio = findings_of(period, "ratio")
        assert [(r.message, r.hard) for r in ratio] == [
            (f"{day.squad.name} 03-04 08:00: 3 police officers for 9 auxiliaries, fewer than one officer to two auxiliaries.", False)]
        period, warnings = rosters.roster_approve(period=period, actor=supervisor)
        assert period.status == "approved"
        assert [w.message for w in warnings] == [ratio[0].message]
        assert period.changes.get(kind="approved").detail == {"warnings": [ratio[0].message]}

    def test_a_person_in_two_places_at_once(self, staffed, supervisor):
        period = generate(staffed)
        officer = police_of(shift_at(period, MONDAY, 8)).first()
        shift_at(period, MONDAY, 7, secondary=True).units.first().officers.add(officer)
        clashes = findings_of(period, "two_places")
        assert [(c.message, c.hard) for c in clashes] == [
            (f"{officer.name} is in two places at once: P01-G01 and P01-C02 from 03-04 08:00.", True)]
        self.assert_refused(period, supervisor, clashes[0].message)

    def test_too_long_without_a_break(self, staffed, supervisor):
        period = generate(staffed)
        officer = police_of(shift_at(period, MONDAY, 8)).first()
        shift_at(period, MONDAY, 16).units.first().officers.add(officer)
        runs = findings_of(period, "continuous_hours")
        assert [(r.message, r.hard) for r in runs] == [
            (f"{officer.name} works 16 hours without a break from 03-04 08:00, over the limit of 12.", True)]
        self.assert_refused(period, supervisor, runs[0].message)

    def test_over_the_weekly_hours_is_a_warning(self, staffed, supervisor, settings):
        settings.ROSTER_MAX_WEEKLY_HOURS = 40
        period = generate(staffed)
        weekly = findings_of(period, "weekly_hours")
        worked = Counter()
        for unit in Unit.objects.filter(shift__in=rosters.shifts_of(period)).prefetch_related("officers").select_related("shift"):
            for officer in unit.officers.all():
                worked[officer] += (unit.shift.ends_at - unit.shift.starts_at).total_seconds() / 3600
        over = sorted(officer.name for officer, hours in worked.items() if hours > 40)
        assert over and sorted(w.message.split(" is rostered")[0] for w in weekly) == over
        assert {w.hard for w in weekly} == {False}
        first = next(o for o in worked if o.name == over[0])
        assert f"{first.name} is rostered {worked[first]:g} hours in the week from 03-04, over the limit of 40." in [
            w.message for w in weekly]
        assert rosters.roster_approve(period=period, actor=supervisor)[0].status == "approved"

    def test_approval_of_a_version_no_longer_current_is_refused(self, staffed, supervisor):
        period = generate(staffed)
        period.version = 3
        period.save()
        with pytest.raises(ValidationError) as error:
            rosters.roster_approve(period=period, actor=supervisor, version=2)
        assert (error.value.code, error.value.messages) == (
            "conflict", ["The roster changed since you checked it (now version 3): review it again."])
        assert RosterPeriod.objects.get().status == "draft"

    def assert_refused(self, period, supervisor, message, count=1):
        with pytest.raises(rosters.RosterRefused) as refused:
            rosters.roster_approve(period=period, actor=supervisor)
        assert message in [v.message for v in refused.value.violations]
        assert len(refused.value.violations) == count
        period.refresh_from_db()
        assert period.status == "draft"
        assert not rosters.shifts_of(period).filter(approved=True).exists()
        assert not period.changes.filter(kind="approved").exists()
