"""The whole OpenAPI schema fuzzed (issue 19, the checks that keep it so): every operation, as a
dispatcher and as an administrator with their API tokens, a bounded number of generated requests each
(SCHEMATHESIS_EXAMPLES, 2 by default; 5 took 5.7 min of the suite) beside schemathesis's coverage
cases (the administrator only: `personas_for`): no 5xx, and every answer the schema documents matches it.

Through Django's WSGI handler in this process, on the test's database (a small city so ids exist).
The schema is the one the site serves at /api/v1/schema/, made by the same generator when this module
is collected: schemathesis's fixture-based loader (`from_fixture`) sets `Function._nodeid`, which
pytest 9 no longer has, so the schema is loaded at collection and each operation is a test of its own."""
import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import response_schema_conformance

from common.roles import Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("empty_live_picture")]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2"))
PERSONAS = ("dispatcher", "administrator")


def served_schema() -> schemathesis.schemas.BaseSchema:
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = WSGIHandler()
    return loaded


schema = served_schema()


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
def kept_connection():
    """Django's WSGI handler closes the database connection around each request (request_started and
    request_finished); inside the test's transaction that closes the transaction too, and every query
    after it fails (503). Django's own test client disconnects the same receiver."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_5xx_and_answers_match_the_schema(case, tokens, kept_connection):
    for persona in personas_for(case):
        response = case.call(headers={"Authorization": f"Token {tokens[persona]}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def personas_for(case) -> tuple[str, ...]:
    """The coverage phase's cases (each parameter at its bounds, missing, of the wrong type: about 70 an
    operation, whatever EXAMPLES says) test the validation, which is the same for every login: they go
    as the administrator, who may call every operation; the generated cases go as both. Halves the
    check's time on the suite."""
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        return ("administrator",)
    return PERSONAS
