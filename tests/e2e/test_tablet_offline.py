"""The tablet opens offline once visited, in real headless Chromium: its service worker keeps the page,
the unit's snapshot and the basemap tiles of the platform's area; reloaded with no network, the page
shows the job it last received on its map, and a step and a note taken meanwhile are sent, in order,
when the network is back.
Actions taken offline (a status, a reply, an on-view report with its photo) reach the server in the
order they were taken."""
import pytest
from playwright.sync_api import expect

from command.models import UnitMessage
from dispatch.models import Assignment, Incident
from platforms.models import Officer
from tests import factories as f
from tests.e2e.support import POSTED, STEP_MS, TABLET, wait_for
from tests.e2e.tablet_support import SCENE, logged_in_tablet, on_tablet, shot, tablet_context, until

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


@pytest.fixture(autouse=True)
def media(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def snapshot_kept(tablet, unit) -> None:
    """Once the worker controls the page and has kept the unit's snapshot."""
    until(tablet, "navigator.serviceWorker.controller !== null")
    until(tablet, f"caches.open('tablet-data').then((c) => c.match('/api/v1/units/{unit.pk}/snapshot', "
                  "{ ignoreVary: true })).then(Boolean)")


def kept_for_offline(tablet, unit) -> dict:
    """Once the worker has kept the snapshot and the platform's tiles: how many tiles it kept."""
    snapshot_kept(tablet, unit)
    # Polled with evaluate: wait_for_function evaluates a string, which the page's CSP refuses.
    wait_for(lambda: tablet.evaluate("(() => { const e = document.getElementById('offline-map');"
                                     " return e.dataset.total && e.dataset.kept === e.dataset.total; })()"))
    progress = tablet.locator("#offline-map")
    return {"tiles": int(progress.get_attribute("data-total")), "kept": int(progress.get_attribute("data-kept"))}


def reload_offline(context, tablet) -> None:
    context.set_offline(True)
    tablet.reload()
    expect(tablet.locator("#live-state")).to_have_attribute("data-state", "offline", timeout=STEP_MS)


def back_online(context, tablet) -> None:
    context.set_offline(False)
    tablet.evaluate(f"import('{TABLET}').then((m) => {{ m.tablet.feed.retries = 0; }})")  # no need to wait out the backoff
    expect(tablet.locator("#live-state")).to_have_attribute("data-state", "online", timeout=STEP_MS)


def shows_the_kept_job(tablet) -> list:
    """After an offline reload: the page kept (not the network's, which names the officer anew), the job
    from the kept snapshot, the kept tiles drawn; whether the scene and the route are on the map."""
    expect(tablet.locator(".officer-tile .big")).to_have_text("李警官")
    expect(tablet.locator("#tablet-message")).to_have_text("离线：显示本终端最后收到的信息。")
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned")
    expect(tablet.locator("#live-assignment .address")).to_have_text("人民大道200号")
    wait_for(lambda: tablet.evaluate("[...document.querySelectorAll('#tablet-map canvas.basemap-tile[data-roads]')]"
                                     ".some((c) => Number(c.dataset.roads) > 0)"))
    return on_tablet(tablet, "[t.map.incidentMarker !== null, t.map.routeLine !== null]")


def acknowledge_and_note(tablet, unit) -> list:
    """The step and the note, taken offline: what the queue holds."""
    tablet.locator("[data-step=acknowledged]").click()
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "acknowledged")
    tablet.locator("#assignment-notes textarea").fill("双方情绪激动，需增援")
    tablet.locator("#assignment-notes [type=submit]").click()
    expect(tablet.locator("#assignment-notes li.pending .text")).to_have_text("双方情绪激动，需增援")
    return tablet.evaluate(f"JSON.parse(localStorage.getItem('tablet-queue-{unit.pk}'))")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_tablet_reloads_offline_and_a_step_and_a_note_taken_offline_are_sent_on_reconnect(
        asgi_server, city, chromium, page_errors):
    incident = f.IncidentFactory(zone=city.platform.zones.get(), status="dispatched", address="人民大道200号",
                                 lat=SCENE[0], lon=SCENE[1], category="dispute", priority=2)
    assignment = f.AssignmentFactory(incident=incident, unit=city, status="assigned")
    context = tablet_context(chromium, POSTED)
    tablet = logged_in_tablet(context, asgi_server, page_errors)
    expect(tablet.locator("#live-assignment .route .turns li").first).to_be_visible(timeout=STEP_MS)
    kept = kept_for_offline(tablet, city)
    Officer.objects.filter(user__username="tablet-officer").update(name="王警官")  # only the network says so
    reload_offline(context, tablet)
    offline_map = shows_the_kept_job(tablet)
    queued = acknowledge_and_note(tablet, city)
    still = Assignment.objects.get().status
    shot(tablet, "offline-1-reloaded")

    back_online(context, tablet)
    expect(tablet.locator("#assignment-notes li:not(.pending) .text")).to_have_text("双方情绪激动，需增援", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "acknowledged", timeout=STEP_MS)
    assignment.refresh_from_db()
    shot(tablet, "offline-2-back")

    assert kept["tiles"] > 100 and kept["kept"] == kept["tiles"]
    assert offline_map == [True, True]  # the scene and the route kept from before the reload
    assert [(e["kind"], e.get("status"), e.get("text")) for e in queued] == [
        ("step", "acknowledged", None), ("note", None, "双方情绪激动，需增援")]
    assert (still, assignment.status, assignment.acknowledged_at is not None) == ("assigned", "acknowledged", True)
    # In the order taken: the acknowledgement, then the note.
    assert list(incident.events.filter(kind__in=["acknowledged", "note"]).values_list("kind", "actor__username")) == [
        ("acknowledged", "tablet-officer"), ("note", "tablet-officer")]
    assert on_tablet(tablet, "t.actions.length") == 0
    assert page_errors == []


