"""The crew's own hand on the tablet, in real headless Chromium beside the dispatcher's console: a meal
break and back to available (the console sees the status and its reason), unavailable with a reason of
their own, a reply to the command centre's message (on the console, with an officer-message alert),
and a broadcast to the platform read."""
import pytest
from playwright.sync_api import expect

from command.messages import message_send
from command.models import Broadcast, BroadcastRead, UnitMessage
from dispatch.models import Alert
from tests.e2e.support import API, POSTED, STEP_MS, wait_for
from tests.e2e.tablet_support import console_beside, logged_in_tablet, on_console, shot, tablet_context


def unit_on_console(console, unit) -> list:
    return on_console(console, f"((u) => u ? [u.status, u.status_reason] : null)(c.units.get({unit.pk}))")


def status_set_from_the_tablet(tablet, console, unit) -> list:
    """Meal break, available again, unavailable with the officer's own reason: what the server and the
    console held after each."""
    seen = []
    steps = [("meal_break", None), ("available", None), ("unavailable", "车辆爆胎，等待拖车")]
    for choice, reason in steps:
        tablet.locator(f"#unit-status-controls [data-set={choice}]").click()
        if reason:
            tablet.locator("#unit-status-controls input[name=reason]").fill(reason)
            tablet.locator("#unit-status-controls .status-reason-form [type=submit]").click()
        expected = "available" if choice == "available" else "unavailable"
        expect(tablet.locator(".unit-tile .badge.status")).to_have_attribute("data-status", expected, timeout=STEP_MS)
        expect(tablet.locator(".unit-tile .badge.status")).to_have_attribute("data-pending", "", timeout=STEP_MS)
        wait_for(lambda: unit_on_console(console, unit)[0] == expected)
        unit.refresh_from_db()
        seen.append(((unit.status, unit.status_reason), unit_on_console(console, unit)))
        if choice == "meal_break":
            expect(tablet.locator("#unit-status-reason")).to_have_text("用餐")
            shot(tablet, "crew-1-meal-break")
    return seen


def reply_to_the_command_centre(tablet, console, unit, dispatcher) -> UnitMessage:
    message_send(sender=dispatcher, unit=unit, text="人广01请报告现场情况")
    item = tablet.locator("#unit-messages li.unread")
    expect(item.locator(".text")).to_have_text("人广01请报告现场情况", timeout=STEP_MS)
    item.locator("[data-reply-open]").click()
    item.locator("form.reply-form textarea").fill("已到人民广场东侧，一切正常")
    item.locator("form.reply-form [type=submit]").click()
    expect(tablet.locator("#unit-messages li.read .replies li.reply:not(.pending) .text")).to_have_text(
        "已到人民广场东侧，一切正常", timeout=STEP_MS)
    expect(console.locator('#alert-list [data-kind="officer_message"]')).to_have_count(1, timeout=STEP_MS)
    shot(tablet, "crew-2-replied")
    return UnitMessage.objects.get(from_unit=True)


def read_a_broadcast(tablet, console, platform_id: int) -> Broadcast:
    """The dispatcher sends one to People's Square's units from the console's session (POST /broadcasts)."""
    console.evaluate(f"""import('{API}').then((m) => m.api('/api/v1/broadcasts', {{ method: 'POST',
        body: {{ text: '今晚南京路步行街大型活动，各组加强巡逻', platform: {platform_id} }} }}))""")
    item = tablet.locator("#unit-broadcasts li.unread")
    expect(item.locator(".text")).to_have_text("今晚南京路步行街大型活动，各组加强巡逻", timeout=STEP_MS)
    expect(tablet.locator("#broadcasts-unread")).to_have_text("1 条未读")
    item.locator("[data-broadcast-read]").click()
    expect(tablet.locator("#unit-broadcasts li.read")).to_have_count(1, timeout=STEP_MS)
    expect(tablet.locator("#broadcasts-unread")).to_have_text("")
    shot(tablet, "crew-3-broadcast-read")
    return Broadcast.objects.get()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_crew_sets_its_status_replies_and_reads_a_broadcast(asgi_server, city, chromium, page_errors):
    from django.contrib.auth import get_user_model

    dispatcher = get_user_model().objects.get(username="wall-dispatcher")
    console = console_beside(chromium, asgi_server, page_errors)
    tablet = logged_in_tablet(tablet_context(chromium, POSTED), asgi_server, page_errors)

    statuses = status_set_from_the_tablet(tablet, console, city)
    reply = reply_to_the_command_centre(tablet, console, city, dispatcher)
    broadcast = read_a_broadcast(tablet, console, city.platform_id)

    assert statuses == [
        (("unavailable", "用餐"), ["unavailable", "用餐"]),
        (("available", ""), ["available", ""]),
        (("unavailable", "车辆爆胎，等待拖车"), ["unavailable", "车辆爆胎，等待拖车"]),
    ]
    assert (reply.text, reply.sender.username, reply.reply_to.text, reply.reply_to.read_at is not None) == (
        "已到人民广场东侧，一切正常", "tablet-officer", "人广01请报告现场情况", True)
    alert = Alert.objects.get(kind="officer_message")
    assert (alert.unit_id, alert.message) == (city.pk, "人广01 回复：已到人民广场东侧，一切正常")
    assert (broadcast.platform_id, broadcast.sender.username) == (city.platform_id, "wall-dispatcher")
    assert list(BroadcastRead.objects.values_list("unit_id", "read_by__username")) == [(city.pk, "tablet-officer")]
    assert page_errors == []
