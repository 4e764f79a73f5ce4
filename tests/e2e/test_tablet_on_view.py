"""An incident the officer finds on patrol (路面见警情), reported from the tablet in real headless Chromium
with a photo taken on the spot: it reaches the dispatcher's console already assigned to the crew and on
scene, the engine left out; the photo is kept on disk and read back only through the API. A file that
is not an image by its bytes is refused on the tablet before anything is sent."""
import pytest
from playwright.sync_api import expect

from dispatch.models import Assignment, Incident, IncidentPhoto
from tests.e2e.support import POSTED, STEP_MS, wait_for
from tests.e2e.tablet_support import console_beside, logged_in_tablet, on_console, on_tablet, shot, tablet_context

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8


@pytest.fixture(autouse=True)
def media(monkeypatch, settings, tmp_path):
    """Photos in a folder of the test's own, for the server (started after this) and for this process."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def fill_the_report(tablet, photo: dict) -> None:
    form = tablet.locator("#on-view-form")
    expect(form.locator(".position")).to_have_attribute("data-located", "true", timeout=STEP_MS)
    form.locator("select[name=category]").select_option("public_order")
    form.locator("select[name=priority]").select_option("2")
    form.locator("textarea[name=description]").fill("人民大道路口两名男子斗殴，已控制")
    expect(form.locator(".counter")).to_have_text("1984 字可输入")
    form.locator("input[name=address]").fill("人民大道200号")
    form.locator("input[name=photo]").set_input_files(photo)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_on_view_report_with_a_photo_reaches_the_console_already_assigned(asgi_server, city, chromium, page_errors,
                                                                             media):
    console = console_beside(chromium, asgi_server, page_errors)
    tablet = logged_in_tablet(tablet_context(chromium, POSTED), asgi_server, page_errors)
    fill_the_report(tablet, {"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    shot(tablet, "on-view-1-form")
    tablet.locator("#on-view-form [type=submit]").click()
    expect(tablet.locator("#tablet-message")).to_have_text("已上报：警情已派给本警组并显示在指挥台。", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "on_scene", timeout=STEP_MS)
    expect(tablet.locator("#live-assignment .address")).to_have_text("人民大道200号")
    expect(tablet.locator("#on-view-busy")).to_be_visible()
    shot(tablet, "on-view-2-reported")

    incident = Incident.objects.get()
    expect(console.locator(f'#incident-queue [data-incident="{incident.pk}"]')).to_have_count(1, timeout=STEP_MS)
    wait_for(lambda: on_console(console, f"c.assignments.size && [...c.assignments.values()]"
                                         f".some((a) => a.incident === {incident.pk} && a.status === 'on_scene')"))
    seen = on_console(console, f"[c.incidents.get({incident.pk}).origin, c.incidents.get({incident.pk}).status, "
                               f"[...c.assignments.values()].filter((a) => a.incident === {incident.pk}).map((a) => a.unit)]")
    fetched = console.evaluate(f"""fetch('/api/v1/photos/{incident.photos.get().pk}/file').then(async (r) =>
        [r.status, r.headers.get('content-type'), Array.from(new Uint8Array(await r.arrayBuffer())).length])""")
    shot(console, "on-view-3-console")

    assignment, photo = Assignment.objects.get(), IncidentPhoto.objects.get()
    assert seen == ["on_view", "on_scene", [city.pk]]
    assert (incident.origin, incident.status, incident.category, incident.priority, incident.description) == (
        "on_view", "on_scene", "public_order", 2, "人民大道路口两名男子斗殴，已控制")
    assert (round(incident.lat, 4), round(incident.lon, 4)) == (round(POSTED[0], 4), round(POSTED[1], 4))
    assert (assignment.unit_id, assignment.status, assignment.assigned_by.username) == (city.pk, "on_scene", "tablet-officer")
    assert not incident.recommendations.exists()  # the engine was left out
    assert (photo.content_type, photo.size, (media / photo.file.name).read_bytes()) == ("image/jpeg", len(JPEG), JPEG)
    assert fetched == [200, "image/jpeg", len(JPEG)]
    assert on_tablet(tablet, "t.actions.length") == 0
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_an_image_is_refused_on_the_tablet(asgi_server, city, chromium, page_errors, media):
    tablet = logged_in_tablet(tablet_context(chromium, POSTED), asgi_server, page_errors)
    fill_the_report(tablet, {"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": b"<html>not a photo</html>"})
    tablet.locator("#on-view-form [type=submit]").click()
    expect(tablet.locator("#on-view-form .form-error")).to_have_text("照片须为 JPEG、PNG 或 WebP 格式。")
    assert on_tablet(tablet, "t.actions.length") == 0
    assert (Incident.objects.count(), list(media.rglob("*.*"))) == (0, [])
    assert page_errors == []