def meal_break_reply_and_report(tablet, unit) -> tuple[list, int]:
    """Taken offline, in this order: what the queue holds, and the size of the photo kept in IndexedDB."""
    tablet.locator("#unit-status-controls [data-set=meal_break]").click()
    tablet.locator("#unit-messages [data-reply-open]").click()
    tablet.locator("#unit-messages form.reply-form textarea").fill("在人民广场，用餐中")
    tablet.locator("#unit-messages form.reply-form [type=submit]").click()
    form = tablet.locator("#on-view-form")
    form.locator("select[name=category]").select_option("traffic_accident")
    form.locator("textarea[name=description]").fill("两车追尾，无人受伤")
    form.locator("input[name=photo]").set_input_files({"name": "crash.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    form.locator("[type=submit]").click()
    expect(tablet.locator("#tablet-message")).to_have_text("上报已保存，网络恢复后自动发送。")
    expect(tablet.locator("#unit-messages .reply.pending")).to_have_count(1)
    queued = tablet.evaluate(f"JSON.parse(localStorage.getItem('tablet-queue-{unit.pk}'))")
    photo_kept = tablet.evaluate(f"import('/static/command/lib/tablet_photos.js').then((m) => "
                                 f"m.keptPhoto('{queued[-1]['key']}')).then((p) => p ? p.blob.size : 0)")
    return queued, photo_kept


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_status_a_reply_and_a_report_taken_offline_reach_the_server_in_order(asgi_server, city, chromium,
                                                                               page_errors, media):
    from command.messages import message_send
    from django.contrib.auth import get_user_model

    message = message_send(sender=get_user_model().objects.get(username="wall-dispatcher"), unit=city, text="请报告位置")
    context = tablet_context(chromium, POSTED)
    tablet = logged_in_tablet(context, asgi_server, page_errors)
    expect(tablet.locator("#unit-messages li.unread")).to_have_count(1)
    snapshot_kept(tablet, city)
    reload_offline(context, tablet)
    expect(tablet.locator("#unit-messages li.unread")).to_have_count(1)
    queued, photo_kept = meal_break_reply_and_report(tablet, city)
    nothing_yet = (UnitMessage.objects.filter(from_unit=True).count(), Incident.objects.count())
    shot(tablet, "offline-3-queued")

    back_online(context, tablet)
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "on_scene", timeout=STEP_MS)
    expect(tablet.locator("#unit-messages .reply:not(.pending) .text")).to_have_text("在人民广场，用餐中")
    shot(tablet, "offline-4-sent")

    reply, incident = UnitMessage.objects.get(from_unit=True), Incident.objects.get()
    city.refresh_from_db()
    assert [entry["kind"] for entry in queued] == ["status", "reply", "report"]
    assert (queued[0]["status"], queued[0]["reason"], queued[1]["message"]) == ("unavailable", "用餐", message.pk)
    assert (photo_kept, nothing_yet) == (len(JPEG), (0, 0))
    assert reply.sent_at < incident.received_at  # in the order taken
    assert (reply.text, incident.origin, incident.category, incident.photos.get().size) == (
        "在人民广场，用餐中", "on_view", "traffic_accident", len(JPEG))
    # The meal break went first: the report then brought the crew back to work, on scene.
    assert (city.status, city.status_reason, Assignment.objects.get().status) == ("on_scene", "", "on_scene")
    assert on_tablet(tablet, "t.actions.length") == 0
    assert page_errors == []
