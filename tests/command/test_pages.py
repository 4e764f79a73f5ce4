"""The role pages: each persona logs in and lands on its own page; nobody else gets in."""
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from common.roles import Role
from dispatch.models import AssignmentStatus
from services.models import Appointment, ServiceType
from tests import factories as f
from tests.command.logins import PASSWORD, login

ROLE_PAGES = ("/console/", "/tablet/", "/supervisor/", "/desk/")

LANDING = {
    "dispatcher": "/console/",
    "supervisor": "/supervisor/",
    "officer": "/tablet/",
    "clerk": "/desk/",
    "administrator": "/admin/",
    "leadership": "/analysis/briefings/",
}

# What each landing page shows the persona from conftest (in Chinese, the default language).
LANDING_SHOWS = {
    "dispatcher": ["指挥调度台", "未结警情", 'id="console-map"'],
    "supervisor": ["管辖范围内的移动警务平台", "人民广场平台"],
    "officer": ["李警官", "人广01", "暂无任务"],
    "clerk": ["今日预约", "服务事项"],
    "administrator": ["交巡融合指挥 系统管理"],
    "leadership": ["研判简报", "热点"],
}

# What each role may open: 200 for its own page(s), 403 for the rest.
MATRIX = {
    "dispatcher": {"/console/": 200, "/tablet/": 403, "/supervisor/": 403, "/desk/": 403},
    "supervisor": {"/console/": 403, "/tablet/": 403, "/supervisor/": 200, "/desk/": 403},
    "officer": {"/console/": 403, "/tablet/": 200, "/supervisor/": 403, "/desk/": 403},
    "clerk": {"/console/": 403, "/tablet/": 403, "/supervisor/": 403, "/desk/": 200},
    "administrator": {"/console/": 200, "/tablet/": 403, "/supervisor/": 200, "/desk/": 200},
    "leadership": {"/console/": 403, "/tablet/": 403, "/supervisor/": 403, "/desk/": 403},
    "outsider": {"/console/": 403, "/tablet/": 403, "/supervisor/": 403, "/desk/": 403},
}


def today_at(hour: int):
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


def english(client, path):
    return client.get(path, headers={"accept-language": "en"})


# --- login and landing ------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(LANDING))
def test_login_redirects_home_then_to_the_roles_landing_page(client, request, persona):
    user = request.getfixturevalue(persona)

    posted = client.post("/login/", {"username": user.username, "password": PASSWORD})
    home = client.get("/")
    landing = client.get(home.url)

    assert (posted.status_code, posted.url) == (302, "/")
    assert (home.status_code, home.url) == (302, LANDING[persona])
    assert landing.status_code == 200
    assert [text for text in LANDING_SHOWS[persona] if text not in landing.content.decode()] == []


@pytest.mark.django_db
def test_a_wrong_password_stays_on_the_login_page_with_an_error(client, dispatcher):
    response = client.post("/login/", {"username": "dispatcher", "password": "wrong"},
                           headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response.context["user"].is_authenticated is False
    assert "Please enter a correct username and password." in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, dispatcher):
    login(client, dispatcher)

    response = client.post("/logout/")

    assert (response.status_code, response.url) == (302, "/login/")
    assert client.get("/console/").url == "/login/?next=/console/"


# --- who may open what ------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("path", ("/", *ROLE_PAGES))
def test_anonymous_is_sent_to_login_with_next(client, path):
    response = client.get(path)

    assert (response.status_code, response.url) == (302, f"/login/?next={path}")


@pytest.mark.django_db
@pytest.mark.parametrize("persona, path, status", [
    (persona, path, status) for persona, pages in MATRIX.items() for path, status in pages.items()
])
def test_permission_matrix(client, request, persona, path, status):
    login(client, request.getfixturevalue(persona))

    assert client.get(path).status_code == status


@pytest.mark.django_db
def test_outsider_home_is_403_and_says_no_role_is_assigned(client, outsider):
    login(client, outsider)

    response = english(client, "/")

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "command/no_role.html"
    assert "Your login has no role in the command centre" in response.content.decode()


@pytest.mark.django_db
def test_refused_page_renders_the_sites_403_page(client, dispatcher):
    login(client, dispatcher)

    response = english(client, "/tablet/")

    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()


