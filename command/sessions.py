"""Console roles' sessions (dispatcher, supervisor, administrator, clerk, leadership): at most
CONSOLE_SESSION_MAX_S from the login, and closed after CONSOLE_SESSION_IDLE_S without a request.
An officer's tablet keeps Django's session (a whole shift, offline too)."""
import time

from django.conf import settings
from django.contrib.auth import logout

from common.roles import Access, Role

_STARTED, _SEEN = "console_session_started", "console_session_seen"


class ConsoleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated and _console_role(request):
            now = time.time()
            started = request.session.setdefault(_STARTED, now)
            seen = request.session.get(_SEEN, now)
            if now - started > settings.CONSOLE_SESSION_MAX_S or now - seen > settings.CONSOLE_SESSION_IDLE_S:
                logout(request)
            elif now - seen > 60 or _SEEN not in request.session:
                # At most one session write a minute: a console's map tiles are hundreds of requests.
                request.session[_SEEN] = now
                request.session.set_expiry(settings.CONSOLE_SESSION_IDLE_S)
        return self.get_response(request)


def _console_role(request) -> bool:
    # Not access_of(): its answer is kept on the request, and DRF's request (token logins) would read it.
    role = Access(request.user).role
    return role is not None and role != Role.OFFICER
