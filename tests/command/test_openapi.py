"""The OpenAPI schema and the Swagger UI page: served from the site itself, to logged-in roles only,
and the schema validates with no warning."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.api_support import ANONYMOUS, client_as

pytestmark = pytest.mark.django_db

ROLES = ("administrator", "dispatcher", "supervisor", "officer", "clerk", "leadership")


@pytest.mark.parametrize(("persona", "code"), [*((role, 200) for role in ROLES), ("outsider", 403),
                                               ("anonymous", ANONYMOUS)])
def test_schema_is_for_logins_with_a_role(request, persona, code):
    response = client_as(request, persona).get("/api/v1/schema/")
    assert response.status_code == code
    if code == 200:
        assert response["Content-Type"].startswith("application/vnd.oai.openapi")
        assert b"/api/v1/incidents/" in response.content


def test_schema_as_json_for_a_dispatcher(request):
    response = client_as(request, "dispatcher").get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == settings.SPECTACULAR_SETTINGS["TITLE"]
    assert {"/api/v1/locate/", "/api/v1/platforms/{id}/move/", "/api/v1/units/{id}/status/",
            "/api/v1/incidents/{id}/events/", "/api/v1/assignments/{id}/status/"} <= set(schema["paths"])


def logged_in(client, user):
    user.save(update_fields=["password"])  # the factory skips this save; the session hash needs it
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ROLES)
def test_docs_page_works_for_every_role_without_a_cdn(client, request, persona):
    response = logged_in(client, request.getfixturevalue(persona)).get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "SwaggerUIBundle" in page or "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page


def test_docs_page_sends_strangers_to_the_login_page(client):
    response = client.get("/api/v1/docs/")
    assert (response.status_code, response.url) == (302, "/login/?next=/api/v1/docs/")


def test_docs_page_refuses_a_login_without_a_role(client, outsider):
    assert logged_in(client, outsider).get("/api/v1/docs/").status_code == 403


@pytest.mark.slow
def test_spectacular_validates_with_no_warnings(tmp_path):
    """The command CI runs, in its own process: drf-spectacular's warnings are process-global."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    schema = tmp_path / "schema.yaml"
    result = subprocess.run(
        [sys.executable, str(manage), "spectacular", "--validate", "--fail-on-warn", "--file", str(schema)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr
    assert schema.read_text().startswith("openapi: 3")


def test_the_swagger_ui_files_come_from_our_own_static_files(client):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
