"""`/healthz` for load balancers, docker-compose and the fault drill: each dependency asked on its own,
with a short timeout, and the answer says which is down (JSON, 503), never an error page (issue 19)."""
import time

import psycopg
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

CHECK_TIMEOUT_S = 2


def _database() -> None:
    """A connection of its own, not the pool's: with PostgreSQL away the web process's pool waits its
    whole timeout for a connection, and a health check must answer within seconds."""
    params = {**connection.get_connection_params(), "connect_timeout": CHECK_TIMEOUT_S}
    params.pop("cursor_factory", None)  # Django's own cursor and adapters: a plain SELECT 1 needs neither
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("SELECT 1")


def _redis() -> None:
    from platforms.positions import redis_client

    redis_client().ping()


def _check(probe) -> dict:
    started = time.monotonic()
    try:
        probe()
    except Exception as error:  # any failure is the answer: which dependency, and why
        return {"status": "down", "error": f"{type(error).__name__}: {str(error)[:200]}"}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


@csrf_exempt
@login_not_required
@require_GET
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    checks = {"database": _check(_database), "redis": _check(_redis)}
    down = sorted(name for name, result in checks.items() if result["status"] != "ok")
    body = {"status": "down" if down else "ok", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200, headers={"Retry-After": "5"} if down else None)
