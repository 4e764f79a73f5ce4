"""What the review browser tests (tests/e2e/test_review_*.py) share: the city fixture's zone and crew
given a past (a traced call with its unit's track, a week of calls against the week before and a year
before, a cluster of calls that makes a hot spot), the review logins, and reading the running pages'
objects through their entry modules."""
from datetime import datetime, timedelta

from django.utils import timezone

from common.roles import Role
from dispatch.models import EventKind, IncidentEvent
from grid.models import Zone
from platforms.models import TrackPoint
from tests import factories as f
from tests.e2e.support import wait_for

TRACE = "/static/command/pages/review_trace.js"      # tracePage: { map, playback }
TRACKS = "/static/command/pages/review_tracks.js"    # tracksPage: { map, playback, ... }
SCENE = (121.4790, 31.2290)                          # lon, lat: where the traced call was
HOT_SPOT = (121.4760, 31.2330)                       # lon, lat: the corner the hot spot's calls come from


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def review_logins(platform) -> None:
    """A supervisor of the city's platform and a leader, beside the fixture's dispatcher and officer."""
    f.membership(f.UserFactory(username="platform-supervisor"), Role.SUPERVISOR, platform=platform)
    f.membership(f.UserFactory(username="city-leader"), Role.LEADERSHIP)


def call(received_at, *, category="criminal", response_s=None, cancelled=False, at=SCENE, **fields):
    """A past call in the city's zone Z01 with its timeline: ordered 20 s after it was received, on
    scene `response_s` later, closed ten minutes after that (none of it when cancelled)."""
    ordered = received_at + timedelta(seconds=20) if response_s is not None else None
    on_scene = ordered + timedelta(seconds=response_s) if ordered else None
    incident = f.IncidentFactory(received_at=received_at, zone=Zone.objects.get(code="Z01"), category=category,
                                 lon=at[0], lat=at[1], dispatched_at=ordered, on_scene_at=on_scene,
                                 verified_on_scene_at=on_scene, closed_at=on_scene + timedelta(minutes=10) if on_scene else None,
                                 status="cancelled" if cancelled else ("closed" if on_scene else "received"), **fields)
    IncidentEvent.objects.create(incident=incident, kind=EventKind.CREATED, at=received_at)
    for kind, moment in ((EventKind.ASSIGNED, ordered), (EventKind.ON_SCENE, on_scene), (EventKind.CLOSED, incident.closed_at)):
        if moment:
            IncidentEvent.objects.create(incident=incident, kind=kind, at=moment)
    return incident


def traced_call(unit):
    """A theft an hour and a half ago, the crew sent to it, its track from its post to the scene and on."""
    incident = call(timezone.now() - timedelta(minutes=90), response_s=150, description="电动车被盗窃",
                    number="110-TRACE-0001", caller_phone="13912345678")
    ordered, on_scene = incident.dispatched_at, incident.on_scene_at
    f.AssignmentFactory(incident=incident, unit=unit, assigned_at=ordered, acknowledged_at=ordered + timedelta(seconds=8),
                        en_route_at=ordered + timedelta(seconds=8), on_scene_at=on_scene, ended_at=incident.closed_at,
                        status="cleared", eta_s=140, arrival_verified=True, arrival_distance_m=12.0)
    start = (121.4760, 31.2310)
    fixes = []
    for n in range(60):   # every 15 s for 15 minutes: 150 s of driving, then at the scene
        share = min(1.0, n * 15 / 150)
        fixes.append(TrackPoint(unit=unit, at=ordered + timedelta(seconds=15 * n), speed_mps=8.0 if share < 1 else 0.0,
                                lon=round(start[0] + (SCENE[0] - start[0]) * share, 6),
                                lat=round(start[1] + (SCENE[1] - start[1]) * share, 6)))
    TrackPoint.objects.bulk_create(fixes)
    return incident


def a_week_of_calls() -> None:
    """The week of 16 November 2026 (3 thefts, a dispute, a cancelled call), the week before (2 thefts)
    and the same week of 2025 (4 thefts)."""
    for day, minute, response in ((16, 5, 100), (17, 15, 150), (18, 25, 200)):
        call(local(2026, 11, day, 9, minute), response_s=response)
    call(local(2026, 11, 21, 21, 10), category="dispute", response_s=250)
    call(local(2026, 11, 16, 9, 50), category="traffic_accident", cancelled=True)
    for day in (10, 12):
        call(local(2026, 11, day, 14, 0), response_s=120)
    for day in range(17, 21):
        call(local(2025, 11, day, 8, 0), response_s=100)


def a_hot_spot() -> None:
    """Two calls a day at one corner for the last ten days, one now and then elsewhere in the zone."""
    today = timezone.localdate()
    for n in range(1, 11):
        for hour in (10, 20):
            call(local(*(today - timedelta(days=n)).timetuple()[:3], hour, 0), response_s=120, at=HOT_SPOT)
    for n, offset in enumerate((-0.006, -0.003, 0.003, 0.006)):
        call(local(*(today - timedelta(days=n + 2)).timetuple()[:3], 12, 0), response_s=120,
             at=(HOT_SPOT[0] + offset, HOT_SPOT[1] - 0.008))


def on_page(page, module: str, name: str, expression: str):
    """`expression` evaluated with `p`, the page object `name` exported by the entry module."""
    return page.evaluate(f"import('{module}').then((m) => {{ const p = m.{name}; return {expression}; }})")


def until_on_page(page, module: str, name: str, expression: str) -> None:
    wait_for(lambda: on_page(page, module, name, expression))
