"""Small helpers the role pages share: the role's name, the role's nav links, bilingual names."""
from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.names import local_name
from common.roles import Role

register = template.Library()

CONSOLE = ("console", _("Console"))
SUPERVISOR = ("supervisor", _("Supervisor"))
ROSTER = ("supervisor-roster", _("Roster"))
COVERAGE = ("supervisor-coverage", _("Patrol coverage"))
WHAT_IF = ("supervisor-what-if", _("What if"))
PLANNING = ("supervisor-planning", _("Deployment planning"))
TABLET = ("tablet", _("Tablet"))
TRAFFIC = ("tablet-traffic", _("Traffic work"))
DESK = ("desk", _("Service desk"))
ADMIN = ("admin:index", _("Administration"))
API_DOCS = ("api-docs", _("API"))
SEARCH = ("review-search", _("Search"))
BRIEFINGS = ("review-briefings", _("Briefings"))
HOT_SPOTS = ("review-hotspots", _("Hot spots"))
REVIEW = (SEARCH, BRIEFINGS, HOT_SPOTS)
AUDIT = ("audit-page", _("Audit trail"))

# Mirrors what command.views lets each role open, so nobody is shown a link that answers 403.
NAV = {
    Role.DISPATCHER: (CONSOLE, *REVIEW, API_DOCS),
    Role.SUPERVISOR: (SUPERVISOR, ROSTER, COVERAGE, WHAT_IF, PLANNING, *REVIEW, AUDIT, API_DOCS),
    Role.OFFICER: (TABLET, TRAFFIC),
    Role.CLERK: (DESK,),
    Role.LEADERSHIP: REVIEW,
    Role.ADMINISTRATOR: (CONSOLE, SUPERVISOR, ROSTER, COVERAGE, WHAT_IF, PLANNING, DESK, *REVIEW, AUDIT, ADMIN, API_DOCS),
}


@register.filter
def role_label(role) -> str:
    return Role(role).label if role in Role.values else ""


@register.simple_tag(takes_context=True)
def nav_links(context) -> list[dict]:
    request = context.get("request")
    current = request.resolver_match.view_name if request and request.resolver_match else None
    return [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label in NAV.get(context.get("role"), ())
    ]


register.filter("local_name", local_name)
