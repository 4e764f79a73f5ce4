"""The supervisor page's traffic section: today's accident and congestion clocks (10 and 5 minutes from
arrival) beside the 1/3/5 figures, and today's enforcement and help counted per officer, in scope."""
from django import template
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _

from common.roles import access_of
from common.scoping import scoped
from dispatch.models import Incident
from platforms.models import Platform
from traffic import selectors
from traffic.models import ControlReason

register = template.Library()
CLASS_ORDER = ("key_site", "city_centre", "other", "overall")


@register.inclusion_tag("command/partials/supervisor_traffic.html", takes_context=True)
def supervisor_traffic(context) -> dict:
    platform_ids = access_of(context["request"]).platform_ids
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    incidents = scoped(Incident.objects.filter(received_at__gte=start), platform_ids, "zone__platform_id")
    clocks = selectors.clearance_figures(incidents)
    return {"targets": clocks["targets"],
            "clocks": [(kind, [(name, clocks[kind][name]) for name in CLASS_ORDER]) for kind in ("accident", "congestion")],
            "counts": selectors.enforcement_counts(platform_ids=platform_ids, since=start, by="officer"),
            "totals": selectors.enforcement_totals(platform_ids=platform_ids, since=start)}


@register.simple_tag
def traffic_layer_words():
    """The console's traffic layers' names and words (static/command/lib/traffic_layers.js)."""
    return json_script({"speeds": _("Live speeds"), "congestion": _("Congestion"), "control": _("Control points"),
                        "flowing": _("Traffic flowing"), "age": _("%(m)s min since the call"),
                        "closed": _("Closed:")}, "traffic-layer-words")


@register.inclusion_tag("command/partials/control_point_form.html", takes_context=True)
def control_point_form(context) -> dict:
    """The supervisor's form to place a control point on the live map (static/command/lib/control_point_form.js);
    whoever has more than one platform in scope (a district, the command centre) says whose it is."""
    platforms = scoped(Platform.objects.order_by("code"), access_of(context["request"]).platform_ids, "id")
    return {"reasons": ControlReason.choices, "control_platforms": platforms if platforms.count() > 1 else []}
