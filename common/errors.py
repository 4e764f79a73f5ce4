"""The API's error handler (settings: EXCEPTION_HANDLER): model validation and constraint errors
answer 4xx with messages, never a 500.

It imports no DRF views or generics: those read the settings, which name this module."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

# Validation codes meaning "the data moved under you" (a unit taken by another dispatcher, a status
# already changed): the request was well formed, so 409 tells the client to reload, not to fix input.
CONFLICT_CODES = frozenset({"conflict", "invalid_transition"})
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_S = 5


def exception_handler(exc, context):
    """Model validation and constraint errors become 400/409 with messages, never a 500. Every refusal
    rolls the request's transaction back (ATOMIC_REQUESTS): a refused request leaves nothing behind."""
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) in CONFLICT_CODES:
            set_rollback()
            return Response({"detail": " ".join(exc.messages), "code": exc.code}, status=status.HTTP_409_CONFLICT)
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, IntegrityError):
        set_rollback()
        return Response({"detail": _integrity_message(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, UNAVAILABLE):
        # PostgreSQL or Redis away for a moment (a restart): the client is told to come back, not that
        # the server broke; nothing of the request was kept.
        set_rollback()
        return Response({"detail": _("A service the site depends on is unavailable for a moment: try again shortly.")},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_S)})
    return drf_exception_handler(exc, context)


def _integrity_message(exc: IntegrityError) -> str:
    constraint = getattr(getattr(exc, "__cause__", None), "diag", None)
    name = getattr(constraint, "constraint_name", None)
    return f"The change conflicts with the current data (constraint {name})." if name else "The change conflicts with the current data."
