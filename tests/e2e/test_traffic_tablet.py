"""Traffic work on the officer's tablet in real headless Chromium: a minor accident handled by quick
settlement (both parties, responsibility under a rule, two signatures drawn on the pad, the PDF for the
insurers opens), the same completed with no signal and replayed in order on reconnect, and a congestion
cleared whose clearance time appears in the supervisor's figures."""
import importlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.roles import Role
from dispatch.models import Incident
from grid.models import Zone
from tests import factories as f
from tests.e2e.support import POSTED, STEP_MS, log_in, watch
from tests.e2e.tablet_support import shot, tablet_context
from traffic.models import AccidentRecord, CongestionRecord, DrinkCheck, Violation, ViolationType

TRAFFIC = "/tablet/traffic/"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8
PARTIES = [("王先生", "13911112222", "310101198001011234", "沪A12345"), ("赵女士", "13833334444", "310101199002023456", "沪B67890")]


@pytest.fixture(autouse=True)
def media(monkeypatch, settings, tmp_path):
    """Photos in a folder of the test's own, for the server (started after this) and for this process."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def common_violation_types() -> None:
    """The migration's common codes: a transactional test before this one flushed them."""
    from django.apps import apps

    importlib.import_module("traffic.migrations.0002_common_violation_types").seed(apps, None)


def on_scene(unit, category: str, arrived_ago_s: float = 90) -> Incident:
    arrived = timezone.now() - timedelta(seconds=arrived_ago_s)
    zone = Zone.objects.get(platform=unit.platform)
    incident = f.IncidentFactory(zone=zone, category=category, status="on_scene", on_scene_at=arrived,
                                 verified_on_scene_at=arrived, received_at=arrived - timedelta(minutes=4),
                                 address="人民大道200号")
    f.AssignmentFactory(incident=incident, unit=unit, status="on_scene")
    return incident


def traffic_tablet(chromium, url: str, errors: list):
    context = tablet_context(chromium, POSTED)
    page = watch(context.new_page(), errors)
    log_in(page, url, "tablet-officer", TRAFFIC, live=False)
    return context, page


def sign(page, position: int) -> None:
    """A few strokes across the party's pad, as a finger would."""
    pad = page.locator(f'#settlement-form canvas[data-position="{position}"]')
    pad.scroll_into_view_if_needed()  # the mouse only reaches what is in the viewport
    box = pad.bounding_box()
    for row in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * 0.15, box["y"] + box["height"] * row)
        page.mouse.down()
        for step in range(1, 8):
            page.mouse.move(box["x"] + box["width"] * (0.15 + step * 0.1), box["y"] + box["height"] * (row + 0.05 * (step % 2)))
        page.mouse.up()


def fill_the_accident(page) -> None:
    form = page.locator("#accident-form")
    form.locator("select[name=injuries]").select_option("none")
    form.locator("input[name=lanes_blocked]").fill("1")
    for position, (name, phone, licence, plate) in enumerate(PARTIES, start=1):
        party = form.locator(f'.party[data-position="{position}"]')
        party.locator("[name=name]").fill(name)
        party.locator("[name=phone]").fill(phone)
        party.locator("[name=licence_number]").fill(licence)
        party.locator("[name=plate]").fill(plate)
    form.locator("[type=submit]").click()


def fill_the_settlement(page) -> None:
    form = page.locator("#settlement-form")
    expect(form).to_be_visible(timeout=STEP_MS)
    form.locator("select[name=responsibility]").select_option("one")
    form.locator("select[name=responsible_party]").select_option("2")
    form.locator("select[name=rule]").select_option("rear_end")
    form.locator("textarea[name=agreement]").fill("乙方承担甲方车辆维修费用")
    sign(page, 1)
    sign(page, 2)
    form.locator("[type=submit]").click()


def pdf_opened(page) -> list:
    href = page.locator("#accident-tile .settled a.pdf").get_attribute("href")
    return page.evaluate("""(href) => fetch(href).then(async (r) => [r.status, r.headers.get('content-type'),
        new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))])""", href)


def settled_as_signed(incident) -> tuple:
    accident = AccidentRecord.objects.get(incident=incident)
    settlement = accident.settlement
    return (accident.status, accident.injuries, accident.lanes_blocked,
            [(p.name, p.phone, p.plate) for p in accident.parties.order_by("position")],
            settlement.responsibility, settlement.responsible_party.position, settlement.rule,
            settlement.signatures.count(), accident.handled_at is not None)


