"""`/healthz` for load balancers, docker-compose and the fault drill: each dependency asked on its own,
with a short timeout, and the answer says which is down (JSON, 503), never an error page (issue 19)."""
import time

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.db import transaction

CHECK_TIMEOUT_S = 2.0


def _database() -> None:
    try:
        _select_one()
    except DatabaseError:
        connection.close()  # a connection the server dropped (a restart): one fresh try tells the truth
        _select_one()


def _select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    from platforms.positions import redis_client

    redis_client().ping()


def _check(probe) -> dict:
    started = time.monotonic()
    try:
        probe()
    except Exception as error:  # any failure is the answer: which dependency, and why
        if connection.in_atomic_block:
            transaction.set_rollback(True)
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
