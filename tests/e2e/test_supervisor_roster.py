"""A platform supervisor generates, adjusts and approves a week's roster in a real browser."""
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from common.roles import Role
from platforms import patrol, rosters
from platforms.models import Absence, Overtime, RosterPeriod
from tests import factories as f
from tests.e2e.support import ARTIFACTS, log_in, watch
from tests.platforms.roster_support import MONDAY, at, staff


@pytest.fixture
def supervisor_login(transactional_db):
    platform = staff(f.PlatformFactory(code="P01", name="人民广场平台"))
    f.membership(f.UserFactory(username="platform-supervisor"), Role.SUPERVISOR, platform=platform)
    return platform, "platform-supervisor"


def submit(page, form_id: str) -> None:
    with page.expect_navigation():
        page.click(f"#{form_id} [type=submit]")


def generate_and_swap(page):
    """Generate the week (35 shifts, a draft whose checks pass), then swap Monday's day and evening squads."""
    expect(page.locator("#generate-form")).to_be_visible()
    submit(page, "generate-form")
    expect(page.locator("#roster-status")).to_have_attribute("data-status", "draft")
    expect(page.locator(".roster-calendar .shift")).to_have_count(35)
    expect(page.locator(".roster-calendar .shift.secondary")).to_have_count(14)
    period = RosterPeriod.objects.get()
    day, evening = (rosters.shifts_of(period).get(starts_at=at(MONDAY, hour)) for hour in (8, 16))
    page.select_option("#swap-form select[name=shift_a]", str(day.pk))
    page.select_option("#swap-form select[name=shift_b]", str(evening.pk))
    submit(page, "swap-form")
    expect(page.locator("#roster-status")).to_have_attribute("data-version", "2")
    day.refresh_from_db()
    assert day.squad_id == evening.squad_id
    return period, day


def leave_refuses_approval(page, day):
    """The leader of Monday's first car goes on leave: a crew without a sworn officer, approval refused."""
    car = day.units.get(call_sign="P01-C01")
    leader = car.officers.get(kind="police")
    page.select_option("#absence-form select[name=officer]", str(leader.pk))
    page.select_option("#absence-form select[name=kind]", "leave")
    page.fill("#absence-form input[name=starts_at]", "2030-03-04T08:00")
    page.fill("#absence-form input[name=ends_at]", "2030-03-04T16:00")
    page.fill("#absence-form input[name=note]", "年假")
    submit(page, "absence-form")
    expect(page.locator('#roster-checks [data-check="crew"]')).to_have_count(1)
    submit(page, "approve-form")
    expect(page.locator("#roster-errors")).to_contain_text("P01-C01")
    expect(page.locator("#roster-status")).to_have_attribute("data-status", "draft")
    return car, leader


def overtime_then_approve(page, period, car):
    """A sworn officer resting that day does the shift as overtime; the checks pass; approve."""
    resting = rosters.shifts_of(period).get(starts_at=at(MONDAY, 17), secondary=True).squad
    relief = resting.officers.filter(kind="police").order_by("badge_number").first()
    page.select_option("#overtime-form select[name=officer]", str(relief.pk))
    page.select_option("#overtime-form select[name=unit]", str(car.pk))
    page.fill("#overtime-form input[name=reason]", "顶岗")
    submit(page, "overtime-form")
    expect(page.locator("#roster-checks .violations li")).to_have_count(0)
    submit(page, "approve-form")
    expect(page.locator("#roster-status")).to_have_attribute("data-status", "approved")
    expect(page.locator(".roster-calendar .shift.unapproved")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "supervisor-roster.png", full_page=True)
    return relief


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_generates_adjusts_and_approves_a_week(live_server, supervisor_login, chromium, page_errors):
    _platform, username = supervisor_login
    page = watch(chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN"), page_errors)
    log_in(page, live_server.url, username, f"/supervisor/roster/%3Fweek%3D{MONDAY.isoformat()}", live=False)
    period, day = generate_and_swap(page)
    car, leader = leave_refuses_approval(page, day)
    relief = overtime_then_approve(page, period, car)
    connections.close_all()  # the connection opened under Playwright's event loop is its own: close it here

    assert page_errors == []
    period.refresh_from_db()
    assert (period.status, period.version) == ("approved", 4)
    assert list(period.changes.values_list("kind", flat=True)) == ["generated", "swapped", "absence", "overtime", "approved"]
    assert (Absence.objects.get().officer, Overtime.objects.get().officer) == (leader, relief)
    assert not rosters.shifts_of(period).filter(approved=False).exists()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_coverage_map_draws_the_days_points_and_routes(live_server, supervisor_login, chromium, page_errors):
    platform, username = supervisor_login
    yesterday = timezone.localdate() - timedelta(days=1)
    period = rosters.roster_generate(platform=platform, starts_on=yesterday, ends_on=yesterday)
    f.PatrolPointFactory(platform=platform, code="PP1")
    f.PatrolRouteFactory(platform=platform, code="PR1")
    patrol.patrol_plans_for_day(platform=platform, day=yesterday)
    outside = []
    page = watch(chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN"), page_errors)
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    log_in(page, live_server.url, username, f"/supervisor/coverage/%3Fdate%3D{yesterday.isoformat()}", live=False)
    expect(page.locator("#coverage-map")).to_have_attribute("data-ready", "true")
    # no track at all: 3 main shifts miss PP1 and PR1, the 2 peak squads their post PP1
    expect(page.locator("#coverage-gaps tbody tr")).to_have_count(8)
    expect(page.locator('section[aria-labelledby="shifts-title"] h3').first).to_contain_text("00:00–08:00")  # Shanghai time
    page.screenshot(path=ARTIFACTS / "supervisor-coverage.png", full_page=True)
    connections.close_all()
    assert page_errors == [] and outside == []
    assert rosters.shifts_of(period).count() == 5
