"""Hand-made congestion bands under /api/v1/traffic/congestion-bands (overrides of the measured factors):
who reads and who keeps them, bad input refused with nothing changed, and a band changing the ETA factor
of its zone in its hours."""
from datetime import datetime, time

import pytest
from django.utils import timezone

from grid import congestion, travel
from grid.models import CongestionBand
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db
URL = "/api/v1/traffic/congestion-bands"
MORNING = {"starts": "07:30:00", "ends": "09:30:00", "factor": 1.8, "weekdays_only": True}


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor", "leadership")))
def test_who_reads_the_bands(as_, persona, code):
    CongestionBand.objects.create(starts=time(7, 30), ends=time(9, 30), factor=1.5)
    assert as_(persona).get(URL).status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", code=201)))
def test_who_keeps_the_bands(as_, persona, code, zone):
    response = as_(persona).post(URL, {**MORNING, "zone": zone.pk}, format="json")
    assert response.status_code == code
    assert CongestionBand.objects.count() == (1 if code == 201 else 0)


def test_a_band_is_changed_and_read_back(as_, zone):
    band = CongestionBand.objects.create(zone=zone, starts=time(7, 30), ends=time(9, 30), factor=1.5)
    response = as_("dispatcher").patch(f"{URL}/{band.pk}", {"factor": 2.2}, format="json")
    assert response.status_code == 200
    assert as_("supervisor").get(URL).json() == [{"id": band.pk, "zone": zone.pk, "starts": "07:30:00",
                                                  "ends": "09:30:00", "factor": 2.2, "weekdays_only": False}]


@pytest.mark.parametrize(("change", "message"), [
    ({"factor": 0.8}, "Ensure this value is greater than or equal to 1.0."),
    ({"factor": 6}, "Ensure this value is less than or equal to 5.0."),
    ({"ends": "07:30:00"}, "A band needs a start and an end that differ."),
    ({"starts": "25:00:00"}, "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."),
])
def test_bad_input_is_refused_with_the_reason_and_changes_nothing(as_, change, message):
    response = as_("administrator").post(URL, {**MORNING, **change}, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert CongestionBand.objects.count() == 0


def test_a_band_scales_the_eta_to_its_zone_in_its_hours(as_, platform):
    zone = f.ZoneFactory(platform=platform, polygon=f.square(121.47, 31.23, 0.01))
    as_("administrator").post(URL, {**MORNING, "zone": zone.pk, "weekdays_only": False}, format="json")
    congestion.forget()
    day = timezone.localdate()
    rush = timezone.make_aware(datetime.combine(day, time(8, 0)))
    quiet = timezone.make_aware(datetime.combine(day, time(11, 0)))
    assert (travel.congestion_factor(121.47, 31.23, rush), travel.congestion_factor(121.47, 31.23, quiet)) == (1.8, 1.0)
