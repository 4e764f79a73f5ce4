"""Helpers for the API tests: a client logged in as a standing persona (see conftest.py)."""
from rest_framework.test import APIClient


# TokenAuthentication comes first in DEFAULT_AUTHENTICATION_CLASSES, so a caller without
# credentials gets 401 with a WWW-Authenticate challenge.
ANONYMOUS = 401

PERSONAS = ("administrator", "dispatcher", "supervisor", "officer", "clerk", "leadership", "outsider", "anonymous")


def client_as(request, persona: str) -> APIClient:
    """An API client for `persona`: a conftest fixture name, or "anonymous" for nobody."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # the site speaks Chinese by default; assert English messages
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    return client


def matrix(expected: dict[str, int]) -> list[tuple[str, int]]:
    """Parametrize rows for every persona; `expected` must name each of them."""
    assert set(expected) == set(PERSONAS), set(PERSONAS) ^ set(expected)
    return [(persona, expected[persona]) for persona in PERSONAS]


def readers(*personas: str, code: int = 200) -> dict[str, int]:
    """`code` for the named personas; the others are refused (403, or ANONYMOUS for nobody)."""
    refused = {persona: ANONYMOUS if persona == "anonymous" else 403 for persona in PERSONAS}
    return {persona: code if persona in personas else refused[persona] for persona in PERSONAS}
