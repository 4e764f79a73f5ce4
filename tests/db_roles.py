"""The test run's two database roles (command/db_roles.py): the default connection switched between
the owner (making, migrating and dropping the test database) and the app's login (everything else).
Without DATABASE_OWNER_URL (a run against one role) nothing switches."""
import os
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connections

_APP: dict = {}


def _fields(url: str) -> dict:
    parts = urlsplit(url)
    return {"USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or "")}


def _switch(fields: dict) -> None:
    connection = connections["default"]
    connection.close()
    for target in (connection.settings_dict, settings.DATABASES["default"]):
        target.update(fields)


def connect_as_owner() -> None:
    if os.environ.get("DATABASE_OWNER_URL"):
        _APP.setdefault("fields", _fields(os.environ["DATABASE_URL"]))
        _switch(_fields(os.environ["DATABASE_OWNER_URL"]))


def connect_as_app() -> None:
    if os.environ.get("DATABASE_OWNER_URL"):
        _switch(_APP.get("fields") or _fields(os.environ["DATABASE_URL"]))
