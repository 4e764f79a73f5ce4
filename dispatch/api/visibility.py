"""Who sees which incidents and assignments through the API: the command centre everything; a
supervisor the incidents in their platforms' zones and their units' assignments; an officer only their
own units' assignments and those incidents."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.fields import CharField

from common.roles import Role
from common.scoping import scoped
from dispatch.models import Assignment, Incident

ADMIN, DISPATCHER, SUPERVISOR, OFFICER = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.OFFICER
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Makes a retried POST safe: the same key returns the first incident with 200.")
_KEY_FIELD = CharField(max_length=100)


def visible_incidents(access):
    incidents = Incident.objects.all()
    if access.role == OFFICER:
        if access.officer is None:
            return incidents.none()
        return incidents.filter(assignments__unit__officers=access.officer).distinct()
    return scoped(incidents, access.platform_ids, "zone__platform_id")


def visible_assignments(access):
    assignments = Assignment.objects.all()
    if access.role == OFFICER:
        return assignments.filter(unit__officers=access.officer) if access.officer else assignments.none()
    return scoped(assignments, access.platform_ids, "unit__platform_id")


def idempotency_key(request, body_key: str | None) -> str | None:
    """The key from the Idempotency-Key header or the body field; both given must agree."""
    header = request.headers.get("Idempotency-Key")
    if header is None:
        return body_key
    try:
        header = _KEY_FIELD.run_validation(header)
    except ValidationError as error:
        raise ValidationError({"idempotency_key": error.detail}) from None
    if body_key is not None and body_key != header:
        raise ValidationError({"idempotency_key": ["The Idempotency-Key header and the idempotency_key field differ."]})
    return header


def crew_unit(access, incident: Incident):
    """The officer's own unit on this incident (a note from the tablet is the crew's), else None."""
    if access.role != OFFICER or access.officer is None:
        return None
    assignment = incident.assignments.filter(unit__officers=access.officer).select_related("unit").first()
    return assignment.unit if assignment else None
