"""Notes on an incident's timeline (`EventKind.NOTE`): anyone working the incident adds one, from the
console or the tablet; each is a timestamped step with its author, never changed afterwards."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dispatch import events
from dispatch.models import EventKind, Incident, IncidentEvent
from dispatch.services import record

NOTE_MAX = 1000


@transaction.atomic
def incident_note_add(*, actor, incident: Incident, text: str, unit=None) -> IncidentEvent:
    """A note is refused, not cut, when it is too long: the writer sees the counter and shortens it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": _("A note holds at most %(max)d characters (this one has %(length)d).")
                               % {"max": NOTE_MAX, "length": len(text)}})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    note = record(incident, EventKind.NOTE, actor=actor, unit=unit, data={"text": text})
    events.incident_noted(incident, note)
    return note
