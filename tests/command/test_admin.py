"""The admin: every registered model lists and opens; the incident timeline cannot be rewritten."""
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token, TokenProxy

from command.models import Membership
from common.roles import Role
from dispatch.models import Alert, Assignment, EventKind, Incident, IncidentEvent, Mobilization, Recommendation
from grid.models import KeySite, PatrolPoint, PatrolRoute, ServedArea, Zone
from platforms.models import (
    Absence,
    District,
    Officer,
    Overtime,
    Platform,
    PlatformMove,
    RosterChange,
    RosterPeriod,
    Shift,
    Squad,
    Unit,
    Vehicle,
)
from services.models import Appointment, CallbackSurvey, ServiceType
from tests import factories as f
from tests.command.logins import login
from tests.command.security_makers import TrackerDevice, security_makers
from tests.planning.makers import PLANNING_RECORDS, planning_makers
from tests.services.makers import services_makers
from tests.traffic.makers import traffic_makers


def one_appointment():
    service = ServiceType.objects.create(code="S01", name="户籍办理")
    return Appointment.objects.create(service_type=service, platform=f.PlatformFactory(), citizen_name="赵女士",
                                      citizen_phone="13900000000", starts_at=timezone.now())


def one_move():
    return PlatformMove.objects.create(platform=f.PlatformFactory(), from_lon=121.47, from_lat=31.23,
                                       to_lon=121.48, to_lat=31.24, reason="早高峰")


def one_served_area():
    return ServedArea.objects.create(name="演示城区", polygon=f.square(121.48, 31.23, 0.05))


def one_roster_period():
    period = RosterPeriod.objects.create(platform=f.PlatformFactory(), starts_on=timezone.localdate(),
                                         ends_on=timezone.localdate())
    RosterChange.objects.create(period=period, kind="generated", summary="生成 15 个班次", version=1)
    return period


# One row of each registered model; factories where they exist.
MAKERS = {
    Group: lambda: Group.objects.create(name="值班长"),
    TokenProxy: lambda: TokenProxy.objects.get(pk=Token.objects.create(user=f.UserFactory()).pk),
    ServedArea: one_served_area,
    Zone: f.ZoneFactory,
    KeySite: f.KeySiteFactory,
    PatrolPoint: f.PatrolPointFactory,
    PatrolRoute: f.PatrolRouteFactory,
    District: f.DistrictFactory,
    Platform: f.PlatformFactory,
    PlatformMove: one_move,
    Squad: f.SquadFactory,
    Officer: f.OfficerFactory,
    Vehicle: f.VehicleFactory,
    Shift: f.ShiftFactory,
    Unit: f.UnitFactory,
    Incident: f.IncidentFactory,
    IncidentEvent: lambda: IncidentEvent.objects.create(incident=f.IncidentFactory(), kind=EventKind.CREATED),
    Assignment: f.AssignmentFactory,
    Recommendation: lambda: Recommendation.objects.create(incident=f.IncidentFactory(), proposed=[1]),
    Alert: lambda: Alert.objects.create(kind="at_risk", incident=f.IncidentFactory(), message="110 at risk"),
    Mobilization: lambda: Mobilization.objects.create(lon=121.48, lat=31.23, head_count=20, deadline_s=600,
                                                      reason="集结"),
    ServiceType: lambda: ServiceType.objects.create(code="S02", name="交通违法处理"),
    Appointment: one_appointment,
    CallbackSurvey: lambda: CallbackSurvey.objects.create(incident=f.IncidentFactory(), satisfaction=5),
    Membership: lambda: f.membership(f.UserFactory(), Role.DISPATCHER),
    RosterPeriod: one_roster_period,
    Absence: lambda: Absence.objects.create(officer=f.OfficerFactory(), kind="sick", starts_at=timezone.now(),
                                            ends_at=timezone.now() + timedelta(hours=8)),
    Overtime: lambda: Overtime.objects.create(officer=f.OfficerFactory(), unit=f.UnitFactory(), hours=8),
    f.UserFactory._meta.model: f.UserFactory,
    **services_makers(),  # the services desk's rows (tests/services/makers.py)
    **security_makers(),  # trackers, the audit trail, logins and lockouts (issue 19)
    **planning_makers(),  # stands, plans, planned moves, move-ups, coverage samples (issue 17)
    **traffic_makers(),  # traffic records, control points, zone factors, congestion bands (issue 20)
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
APPEND_ONLY = (Incident, IncidentEvent, Assignment, Recommendation, Alert, Mobilization)
ROSTER_RECORDS = (RosterPeriod, Absence, Overtime)  # changed only through platforms.rosters
SECURITY_RECORDS = tuple(model for model in security_makers() if model is not TrackerDevice)  # written by the site alone


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_a_maker():
    assert set(REGISTERED) == set(MAKERS)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_lists_the_row_and_its_page_opens(client, administrator, model):
    row = MAKERS[model]()
    login(client, administrator)

    changelist = client.get(admin_url(model, "changelist"))
    change = client.get(admin_url(model, "change", row.pk))

    assert changelist.status_code == 200
    assert row.pk in [shown.pk for shown in changelist.context["cl"].result_list]
    assert change.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in REGISTERED if m not in (*APPEND_ONLY, *ROSTER_RECORDS, *SECURITY_RECORDS,
                                                                   *PLANNING_RECORDS, PlatformMove, ServedArea)],
                         ids=lambda model: model._meta.label)
def test_add_form_opens(client, administrator, model):
    login(client, administrator)

    assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.django_db
