"""The services desk in real Chromium against the real ASGI app and a real Celery worker: a citizen books
on the public page on a phone (the one-time code read from the SMS backend's inbox), the clerk sees the
booking, checks the citizen in, calls the ticket, serves and completes it; a walk-in gets a ticket, is
called and served; the platform's queue display shows the calls."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.models import Appointment, Ticket
from tests.e2e.desk_support import PHONE_SIZE, code_from_inbox, desk_city
from tests.e2e.support import STEP_MS, log_in, shot, watch

CITIZEN_PHONE = "13912345678"


@pytest.fixture
def desk(transactional_db, settings):
    return desk_city(settings)


def book_on_a_phone(browser, url, platform, service, errors) -> Appointment:
    context = browser.new_context(**PHONE_SIZE, locale="en-US")
    page = watch(context.new_page(), errors)
    page.goto(f"{url}/book/?platform={platform.pk}&service={service.pk}&day={timezone.localdate().isoformat()}")
    expect(page.locator("#documents")).to_contain_text("ID card")
    # Half an hour ahead where the day allows (the last slot otherwise): a loaded machine can take
    # minutes from choosing to booking, and a 5-minute slot chosen first may have started by then.
    free = page.locator("#slots input[type=radio]:not([disabled])")
    expect(free.first).to_be_attached(timeout=STEP_MS)
    free.nth(min(6, free.count() - 1)).check()
    page.fill("#name", "Zhao Li")
    page.fill("#phone", CITIZEN_PHONE)
    page.click("#send-code")
    expect(page.locator("#code-sent")).to_contain_text("139****5678", timeout=STEP_MS)
    page.fill("#code", code_from_inbox(page, url, CITIZEN_PHONE))
    shot(page, "desk-1-citizen-booking")
    page.click("#book")
    expect(page.locator("#booked")).to_be_visible(timeout=STEP_MS)
    appointment = Appointment.objects.get()
    expect(page.locator("#reference")).to_have_text(appointment.reference)
    shot(page, "desk-2-citizen-booked")
    context.close()
    return appointment


def serve_at_the_desk(page, ticket_number: str) -> None:
    """Call the next ticket (it must be `ticket_number`), start serving, complete it as done."""
    page.fill("#call-next-form input[name=counter]", "2")
    page.click("#call-next-form [type=submit]")
    at_counter = page.locator(f'#at-counter [data-ticket="{ticket_number}"]')
    expect(at_counter).to_contain_text("Called")
    at_counter.locator('[data-step="serve"]').click()
    expect(page.locator(f'#at-counter [data-ticket="{ticket_number}"]')).to_contain_text("Being served")
    page.locator(f'#at-counter [data-ticket="{ticket_number}"] [data-step="complete"]').click()
    expect(page.locator(f'#finished-list [data-ticket="{ticket_number}"]')).to_contain_text("Completed")


@pytest.mark.e2e
def test_a_citizen_books_on_a_phone_and_the_clerk_serves_them_and_a_walk_in(chromium, asgi_server, worker, desk,
                                                                           page_errors):
    platform, service = desk
    appointment = book_on_a_phone(chromium, asgi_server, platform, service, page_errors)

    page = watch(chromium.new_page(locale="en-US"), page_errors)
    log_in(page, asgi_server, "desk-clerk", "/desk/", live=False)
    row = page.locator(f'#appointments tr[data-reference="{appointment.reference}"]')
    expect(row).to_contain_text("139****5678")
    row.locator("button.reveal").click()
    expect(row.locator(".phone")).to_have_text(CITIZEN_PHONE)
    row.locator("[data-check-in]").click()
    serve_at_the_desk(page, "Y001")

    page.select_option("#walk-in-form select[name=service_type]", str(service.pk))
    page.click("#walk-in-form [type=submit]")
    expect(page.locator('#waiting-list [data-ticket="A001"]')).to_be_visible()
    serve_at_the_desk(page, "A001")
    shot(page, "desk-3-clerk-served")

    display = watch(chromium.new_page(locale="en-US"), page_errors)
    display.context.add_cookies(page.context.cookies())
    display.goto(f"{asgi_server}/desk/display/?platform={platform.pk}")
    expect(display.locator("#queue-board .board")).to_be_visible()

    appointment.refresh_from_db()
    assert appointment.status == "served"
    assert sorted(Ticket.objects.values_list("number", "status", "counter")) == [("A001", "done", "2"), ("Y001", "done", "2")]
    assert page_errors == []
