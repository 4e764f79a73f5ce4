"""Who does traffic work on an incident: the crew of a unit sent to it writes its accident or congestion
record; whoever may read the incident reads it (dispatch.photos.may_read_incident: the command centre,
the crews ever sent, the supervisors of the platforms concerned). A party's full phone or licence number
is read like a caller's (dispatch.callers.may_reveal): the command centre and the crews sent."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from common.roles import Access, Role
from dispatch.callers import may_reveal
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, Incident
from dispatch.photos import may_read_incident
from platforms.models import Unit

__all__ = ["crew_unit", "may_read_incident", "may_reveal", "acting_unit"]


def crew_unit(user, incident: Incident) -> Unit:
    """The user's unit on the incident now (an active assignment), or PermissionDenied."""
    access = Access(user)
    unit = None
    if access.role == Role.OFFICER and access.officer is not None:
        unit = Unit.objects.filter(assignments__incident=incident, assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES,
                                   officers=access.officer).first()
    if unit is None:
        raise PermissionDenied(_("Only the crew of a unit on this incident records its traffic details."))
    return unit


def acting_unit(officer, unit_id: int | None) -> Unit | None:
    """The unit an officer records for: one they crew, or none given."""
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id, officers=officer).first()
    if unit is None:
        raise PermissionDenied(_("You may record only for a unit you crew."))
    return unit
