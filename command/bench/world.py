"""A world of its own for the end-to-end benchmarks: a throwaway PostgreSQL database, a Redis
database number of its own (broker, channel layer, live positions) and a scratch road folder, so
the dev data, the live map and a running demo are never touched.

The parent creates them and runs the bench's child (`manage.py bench <what> --child ...`) with its
settings pointing there, reads the JSON the child prints last, and removes everything at the end.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def run_child(what: str, arguments: list[str], *, redis_db: int, env: dict | None = None) -> dict:
    from django.conf import settings
    from django.db import connection

    name = f"bench_{what}_{os.getpid()}"
    admin_url = _admin_url(connection.settings_dict)
    _sql(admin_url, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix=f"bench-{what}-") as work:
            child_env = {**os.environ, "DATABASE_URL": _with_path(_app_url(), name),
                         **({"DATABASE_OWNER_URL": settings.DATABASE_OWNER_URL} if settings.DATABASE_OWNER_URL else {}),
                         "REDIS_URL": _with_db(settings.REDIS_URL, redis_db), "ROAD_DATA_DIR": str(Path(work) / "roads"),
                         "DJANGO_MODE": "development", **(env or {})}
            _flush_redis(child_env["REDIS_URL"])
            child = subprocess.run([sys.executable, "manage.py", "bench", what, "--child", *arguments, "--json"],
                                   env=child_env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=3600)
            if child.returncode != 0:
                raise RuntimeError(f"the bench's child failed:\n{child.stderr[-4000:]}")
            _flush_redis(child_env["REDIS_URL"])
            return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        _drop(admin_url, name)


def _drop(admin_url: str, name: str) -> None:
    """Drop the throwaway database once the child's sessions have ended. The owner may not terminate
    the app login's backends (FORCE needs that right), and a child's backends outlive it by a moment."""
    import psycopg

    for _ in range(60):
        try:
            _sql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.5)
    _sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_url(db: dict) -> str:
    """The owner role's URL (it may create databases; the app's login may not)."""
    from django.conf import settings

    url = settings.DATABASE_OWNER_URL or os.environ.get("DATABASE_URL") or _dev_url()
    return urlunsplit(urlsplit(url)._replace(path=f"/{db['NAME']}"))


def _app_url() -> str:
    from django.conf import settings

    return settings.DATABASE_URL


def _dev_url() -> str:
    from command import embedded

    return embedded.postgres_url()


def _with_path(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def _with_db(url: str, number: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("db="))
        return urlunsplit(parts._replace(query=f"{query}&db={number}".lstrip("&")))
    return urlunsplit(parts._replace(path=f"/{number}"))


def _sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_with_path(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()