# --- the pages' content -----------------------------------------------------------------------

@pytest.mark.django_db
def test_console_lists_open_incidents_and_feeds_the_map(client, dispatcher, platform):
    zone = f.ZoneFactory(platform=platform, code="Z01", name="人民广场网格")
    incident = f.IncidentFactory(zone=zone, address="南京东路100号")
    f.IncidentFactory(status="closed", number="110-CLOSED")
    login(client, dispatcher)

    response = english(client, "/console/")
    html = response.content.decode()
    data = response.context["map_data"]

    assert response.status_code == 200
    assert incident.number in html and "南京东路100号" in html and "110-CLOSED" not in html
    assert 'id="console-map-data"' in html and "leaflet/leaflet.js" in html
    assert '<script type="module" src="/static/command/pages/console.js"></script>' in html
    assert [p["code"] for p in data["platforms"]] == ["P01"]
    assert [(i["number"], i["category"], i["status"]) for i in data["incidents"]] == [
        (incident.number, "Public order", "Received")]
    assert [z["code"] for z in data["zones"]] == ["Z01"]
    assert data["served_area"] == [121.409, 31.179, 121.552, 31.279]


@pytest.mark.django_db
def test_console_takes_a_tile_url_only_when_one_is_configured(client, dispatcher, rf):
    login(client, dispatcher)
    request = rf.get("/console/")
    request.user = dispatcher
    context = {"map_data": {}, "open_incidents": [], "platforms": [],
               "map_tiles": "/tiles/{z}/{x}/{y}.png", "map_attribution": "© OpenStreetMap"}

    without = client.get("/console/").content.decode()
    with_tiles = render_to_string("command/console.html", context, request=request)

    assert "data-tiles" not in without
    assert 'data-tiles="/tiles/{z}/{x}/{y}.png" data-attribution="© OpenStreetMap"' in with_tiles


@pytest.mark.django_db
def test_tablet_shows_the_officer_the_unit_the_shift_and_no_assignment(client, officer, officer_unit):
    login(client, officer)

    response = english(client, "/tablet/")
    html = response.content.decode()

    assert response.context["unit"] == officer_unit
    assert response.context["current_assignment"] is None
    assert "李警官" in html and "人广01" in html and officer_unit.vehicle.call_number in html
    assert "Day shift" in html
    assert "No assignment" in html


@pytest.mark.django_db
def test_tablet_shows_the_current_assignment(client, officer, officer_unit):
    assignment = f.AssignmentFactory(unit=officer_unit, incident=f.IncidentFactory(address="外滩1号"))
    f.AssignmentFactory(unit=officer_unit, status=AssignmentStatus.CLEARED,
                        assigned_at=timezone.now() - timedelta(hours=1))
    login(client, officer)

    response = english(client, "/tablet/")
    html = response.content.decode()

    assert response.context["current_assignment"] == assignment
    assert "外滩1号" in html and assignment.incident.number in html
    assert "No assignment" not in html


