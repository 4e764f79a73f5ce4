"""The demo city's services desk: the catalogue, a week of slots, a morning of appointments at People's
Square and a week of answered surveys, so the desk and supervisor pages have something on them; a
second run adds nothing."""
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from command.models import Membership
from services.models import (
    Appointment,
    CallbackSurvey,
    FollowUp,
    OpeningHours,
    ServiceOffer,
    ServiceType,
    Slot,
    Station,
    Ticket,
)
from tests.command.logins import login

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
MODELS = (ServiceType, ServiceOffer, OpeningHours, Station, Slot, Appointment, Ticket, CallbackSurvey, FollowUp)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="pw-for-tests", days_before=0, days_after=1)
        yield
        transaction.set_rollback(True)


def test_the_catalogue_has_the_23_services_with_documents_and_hours(seeded):
    assert ServiceType.objects.count() == 23
    assert ServiceType.objects.get(code="S01").document_list(english=True) == ["ID card", "household register"]
    assert ServiceOffer.objects.count() == 23 * 7 and ServiceOffer.objects.filter(needs_appointment=True).count() == 5 * 7
    assert OpeningHours.objects.filter(platform__code="P01").count() == 7 and Station.objects.count() == 5


def test_slots_for_the_coming_week(seeded):
    today = timezone.localdate()
    days = {timezone.localtime(at).date() for at in Slot.objects.filter(platform__code="P01").values_list("starts_at", flat=True)}
    assert min(days) == today and len(days) == 8


def test_a_morning_of_appointments_at_peoples_square(seeded):
    today = timezone.localdate()
    morning = Appointment.objects.filter(platform__code="P01", starts_at__date=today)
    assert morning.count() == 12
    assert all(a.slot.booked >= 1 for a in morning)


def test_a_week_of_answered_surveys_and_some_waiting(seeded):
    assert CallbackSurvey.objects.count() == 7 * 7 * 3
    assert CallbackSurvey.objects.filter(status="answered").count() == 7 * 7 * 3 - 7
    assert CallbackSurvey.objects.filter(status="callback").count() == 7
    assert FollowUp.objects.count() == CallbackSurvey.objects.filter(satisfaction=1).count()


def test_the_desk_and_supervisor_pages_have_something_on_them(seeded, client):
    login(client, Membership.objects.get(user__username="clerk").user)
    desk = client.get("/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    login(client, Membership.objects.get(user__username="supervisor").user)
    supervisor = client.get("/supervisor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No appointments today." not in desk and "No callbacks waiting." not in desk
    assert 'id="satisfaction-platform"' in desk and 'id="satisfaction-platform"' in supervisor


def test_a_second_run_adds_nothing(seeded):
    counts = [model.objects.count() for model in MODELS]
    call_command("seed_demo", password="pw-for-tests", days_before=0, days_after=1)
    assert [model.objects.count() for model in MODELS] == counts
