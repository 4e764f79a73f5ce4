"""Trackers in the admin (issue 19): an administrator registers a device and is shown its key once (only
its hash is kept), rotates it (a new key shown once, the old one stops) and revokes it."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from platforms import trackers
from platforms.models import TrackerDevice
from tests import factories as f

pytestmark = pytest.mark.django_db
SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@pytest.fixture
def admin_client(administrator):
    client = Client()
    client.force_login(administrator)
    return client


def shown_keys(response) -> list[str]:
    return [found.group() for message in response.context["messages"] if (found := SECRET.search(str(message)))]


def test_registering_shows_the_key_once_and_keeps_only_its_hash(admin_client):
    vehicle = f.VehicleFactory()
    response = admin_client.post(reverse("admin:platforms_trackerdevice_add"),
                                 {"identifier": "phone-7", "vehicle": vehicle.pk, "officer": ""}, follow=True)
    [secret] = shown_keys(response)
    tracker = TrackerDevice.objects.get(identifier="phone-7")
    assert (tracker.vehicle, tracker.secret_hash) == (vehicle, trackers.secret_hash(secret))
    page = admin_client.get(reverse("admin:platforms_trackerdevice_change", args=[tracker.pk]))
    assert page.status_code == 200 and secret not in page.content.decode()


def test_rotating_and_revoking_from_the_list(admin_client):
    first = trackers.tracker_register(actor=None, identifier="phone-8", vehicle=f.VehicleFactory())
    changelist = reverse("admin:platforms_trackerdevice_changelist")
    response = admin_client.post(changelist, {"action": "rotate_secrets", "_selected_action": [first.tracker.pk]},
                                 follow=True)
    [secret] = shown_keys(response)
    tracker = TrackerDevice.objects.get(pk=first.tracker.pk)
    assert secret != first.secret and tracker.secret_hash == trackers.secret_hash(secret)
    assert tracker.rotated_at is not None and tracker.revoked_at is None
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [tracker.pk]}, follow=True)
    tracker.refresh_from_db()
    assert tracker.revoked_at is not None
