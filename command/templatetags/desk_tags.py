"""The services desk's template helpers: a phone masked (138****8000), and the supervisor page's
section of follow-ups, callback satisfaction and the day's desk figures (included with one tag, its
reads scoped here)."""
from django import template
from django.utils import timezone

from common.roles import access_of
from services import selectors
from services.phones import mask

register = template.Library()
register.filter("masked", mask)


@register.inclusion_tag("services/partials/supervisor_services.html", takes_context=True)
def supervisor_services(context) -> dict:
    request = context["request"]
    platform_ids = access_of(request).platform_ids
    days = selectors.period_days(request.GET.get("satisfaction_days"))
    return {"figures": selectors.desk_figures(platform_ids, timezone.localdate()), "follow_ups": selectors.follow_ups(platform_ids).order_by("status", "-opened_at")[:50],
            "satisfaction": selectors.satisfaction_totals(platform_ids, days=days),
            "csrf_token": context.get("csrf_token"), "request": request}
