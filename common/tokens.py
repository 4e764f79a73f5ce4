"""API tokens that expire, and throttles on wrong credentials (issue 19).

A token older than API_TOKEN_DAYS no longer authenticates (its owner makes a new one, or revokes it,
at /api/v1/auth/token). Wrong tokens (and wrong device keys at /osmand/) are counted per address;
past CREDENTIAL_FAILURE_RATE the address gets 429 until the window passes, before any guess is even
checked, so tokens cannot be guessed by trying. DRF's throttles run after authentication, which a
wrong token never passes: the count is kept by DRF's SimpleRateThrottle, fed here on each failure."""
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.throttling import SimpleRateThrottle

CACHE_DOWN = (RedisConnectionError, RedisTimeoutError)


class _FailureThrottle(SimpleRateThrottle):
    scope = "credential_failures"

    def get_rate(self):
        return settings.CREDENTIAL_FAILURE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CredentialFailures:
    """The wrong credentials one address sent within the window: `exhausted()` before checking a new
    one, `record()` after a wrong one."""

    def __init__(self, request):
        self.request, self.throttle = request, _FailureThrottle()

    def _history(self) -> list:
        throttle = self.throttle
        throttle.key = throttle.get_cache_key(self.request, None)
        throttle.now = throttle.timer()
        history = [t for t in throttle.cache.get(throttle.key, []) if t > throttle.now - throttle.duration]
        throttle.history = history
        return history

    def exhausted(self) -> bool:
        try:
            return len(self._history()) >= self.throttle.num_requests
        except CACHE_DOWN:  # Valkey away (a restart): the count is unknown; logins are not refused for it
            return False

    def record(self) -> None:
        try:
            history = self._history()
            history.insert(0, self.throttle.now)
            self.throttle.cache.set(self.throttle.key, history, self.throttle.duration)
        except CACHE_DOWN:
            pass

    def wait_s(self) -> int:
        return max(1, round(self.throttle.wait() or 1))

    def refusal(self) -> JsonResponse:
        wait = self.wait_s()
        return JsonResponse({"detail": _("Too many wrong credentials from your address: try again in %(s)d s.")
                             % {"s": wait}}, status=429, headers={"Retry-After": str(wait)})


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once older than API_TOKEN_DAYS; wrong tokens throttled per address."""

    def authenticate(self, request):
        failures = CredentialFailures(request)
        if request.META.get("HTTP_AUTHORIZATION", "").split(" ")[0].lower() == self.keyword.lower() \
                and failures.exhausted():
            raise exceptions.Throttled(wait=failures.wait_s(), detail=_("Too many wrong tokens from your address."))
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            failures.record()
            raise

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - timedelta(days=settings.API_TOKEN_DAYS):
            raise exceptions.AuthenticationFailed(_("This token has expired: make a new one."))
        return user, token


def credential_of(request) -> str:
    """Who sent a request, for the record kept with what it wrote (a fix's source): an API token's or
    a session's login."""
    user_id = getattr(request.user, "pk", None)
    if user_id is None:
        return ""
    return f"token:{user_id}" if request.auth is not None else f"session:{user_id}"
