"""A band's plan on the demo city (its roads, zones, key sites, stands and rosters): solved exactly,
asked for, run, accepted (the platform moves scheduled at the band's start, the band's patrol tasks
rewritten, who approved recorded), carried out; a plan made on an older roster refused."""
from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone, translation

from planning import bands, city, demand, services
from planning.models import DeploymentPlan, PlannedMove, Stand
from platforms import events
from platforms.models import District, PatrolTask, Platform, RosterPeriod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture(autouse=True)
def _steady_geometry(monkeypatch):
    """The city does not change inside a test: the spatial index and the congestion bands are read
    once a second, as in production, not on each of the planner's thousands of travel-time calls
    (tests/conftest.py rereads them on every call so that other tests see their rows at once)."""
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)


@pytest.fixture
def monday_early(monkeypatch):
    """Monday 06:00 of the seeded week: the day's bands are still to come."""
    day = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 6))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def supervisor(db):
    """The demo's People's Square supervisor (the standing persona's platform would clash with the demo's P01)."""
    from tests import factories as f

    user = f.UserFactory(username="p01-supervisor")
    f.membership(user, "supervisor", platform=Platform.objects.get(code="P01"))
    return user


@pytest.fixture
def sent(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "send_now", lambda event, data, groups: heard.append((event, data, groups)))
    return heard


def band_of(moment, hour: int) -> bands.Band:
    return bands.band_starting(moment.replace(hour=hour))


def plan_of(band: bands.Band, codes=None) -> dict:
    platforms = list(Platform.objects.filter(**({"code__in": codes} if codes else {})).order_by("code"))
    return city.plan_band(platforms=platforms, band=band, staffing=bands.crews_on_duty(platforms, band))


def test_the_history_plans_a_band_only_once_it_spans_a_week(monday_early):
    """60 calls of one morning are no picture of a band (the demo's seeded traffic morning and survey
    week planned the whole 09:00-17:00 band on seven points); the same spread over 8 days are. Read as
    of 40 days before the demo's own calls, so only this test's calls are in the window."""
    from tests import factories as f

    now = monday_early - timedelta(days=40)
    band = band_of(monday_early, 9)

    def calls_on(days_back: list[int]):
        for n in range(60):
            f.IncidentFactory(received_at=now + timedelta(hours=4) - timedelta(days=days_back[n % len(days_back)]))

    calls_on([1])
    one_morning = demand.band_demand(starts_at=band.starts_at, ends_at=band.ends_at, now=now)
    assert (one_morning.source, one_morning.incidents, one_morning.days) == ("call_model", 60, 1)
    calls_on([2, 3, 4, 5, 6, 7, 8])
    a_week = demand.band_demand(starts_at=band.starts_at, ends_at=band.ends_at, now=now)
    assert (a_week.source, a_week.incidents, a_week.days, len(a_week.cells)) == ("history", 120, 8, 1)
    assert round(float(a_week.calls.sum()), 3) == 15.0  # 120 calls over 8 days, all at People's Square


def test_a_bands_plan_is_proven_and_keeps_to_the_stands_and_the_crews(monday_early):
    band = band_of(monday_early, 9)
    result = plan_of(band)
    staffing = bands.crews_on_duty(list(Platform.objects.all()), band)
    assert (result["solver"]["status"], result["solver"]["proven_optimal"], result["solver"]["gap"]) == ("optimal", True, 0.0)
    assert result["objective"]["plan"] >= result["objective"]["greedy"]
    assert result["demand"]["source"] == "call_model"
    assert [row["code"] for row in result["platforms"]] == ["P01", "P02", "P03", "P04", "P05", "P06", "P07"]
    for row in result["platforms"]:
        allowed = set(Stand.objects.filter(platform__code=row["code"]).values_list("code", flat=True)) | {row["code"]}
        assert row["stand"]["code"] in allowed
        assert sum(task["crews"] for task in row["tasks"]) == staffing.crews[row["code"]]
    assert set(result["coverage"]["plan"]) == {"60", "180", "300", "overall"}
    assert result["extra_crews"]["goals"] == {"overall": 0.95, "60": 0.9}


