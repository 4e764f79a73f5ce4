"""The demo city's traffic work: rush-hour bands for every zone (the city centre slower), and a morning
of accidents (settled on the spot, one escalated), congestion cleared and enforcement records by the
platforms' crews, counted on the supervisor's figures; a second run adds nothing."""
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from command.demo import traffic_seed
from dispatch.models import Incident
from grid.models import CongestionBand, Zone
from platforms.models import Platform
from traffic import selectors
from traffic.models import AccidentRecord, CongestionRecord, Settlement, Violation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="pw-for-tests", days_before=1, days_after=1)
        # two days back: seed_demo has seeded the latest morning already (today's or yesterday's, by the hour)
        ten = (timezone.localtime() - timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
        platforms = list(Platform.objects.order_by("code"))
        first, again = traffic_seed.seed_traffic(platforms, ten), traffic_seed.seed_traffic(platforms, ten)
        yield ten, first, again
        transaction.set_rollback(True)


def test_every_zone_has_its_rush_hours_the_city_centre_slower(seeded):
    zones = Zone.objects.count()
    assert CongestionBand.objects.count() == zones * 2
    morning = CongestionBand.objects.filter(starts=time(7, 30), ends=time(9, 30), weekdays_only=True)
    assert set(morning.filter(zone__response_class="city_centre").values_list("factor", flat=True)) == {1.8}
    assert set(morning.exclude(zone__response_class="city_centre").values_list("factor", flat=True)) == {1.4}


def test_a_morning_of_traffic_work_from_seven(seeded):
    ten, first, again = seeded
    platforms = Platform.objects.count()
    seven = ten.replace(hour=7)
    incidents = Incident.objects.filter(received_at__gte=seven, received_at__lt=ten, number__startswith="110-DEMO-T")
    assert (first["accidents"], first["jams"]) == (3 * platforms, 2 * platforms)
    assert first["records"] > 0 and Violation.objects.filter(at__gte=seven, at__lt=ten).count() > 0
    assert again == {"bands": 0, "accidents": 0, "jams": 0, "records": 0}
    accidents = AccidentRecord.objects.filter(incident__in=incidents)
    assert accidents.filter(status="escalated").count() == 1
    assert Settlement.objects.filter(accident__in=accidents).count() == 3 * platforms - 1
    assert all(s.signatures.count() == 2 for s in Settlement.objects.filter(accident__in=accidents))
    assert CongestionRecord.objects.filter(incident__in=incidents, flowing_at__isnull=False).count() == 2 * platforms


def test_the_morning_is_in_the_clocks(seeded):
    ten, first, _ = seeded
    incidents = Incident.objects.filter(received_at__gte=ten.replace(hour=7), received_at__lt=ten,
                                        number__startswith="110-DEMO-T")
    clocks = selectors.clearance_figures(incidents)
    assert clocks["accident"]["overall"]["handled"] == first["accidents"] - 1
    assert clocks["congestion"]["overall"]["handled"] == first["jams"]
