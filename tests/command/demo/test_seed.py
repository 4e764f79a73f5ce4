"""seed_demo builds the demo city at the Xiangyang figures, and a second run changes nothing."""
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from command.models import Membership
from grid.models import KeySite, PatrolPoint, PatrolRoute, ServedArea, Zone
from grid.selectors import locate
from platforms.models import (
    District,
    Officer,
    PatrolPlan,
    PatrolTask,
    Platform,
    RosterPeriod,
    Shift,
    Squad,
    Unit,
    UnitStatus,
)
from platforms.roster_checks import roster_checks

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction rolled back at the end (like setUpTestData);
    each test's own `db` transaction nests inside it as a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="pw-for-tests", days_before=0, days_after=1)
        yield
        transaction.set_rollback(True)


def test_the_city_has_the_published_staffing(seeded):
    assert Counter(Officer.objects.values_list("kind", flat=True)) == {"police": 388, "auxiliary": 776, "traffic_assistant": 261}
    assert (District.objects.count(), Platform.objects.count(), Squad.objects.count()) == (3, 7, 35)
    assert max(Counter(Officer.objects.values_list("platform__code", flat=True)).values()) == 267
    for platform in Platform.objects.all():
        kinds = set(platform.vehicles.values_list("kind", flat=True))
        assert {"patrol_car", "motorcycle", "platform_truck"} <= kinds, platform.code


def test_space_is_seeded(seeded):
    assert ServedArea.objects.count() == 1
    assert (Zone.objects.count(), KeySite.objects.count(), PatrolPoint.objects.count(), PatrolRoute.objects.count()) == (26, 17, 64, 14)
    assert set(Zone.objects.values_list("response_class", flat=True)) == {"city_centre", "other"}
    assert Zone.objects.filter(platform=None).count() == 0


def test_known_places_get_their_targets(seeded):
    peoples_square = KeySite.objects.get(name_en="People's Square")
    assert locate(peoples_square.lon, peoples_square.lat).target_s == 60
    assert locate(121.4700, 31.2250).target_s in (60, 180)  # Huaihai Rd / Xintiandi: the centre


def test_every_crew_is_led_by_a_sworn_officer_and_units_are_on_duty_now(seeded):
    now = timezone.now()
    for unit in Unit.objects.prefetch_related("officers"):
        assert any(o.kind == "police" for o in unit.officers.all()), unit.call_sign
    on_duty = Unit.objects.filter(shift__starts_at__lte=now, shift__ends_at__gt=now)
    assert on_duty.count() > 50
    assert set(on_duty.values_list("status", flat=True)) == {UnitStatus.AVAILABLE}
    assert on_duty.filter(lon=None).count() == 0


def test_five_squads_three_shifts_each_day_and_secondary_squads_at_the_peaks(seeded):
    today = timezone.localdate()
    for platform in Platform.objects.all():
        shifts = Shift.objects.filter(squad__platform=platform, starts_at__date=today)
        assert sorted(shifts.filter(secondary=False).values_list("kind", flat=True)) == ["day", "evening", "night"], platform.code
        peaks = shifts.filter(secondary=True).order_by("starts_at")
        assert [(timezone.localtime(s.starts_at).hour, s.kind) for s in peaks] == [(7, "peak"), (17, "peak")], platform.code


def test_the_current_week_has_an_approved_roster(seeded):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    periods = RosterPeriod.objects.filter(starts_on=monday)
    assert sorted(periods.values_list("platform__code", "status", "ends_on")) == [
        (code, "approved", monday + timedelta(days=6)) for code in sorted(Platform.objects.values_list("code", flat=True))]
    assert not Shift.objects.filter(approved=False).exists()
    assert [roster_checks(period) for period in periods] == [[]] * 7  # no violation, not even a warning: 1:2 in every squad


def test_every_shift_today_has_a_patrol_plan_covering_the_platforms_points_and_routes(seeded):
    today = timezone.localdate()
    shifts = Shift.objects.filter(starts_at__date=today).select_related("squad__platform")
    assert shifts.count() == 35 and PatrolPlan.objects.filter(shift__in=shifts).count() == 35
    for shift in shifts.filter(secondary=False):
        tasks = PatrolTask.objects.filter(band__plan__shift=shift)
        platform = shift.squad.platform
        assert set(tasks.exclude(point=None).values_list("point", flat=True)) == set(platform.patrol_points.values_list("pk", flat=True))
        assert set(tasks.exclude(route=None).values_list("route", flat=True)) == set(platform.patrol_routes.values_list("pk", flat=True))
    assert set(PatrolTask.objects.filter(band__plan__shift__in=shifts).values_list("band__mode", flat=True)) == {
        "posts", "routes", "community"}


def test_more_units_are_on_duty_at_the_peaks(seeded):
    today = timezone.localdate()

    def on_duty(hour):
        moment = timezone.make_aware(datetime.combine(today, time(hour, 30)))
        return Unit.objects.filter(shift__approved=True, shift__starts_at__lte=moment, shift__ends_at__gt=moment).count()
    assert on_duty(7) > on_duty(10) and on_duty(17) > on_duty(20)
    for hour, kind in ((10, "day"), (20, "evening"), (3, "night")):
        assert on_duty(hour) == Unit.objects.filter(shift__starts_at__date=today, shift__kind=kind).count() > 50


def test_demo_logins_have_their_roles_and_the_officer_is_on_duty(seeded):
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"dispatcher": "dispatcher", "supervisor": "supervisor", "district_supervisor": "supervisor",
                     "clerk": "clerk", "officer": "officer", "leader": "leadership"}
    officer = Officer.objects.get(user__username="officer")
    now = timezone.now()
    assert officer.kind == "police"
    assert officer.units.filter(shift__starts_at__lte=now, shift__ends_at__gt=now).exists()


def test_at_the_shift_change_the_officer_login_moves_to_a_crew_of_the_next_shift(seeded):
    from command.demo.seed import officer_login_keep_on_duty

    now = timezone.now()
    first = Officer.objects.get(user__username="officer")
    ends = first.units.get(shift__starts_at__lte=now, shift__ends_at__gt=now).shift.ends_at
    assert officer_login_keep_on_duty(now) is False
    assert officer_login_keep_on_duty(ends) is True
    moved = Officer.objects.get(user__username="officer")
    crew = moved.units.get(shift__starts_at__lte=ends, shift__ends_at__gt=ends)
    assert (moved.pk != first.pk, moved.kind, crew.platform.code, crew.vehicle.kind) == (True, "police", "P01", "patrol_car")
    assert officer_login_keep_on_duty(ends) is False


def test_a_second_run_creates_nothing_new(seeded):
    counts = [model.objects.count() for model in (Officer, Unit, Shift, Zone, Membership)]
    call_command("seed_demo", password="pw-for-tests", days_before=0, days_after=1)
    assert [model.objects.count() for model in (Officer, Unit, Shift, Zone, Membership)] == counts
