"""The words the console's officer layer and the tablet's handset switch show (issue 16), resolved in
the request's language; command.labels merges them into every page's labels."""
from django.utils.translation import gettext as _

from dispatch.models import Mode
from platforms.models import OfficerKind


def officer_choice_labels() -> dict:
    return {"officer_kind": dict(OfficerKind.choices), "mode": dict(Mode.choices)}


def officer_words() -> dict:
    return {
        "officer_crew": _("Crew"), "officer_fix_age": _("Position %(age)s ago"),
        "officer_away": _("%(m)s m from the crew's vehicle"), "officer_crew_spread": _("Crew spread out"),
        "handset_switch": _("This device is my own handset"),
        "handset_on": _("Reporting your own position as your handset."),
        "handset_off": _("This device reports the unit's position, not yours."),
        "handset_refused": _("Your handset's position was refused: %(reason)s"),
        "handset_sent": _("Your position was sent %(age)s ago."),
    }
