"""A small hand-built history whose briefing figures are worked out by hand in the tests: two zones
of two platforms, the week of Monday 16 November 2026, the week before and the same week of 2025."""
from datetime import datetime, timedelta

from django.utils import timezone

from dispatch.models import EventKind, IncidentEvent
from grid.models import ResponseClass
from tests import factories as f

WEEK = (datetime(2026, 11, 16).date(), datetime(2026, 11, 22).date())
CALL_TO_ORDER_S = 20


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


class City:
    def __init__(self, platform=None):
        self.centre_platform = platform or f.PlatformFactory(code="P01", name="人民广场平台")
        self.other_platform = f.PlatformFactory(code="P02", name="外滩平台", district=self.centre_platform.district)
        self.centre = f.ZoneFactory(code="Z01", platform=self.centre_platform, response_class=ResponseClass.CITY_CENTRE,
                                    polygon=f.square(121.4737, 31.2304, 0.004))
        self.other = f.ZoneFactory(code="Z02", platform=self.other_platform, response_class=ResponseClass.OTHER,
                                   polygon=f.square(121.4837, 31.2304, 0.004))
        self.count = 0

    def incident(self, received_at, *, zone, category, response_s=None, verified=True, cancelled=False, **extra):
        """An incident with its events: ordered 20 s after the call, on scene `response_s` later."""
        self.count += 1
        target = 180 if zone == self.centre else 300
        dispatched = received_at + timedelta(seconds=CALL_TO_ORDER_S) if response_s is not None else None
        on_scene = dispatched + timedelta(seconds=response_s) if response_s is not None else None
        centre = (121.4737, 31.2304) if zone == self.centre else (121.4837, 31.2304)
        incident = f.IncidentFactory(received_at=received_at, zone=zone, category=category, target_s=target,
                                     lon=centre[0] + 0.0002 * (self.count % 5), lat=centre[1], dispatched_at=dispatched,
                                     on_scene_at=on_scene, verified_on_scene_at=on_scene if verified else None,
                                     status="cancelled" if cancelled else ("closed" if on_scene else "received"), **extra)
        IncidentEvent.objects.create(incident=incident, kind=EventKind.CREATED, at=received_at)
        if on_scene:
            IncidentEvent.objects.create(incident=incident, kind=EventKind.ON_SCENE, at=on_scene)
        return incident


def hand_built_history(platform=None) -> City:
    city = City(platform)
    # The week: 3 criminal calls in the centre (100, 150, 200 s against 180 s), 2 disputes elsewhere
    # (250 s, and 320 s reported far from the scene, against 300 s), a traffic accident cancelled.
    for minute, response in ((5, 100), (15, 150), (25, 200)):
        city.incident(local(2026, 11, 16, 9, minute), zone=city.centre, category="criminal", response_s=response)
    city.incident(local(2026, 11, 21, 21, 10), zone=city.other, category="dispute", response_s=250)
    city.incident(local(2026, 11, 21, 21, 40), zone=city.other, category="dispute", response_s=320, verified=False)
    city.incident(local(2026, 11, 16, 9, 50), zone=city.centre, category="traffic_accident", cancelled=True)
    # The week before: 2 criminal (100, 300 s), 2 disputes (200, 400 s): half within target.
    for day, zone, category, response in ((9, city.centre, "criminal", 100), (10, city.centre, "criminal", 300),
                                          (11, city.other, "dispute", 200), (12, city.other, "dispute", 400)):
        city.incident(local(2026, 11, day, 14, 0), zone=zone, category=category, response_s=response)
    # The same week of 2025 (52 weeks before: 17-23 November): 4 criminal, 1 dispute, all at 100 s.
    for n in range(4):
        city.incident(local(2025, 11, 17 + n, 8, 0), zone=city.centre, category="criminal", response_s=100)
    city.incident(local(2025, 11, 23, 23, 30), zone=city.other, category="dispute", response_s=100)
    return city
