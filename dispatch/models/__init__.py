"""Dispatch's rows, one idea a module: incidents and their timeline, assignments with the engine's
recommendations and alerts, mobilizations, and callers with photos and category rules. Every model is
importable from here, as Django and the migrations expect."""
from dispatch.models.assignments import (  # noqa: F401
    ACTIVE_ASSIGNMENT_STATUSES, ASSIGNMENT_TRANSITIONS, Alert, AlertKind, Assignment, AssignmentStatus, Recommendation,
)
from dispatch.models.callers import CategoryPolicy, IncidentCaller, IncidentPhoto, PhoneReveal  # noqa: F401
from dispatch.models.incidents import (  # noqa: F401
    INCIDENT_TRANSITIONS, OPEN_INCIDENT_STATUSES, CancelReason, Category, Disposition, EventKind, Incident,
    IncidentEvent, IncidentStatus, Origin, Priority, phone_validator,
)
from dispatch.models.mobilizations import Mobilization, MobilizationStatus  # noqa: F401
from dispatch.models.modes import Mode, ModePolicy  # noqa: F401
