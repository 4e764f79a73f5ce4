"""One row of each model the security work registers in the admin (tests/command/test_admin.py)."""
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from platforms.models import TrackerDevice
from platforms.trackers import tracker_register
from tests import factories as f


def _log_entry():
    vehicle = f.VehicleFactory()
    vehicle.plate = "沪A0001"
    vehicle.save()
    return LogEntry.objects.get_for_object(vehicle).latest("timestamp")


def security_makers() -> dict:
    when = {"attempt_time": timezone.now(), "ip_address": "10.0.0.1", "user_agent": "test", "path_info": "/login/"}
    return {
        TrackerDevice: lambda: tracker_register(actor=None, identifier="phone-1", vehicle=f.VehicleFactory()).tracker,
        LogEntry: _log_entry,
        AccessAttempt: lambda: AccessAttempt.objects.create(username="wang", failures_since_start=3, **when),
        AccessFailureLog: lambda: AccessFailureLog.objects.create(username="wang", locked_out=False, **when),
        AccessLog: lambda: AccessLog.objects.create(username="wang", **when),
    }
