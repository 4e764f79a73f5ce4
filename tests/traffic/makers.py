"""One row of each traffic model the admin registers (and grid's CongestionBand, the overrides of the
measured factors), for tests/command/test_admin.py's walk over every admin page (its MAKERS take these)."""
from datetime import time, timedelta

from django.utils import timezone

from grid.models import CongestionBand
from tests import factories as f
from traffic.models import (
    AccidentRecord, CongestionRecord, ControlPoint, DrinkCheck, HelpRecord, Impound, Violation, ViolationType,
    ZoneFactor,
)


def _officer_fields() -> dict:
    officer = f.OfficerFactory(user=f.UserFactory())
    return {"officer": officer, "platform": officer.platform, "recorded_by": officer.user, "lon": 121.476, "lat": 31.231}


def _violation() -> Violation:
    return Violation.objects.create(violation_type=ViolationType.objects.get(code="1625"), plate="沪A12345",
                                    **_officer_fields())


def _control_point() -> ControlPoint:
    start = timezone.now()
    return ControlPoint.objects.create(name="南京东路管制点", platform=f.PlatformFactory(), lon=121.48, lat=31.235,
                                       starts_at=start, ends_at=start + timedelta(hours=2), created_by=f.UserFactory())


def traffic_makers() -> dict:
    return {
        ViolationType: lambda: ViolationType.objects.create(code="9999", name="测试违法", name_en="Test violation"),
        AccidentRecord: lambda: AccidentRecord.objects.create(incident=f.IncidentFactory(category="traffic_accident"),
                                                              recorded_by=f.UserFactory()),
        CongestionRecord: lambda: CongestionRecord.objects.create(
            incident=f.IncidentFactory(category="traffic_congestion"), cause="volume", lanes_affected=2,
            recorded_by=f.UserFactory()),
        Violation: _violation,
        DrinkCheck: lambda: DrinkCheck.objects.create(plate="沪B12345", alcohol_mg_100ml=35, result="drink",
                                                      **_officer_fields()),
        Impound: lambda: Impound.objects.create(plate="沪C12345", reason="无证驾驶", **_officer_fields()),
        HelpRecord: lambda: HelpRecord.objects.create(kind="directions", people=2, **_officer_fields()),
        ControlPoint: _control_point,
        ZoneFactor: lambda: ZoneFactor.objects.create(zone=f.ZoneFactory(), weekday=0, slot=32, factor=1.8, samples=4),
        CongestionBand: lambda: CongestionBand.objects.create(starts=time(7, 30), ends=time(9, 30), factor=1.6,
                                                              weekdays_only=True),
    }
