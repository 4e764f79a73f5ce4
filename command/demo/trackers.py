"""The demo fleet's trackers (issue 19): every demo vehicle's GPS device registered with a key of its
own (platforms.trackers), the keys made now written once to .local/demo_tracker_keys.csv (readable by
its owner only) for whoever points a phone's Traccar Client at the demo. The live simulator reports
through the batched API with its login's token instead (`manage.py simulate`)."""
import csv
import os

from django.conf import settings

from platforms import trackers
from platforms.models import Vehicle

KEYS_FILE = settings.BASE_DIR / ".local" / "demo_tracker_keys.csv"


def register_demo_trackers() -> int:
    """Register the vehicles' trackers not registered yet; how many were."""
    issued = trackers.demo_trackers(vehicles=Vehicle.objects.exclude(gps_device_id=None).order_by("call_number"))
    if issued:
        KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
        fresh = not KEYS_FILE.exists()
        with open(os.open(KEYS_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", newline="") as out:
            writer = csv.writer(out)
            if fresh:
                writer.writerow(["identifier", "vehicle", "key"])
            writer.writerows([item.tracker.identifier, item.tracker.vehicle.call_number, item.secret] for item in issued)
    return len(issued)
