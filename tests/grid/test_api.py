"""The grid's API: who may read and redraw the map, GeoJSON validation, filters, and `locate`."""
import pytest

from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db

MAP_READERS = ("administrator", "dispatcher", "supervisor")
BOW_TIE = {"type": "Polygon", "coordinates": [[[121.47, 31.23], [121.48, 31.24], [121.48, 31.23], [121.47, 31.24],
                                               [121.47, 31.23]]]}
LINE = {"type": "LineString", "coordinates": [[121.47, 31.23], [121.48, 31.23]]}

RESOURCES = {
    "zones": (Zone, f.ZoneFactory, {"code": "ZNEW", "name": "新网格", "response_class": "other",
                                    "polygon": f.square(121.47, 31.23, 0.005)}),
    "key-sites": (KeySite, f.KeySiteFactory, {"code": "KNEW", "name": "市一中", "kind": "school", "lon": 121.47,
                                              "lat": 31.23, "radius_m": 200}),
    "patrol-points": (PatrolPoint, f.PatrolPointFactory, {"code": "PPNEW", "name": "地铁口", "lon": 121.47,
                                                          "lat": 31.23}),
    "patrol-routes": (PatrolRoute, f.PatrolRouteFactory, {"code": "PRNEW", "name": "南京东路", "line": LINE}),
}


@pytest.fixture
def admin_api(as_):
    return as_("administrator")


class TestPermissions:
    @pytest.mark.parametrize("resource", RESOURCES)
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*MAP_READERS)))
    def test_list(self, as_, resource, persona, code):
        RESOURCES[resource][1]()
        response = as_(persona).get(f"/api/v1/{resource}/")
        assert response.status_code == code
        if code == 200:
            assert response.data["count"] == 1

    @pytest.mark.parametrize("resource", RESOURCES)
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*MAP_READERS)))
    def test_retrieve(self, as_, resource, persona, code):
        row = RESOURCES[resource][1]()
        response = as_(persona).get(f"/api/v1/{resource}/{row.pk}/")
        assert response.status_code == code
        if code == 200:
            assert response.data["code"] == row.code

    @pytest.mark.parametrize("resource", RESOURCES)
    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", code=201)))
    def test_create(self, as_, resource, persona, code):
        model, _, payload = RESOURCES[resource]
        response = as_(persona).post(f"/api/v1/{resource}/", payload, format="json")
        assert response.status_code == code
        assert model.objects.filter(code=payload["code"]).count() == (1 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), [("administrator", 200), ("dispatcher", 403), ("supervisor", 403)])
    def test_update(self, as_, persona, code):
        zone = f.ZoneFactory(name="旧名")
        response = as_(persona).patch(f"/api/v1/zones/{zone.pk}/", {"name": "新名"}, format="json")
        assert response.status_code == code
        zone.refresh_from_db()
        assert zone.name == ("新名" if code == 200 else "旧名")

    def test_there_is_no_delete(self, admin_api):
        zone = f.ZoneFactory()
        assert admin_api.delete(f"/api/v1/zones/{zone.pk}/").status_code == 405
        assert Zone.objects.filter(pk=zone.pk).exists()


class TestGeometryOut:
    def test_zone_polygon_and_target_come_back_as_geojson(self, admin_api):
        zone = f.ZoneFactory(code="Z01", response_class="city_centre")
        data = admin_api.get(f"/api/v1/zones/{zone.pk}/").data
        assert data["polygon"] == f.square(*f.PEOPLES_SQUARE)
        assert data["target_s"] == 180
        assert data["platform"] == zone.platform_id

    def test_route_length_is_computed_on_save(self, admin_api):
        response = admin_api.post("/api/v1/patrol-routes/", RESOURCES["patrol-routes"][2], format="json")
        assert response.status_code == 201
        assert 940 < response.data["length_m"] < 960  # 0.01° of longitude at 31.23° N
        assert PatrolRoute.objects.get(code="PRNEW").length_m == response.data["length_m"]


