"""Issue 19, medium 3: logins throttled and locked out by account and by address (django-axes), the
lockout visible to an administrator and lifted by one; wrong API tokens throttled; tokens expire and
their owner makes a new one or revokes it."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db
PASSWORD = "right-horse-battery"


@pytest.fixture
def person(db):
    user = f.UserFactory(username="wang")
    user.set_password(PASSWORD)
    user.save()
    f.membership(user, "dispatcher")
    return user


def log_in(client, path, username, password, address="203.0.113.7"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_then_even_the_right_one_is_refused(person, path, settings):
    """Today's defect: 30 wrong passwords in 19 s, then the right one logged in."""
    client = Client()
    codes = [log_in(client, path, "wang", "guess").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = log_in(client, path, "wang", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_accounts_is_locked_too(person, settings):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "/login/", f"user{n}", "guess", address="198.51.100.9")
    assert log_in(client, "/login/", "wang", PASSWORD, address="198.51.100.9").status_code == 429
    assert log_in(Client(), "/login/", "wang", PASSWORD, address="192.0.2.1").status_code == 302  # another address


def test_the_lockout_is_shown_to_an_administrator_and_lifted_by_one(person, as_, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), "/login/", "wang", "guess")
    rows = as_("administrator").get("/api/v1/lockouts").json()
    assert [(row["username"], row["locked"]) for row in rows] == [("wang", True)]
    assert as_("administrator").post(f"/api/v1/lockouts/{rows[0]['id']}/lift").status_code == 204
    assert AccessAttempt.objects.count() == 0
    assert log_in(Client(), "/login/", "wang", PASSWORD).status_code == 302
    kinds = [entry["kind"] for entry in as_("administrator").get("/api/v1/audit").json()["results"]]
    assert {"lockout", "login", "change"} <= set(kinds)  # the lift is a change by the administrator


@pytest.mark.parametrize("persona, code", matrix(readers("administrator")))
def test_lockouts_matrix(as_, persona, code):
    assert as_(persona).get("/api/v1/lockouts").status_code == code


def test_random_tokens_get_429_once_the_address_has_guessed_enough(person, settings):
    """Today's defect: 30 random API tokens, no 429."""
    settings.CREDENTIAL_FAILURE_RATE = "10/min"
    client = Client()
    codes = [client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {n:040d}").status_code for n in range(12)]
    assert codes == [401] * 10 + [429] * 2
    token = Token.objects.create(user=person)
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 429


def test_a_token_expires(person, settings):
    token = Token.objects.create(user=person)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS + 1))
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401


def test_the_owner_makes_reads_and_revokes_their_token(person):
    client = Client()
    client.force_login(person)
    made = client.post("/api/v1/auth/token")
    assert made.status_code == 201
    key = made.json()["key"]
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert "key" not in client.get("/api/v1/auth/token").json()
    remade = client.post("/api/v1/auth/token").json()["key"]
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401  # the old one stops
    assert client.delete("/api/v1/auth/token").status_code == 204
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {remade}").status_code == 401
    assert client.get("/api/v1/auth/token").status_code == 404


@pytest.mark.parametrize("persona, code", matrix(readers("administrator", "dispatcher", "supervisor", "officer",
                                                         "clerk", "leadership", code=201)))
def test_own_token_matrix(as_, persona, code):
    assert as_(persona).post("/api/v1/auth/token").status_code == code


def test_console_sessions_end_after_idle_time(person, settings):
    settings.CONSOLE_SESSION_IDLE_S = 60
    client = Client()
    client.force_login(person)
    assert client.get("/api/v1/units/").status_code == 200
    session = client.session
    session["console_session_seen"] -= 61
    session.save()
    assert client.get("/api/v1/units/").status_code == 401  # logged out: no session
    assert client.session.get_expiry_age() <= 14 * 86400


def test_console_sessions_are_shorter_than_two_weeks(person, settings):
    client = Client()
    client.force_login(person)
    client.get("/api/v1/units/")
    assert client.session.get_expiry_age() == settings.CONSOLE_SESSION_IDLE_S < 14 * 86400