def test_incident_events_have_no_add_change_or_delete_permission(administrator):
    event = MAKERS[IncidentEvent]()
    request = RequestFactory().get("/admin/")
    request.user = administrator
    model_admin = admin.site._registry[IncidentEvent]

    assert model_admin.has_view_permission(request, event) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False


@pytest.mark.django_db
@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda model: model._meta.label)
def test_dispatch_rows_cannot_be_changed_or_deleted_through_the_admin(client, administrator, model):
    row = MAKERS[model]()
    login(client, administrator)

    changelist = client.get(admin_url(model, "changelist"))
    post_change = client.post(admin_url(model, "change", row.pk), {})
    delete = client.get(admin_url(model, "delete", row.pk))
    bulk_delete = client.post(admin_url(model, "changelist"),
                              {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})

    assert changelist.context["action_form"] is None
    assert (post_change.status_code, delete.status_code) == (403, 403)
    assert bulk_delete.status_code == 200  # the list again: no such action
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_incident_page_shows_its_timeline_and_assignments_read_only(client, administrator):
    assignment = f.AssignmentFactory()
    IncidentEvent.objects.create(incident=assignment.incident, kind=EventKind.CREATED)
    IncidentEvent.objects.create(incident=assignment.incident, kind=EventKind.ASSIGNED, unit=assignment.unit)
    login(client, administrator)

    response = client.get(admin_url(Incident, "change", assignment.incident.pk), headers={"accept-language": "en"})
    inlines = {formset.opts.model: formset for formset in response.context["inline_admin_formsets"]}
    html = response.content.decode()

    assert set(inlines) == {IncidentEvent, Assignment}
    assert [form.original.kind for form in inlines[IncidentEvent]] == [EventKind.CREATED, EventKind.ASSIGNED]
    assert inlines[IncidentEvent].has_change_permission is False
    assert "Call received" in html and "Unit assigned" in html
    assert assignment.unit.call_sign in html


def platform_form(platform, **moves) -> dict:
    data = {
        "code": platform.code, "name": platform.name, "name_en": "", "district": platform.district_id,
        "mobile": "on" if platform.mobile else "", "min_units_on_duty": 2,
        "moves-TOTAL_FORMS": 1, "moves-INITIAL_FORMS": 0, "moves-MIN_NUM_FORMS": 0, "moves-MAX_NUM_FORMS": 1000,
    }
    data.update({f"moves-0-{name}": value for name, value in moves.items()})
    return data


@pytest.mark.django_db
def test_a_move_recorded_in_the_platform_page_moves_the_platform(client, administrator, platform):
    login(client, administrator)

    response = client.post(admin_url(Platform, "change", platform.pk),
                           platform_form(platform, to_lon="121.49", to_lat="31.24", reason="晚高峰移至外滩"))
    platform.refresh_from_db()
    move = platform.moves.get()

    assert response.status_code == 302
    assert (platform.lon, platform.lat, platform.moved_at) == (121.49, 31.24, move.moved_at)
    assert (move.from_lon, move.from_lat, move.reason, move.moved_by) == (121.4737, 31.2304, "晚高峰移至外滩",
                                                                          administrator)


@pytest.mark.django_db
def test_a_move_outside_the_served_area_is_refused_in_the_form(client, administrator, platform):
    login(client, administrator)

    response = client.post(admin_url(Platform, "change", platform.pk),
                           platform_form(platform, to_lon="100.0", to_lat="31.24", reason="误操作"),
                           headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "is outside the served area" in response.content.decode()
    assert PlatformMove.objects.count() == 0


@pytest.mark.django_db
def test_a_fixed_post_is_not_moved(client, administrator):
    post = f.PlatformFactory(mobile=False)
    login(client, administrator)

    response = client.post(admin_url(Platform, "change", post.pk),
                           platform_form(post, to_lon="121.49", to_lat="31.24", reason="搬迁"),
                           headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "A fixed post does not move" in response.content.decode()
    assert PlatformMove.objects.count() == 0


@pytest.mark.django_db
def test_a_mobile_platforms_coordinates_are_read_only_a_fixed_posts_are_not(client, administrator, platform):
    post = f.PlatformFactory(mobile=False)
    login(client, administrator)

    mobile_form = client.get(admin_url(Platform, "change", platform.pk)).context["adminform"].form
    fixed_form = client.get(admin_url(Platform, "change", post.pk)).context["adminform"].form

    assert {"lon", "lat"} & set(mobile_form.fields) == set()
    assert {"lon", "lat"} <= set(fixed_form.fields)


@pytest.mark.django_db
def test_admin_header_links_back_to_the_role_pages_in_chinese(client, administrator):
    login(client, administrator)

    html = client.get("/admin/").content.decode()

    assert '<div id="site-name"><a href="/admin/">交巡融合指挥 系统管理</a></div>' in html
    assert '<a href="/console/">调度台</a>' in html and '<a href="/desk/">便民服务台</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", ROSTER_RECORDS, ids=lambda model: model._meta.label)
def test_roster_records_are_read_only_in_the_admin(client, administrator, model):
    row = MAKERS[model]()
    login(client, administrator)

    assert client.get(admin_url(model, "change", row.pk)).status_code == 200
    assert client.post(admin_url(model, "change", row.pk), {}).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "delete", row.pk)).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", PLANNING_RECORDS, ids=lambda model: model._meta.label)
def test_planning_records_are_read_only_in_the_admin(client, administrator, model):
    """Plans, their moves, move-ups and coverage samples change through planning.services alone."""
    row = MAKERS[model]()
    login(client, administrator)

    assert client.get(admin_url(model, "change", row.pk)).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", row.pk), {}).status_code == 403