class TestBadInput:
    """Every way to send a wrong place answers 400 with the field's name and saves nothing."""

    def post(self, api, resource, **changes):
        payload = {**RESOURCES[resource][2], **changes}
        payload = {key: value for key, value in payload.items() if value is not ...}
        return api.post(f"/api/v1/{resource}/", payload, format="json")

    def test_self_intersecting_polygon(self, admin_api):
        response = self.post(admin_api, "zones", polygon=BOW_TIE)
        assert response.status_code == 400
        assert list(response.data) == ["polygon"]
        assert response.data["polygon"][0].startswith("Invalid geometry: Self-intersection")
        assert Zone.objects.count() == 0

    def test_polygon_that_is_not_geojson(self, admin_api):
        response = self.post(admin_api, "zones", polygon="POLYGON((0 0, 1 1, 1 0, 0 0))")
        assert response.status_code == 400
        assert response.data == {"polygon": ["Expected a GeoJSON geometry object with 'type' and 'coordinates'."]}
        assert Zone.objects.count() == 0

    def test_zone_reaching_outside_the_served_area(self, admin_api):
        response = self.post(admin_api, "zones", polygon=f.square(121.9, 31.23))
        assert response.status_code == 400
        assert response.data == {"polygon": ["The zone reaches outside the served area."]}
        assert Zone.objects.count() == 0

    def test_line_of_the_wrong_type(self, admin_api):
        response = self.post(admin_api, "patrol-routes", line=f.square(121.47, 31.23))
        assert response.status_code == 400
        assert response.data == {"line": ["Expected a GeoJSON LineString, got Polygon."]}
        assert PatrolRoute.objects.count() == 0

    def test_route_leaving_the_served_area(self, admin_api):
        response = self.post(admin_api, "patrol-routes", line={"type": "LineString",
                                                               "coordinates": [[121.47, 31.23], [121.9, 31.23]]})
        assert response.status_code == 400
        assert response.data == {"line": ["The route leaves the served area."]}
        assert PatrolRoute.objects.count() == 0

    def test_nan_latitude(self, admin_api):
        response = self.post(admin_api, "key-sites", lat="NaN")
        assert response.status_code == 400
        assert response.data == {"lat": ["A valid number is required."]}
        assert KeySite.objects.count() == 0

    def test_nan_literal_in_the_json_body(self, admin_api):
        body = '{"code": "KNEW", "name": "x", "kind": "school", "lon": 121.47, "lat": NaN}'
        response = admin_api.post("/api/v1/key-sites/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.data["detail"].startswith("JSON parse error")
        assert KeySite.objects.count() == 0

    def test_point_50_km_away(self, admin_api):
        response = self.post(admin_api, "patrol-points", lon=121.9)
        assert response.status_code == 400
        assert response.data == {"lon": ["The point (121.900000, 31.230000) is outside the served area."]}
        assert PatrolPoint.objects.count() == 0

    def test_missing_fields(self, admin_api):
        response = admin_api.post("/api/v1/zones/", {}, format="json")
        assert response.status_code == 400
        assert set(response.data) == {"code", "name", "polygon"}
        assert Zone.objects.count() == 0

    def test_radius_out_of_range(self, admin_api):
        response = self.post(admin_api, "key-sites", radius_m=1)
        assert response.status_code == 400
        assert list(response.data) == ["radius_m"]
        assert KeySite.objects.count() == 0

    def test_duplicate_code(self, admin_api):
        f.ZoneFactory(code="ZNEW")
        response = self.post(admin_api, "zones")
        assert response.status_code == 400
        assert list(response.data) == ["code"]
        assert Zone.objects.count() == 1

    def test_non_json_body(self, admin_api):
        response = admin_api.post("/api/v1/zones/", "{not json", content_type="application/json")
        assert response.status_code == 400
        assert response.data["detail"].startswith("JSON parse error")
        assert Zone.objects.count() == 0

    def test_invalid_update_leaves_the_row_alone(self, admin_api):
        zone = f.ZoneFactory()
        response = admin_api.patch(f"/api/v1/zones/{zone.pk}/", {"polygon": BOW_TIE}, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["polygon"]
        zone.refresh_from_db()
        assert zone.polygon == f.square(*f.PEOPLES_SQUARE)


class TestFiltersAndPages:
    def test_zones_by_platform_and_response_class(self, admin_api):
        mine, other = f.PlatformFactory(), f.PlatformFactory()
        centre = f.ZoneFactory(code="Z01", platform=mine, response_class="city_centre")
        f.ZoneFactory(code="Z02", platform=mine, response_class="other")
        f.ZoneFactory(code="Z03", platform=other, response_class="city_centre")
        response = admin_api.get("/api/v1/zones/", {"platform": mine.pk, "response_class": "city_centre"})
        assert [row["id"] for row in response.data["results"]] == [centre.pk]

    def test_key_sites_by_kind(self, admin_api):
        school = f.KeySiteFactory(kind="school")
        f.KeySiteFactory(kind="hospital")
        response = admin_api.get("/api/v1/key-sites/", {"kind": "school"})
        assert [row["id"] for row in response.data["results"]] == [school.pk]

    def test_unknown_filter_value_is_a_400(self, admin_api):
        response = admin_api.get("/api/v1/zones/", {"response_class": "suburb"})
        assert response.status_code == 400
        assert list(response.data) == ["response_class"]

    def test_pages_and_ordering(self, admin_api):
        for code in ("PP03", "PP01", "PP02"):
            f.PatrolPointFactory(code=code)
        first = admin_api.get("/api/v1/patrol-points/", {"page_size": 2, "ordering": "-code"}).data
        assert first["count"] == 3
        assert [row["code"] for row in first["results"]] == ["PP03", "PP02"]
        second = admin_api.get(first["next"]).data
        assert [row["code"] for row in second["results"]] == ["PP01"]
        assert second["next"] is None


class TestLocate:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*MAP_READERS)))
    def test_permissions(self, as_, persona, code):
        assert as_(persona).get("/api/v1/locate", {"lon": 121.47, "lat": 31.23}).status_code == code

    def test_a_point_in_a_city_centre_zone(self, admin_api):
        zone = f.ZoneFactory(response_class="city_centre")
        response = admin_api.get("/api/v1/locate", {"lon": 121.4737, "lat": 31.2304})
        assert response.status_code == 200
        assert response.data == {"zone": zone.pk, "key_site": None, "target_s": 180}

    def test_a_point_at_a_key_site(self, admin_api):
        zone = f.ZoneFactory(response_class="other")
        site = f.KeySiteFactory(radius_m=300)
        response = admin_api.get("/api/v1/locate/", {"lon": 121.4737, "lat": 31.2304})
        assert response.data == {"zone": zone.pk, "key_site": site.pk, "target_s": 60}

    def test_a_served_point_outside_every_zone(self, admin_api):
        response = admin_api.get("/api/v1/locate", {"lon": 121.42, "lat": 31.19})
        assert response.data == {"zone": None, "key_site": None, "target_s": 300}

    def test_outside_the_served_area(self, admin_api):
        response = admin_api.get("/api/v1/locate", {"lon": 121.9, "lat": 31.23})
        assert response.status_code == 400
        assert response.data == {"lon": ["The point (121.900000, 31.230000) is outside the served area."]}

    @pytest.mark.parametrize(("query", "fields"), [({"lon": 121.47, "lat": "NaN"}, ["lat"]),
                                                   ({"lon": "east", "lat": 31.23}, ["lon"]),
                                                   ({}, ["lon", "lat"])])
    def test_bad_coordinates(self, admin_api, query, fields):
        response = admin_api.get("/api/v1/locate", query)
        assert response.status_code == 400
        assert list(response.data) == fields