@pytest.mark.django_db
def test_tablet_of_an_officer_without_a_unit_on_duty(client, platform):
    user = f.UserFactory(username="off-duty")
    f.OfficerFactory(platform=platform, user=user, name="王警官")
    f.membership(user, Role.OFFICER)
    login(client, user)

    response = english(client, "/tablet/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "王警官" in html and "You are not in a unit on duty now." in html and "No assignment" in html


@pytest.mark.django_db
def test_supervisor_sees_only_their_platforms_shifts_and_units(client, supervisor, platform, other_platform,
                                                              officer_unit):
    f.ShiftFactory(squad=f.SquadFactory(platform=platform, number=9, name="九班"), starts_at=today_at(12))
    f.UnitFactory(platform=other_platform, call_sign="外滩01")
    login(client, supervisor)

    response = client.get("/supervisor/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "人民广场平台" in html and "外滩平台" not in html
    assert "九班" in html
    assert "人广01" in html and "外滩01" not in html


@pytest.mark.django_db
def test_desk_shows_service_types_and_todays_appointments_of_the_clerks_platform(client, clerk, platform,
                                                                                other_platform):
    service = ServiceType.objects.create(code="S01", name="户籍办理", name_en="Household registration")
    Appointment.objects.create(service_type=service, platform=platform, citizen_name="赵女士",
                               citizen_phone="13900000000", starts_at=today_at(10))
    Appointment.objects.create(service_type=service, platform=other_platform, citizen_name="钱先生",
                               citizen_phone="13900000001", starts_at=today_at(11))
    Appointment.objects.create(service_type=service, platform=platform, citizen_name="孙先生",
                               citizen_phone="13900000002", starts_at=today_at(10) + timedelta(days=2))
    login(client, clerk)

    chinese, english_page = client.get("/desk/").content.decode(), english(client, "/desk/").content.decode()

    assert "户籍办理" in chinese and "赵女士" in chinese
    assert "钱先生" not in chinese and "孙先生" not in chinese
    assert "Household registration" in english_page


EMPTY_STATES = {
    "/console/": ["No open incidents.", "No place yet: pick one from the list or click the map."],
    "/supervisor/": ["No platforms in your scope.", "No shifts start today.", "No units on duty now."],
    "/desk/": ["No appointments today.", "No service types yet."],
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(EMPTY_STATES))
def test_pages_render_with_an_empty_database(client, administrator, path):
    login(client, administrator)

    response = english(client, path)
    html = response.content.decode()

    assert response.status_code == 200
    assert [text for text in EMPTY_STATES[path] if text not in html] == []


# --- the frame: user, role, logout, language --------------------------------------------------

@pytest.mark.django_db
def test_frame_shows_the_user_the_role_a_post_logout_and_the_roles_links(client, dispatcher):
    login(client, dispatcher)

    html = english(client, "/console/").content.decode()

    assert '<span class="user">dispatcher</span>' in html
    assert '<span class="role">Dispatcher</span>' in html
    assert '<form class="logout" action="/logout/" method="post">' in html
    assert '<a href="/console/" aria-current="page">Console</a>' in html
    assert 'href="/tablet/"' not in html


@pytest.mark.django_db
def test_default_language_is_chinese(client):
    response = client.get("/login/")
    html = response.content.decode()

    assert '<html lang="zh-hans">' in html
    assert "<h1 id=\"login-title\">登录</h1>" in html
    assert "用户名" in html and "密码" in html


@pytest.mark.django_db
def test_accept_language_en_renders_english(client):
    html = english(client, "/login/").content.decode()

    assert '<html lang="en">' in html
    assert '<h1 id="login-title">Log in</h1>' in html


@pytest.mark.django_db
def test_language_switch_sets_english_for_the_next_pages(client, dispatcher):
    login(client, dispatcher)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/console/"})
    html = client.get("/console/").content.decode()

    assert (switched.status_code, switched.url) == (302, "/console/")
    assert switched.cookies["django_language"].value == "en"
    assert '<html lang="en">' in html and "Open incidents" in html


@pytest.mark.django_db
def test_chinese_pages_use_the_police_terms(client, dispatcher, platform):
    f.IncidentFactory()
    login(client, dispatcher)

    html = client.get("/console/").content.decode()

    assert "调度员" in html  # the role
    assert "警情" in html  # incidents
    assert "移动警务平台" in html  # platforms


@pytest.mark.django_db
def test_the_console_takes_calls_in_a_tab_and_ships_its_alert_sounds(client, dispatcher):
    """No category is chosen for the dispatcher; the queue sits above the tabs; each alert kind has
    its own sound, served by the site itself."""
    login(client, dispatcher)
    html = english(client, "/console/").content.decode()
    category = html[html.index('<select name="category" required>'):]
    assert category.split("</option>")[0].endswith('<option value="">— choose —')
    assert html.index('id="incident-queue"') < html.index('role="tablist"')
    tabs = [tab.split('"')[0] for tab in html.split('role="tab" id="tab-')[1:]]
    assert tabs == ["detail", "call", "to-close", "units", "alerts", "mobilization", "moveup"]
    sounds = [src.split('"')[0] for src in html.split('<audio id="sound-')[1:]]
    assert sounds == ["new_call", "at_risk", "ack_timeout", "officer_message"]
    for kind in sounds:
        assert client.get(f"/static/command/sounds/{kind}.wav").status_code == 200


@pytest.mark.django_db
def test_the_favicon_is_the_sites_icon_for_anyone(client):
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (301, "/static/command/favicon.svg")
