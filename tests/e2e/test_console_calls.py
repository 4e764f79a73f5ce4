"""A dispatcher's shift in the browser, nothing through the API: a call taken by typing a junction, a
second caller at the same place attached to it, the recommendation accepted, the unit replaced, the
officer working it on the tablet, the incident closed with its disposition; a call cancelled and
reopened; a unit stood down with a reason and back; and the console's sounds, muted and not.

Real Chromium against uvicorn and a real Celery worker on the demo road network (its gazetteer too)."""
import pytest
from playwright.sync_api import expect

from dispatch.models import Assignment, Incident, IncidentCaller
from platforms import positions
from platforms.models import Unit
from tests import factories as f
from tests.e2e.support import CONSOLE, STEP_MS, TABLET, log_in, shot, wait_for, watch

JUNCTION = "西藏中路福州路口"                 # spoken; the gazetteer's "西藏中路与福州路交叉口"
NEAR_JUNCTION = (121.4722, 31.2332)          # lon, lat: where 人广02 stands, 40 m from it
PLAY_COUNTER = """
  window.played = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { window.played.push(this.id); return play.call(this); };
"""


@pytest.fixture
def second_unit(city):
    unit = f.UnitFactory(platform=city.platform, call_sign="人广02", capabilities=["patrol", "traffic"])
    fix = positions.Fix(unit_id=unit.pk, lon=NEAR_JUNCTION[0], lat=NEAR_JUNCTION[1], at=positions.timezone.now())
    assert positions.fixes_accept(fixes=[fix], source="test").accepted == 1
    return unit


def console_page(chromium, url, errors, *, init_script=""):
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    if init_script:
        context.add_init_script(init_script)
    page = watch(context.new_page(), errors)
    log_in(page, url, "wall-dispatcher", "/console/")
    return page


def take_call(console, *, category, caller, phone, notes="") -> None:
    """The New call tab: the caller, the junction typed and picked from the lookup, the category."""
    console.click("#tab-call")
    form = console.locator("#call-form")
    form.locator("input[name=caller_name]").fill(caller)
    form.locator("input[name=caller_phone]").fill(phone)
    form.locator("input[name=address]").fill(JUNCTION)
    console.locator("[role=option]").first.click()
    expect(form.locator(".call-where")).to_have_attribute("data-target", "180", timeout=STEP_MS)  # the zone's target
    form.locator("select[name=category]").select_option(category)
    form.locator("textarea[name=description]").fill(notes)


def attach_the_second_caller(console) -> None:
    take_call(console, category="traffic_accident", caller="李四", phone="13912345678", notes="看到两车相撞")
    duplicates = console.locator("#call-form .duplicates")
    expect(duplicates).to_be_visible(timeout=STEP_MS)
    shot(console, "console-1-duplicate-warning")
    duplicates.locator(".attach").first.click()
    expect(console.locator("#incident-detail .callers li")).to_have_count(2, timeout=STEP_MS)
    expect(console.locator("#incident-detail .callers")).to_contain_text("139****5678")


def replace_with(console, call_sign: str) -> None:
    replace = console.locator("#incident-detail form.reassign")
    replace.locator("select[name=unit]").select_option(label=call_sign)
    replace.locator("input[name=reason]").fill("人广02另有任务")
    replace.locator("button[type=submit]").click()


def work_it_on_the_tablet(tablet) -> None:
    expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", "assigned", timeout=STEP_MS)
    for step in ("acknowledged", "en_route", "on_scene"):
        tablet.locator(f"[data-step={step}]").click()
        expect(tablet.locator("#live-assignment")).to_have_attribute("data-status", step, timeout=STEP_MS)
    tablet.locator("#live-assignment input[name=disposition]").fill("已拖离现场，双方协商处理")
    # A live update re-draws the card while the officer types: the disposition stays.
    tablet.evaluate(f"import('{TABLET}').then((m) => m.tablet.render())")
    expect(tablet.locator("#live-assignment input[name=disposition]")).to_have_value("已拖离现场，双方协商处理")
    tablet.locator("[data-step=cleared]").click()
    expect(tablet.locator("#live-assignment .no-assignment")).to_be_visible(timeout=STEP_MS)


