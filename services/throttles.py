"""Rate limits of the public booking and survey pages and API (DRF throttles on the cache): per
caller's address, and per phone number for whatever sends an SMS or checks a code. The HTML pages
check the same throttles (`allowed`)."""
import re

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerAddress(SimpleRateThrottle):
    scope = "services_public_address"

    def get_rate(self):
        return settings.PUBLIC_RATE_PER_ADDRESS

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerNumber(SimpleRateThrottle):
    scope = "services_public_number"

    def get_rate(self):
        return settings.PUBLIC_RATE_PER_NUMBER

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        data = getattr(request, "data", None) or request.POST
        digits = re.sub(r"\D", "", str(data.get("phone", "") if hasattr(data, "get") else ""))
        return self.cache_format % {"scope": self.scope, "ident": digits[-11:]} if digits else None


PUBLIC_THROTTLES = [PerAddress, PerNumber]


def allowed(request) -> bool:
    """The public pages' own check: the API's throttles, on the Django request."""
    return all(throttle().allow_request(request, None) for throttle in PUBLIC_THROTTLES)
