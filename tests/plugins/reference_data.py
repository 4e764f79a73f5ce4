"""The rows the migrations seed (the common violation types), put back after a test that flushes.

A test with `transaction=True` (or a live server) ends with Django's flush, which empties every table,
the migrations' own rows with them; a test after it on the same worker would find no violation type.
Which tests ran before depends on the order and on the worker (tests/scheduling.py), so the rows are
put back after each such test (but the run's last) rather than hoped for."""
import importlib

import pytest
from pytest_django.plugin import blocking_manager_key

COMMON_VIOLATION_TYPES = importlib.import_module("traffic.migrations.0002_common_violation_types")


def flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    asked = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    return bool(asked) or bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # The run's last test (nextitem None) has its session fixtures torn down with it: the database is
    # gone by now, and no test after it needs the rows.
    if nextitem is not None and flushes(item):
        from django.apps import apps

        with item.config.stash[blocking_manager_key].unblock():
            COMMON_VIOLATION_TYPES.seed(apps, None)
    return result