def close_from_the_to_close_list(console) -> None:
    console.click("#tab-to-close")
    console.locator("#to-close-list [data-incident]").first.click()
    close = console.locator("#incident-detail form.close")
    close.locator("select[name=disposition]").select_option("resolved")
    close.locator("textarea[name=result]").fill("事故车辆已移走，道路恢复通行")
    close.locator("button[type=submit]").click()
    expect(console.locator("#incident-detail")).to_have_attribute("data-status", "closed", timeout=STEP_MS)
    shot(console, "console-3-closed")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_call_taken_by_junction_duplicate_attached_unit_replaced_worked_and_closed(
        asgi_server, worker, city, second_unit, chromium, page_errors):
    console = console_page(chromium, asgi_server, page_errors)
    tablet = watch(chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page(), page_errors)
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
    take_call(console, category="traffic_accident", caller="王五", phone="13700001111", notes="两车追尾")
    console.locator("#call-form button[type=submit]").click()
    expect(console.locator("#incident-detail .recommendation li.proposed")).to_contain_text("人广02", timeout=STEP_MS)
    attach_the_second_caller(console)
    console.locator("#incident-detail .recommendation .accept").click()
    expect(console.locator("#incident-detail [data-assignment][data-status=assigned]")).to_contain_text("人广02", timeout=STEP_MS)
    replace_with(console, "人广01")
    work_it_on_the_tablet(tablet)
    shot(console, "console-2-cleared")
    close_from_the_to_close_list(console)

    incident = Incident.objects.get()
    assert (incident.status, incident.closing, incident.caller_phone, incident.address) == (
        "closed", "resolved", "13700001111", "西藏中路与福州路交叉口")
    assert [(c.name, c.phone) for c in IncidentCaller.objects.all()] == [("李四", "13912345678")]
    assert list(Assignment.objects.order_by("pk").values_list("unit__call_sign", "status")) == [
        ("人广02", "cancelled"), ("人广01", "cleared")]
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds[:1] == ["created"] and kinds[-1] == "closed"
    assert {"caller_added", "reassigned", "acknowledged", "on_scene", "cleared"} <= set(kinds)
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_call_cancelled_and_reopened_and_a_unit_stood_down_and_back(asgi_server, city, chromium, page_errors):
    console = console_page(chromium, asgi_server, page_errors)
    take_call(console, category="dispute", caller="赵六", phone="13600002222")
    console.locator("#call-form button[type=submit]").click()
    cancel = console.locator("#incident-detail form.cancel")
    cancel.locator("select[name=reason]").select_option("false_alarm")
    cancel.locator("button[type=submit]").click()
    expect(console.locator("#incident-detail")).to_have_attribute("data-status", "cancelled", timeout=STEP_MS)
    reopen = console.locator("#incident-detail form.reopen")
    reopen.locator("input[name=reason]").fill("报警人再次来电")
    reopen.locator("button[type=submit]").click()
    expect(console.locator("#incident-detail")).to_have_attribute("data-status", "waiting", timeout=STEP_MS)

    console.click("#tab-units")
    row = console.locator(f"#unit-board tr[data-unit='{city.pk}']")
    row.locator("[data-set=unavailable]").click()
    console.locator("#unit-board .unit-status-form input[name=reason]").fill("车辆故障")
    console.locator("#unit-board .unit-status-form button[type=submit]").click()
    expect(row).to_have_attribute("data-status", "unavailable", timeout=STEP_MS)
    expect(row.locator(".reason")).to_have_text("车辆故障")
    shot(console, "console-4-unit-board")
    row.locator("[data-set=available]").click()
    expect(row).to_have_attribute("data-status", "available", timeout=STEP_MS)

    console.click("#hotspot-toggle")  # the last four weeks' Gi* cells: none significant in this small city
    expect(console.locator("#hotspot-toggle")).to_have_attribute("data-cells", "0", timeout=STEP_MS)

    kinds = list(Incident.objects.get().events.values_list("kind", flat=True))
    assert kinds[0] == "created" and kinds[-2:] == ["cancelled", "reopened"]
    assert (Unit.objects.get(pk=city.pk).status, page_errors) == ("available", [])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_muted_console_plays_no_sound_and_an_unmuted_one_does(asgi_server, city, chromium, page_errors):
    quiet = console_page(chromium, asgi_server, page_errors, init_script=PLAY_COUNTER)
    loud = console_page(chromium, asgi_server, page_errors, init_script=PLAY_COUNTER)
    quiet.click("#alert-mute")
    expect(quiet.locator("#alert-mute")).to_have_attribute("aria-pressed", "true")
    loud.click("#tab-units")  # a click on the page, as a dispatcher's first, lets it play sound
    f.IncidentFactory(zone=city.platform.zones.get(), number="110-OTHER")  # another dispatcher's call...
    from dispatch import events

    events.incident_changed(Incident.objects.get(), created=True)       # ...heard by both consoles
    expect(loud.locator("#incident-queue [data-incident]")).to_have_count(1, timeout=STEP_MS)
    expect(quiet.locator("#incident-queue [data-incident]")).to_have_count(1, timeout=STEP_MS)
    wait_for(lambda: loud.evaluate("window.played.length > 0"))  # polled: the CSP refuses wait_for_function's eval
    assert loud.evaluate("window.played") == ["sound-new_call"]
    assert quiet.evaluate("window.played") == []
    assert quiet.evaluate(f"import('{CONSOLE}').then((m) => m.liveConsole.signals.muted)") is True
    assert page_errors == []
