"""Standing personas: dispatcher, supervisor, officer (with a unit on duty), clerk, leadership, outsider; the shared
road network and the running demo come from the fixture plugins in tests/plugins/."""
import pytest
from rest_framework.test import APIClient

from common.roles import Role
from tests import factories as f

pytest_plugins = ["tests.plugins.roads", "tests.plugins.demo", "tests.plugins.reference_data"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is made and migrated by the schema's owner role (command/db_roles.py)..."""
    from tests.db_roles import connect_as_owner

    connect_as_owner()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """...and the tests run as the app's own login, which may not rewrite the timeline (issue 19)."""
    from tests.db_roles import connect_as_app, connect_as_owner

    with django_db_blocker.unblock():
        connect_as_app()
    yield
    with django_db_blocker.unblock():
        connect_as_owner()  # the owner drops the test database


@pytest.fixture(autouse=True)
def _fresh_credential_failures():
    """Wrong tokens and device keys are counted per address in the shared cache (common.tokens): every
    test's client comes from 127.0.0.1, so one test's guesses must not throttle the next."""
    yield
    from django.core.cache import cache

    client = cache._cache.get_client()
    for name in client.scan_iter(match="*throttle_credential_failures*"):
        client.delete(name)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a login made; tests check who may do what, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_spatial_index(monkeypatch):
    """The spatial index is revalidated once a second in production; tests see their rows at once."""
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 0)
    selectors.forget_spatial_index()
    yield
    selectors.forget_spatial_index()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A channel layer instance of its own for each test. channels-redis keeps a per-channel asyncio
    lock on the instance; a receive cut short when an earlier test's event loop ended left one
    locked and bound to that dead loop, and every later socket test of the run failed on it."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield


@pytest.fixture
def platform(db):
    return f.PlatformFactory(code="P01", name="人民广场平台")


@pytest.fixture
def other_platform(db):
    return f.PlatformFactory(code="P02", name="外滩平台")


@pytest.fixture
def dispatcher(db):
    user = f.UserFactory(username="dispatcher")
    f.membership(user, Role.DISPATCHER)
    return user


@pytest.fixture
def supervisor(db, platform):
    user = f.UserFactory(username="supervisor")
    f.membership(user, Role.SUPERVISOR, platform=platform)
    return user


@pytest.fixture
def officer_unit(db, platform):
    return f.UnitFactory(platform=platform, call_sign="人广01")


@pytest.fixture
def officer(db, platform, officer_unit):
    user = f.UserFactory(username="officer")
    person = f.OfficerFactory(platform=platform, squad=officer_unit.shift.squad, user=user, name="李警官")
    officer_unit.officers.add(person)
    f.membership(user, Role.OFFICER)
    return user


@pytest.fixture
def clerk(db, platform):
    user = f.UserFactory(username="clerk")
    f.membership(user, Role.CLERK, platform=platform)
    return user


@pytest.fixture
def leadership(db):
    """Command-centre leadership: reads the city's analysis, changes nothing."""
    user = f.UserFactory(username="leader")
    f.membership(user, Role.LEADERSHIP)
    return user


@pytest.fixture
def administrator(db):
    return f.UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role in the command centre."""
    return f.UserFactory(username="outsider")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_(request):
    """`as_("dispatcher")`: an API client for a standing persona (see tests.api_support.client_as)."""
    from tests.api_support import client_as

    return lambda persona: client_as(request, persona)


@pytest.fixture
def empty_live_picture():
    """No live positions before the test and none left after it (Redis is shared by the run)."""
    from platforms import positions

    positions.avl_wipe()
    yield
    positions.avl_wipe()


@pytest.fixture
def api_as(api):
    def login(user):
        api.force_authenticate(user)
        return api

    return login
