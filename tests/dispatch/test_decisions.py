"""Deciding: auto-dispatch or the dispatcher's accept, waiting, at risk, pre-emption, time-outs, arrivals."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dispatch import decisions, timers
from dispatch.models import Alert, Assignment, Category, Incident, IncidentStatus, Priority
from dispatch.services import assignment_advance, incident_create
from platforms.models import Unit, UnitStatus
from tests import factories as f
from tests.dispatch.support import place
from tests.places import BUND, FAR_WEST, NANJING_EAST, PEOPLES_SQUARE, PUDONG_RIVERSIDE

pytestmark = [pytest.mark.usefixtures("demo_network", "eager_tasks"), pytest.mark.django_db]


@pytest.fixture
def take_call(dispatcher, django_capture_on_commit_callbacks):
    """A 110 call taken by the dispatcher; what is queued on commit runs at once."""
    def take(point=BUND, *, priority=Priority.P1, category=Category.PUBLIC_ORDER):
        with django_capture_on_commit_callbacks(execute=True):
            incident, _ = incident_create(actor=dispatcher, category=category, priority=priority,
                                          lon=point[0], lat=point[1])
        incident.refresh_from_db()
        return incident

    return take


def kinds(incident):
    return list(incident.events.values_list("kind", flat=True))


def active(incident):
    return list(incident.assignments.filter(status__in=["assigned", "acknowledged", "en_route", "on_scene"])
                .values_list("unit__call_sign", flat=True))


def test_a_p1_call_goes_at_once_to_the_unit_first_there(take_call):
    place(f.UnitFactory(call_sign="南京东01"), NANJING_EAST)
    place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    incident = take_call(priority=Priority.P1)
    assert (incident.status, active(incident), incident.at_risk) == (IncidentStatus.DISPATCHED, ["浦东01"], False)
    assert kinds(incident) == ["created", "recommended", "assigned"]
    recommendation = incident.recommendations.get()
    assert (recommendation.auto, recommendation.accepted_at is not None) == (True, True)
    assert [o["call_sign"] for o in recommendation.options] == ["浦东01", "南京东01"]
    assert incident.dispatched_at is not None and incident.call_to_dispatch_s >= 0


def test_a_p3_call_waits_for_the_dispatchers_one_click_accept(take_call, dispatcher):
    unit = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    incident = take_call(priority=Priority.P3)
    assert (incident.status, active(incident)) == (IncidentStatus.RECEIVED, [])
    recommendation = incident.recommendations.get()
    assert (recommendation.proposed, recommendation.auto) == ([unit.pk], False)
    [assignment] = decisions.recommendation_accept(actor=dispatcher, recommendation=recommendation)
    assert (assignment.unit_id, assignment.assigned_by) == (unit.pk, dispatcher)
    with pytest.raises(ValidationError, match="superseded or already acted on"):
        decisions.recommendation_accept(actor=dispatcher, recommendation=recommendation)
    assert Assignment.objects.count() == 1


def test_the_dispatcher_may_pick_another_ranked_unit_but_not_an_unranked_one(take_call, dispatcher):
    place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    other = place(f.UnitFactory(call_sign="南京东01"), NANJING_EAST)
    incident = take_call(priority=Priority.P3)
    recommendation = incident.recommendations.get()
    with pytest.raises(ValidationError, match="Pick units from the recommendation"):
        decisions.recommendation_accept(actor=dispatcher, recommendation=recommendation, units=[999999])
    [assignment] = decisions.recommendation_accept(actor=dispatcher, recommendation=recommendation, units=[other.pk])
    assert assignment.unit_id == other.pk


def test_an_older_recommendation_cannot_be_accepted(take_call, dispatcher):
    place(f.UnitFactory(), PUDONG_RIVERSIDE)
    incident = take_call(priority=Priority.P3)
    old = incident.recommendations.get()
    place(f.UnitFactory(), NANJING_EAST)
    newer = decisions.incident_dispatch(incident_id=incident.pk, reason="requested")
    assert newer.pk != old.pk
    with pytest.raises(ValidationError, match="superseded"):
        decisions.recommendation_accept(actor=dispatcher, recommendation=old)
    assert not Assignment.objects.exists()


def test_no_unit_can_make_the_target_the_fastest_is_still_sent_and_the_incident_is_at_risk(take_call):
    place(f.UnitFactory(call_sign="远西01"), FAR_WEST)
    incident = take_call(priority=Priority.P2)
    assert (incident.at_risk, active(incident)) == (True, ["远西01"])
    assert kinds(incident) == ["created", "at_risk", "recommended", "assigned"]
    assert list(Alert.objects.values_list("kind", flat=True)) == ["at_risk"]


def test_with_no_unit_free_the_incident_waits_and_is_sent_when_a_unit_clears(take_call, dispatcher,
                                                                           django_capture_on_commit_callbacks):
    unit = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    first = take_call(priority=Priority.P1)
    second = take_call(PEOPLES_SQUARE, priority=Priority.P2)
    assert (second.status, active(second)) == (IncidentStatus.WAITING, [])
    assert list(Alert.objects.filter(incident=second).order_by("id").values_list("kind", flat=True)) == [
        "at_risk", "no_unit"]
    assignment = first.assignments.get()
    assignment_advance(actor=dispatcher, assignment=assignment, status="on_scene")
    with django_capture_on_commit_callbacks(execute=True):
        assignment_advance(actor=dispatcher, assignment=assignment, status="cleared", disposition="劝离")
    second.refresh_from_db()
    assert (second.status, active(second)) == (IncidentStatus.DISPATCHED, ["浦东01"])
    assert kinds(second) == ["created", "at_risk", "waiting", "recommended", "recommended", "assigned"]
    unit.refresh_from_db()
    assert unit.status == UnitStatus.DISPATCHED


def test_a_p1_pulls_a_unit_off_a_p4_job_when_nobody_free_makes_the_target(take_call, dispatcher):
    place(f.UnitFactory(call_sign="远西01"), FAR_WEST)
    busy = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    low = take_call(PUDONG_RIVERSIDE, priority=Priority.P4)
    decisions.recommendation_accept(actor=dispatcher, recommendation=low.recommendations.get(), units=[busy.pk])
    urgent = take_call(BUND, priority=Priority.P1)
    assert active(urgent) == ["浦东01"]
    new = urgent.assignments.get()
    low.refresh_from_db()
    previous = low.assignments.get()
    assert (previous.status, new.preempted_from_id) == ("preempted", previous.pk)
    assert "preempted" in kinds(urgent) and "preempted" in kinds(low)
    # The P4 job went back to the engine: the far unit is proposed, for the dispatcher to confirm (P4).
    assert (low.status, active(low)) == (IncidentStatus.WAITING, [])
    assert low.recommendations.latest().proposed == [Unit.objects.get(call_sign="远西01").pk]
    assert Alert.objects.filter(kind="preempted", incident=low).count() == 1


def test_a_p2_does_not_pre_empt(take_call, dispatcher):
    busy = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    low = take_call(PUDONG_RIVERSIDE, priority=Priority.P4)
    decisions.recommendation_accept(actor=dispatcher, recommendation=low.recommendations.get(), units=[busy.pk])
    urgent = take_call(BUND, priority=Priority.P2)
    assert (urgent.status, active(urgent), active(low)) == (IncidentStatus.WAITING, [], ["浦东01"])


def test_an_order_not_acknowledged_in_time_goes_to_the_next_unit(take_call, django_capture_on_commit_callbacks):
    first = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    place(f.UnitFactory(call_sign="远西01"), FAR_WEST)
    incident = take_call(priority=Priority.P1)
    assignment = incident.assignments.get()
    assert assignment.ack_due_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert timers.sweep()["timed_out"] == 0           # not due yet
        Assignment.objects.filter(pk=assignment.pk).update(ack_due_at=timezone.now() - timedelta(seconds=1))
        assert timers.sweep()["timed_out"] == 1
    assignment.refresh_from_db()
    first.refresh_from_db()
    assert (assignment.status, first.status) == ("timed_out", UnitStatus.UNAVAILABLE)
    assert active(incident) == ["远西01"]
    assert kinds(incident)[-5:] == ["ack_timeout", "redispatched", "at_risk", "recommended", "assigned"]
    assert Alert.objects.filter(kind="not_acknowledged", unit=first).count() == 1


def test_an_acknowledged_order_never_times_out(take_call, dispatcher):
    place(f.UnitFactory(), PUDONG_RIVERSIDE)
    incident = take_call(priority=Priority.P1)
    assignment = assignment_advance(actor=dispatcher, assignment=incident.assignments.get(), status="acknowledged")
    Assignment.objects.filter(pk=assignment.pk).update(ack_due_at=timezone.now() - timedelta(seconds=1))
    assert timers.sweep()["timed_out"] == 0


def test_a_unit_entering_the_scene_radius_is_on_scene_at_its_fix_time(take_call, settings):
    # 20 s before: 838 m across the river in 20 s is a car's drive, not a jump the ingest refuses
    unit = place(f.UnitFactory(), PUDONG_RIVERSIDE, at=timezone.now() - timedelta(seconds=20))
    incident = take_call(priority=Priority.P1)
    assert timers.sweep()["arrived"] == 0
    now = timezone.now()
    arrived_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # fixes keep milliseconds
    place(unit, (BUND[0] + 0.0003, BUND[1]), at=arrived_at)   # about 29 m away
    assert timers.sweep()["arrived"] == 1
    incident.refresh_from_db()
    assignment = incident.assignments.get()
    assert (assignment.status, assignment.on_scene_at, incident.on_scene_at) == ("on_scene", arrived_at, arrived_at)
    assert incident.events.get(kind="on_scene").data == {"assignment": assignment.pk, "detected": "geofence"}
    assert incident.dispatch_to_scene_s == round((arrived_at - incident.dispatched_at).total_seconds(), 1)


def test_a_stale_unit_is_listed_but_never_sent_by_the_engine(take_call, settings):
    place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE,
          at=timezone.now() - timedelta(seconds=settings.STALE_FIX_AFTER_S + 5))
    incident = take_call(priority=Priority.P1)
    recommendation = incident.recommendations.get()
    assert (incident.status, recommendation.proposed) == (IncidentStatus.WAITING, [])
    assert [(o["call_sign"], o["stale"]) for o in recommendation.options] == [("浦东01", True)]


def test_running_the_engine_twice_sends_no_extra_unit(take_call):
    place(f.UnitFactory(), PUDONG_RIVERSIDE)
    place(f.UnitFactory(), NANJING_EAST)
    incident = take_call(priority=Priority.P1)
    assert decisions.incident_dispatch(incident_id=incident.pk, reason="retry") is None
    assert len(active(incident)) == 1


def test_a_mass_event_gets_three_units(take_call):
    for n, point in enumerate([PUDONG_RIVERSIDE, NANJING_EAST, PEOPLES_SQUARE, FAR_WEST]):
        place(f.UnitFactory(call_sign=f"U{n}"), point)
    incident = take_call(priority=Priority.P1, category=Category.MASS_EVENT)
    assert (incident.units_needed, len(active(incident))) == (3, 3)
    assert "U3" not in active(incident)


def test_an_incident_left_undecided_is_picked_up_by_the_sweeper(dispatcher, settings,
                                                               django_capture_on_commit_callbacks):
    place(f.UnitFactory(), PUDONG_RIVERSIDE)
    # The call is committed but its task is lost (the worker died before deciding).
    incident, _ = incident_create(actor=dispatcher, category="dispute", priority=1, lon=BUND[0], lat=BUND[1])
    assert timers.sweep()["requeued"] == 0    # too early: the task may still be on its way
    Incident.objects.filter(pk=incident.pk).update(received_at=timezone.now() - timedelta(seconds=60))
    with django_capture_on_commit_callbacks(execute=True):
        assert timers.sweep()["requeued"] == 1
    assert len(active(incident)) == 1
    assert timers.sweep()["requeued"] == 0    # dispatched: nothing left behind


def test_the_console_and_the_units_tablet_hear_each_step_after_commit(take_call, monkeypatch, platform):
    from platforms import events as platform_events

    sent = []
    monkeypatch.setattr(platform_events, "send_now", lambda event, data, groups: sent.append((event, groups)))
    zone = f.ZoneFactory(platform=platform, polygon=f.square(*BUND, half=0.003))
    unit = place(f.UnitFactory(platform=platform, call_sign="浦东01"), PUDONG_RIVERSIDE)
    incident = take_call(priority=Priority.P1)
    consoles = ["console.city", f"console.district.{platform.district_id}", f"console.platform.{platform.pk}"]
    assert incident.zone_id == zone.pk
    assert sent == [
        ("incident.created", consoles),
        ("incident.recommended", consoles),
        ("incident.updated", consoles),
        ("assignment.created", [*consoles, f"unit.{unit.pk}"]),
        ("unit.status", [*consoles, f"unit.{unit.pk}"]),
    ]
