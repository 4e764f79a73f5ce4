"""Traffic work's rows (交巡合一, the traffic half): accidents with their parties and quick settlement,
congestion clearance, enforcement and help records, traffic control points with their road closures,
and the fleet's measured speeds with the zones' congestion factors. Every model is importable from here,
as Django and the migrations expect."""
from traffic.models.accidents import (  # noqa: F401
    AccidentParty, AccidentRecord, AccidentStatus, Injuries, PartyReveal, Responsibility, Settlement, SettlementRule,
    Signature, VehicleKind,
)
from traffic.models.congestion import CongestionCause, CongestionRecord  # noqa: F401
from traffic.models.control import ControlPoint, ControlReason, RoadClosure  # noqa: F401
from traffic.models.records import (  # noqa: F401
    BreathResult, DrinkCheck, HelpKind, HelpRecord, Impound, Violation, ViolationType,
)
from traffic.models.speeds import LiveZoneFactor, SegmentSpeed, SpeedWatermark, ZoneFactor  # noqa: F401