def test_asked_run_accepted_and_carried_out(monday_early, sent, django_capture_on_commit_callbacks):
    from tests import factories as f

    boss = f.UserFactory(username="hp-boss")
    f.membership(boss, "supervisor", district=District.objects.get(code="HP"))
    plan = services.plan_request(starts_at=monday_early.replace(hour=9), district=District.objects.get(code="HP"),
                                 platform_ids=None, actor=boss)
    assert (plan.status, sorted(p.code for p in plan.platforms.all())) == ("queued", ["P01", "P02", "P03", "P06"])
    services.plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    assert (plan.status, plan.progress, plan.stage) == ("ready", 100, "done")
    services.plan_accept(plan=plan, actor=boss)
    plan.refresh_from_db()
    assert (plan.status, plan.accepted_by, plan.accepted_at) == ("accepted", boss, monday_early)
    moving = [row for row in plan.result["platforms"] if row["moves"]]
    assert sorted(m.platform.code for m in plan.moves.all()) == sorted(row["code"] for row in moving)
    assert {m.due_at for m in plan.moves.all()} <= {plan.starts_at}
    _the_tasks_are_the_plans(plan)
    assert services.planned_moves_due(now=plan.starts_at - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.planned_moves_due(now=plan.starts_at) == len(moving)
    for row in moving:
        platform = Platform.objects.get(code=row["code"])
        assert ((platform.lon, platform.lat), PlannedMove.objects.get(plan=plan, platform=platform).status) == (
            (Stand.objects.get(pk=row["stand"]["id"]).lon, Stand.objects.get(pk=row["stand"]["id"]).lat), "done")
    moved = [(data["code"], data["stand"]["id"], data["plan"], groups[0]) for name, data, groups in sent
             if name == "platform.moved"]
    assert sorted(moved) == sorted((row["code"], row["stand"]["id"], plan.pk, "console.city") for row in moving)


def _the_tasks_are_the_plans(plan: DeploymentPlan) -> None:
    """Every main-shift crew of P01 in the band holds the plan's task its place in line gives it."""
    row = next(r for r in plan.result["platforms"] if r["code"] == "P01")
    tasks = PatrolTask.objects.filter(unit__platform__code="P01", band__starts_at__gte=plan.starts_at,
                                      band__ends_at__lte=plan.ends_at, band__plan__shift__secondary=False)
    given = {(t.point_id and "post" or t.route_id and "route" or "zone", t.point_id or t.route_id or t.zone_id)
             for t in tasks}
    planned = {(task["kind"], task["pk"]) for task in row["tasks"]}
    assert planned <= given


def test_a_plan_made_on_an_older_roster_is_refused_and_nothing_changes(monday_early, supervisor):
    plan = services.plan_request(starts_at=monday_early.replace(hour=17), district=None,
                                 platform_ids={Platform.objects.get(code="P01").pk}, actor=supervisor)
    services.plan_run(plan_id=plan.pk)
    before = list(PatrolTask.objects.filter(unit__platform__code="P01").order_by("pk").values_list("pk", "point_id"))
    period = RosterPeriod.objects.get(platform__code="P01", starts_on__lte=monday_early.date(), ends_on__gte=monday_early.date())
    RosterPeriod.objects.filter(pk=period.pk).update(version=F("version") + 1)
    plan.refresh_from_db()
    with pytest.raises(services.Conflict) as error, translation.override("en"):
        services.plan_accept(plan=plan, actor=supervisor)
    assert error.value.messages == [
        f"The roster P01 {period.starts_on:%m-%d}–{period.ends_on:%m-%d} changed since the plan was made "
        f"(version {period.version}, now {period.version + 1}). Run the plan again on the roster as it stands."]
    plan.refresh_from_db()
    assert (plan.status, plan.moves.count()) == ("ready", 0)
    assert list(PatrolTask.objects.filter(unit__platform__code="P01").order_by("pk").values_list("pk", "point_id")) == before


def test_a_later_plan_of_the_band_supersedes_the_accepted_one(monday_early, supervisor):
    ids = {Platform.objects.get(code="P01").pk}
    first = services.plan_request(starts_at=monday_early.replace(hour=7), district=None, platform_ids=ids, actor=supervisor)
    services.plan_run(plan_id=first.pk)
    services.plan_accept(plan=DeploymentPlan.objects.get(pk=first.pk), actor=supervisor)
    second = services.plan_request(starts_at=monday_early.replace(hour=7), district=None, platform_ids=ids, actor=supervisor)
    services.plan_run(plan_id=second.pk)
    services.plan_accept(plan=DeploymentPlan.objects.get(pk=second.pk), actor=supervisor)
    first.refresh_from_db()
    assert (first.status, set(first.moves.values_list("status", flat=True)) <= {"cancelled"}) == ("superseded", True)
