"""The test harness: a real PostgreSQL and a real Valkey for the whole run, unless DATABASE_URL /
REDIS_URL point elsewhere. Loaded as a plugin (`-p tests.harness`) so the servers are up and the
variables set before pytest-django reads the settings; stopped when the run ends."""
import os

import pytest

from command import embedded

TEST_POSTGRES = embedded.LOCAL_DIR / "test-postgres"
TEST_VALKEY = embedded.LOCAL_DIR / "test-valkey"
_started: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded.postgres_url(TEST_POSTGRES)
        _started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = embedded.valkey_url(TEST_VALKEY)
        _started.append("valkey")


def pytest_unconfigure(config):
    if "postgres" in _started:
        embedded.postgres_stop(TEST_POSTGRES)
    if "valkey" in _started:
        embedded.valkey_stop(TEST_VALKEY)
