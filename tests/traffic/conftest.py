"""What the traffic tests share: a zone of the standing platform, an accident and a congestion the
officer's unit is on (arrived a minute ago), and signatures as the tablet's pad draws them."""
import base64
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from grid import congestion
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_congestion():
    """Measured factors are kept 30 s per process: each test reads its own."""
    congestion.forget()
    yield
    congestion.forget()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform)


def on_job(category: str, zone, unit, arrived_ago_s: float = 60):
    arrived = timezone.now() - timedelta(seconds=arrived_ago_s)
    incident = f.IncidentFactory(zone=zone, category=category, status="on_scene", on_scene_at=arrived,
                                 verified_on_scene_at=arrived, received_at=arrived - timedelta(minutes=4))
    f.AssignmentFactory(incident=incident, unit=unit, status="on_scene")
    incident.refresh_from_db()
    return incident


@pytest.fixture
def crash(zone, officer_unit, officer):
    """A traffic accident the officer's unit reached a minute ago."""
    return on_job("traffic_accident", zone, officer_unit)


@pytest.fixture
def jam(zone, officer_unit, officer):
    """A traffic congestion the officer's unit reached a minute ago."""
    return on_job("traffic_congestion", zone, officer_unit)


def signature(strokes: int = 3, blank: bool = False) -> str:
    """A data URL like the pad's canvas.toDataURL(): dark strokes on a clear background."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if not blank:
        draw = ImageDraw.Draw(image)
        for n in range(strokes):
            draw.line([(20, 20 + 25 * n), (280, 40 + 20 * n)], fill=(20, 20, 20, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


PARTIES = [
    {"name": "张伟", "phone": "13800138001", "licence_number": "310101198001011234", "plate": "沪A12345",
     "vehicle_kind": "car"},
    {"name": "王芳", "phone": "13900139002", "licence_number": "310101199002022345", "plate": "沪B-D1234 5",
     "vehicle_kind": "car"},
]
