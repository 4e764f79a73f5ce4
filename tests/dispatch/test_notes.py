"""Notes on the timeline: kept with who wrote them, refused (not cut) when too long."""
import pytest
from django.core.exceptions import ValidationError

from dispatch.notes import NOTE_MAX, incident_note_add
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_note_is_a_step_with_its_author_and_unit(dispatcher, officer_unit):
    incident = f.IncidentFactory()
    note = incident_note_add(actor=dispatcher, incident=incident, text="  现场有人受伤 ", unit=officer_unit)
    assert (note.kind, note.data, note.actor, note.unit) == ("note", {"text": "现场有人受伤"}, dispatcher, officer_unit)


@pytest.mark.parametrize(("text", "message"), [
    ("", "Write the note."),
    ("字" * (NOTE_MAX + 1), f"A note holds at most {NOTE_MAX} characters (this one has {NOTE_MAX + 1})."),
])
def test_refused_whole(dispatcher, text, message):
    incident = f.IncidentFactory()
    with pytest.raises(ValidationError) as refused:
        incident_note_add(actor=dispatcher, incident=incident, text=text)
    assert refused.value.message_dict == {"text": [message]}
    assert incident.events.count() == 0


def test_exactly_the_limit_is_kept_whole(dispatcher):
    note = incident_note_add(actor=dispatcher, incident=f.IncidentFactory(), text="字" * NOTE_MAX)
    assert len(note.data["text"]) == NOTE_MAX
