"""API plumbing shared by every app: token and session logins, anonymous callers, and paths with or
without the trailing slash (the router of common.rest)."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from tests.api_support import ANONYMOUS

pytestmark = pytest.mark.django_db


def english_client(**defaults) -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en", **defaults)


@pytest.fixture
def zone():
    return f.ZoneFactory()


class TestLogins:
    def test_token(self, dispatcher, zone):
        token = Token.objects.create(user=dispatcher)
        api = english_client(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = api.get("/api/v1/zones/")
        assert (response.status_code, response.data["count"]) == (200, 1)

    def test_token_can_write(self, dispatcher):
        token = Token.objects.create(user=dispatcher)
        api = english_client(HTTP_AUTHORIZATION=f"Token {token.key}")
        body = {"category": "other", "lon": 121.47, "lat": 31.23}
        assert api.post("/api/v1/incidents/", body, format="json").status_code == 201

    def test_unknown_token(self, zone):
        api = english_client(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
        response = api.get("/api/v1/zones/")
        assert response.status_code == ANONYMOUS
        assert str(response.data["detail"]) == "Invalid token."

    def test_session(self, dispatcher, zone):
        dispatcher.save(update_fields=["password"])  # the factory skips this save
        api = english_client()
        assert api.login(username="dispatcher", password="pass-1234-word")
        assert api.get("/api/v1/zones/").status_code == 200

    def test_session_writes_need_the_csrf_token(self, dispatcher):
        dispatcher.save(update_fields=["password"])
        api = english_client(enforce_csrf_checks=True)
        api.login(username="dispatcher", password="pass-1234-word")
        response = api.post("/api/v1/incidents/", {"category": "other", "lon": 121.47, "lat": 31.23}, format="json")
        assert response.status_code == 403
        assert "CSRF" in str(response.data["detail"])

    @pytest.mark.parametrize("path", ["/api/v1/zones/", "/api/v1/incidents/", "/api/v1/units/", "/api/v1/locate"])
    def test_anonymous_gets_no_redirect_but_a_refusal(self, path):
        response = english_client().get(path)
        assert response.status_code == ANONYMOUS
        assert str(response.data["detail"]) == "Authentication credentials were not provided."


class TestPaths:
    @pytest.mark.parametrize("path", ["/api/v1/zones", "/api/v1/zones/"])
    def test_with_or_without_the_trailing_slash(self, dispatcher, zone, path):
        api = english_client()
        api.force_authenticate(dispatcher)
        assert api.get(path).status_code == 200
