"""The services desk's world: English messages, throttles and the dev inbox empty, SMS sent in process
(the console backend) when a test asks, a local SMSC on loopback for the SMPP tests."""
import pytest
from django.utils import translation

from command.celery import app as celery_app
from platforms.positions import redis_client
from services.sms.backends import DEV_INBOX_KEY
from tests.services.smsc import Smsc


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Throttle counters and the dev inbox live in the run's Valkey: each test starts without them."""
    client = redis_client()
    for key in [*client.scan_iter("*throttle_services_*"), DEV_INBOX_KEY]:
        client.delete(key)
    yield


@pytest.fixture
def eager_tasks():
    """Messages queued on commit are sent in this process (the browser tests run a real worker)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    celery_app.conf.update(task_always_eager=saved[0], task_eager_propagates=saved[1])


@pytest.fixture
def smsc(settings):
    """A real SMPP server on loopback, the gateway pointed at it; stopped after the test."""
    server = Smsc().start()
    settings.SMS_BACKEND, settings.SMPP_HOST, settings.SMPP_PORT = "smpp", "127.0.0.1", server.port
    settings.SMPP_SYSTEM_ID, settings.SMPP_PASSWORD, settings.SMPP_TIMEOUT_S = "police", "secret", 5
    yield server
    server.stop()
