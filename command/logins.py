"""Login throttling (django-axes on /login/ and /admin/login/): too many wrong passwords for one
account, or from one address, lock them out for LOGIN_LOCKOUT_MINUTES; an administrator sees the
lockouts on the audit page and lifts them (command/audit_api.py)."""
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried. A call without a request (a management command, a
    test client's login) has no address to throttle and is left to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429), in the reader's language."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "command/locked_out.html", {"cooloff_minutes": minutes}, status=429)
