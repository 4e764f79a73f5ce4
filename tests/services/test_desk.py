"""The clerk's desk: tickets for walk-ins and booked citizens, calling, serving, completing, no-shows,
help given and the day's figures."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from services import desk, selectors
from services.models import Appointment, DeskEvent, HelpGiven, Ticket
from tests.services.support import MOBILE, desk as open_desk, service_type, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(platform):
    return open_desk(platform)


def booked_today(platform, service, minutes=30, name="赵女士"):
    return Appointment.objects.create(service_type=service, platform=platform, citizen_name=name, citizen_phone=MOBILE,
                                      starts_at=timezone.now() + timedelta(minutes=minutes))


def test_a_walk_in_is_issued_called_served_and_completed(clerk, platform, service):
    ticket = desk.ticket_issue(actor=clerk, platform=platform, service_type=service)
    called = desk.ticket_call_next(actor=clerk, platform=platform, counter="1号窗口")
    desk.ticket_serve(actor=clerk, ticket=ticket)
    done = desk.ticket_complete(actor=clerk, ticket=ticket, outcome="done")

    assert (ticket.number, called.pk, called.counter) == ("A001", ticket.pk, "1号窗口")
    assert (done.status, done.outcome, done.clerk) == ("done", "done", clerk)
    assert list(DeskEvent.objects.filter(ticket=ticket).values_list("kind", "actor")) == [
        ("issued", clerk.pk), ("called", clerk.pk), ("serving", clerk.pk), ("completed", clerk.pk)]


def test_booked_citizens_are_called_before_walk_ins(clerk, platform, service):
    walk_in = desk.ticket_issue(actor=clerk, platform=platform, service_type=service)
    appointment = booked_today(platform, service)
    booked = desk.appointment_check_in(actor=clerk, appointment=appointment)

    first = desk.ticket_call_next(actor=clerk, platform=platform, counter="1")
    second = desk.ticket_call_next(actor=clerk, platform=platform, counter="2")
    nobody = desk.ticket_call_next(actor=clerk, platform=platform, counter="1")

    assert (booked.number, first.pk, second.pk, nobody) == ("Y001", booked.pk, walk_in.pk, None)
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"


def test_completing_a_booked_ticket_serves_the_appointment_and_a_referral_names_the_station(clerk, platform, service):
    appointment = booked_today(platform, service)
    ticket = desk.appointment_check_in(actor=clerk, appointment=appointment)
    desk.ticket_call(actor=clerk, ticket=ticket, counter="2")
    with pytest.raises(ValidationError) as unnamed:
        desk.ticket_complete(actor=clerk, ticket=ticket, outcome="referred")
    done = desk.ticket_complete(actor=clerk, ticket=ticket, outcome="referred", station=station(), note="需到派出所办理")

    appointment.refresh_from_db()
    assert unnamed.value.messages == ["Choose the station the citizen is referred to."]
    assert (done.station.code, appointment.status) == ("ST01", "served")


def test_a_service_by_appointment_only_gives_no_walk_in_ticket(clerk, platform):
    service = open_desk(platform, needs_appointment=True)
    with pytest.raises(ValidationError) as refused:
        desk.ticket_issue(actor=clerk, platform=platform, service_type=service)

    assert refused.value.messages == ["This service is by appointment only: book a time for the citizen."]
    assert Ticket.objects.count() == 0


def test_a_service_not_offered_gives_no_ticket(clerk, platform, service):
    with pytest.raises(ValidationError) as refused:
        desk.ticket_issue(actor=clerk, platform=platform, service_type=service_type("S99", name="其他"))

    assert refused.value.messages == ["This platform does not offer that service."]


def test_no_show_only_after_the_grace_time(clerk, platform, service, settings):
    settings.DESK_NO_SHOW_GRACE_S = 600
    ticket = desk.ticket_call(actor=clerk, ticket=desk.ticket_issue(actor=clerk, platform=platform, service_type=service),
                              counter="1")
    with pytest.raises(ValidationError) as early:
        desk.ticket_no_show(actor=clerk, ticket=ticket)
    Ticket.objects.filter(pk=ticket.pk).update(called_at=timezone.now() - timedelta(minutes=11))
    missed = desk.ticket_no_show(actor=clerk, ticket=ticket)

    assert early.value.messages == ["Wait 10 minutes after the call before marking a no-show."]
    assert missed.status == "no_show"


def test_a_finished_ticket_cannot_be_called_again(clerk, platform, service):
    ticket = desk.ticket_issue(actor=clerk, platform=platform, service_type=service)
    desk.ticket_call(actor=clerk, ticket=ticket, counter="1")
    desk.ticket_complete(actor=clerk, ticket=ticket, outcome="more_documents")
    with pytest.raises(ValidationError) as refused:
        desk.ticket_call(actor=clerk, ticket=ticket, counter="1")

    assert refused.value.code == "invalid_transition"


def test_the_sweep_marks_booked_citizens_who_never_came(platform, service, settings):
    settings.DESK_NO_SHOW_GRACE_S = 900
    late = booked_today(platform, service, minutes=-20)
    on_time = booked_today(platform, service, minutes=-5, name="钱先生")

    assert desk.desk_sweep() == {"appointments_missed": 1, "tickets_closed": 0}
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.status, on_time.status) == ("no_show", "booked")


def test_help_given_is_logged_in_one_click_and_counted(clerk, platform):
    desk.help_log(actor=clerk, platform=platform, kind="directions")
    desk.help_log(actor=clerk, platform=platform, kind="directions")
    desk.help_log(actor=clerk, platform=platform, kind="phone_charge", note="给手机充电")
    with pytest.raises(ValidationError):
        desk.help_log(actor=clerk, platform=platform, kind="karaoke")

    counts = {row["kind"]: row["count"] for row in selectors.help_counts({platform.pk}, timezone.localdate())}
    assert (counts["directions"], counts["phone_charge"], counts["first_aid"], HelpGiven.objects.count()) == (2, 1, 0, 3)


def test_the_days_figures_served_waited_and_no_shows(clerk, platform, service):
    waits = [60, 120, 600]
    for wait in waits:
        ticket = desk.ticket_issue(actor=clerk, platform=platform, service_type=service)
        Ticket.objects.filter(pk=ticket.pk).update(issued_at=timezone.now() - timedelta(seconds=wait))
        desk.ticket_call(actor=clerk, ticket=ticket, counter="1")
        desk.ticket_complete(actor=clerk, ticket=ticket, outcome="done")
    missed = desk.ticket_issue(actor=clerk, platform=platform, service_type=service)
    Ticket.objects.filter(pk=missed.pk).update(issued_at=timezone.now() - timedelta(seconds=300))
    desk.ticket_call(actor=clerk, ticket=missed, counter="1")
    Ticket.objects.filter(pk=missed.pk).update(status="no_show")

    rows = selectors.desk_figures({platform.pk}, timezone.localdate())
    overall = next(row for row in rows if row["service"] is None)
    assert (overall["tickets"], overall["served"], overall["no_shows"]) == (4, 3, 1)
    assert overall["waited_p50_s"] == pytest.approx(120, abs=2) and overall["waited_p90_s"] == pytest.approx(600, abs=2)
    assert sorted(str(row["service_code"]) for row in rows) == ["None", "S01"]
