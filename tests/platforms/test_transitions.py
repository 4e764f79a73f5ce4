"""The transition tables refuse every move they do not list."""
import pytest
from django.utils import translation

from dispatch.models import ASSIGNMENT_TRANSITIONS, INCIDENT_TRANSITIONS, AssignmentStatus, IncidentStatus
from platforms.models import UNIT_TRANSITIONS, UnitStatus
from platforms.transitions import InvalidTransition


@pytest.mark.parametrize("table, current, target", [
    (UNIT_TRANSITIONS, UnitStatus.OFF_DUTY, UnitStatus.DISPATCHED),
    (UNIT_TRANSITIONS, UnitStatus.UNAVAILABLE, UnitStatus.ON_SCENE),
    (INCIDENT_TRANSITIONS, IncidentStatus.CLOSED, IncidentStatus.DISPATCHED),
    (INCIDENT_TRANSITIONS, IncidentStatus.RECEIVED, IncidentStatus.CLEARED),
    (INCIDENT_TRANSITIONS, IncidentStatus.CANCELLED, IncidentStatus.RECEIVED),
    (ASSIGNMENT_TRANSITIONS, AssignmentStatus.CLEARED, AssignmentStatus.ON_SCENE),
    (ASSIGNMENT_TRANSITIONS, AssignmentStatus.TIMED_OUT, AssignmentStatus.ACKNOWLEDGED),
    (ASSIGNMENT_TRANSITIONS, AssignmentStatus.ON_SCENE, AssignmentStatus.EN_ROUTE),
])
def test_unlisted_moves_are_refused(table, current, target):
    assert table.allows(current, target) is False
    with translation.override("en"), pytest.raises(InvalidTransition, match=f"from '{current}' to '{target}'"):
        table.check(current, target)


@pytest.mark.parametrize("table, current, target", [
    (UNIT_TRANSITIONS, UnitStatus.AVAILABLE, UnitStatus.DISPATCHED),
    (INCIDENT_TRANSITIONS, IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE),
    (ASSIGNMENT_TRANSITIONS, AssignmentStatus.ASSIGNED, AssignmentStatus.TIMED_OUT),
])
def test_listed_moves_pass(table, current, target):
    table.check(current, target)
    assert table.allows(current, target) is True


def test_a_closed_or_cancelled_incident_leaves_only_by_reopening():
    for ended in (IncidentStatus.CLOSED, IncidentStatus.CANCELLED):
        assert INCIDENT_TRANSITIONS.moves.get(ended) == frozenset({IncidentStatus.WAITING})


def test_terminal_assignment_states_have_no_way_out():
    for terminal in (AssignmentStatus.CLEARED, AssignmentStatus.CANCELLED, AssignmentStatus.TIMED_OUT, AssignmentStatus.PREEMPTED):
        assert ASSIGNMENT_TRANSITIONS.moves.get(terminal, frozenset()) == frozenset()


def test_sources_of_lists_where_a_status_is_reachable_from():
    assert UNIT_TRANSITIONS.sources_of(UnitStatus.OFF_DUTY) == ["available", "unavailable"]
