"""The dispatch engine's world: the demo road network, live positions through the real ingest
path, Celery tasks run in process when a test asks for it."""
import pytest
from django.utils import timezone, translation

from command.celery import app as celery_app
from platforms.positions import Fix, fixes_accept
from tests.grid.conftest import demo_network, road_dir  # noqa: F401  (module fixtures shared here)

BUND = (121.4905, 31.2400)
PUDONG_RIVERSIDE = (121.4990, 31.2420)   # 838 m from the Bund across the river: 120 s by road
NANJING_EAST = (121.4840, 31.2380)       # 657 m from the Bund in a straight line: 504 s by road
PEOPLES_SQUARE = (121.4737, 31.2304)
FAR_WEST = (121.4300, 31.2200)


@pytest.fixture(autouse=True)
def _english():
    """The site speaks Chinese by default; these tests assert the English messages."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_live_picture(empty_live_picture):
    """Every dispatch test starts from an empty live picture."""


@pytest.fixture
def eager_tasks():
    """Tasks queued on commit run in this process (the worker tests run a real worker)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    celery_app.conf.update(task_always_eager=saved[0], task_eager_propagates=saved[1])


def place(unit, point, *, at=None, speed_mps=None):
    """Report a unit's position through the ingest service, as a tablet would."""
    result = fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=point[0], lat=point[1], at=at or timezone.now(),
                                     speed_mps=speed_mps)], source="test")
    assert result.accepted == 1, result.rejected
    return unit