EXPECTED = ("settled", "none", 1, [(n, p, plate) for n, p, _, plate in PARTIES], "one", 2, "rear_end", 2, True)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_officer_settles_a_minor_accident_on_the_tablet(asgi_server, city, chromium, page_errors):
    incident = on_scene(city, "traffic_accident")
    context, page = traffic_tablet(chromium, asgi_server, page_errors)
    expect(page.locator("#accident-tile")).to_be_visible()
    fill_the_accident(page)
    expect(page.locator("#accident-tile")).to_have_attribute("data-status", "open", timeout=STEP_MS)
    shot(page, "traffic-1-accident")
    page.locator("#settlement-form [type=submit]").click()
    expect(page.locator("#settlement-form .form-error")).to_have_text("双方当事人须在签字板上签字。")
    fill_the_settlement(page)
    expect(page.locator("#accident-tile")).to_have_attribute("data-status", "settled", timeout=STEP_MS)
    expect(page.locator("#traffic-message")).to_have_text("快处快赔完成：双方已签字。")
    shot(page, "traffic-2-settled")
    assert pdf_opened(page) == [200, "application/pdf", "%PDF-"]
    assert settled_as_signed(incident) == EXPECTED
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_accident_settled_with_no_signal_is_sent_on_reconnect(asgi_server, city, chromium, page_errors):
    incident = on_scene(city, "traffic_accident")
    context, page = traffic_tablet(chromium, asgi_server, page_errors)
    expect(page.locator("#accident-tile")).to_be_visible()
    context.set_offline(True)
    fill_the_accident(page)
    expect(page.locator("#traffic-message")).to_have_text("无网络：已保存在本终端，恢复连接后自动发送。", timeout=STEP_MS)
    fill_the_settlement(page)
    expect(page.locator("#traffic-pending")).to_have_attribute("data-count", "2", timeout=STEP_MS)
    assert page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) =>"
                         " k.startsWith('traffic-outbox-')))).map((e) => e.method)") == ["PUT", "POST"]
    assert not AccidentRecord.objects.filter(incident=incident).exists()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#traffic-pending")).to_have_attribute("data-count", "0", timeout=STEP_MS)
    expect(page.locator("#accident-tile")).to_have_attribute("data-status", "settled", timeout=STEP_MS)
    assert settled_as_signed(incident) == EXPECTED
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_congestion_cleared_on_the_tablet_is_in_the_supervisors_figures(asgi_server, city, chromium, page_errors):
    incident = on_scene(city, "traffic_congestion", arrived_ago_s=150)
    context, page = traffic_tablet(chromium, asgi_server, page_errors)
    form = page.locator("#congestion-form")
    form.locator("select[name=cause]").select_option("breakdown")
    form.locator("input[name=lanes_affected]").fill("2")
    form.locator("[type=submit]").click()
    expect(page.locator("#traffic-message")).to_have_text("已保存。", timeout=STEP_MS)
    page.locator("#flowing-button").click()
    expect(page.locator("#congestion-tile")).to_have_attribute("data-flowing", "true", timeout=STEP_MS)
    record = CongestionRecord.objects.get(incident=incident)
    seconds = round((record.flowing_at - incident.on_scene_at).total_seconds(), 1)
    shot(page, "traffic-3-flowing")

    f.membership(f.UserFactory(username="wall-supervisor"), Role.SUPERVISOR, platform=city.platform)
    supervisor = watch(chromium.new_context(locale="zh-CN").new_page(), page_errors)
    log_in(supervisor, asgi_server, "wall-supervisor", "/supervisor/", live=False)
    row = supervisor.locator('#traffic-clocks tr[data-clock="congestion"][data-class="overall"]')
    expect(row.locator(".handled")).to_have_text("1")
    expect(row.locator(".met")).to_have_text("1 (100%)")
    expect(row.locator(".mean")).to_have_text(str(seconds))
    shot(supervisor, "traffic-4-supervisor-figures")
    assert (record.cause, record.lanes_affected, 150 <= seconds < 150 + STEP_MS / 1000) == ("breakdown", 2, True)
    assert page_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_violation_and_a_drink_check_are_counted_on_the_supervisor_page(asgi_server, city, chromium, page_errors,
                                                                          media):
    common_violation_types()
    context, page = traffic_tablet(chromium, asgi_server, page_errors)
    expect(page.locator(".position")).to_have_attribute("data-located", "true", timeout=STEP_MS)
    violation = page.locator("#violation-form")
    violation.locator("select[name=violation_type]").select_option(str(ViolationType.objects.get(code="1625").pk))
    violation.locator("input[name=plate]").fill("沪A1234")  # one digit short: no plate
    violation.locator("[type=submit]").click()
    expect(violation.locator(".form-error")).to_contain_text("不是有效的中国号牌", timeout=STEP_MS)
    violation.locator("input[name=plate]").fill("沪A12345")
    violation.locator("input[name=photo]").set_input_files({"name": "red.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    violation.locator("[type=submit]").click()
    expect(page.locator("#traffic-message")).to_have_text("已记录。", timeout=STEP_MS)
    drink = page.locator("#drink-form")
    drink.locator("input[name=plate]").fill("沪B67890")
    drink.locator("input[name=alcohol_mg_100ml]").fill("35")
    drink.locator("[type=submit]").click()
    expect(drink.locator("input[name=plate]")).to_have_value("", timeout=STEP_MS)
    shot(page, "traffic-5-records")

    f.membership(f.UserFactory(username="wall-supervisor"), Role.SUPERVISOR, platform=city.platform)
    supervisor = watch(chromium.new_context(locale="zh-CN").new_page(), page_errors)
    log_in(supervisor, asgi_server, "wall-supervisor", "/supervisor/", live=False)
    officer = city.officers.get()
    row = supervisor.locator(f'#enforcement-today tr[data-officer="{officer.pk}"]')
    expect(row.locator(".violations")).to_have_text("1")
    expect(row.locator(".drink-checks")).to_have_text("1")
    shot(supervisor, "traffic-6-supervisor-counts")
    check = DrinkCheck.objects.get()
    assert [(v.plate, v.violation_type.code, v.officer_id, v.unit_id, v.photo_type) for v in Violation.objects.all()] == [
        ("沪A12345", "1625", officer.pk, city.pk, "image/jpeg")]
    assert (media / Violation.objects.get().photo.name).read_bytes() == JPEG
    assert (check.plate, check.alcohol_mg_100ml, check.result, round(check.lat, 3), round(check.lon, 3)) == (
        "沪B67890", 35.0, "drink", round(POSTED[0], 3), round(POSTED[1], 3))
    assert page_errors == []
