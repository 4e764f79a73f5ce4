"""`manage.py seed_history` on a few days of the demo city: the counts add up, every timeline is complete
and in order, every time is drawn from what the simulator measured (the response from the samples of
the call's own zone and hour), the units on duty have tracks within their shifts, and a second run
keeps the days seeded already."""
import io
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from analysis.models import DailyRollup, IncidentText
from analysis.rollups import local_midnight
from command.demo import history
from command.simulation.live import ACK_DELAY_S
from dispatch.models import Assignment, Incident, IncidentEvent, Recommendation
from platforms.models import TrackPoint, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
DAYS = 3
HANDLED = ["created", "recommended", "assigned", "acknowledged", "en_route", "on_scene", "cleared", "closed"]


@pytest.fixture(scope="module")
def seeded(demo_network, django_db_blocker):
    """The demo city with its roster for today and the four days after (what seed_history clones), then
    DAYS days of history, the simulator's measurements kept; rolled back at the end."""
    kept = {}

    def measure_and_keep(**kwargs):
        kept["measured"], world = measure(**kwargs)
        return kept["measured"], world

    measure = history.measure
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="x", days_before=0, days_after=4, stdout=io.StringIO())
        history.measure = measure_and_keep
        try:
            out = io.StringIO()
            call_command("seed_history", days=DAYS, measure_days=1, stdout=out)
        finally:
            history.measure = measure
        yield {"measured": kept["measured"], "log": out.getvalue()}
        transaction.set_rollback(True)


def history_incidents():
    return Incident.objects.filter(number__contains=history.NUMBER_MARK)


def test_the_days_and_their_numbers(seeded):
    today = timezone.localdate()
    days = Counter(timezone.localtime(at).date() for at in history_incidents().values_list("received_at", flat=True))
    assert sorted(days) == [today - timedelta(days=n) for n in range(DAYS, 0, -1)]
    for day, count in days.items():
        assert 150 <= count <= 450, (day, count)   # the call model's day at the demo's volume
        serials = sorted(int(n.rsplit("H", 1)[1]) for n in history_incidents().filter(
            number__startswith=f"110-{day:%Y%m%d}-").values_list("number", flat=True))
        assert serials == list(range(1, count + 1))


def test_the_counts_add_up(seeded):
    incidents = history_incidents()
    statuses = Counter(incidents.values_list("status", flat=True))
    assert set(statuses) <= {"closed", "cancelled", "waiting"} and statuses["closed"] > 0.9 * incidents.count()
    assignments = Assignment.objects.filter(incident__in=incidents)
    assert assignments.count() == statuses["closed"] == Recommendation.objects.filter(incident__in=incidents).count()
    assert assignments.filter(status="cleared").count() == statuses["closed"]
    assert IncidentText.objects.filter(incident__in=incidents).count() == incidents.count()   # search finds them
    days = [timezone.localdate() - timedelta(days=n) for n in range(DAYS, 0, -1)]
    on_those_days = Incident.objects.filter(received_at__gte=local_midnight(days[0]), received_at__lt=local_midnight(days[-1] + timedelta(days=1)))
    assert DailyRollup.objects.filter(day__in=days).aggregate(n=Sum("incidents"))["n"] == on_those_days.count()   # rolled up
    assert f"incidents: {incidents.count()} (" in seeded["log"] and "history seeded" in seeded["log"]


def timelines() -> dict:
    found = defaultdict(list)
    for incident_id, kind, at in (IncidentEvent.objects.filter(incident__in=history_incidents())
                                  .order_by("at", "id").values_list("incident_id", "kind", "at")):
        found[incident_id].append((kind, at))
    return found


def test_every_timeline_is_complete_and_in_order(seeded):
    events = timelines()
    for incident in history_incidents():
        steps = events[incident.pk]
        kinds = [kind for kind, _ in steps if kind != "note"]
        at = {kind: when for kind, when in steps}
        if incident.status == "closed":
            assert kinds == HANDLED, incident.number
            assert (incident.dispatched_at, incident.on_scene_at, incident.closed_at) == (
                at["assigned"], at["on_scene"], at["closed"])
        else:
            assert kinds == {"cancelled": ["created", "cancelled"], "waiting": ["created"]}[incident.status]
        assert at["created"] == incident.received_at


def seconds(later, earlier) -> float:
    return (later - earlier).total_seconds()


def check_times(incident, assignment, measured) -> None:
    local = timezone.localtime(incident.received_at)
    samples = measured.samples(incident.zone_id, incident.target_s, local.hour)
    response = round(seconds(assignment.on_scene_at, assignment.acknowledged_at), 1)
    to_order = seconds(incident.dispatched_at, incident.received_at)
    # the response is one of the samples of the call's own zone and hour (else its wider key), and the
    # order came that sample's call → order plus 0.5-3 s of the dispatcher's click
    assert any(r == response and 0.5 <= to_order - o <= 3.0 for o, r in samples), incident.number
    assert ACK_DELAY_S[0] <= seconds(assignment.acknowledged_at, assignment.assigned_at) <= ACK_DELAY_S[1]
    stays = measured.on_scene_by_category.get(incident.category) or []
    assert round(seconds(assignment.ended_at, assignment.on_scene_at), 1) in {round(s, 1) for s in stays} or not stays
    assert assignment.eta_s == response


def test_every_time_comes_from_the_simulators_measurements(seeded):
    measured = seeded["measured"]
    assert measured.calls > 100
    handled = Assignment.objects.filter(incident__in=history_incidents()).select_related("incident")
    for assignment in handled:
        check_times(assignment.incident, assignment, measured)


def test_the_units_on_duty_have_tracks_within_their_shifts(seeded):
    units = Unit.objects.filter(assignments__incident__in=history_incidents()).distinct().select_related("shift")
    assert units.exists()
    for unit in units[:40]:
        fixes = TrackPoint.objects.filter(unit=unit)
        first, last = fixes.order_by("at").first(), fixes.order_by("at").last()
        assert unit.shift.starts_at <= first.at and last.at < unit.shift.ends_at, unit.call_sign
        assert fixes.count() >= (unit.shift.ends_at - unit.shift.starts_at).total_seconds() // 120


def test_a_second_run_keeps_the_days_seeded(seeded):
    before = history_incidents().count()
    out = io.StringIO()
    call_command("seed_history", days=DAYS, measure_days=1, stdout=out)
    assert (history_incidents().count(), f"history already seeded: {DAYS} days" in out.getvalue()) == (before, True)
