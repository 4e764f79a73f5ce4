"""The resources the force is made of (`organisation`), its rosters (`rosters`) and its patrol plans
(`patrol`). Every model is importable from here, as Django and the migrations expect."""
from platforms.models.organisation import (  # noqa: F401
    UNIT_TRANSITIONS,
    Capability,
    District,
    Officer,
    OfficerKind,
    Platform,
    PlatformMove,
    Shift,
    ShiftKind,
    Skill,
    Squad,
    TrackPoint,
    Unit,
    UnitStatus,
    Vehicle,
    VehicleKind,
    validate_capabilities,
    validate_skills,
)
from platforms.models.handsets import OfficerTrackPoint  # noqa: F401
from platforms.models.patrol import PatrolBand, PatrolMode, PatrolPlan, PatrolTask  # noqa: F401
from platforms.models.trackers import TrackerDevice  # noqa: F401
from platforms.models.rosters import (  # noqa: F401
    Absence,
    AbsenceKind,
    Overtime,
    RosterChange,
    RosterChangeKind,
    RosterPeriod,
    RosterStatus,
)
