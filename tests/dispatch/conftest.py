"""The dispatch engine's world: English messages, an empty live picture, Celery tasks run in process
when a test asks for it (the demo road network comes from tests/plugins/roads.py)."""
import pytest
from django.utils import translation

from command.celery import app as celery_app


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
