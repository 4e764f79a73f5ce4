"""The whole OpenAPI schema fuzzed (issue 19, the checks that keep it so): every operation, as a
dispatcher and as an administrator with their API tokens, a bounded number of generated requests each
(SCHEMATHESIS_EXAMPLES, 5 by default): no 5xx, and every answer the schema documents matches it.

Through Django's WSGI handler in this process, on the test's database (a small city so ids exist);
schemathesis generates the requests from the schema the site serves at /api/v1/schema/."""
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.checks import not_a_server_error

from common.roles import Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("empty_live_picture")]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
PERSONAS = ("dispatcher", "administrator")


@pytest.fixture
def tokens(db):
    """The two logins' tokens, and a small city (a platform, its zone, a crew on duty, an incident)."""
    platform = f.PlatformFactory(code="P01")
    f.ZoneFactory(platform=platform)
    f.UnitFactory(platform=platform)
    f.IncidentFactory()
    dispatcher = f.UserFactory(username="fuzz-dispatcher")
    f.membership(dispatcher, Role.DISPATCHER)
    administrator = f.UserFactory(username="fuzz-admin", is_superuser=True, is_staff=True)
    return {"dispatcher": Token.objects.create(user=dispatcher).key,
            "administrator": Token.objects.create(user=administrator).key}


@pytest.fixture
def api_schema(tokens):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler(),
                                          headers={"Authorization": f"Token {tokens['administrator']}"})


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_5xx_and_answers_match_the_schema(case, tokens):
    for persona in PERSONAS:
        response = case.call(headers={"Authorization": f"Token {tokens[persona]}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
