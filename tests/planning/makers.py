"""One row of each planning model the admin registers, for tests/command/test_admin.py's walk over
every admin page (its MAKERS take these). Plans, their moves, move-ups and coverage samples are
records the admin only shows (planning/admin.py): PLANNING_RECORDS."""
from datetime import timedelta

from django.utils import timezone

from planning.models import CoverageSample, DeploymentPlan, MoveUp, PlannedMove, Stand
from tests import factories as f


def _stand() -> Stand:
    return Stand.objects.create(platform=f.PlatformFactory(), code="S0199", name="西藏中路停靠点",
                                lon=121.4760, lat=31.2330)


def _plan() -> DeploymentPlan:
    start = timezone.now() + timedelta(hours=1)
    return DeploymentPlan.objects.create(starts_at=start, ends_at=start + timedelta(hours=3), mode="posts",
                                         status="ready", result={"platforms": []})


def _planned_move() -> PlannedMove:
    stand = _stand()
    return PlannedMove.objects.create(plan=_plan(), platform=stand.platform, stand=stand, due_at=timezone.now())


def _move_up() -> MoveUp:
    return MoveUp.objects.create(unit=f.UnitFactory(), from_lon=121.47, from_lat=31.23, to_lon=121.48, to_lat=31.235,
                                 to_label="PP31 人民广场固定岗1", drive_s=120.0, gain=0.02, coverage_before=0.8,
                                 coverage_after=0.82)


def _sample() -> CoverageSample:
    return CoverageSample.objects.create(expected=0.91, by_class={"60": 0.7}, uncovered=0.03, free_units=12,
                                         suggested=1)


def planning_makers() -> dict:
    return {Stand: _stand, DeploymentPlan: _plan, PlannedMove: _planned_move, MoveUp: _move_up,
            CoverageSample: _sample}


PLANNING_RECORDS = (DeploymentPlan, PlannedMove, MoveUp, CoverageSample)
