"""An officer on foot at a key site, seen by their own phone, sent ahead of the nearest car (issue 16), in
real headless Chromium against the real ASGI app and a real Celery worker ranking on the demo network.

The officer of a crew on foot opens the tablet page on a phone-sized screen: the page is their own handset
and reports their position (POST /api/v1/handsets/fixes), which moves their crew, a crew with no vehicle.
A criminal call comes in at the key site they stand at: the engine ranks the crew on foot by walking and
the car by driving, so the officer a few metres away comes first and the car after; the category wants a
car beside an officer on foot, so the car is proposed too (EventKind.CAR_BACKUP). The dispatcher's console
shows the officer on its officer layer and the recommendation; accepting it sends both."""
import pytest
from playwright.sync_api import expect

from common.roles import Role
from dispatch.models import EventKind, Incident
from platforms import handsets, positions
from platforms.models import VehicleKind
from tests import factories as f
from tests.e2e.support import CONSOLE, STEP_MS, click_at, log_in, map_point, shot, wait_for, watch

SITE = (31.2296, 121.4722)        # lat, lon: a square by People's Square, about 400 m from the car (POSTED)
AT_THE_GATE = (31.2297, 121.4723)  # where the officer on foot stands, about 15 m from its centre
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def foot_crew(city):
    """A key site at SITE and a crew on foot (步巡01) of the same platform, whose officer logs in as
    `foot-officer`; the car 人广01 (the city's crew) stays posted at POSTED."""
    platform = city.platform
    handsets.handsets_wipe()
    f.KeySiteFactory(code="KS01", name="人民广场", lon=SITE[1], lat=SITE[0], radius_m=300)
    walkers = f.VehicleFactory(platform=platform, kind=VehicleKind.ON_FOOT, plate="")
    unit = f.UnitFactory(platform=platform, shift=city.shift, call_sign="步巡01", vehicle=walkers,
                         capabilities=["patrol", "traffic"])
    officer = f.OfficerFactory(platform=platform, squad=city.shift.squad, name="王辅警", kind="auxiliary",
                               user=f.UserFactory(username="foot-officer"))
    unit.officers.add(officer)
    f.membership(officer.user, Role.OFFICER)
    yield unit, officer
    handsets.handsets_wipe()


def phone_of(browser, url: str, errors: list):
    """The foot officer's phone: a phone-sized tablet page at the key site's gate, location allowed."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                  geolocation={"latitude": AT_THE_GATE[0], "longitude": AT_THE_GATE[1]},
                                  permissions=["geolocation"])
    phone = watch(context.new_page(), errors)
    log_in(phone, url, "foot-officer", "/tablet/")
    return phone


def near(fix, point, metres_deg: float = 2e-5) -> bool:
    return fix is not None and abs(fix.lat - point[0]) < metres_deg and abs(fix.lon - point[1]) < metres_deg


def take_the_call(console):
    """The dispatcher takes a criminal call at the key site from the map (recommend, not auto: a P3)."""
    console.evaluate(f"([lat, lon]) => import('{CONSOLE}').then((m) => m.consoleMap.map.setView([lat, lon], 17, "
                     "{ animate: false }))", list(SITE))
    click_at(console, "#console-map", map_point(console, CONSOLE, "consoleMap", *SITE))
    console.locator(".map-actions .new-call").click()
    form = console.locator("#call-form")
    expect(form.locator(".call-where")).not_to_be_empty(timeout=STEP_MS)
    form.locator("select[name=category]").select_option("criminal")
    form.locator("select[name=priority]").select_option("3")
    form.locator("textarea[name=description]").fill("广场上有人被抢手机")
    form.locator("button[type=submit]").click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_officer_on_foot_at_a_key_site_goes_first_and_a_car_beside_them(asgi_server, worker, city, foot_crew,
                                                                            chromium, page_errors):
    unit, officer = foot_crew
    phone = phone_of(chromium, asgi_server, page_errors)
    # A phone-sized page is the officer's own handset: its fixes move the officer, and the crew on foot.
    expect(phone.locator("#handset")).to_have_attribute("data-handset", "on", timeout=STEP_MS)
    wait_for(lambda: near(handsets.officers_live([officer.pk]).get(officer.pk), AT_THE_GATE))
    wait_for(lambda: near(positions.live_positions([unit.pk]).get(unit.pk), AT_THE_GATE))
    shot(phone, "handset-1-phone")
    console = watch(chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page(),
                    page_errors)
    log_in(console, asgi_server, "wall-dispatcher", "/console/")
    on_layer = f"import('{CONSOLE}').then((m) => m.liveConsole.officersLayer.officers.has({officer.pk}))"
    wait_for(lambda: console.evaluate(on_layer))
    take_the_call(console)
    proposed = console.locator("#incident-detail .recommendation .options li.proposed")
    expect(proposed).to_have_count(2, timeout=STEP_MS)
    expect(proposed.nth(0)).to_contain_text("步巡01")
    expect(proposed.nth(1)).to_contain_text("人广01")
    shot(console, "handset-2-recommendation")
    incident = Incident.objects.get()
    assert (incident.target_s, incident.units_needed) == (60, 2)
    options = incident.recommendations.get().options
    assert [(o["call_sign"], o["mode"]) for o in options] == [("步巡01", "foot"), ("人广01", "car")]
    assert options[0]["eta_s"] < options[1]["eta_s"]
    backup = incident.events.get(kind=EventKind.CAR_BACKUP)
    assert (backup.unit_id, backup.data["beside_call_sign"], backup.data["beside_mode"]) == (city.pk, "步巡01", "foot")
    console.locator("#incident-detail .recommendation .accept").click()
    wait_for(lambda: list(incident.assignments.order_by("pk").values_list("unit__call_sign", flat=True))
             == ["步巡01", "人广01"])
    expect(console.locator("#incident-detail [data-assignment]")).to_have_count(2, timeout=STEP_MS)
    assert page_errors == []
