"""A unit's way of moving (issue 16), from its vehicle or its lack of one: grid.modes ranks each with its
own travel. A platform truck drives as a car; a crew with no vehicle walks."""
from grid import modes
from platforms.models import VehicleKind

VEHICLE_MODE = {
    VehicleKind.PATROL_CAR: modes.CAR,
    VehicleKind.PLATFORM_TRUCK: modes.CAR,
    VehicleKind.MOTORCYCLE: modes.MOTORCYCLE,
    VehicleKind.BICYCLE: modes.BICYCLE,
    VehicleKind.ON_FOOT: modes.FOOT,
}


def mode_of(vehicle_kind: str | None) -> str:
    """The mode of a unit with this vehicle kind (None: no vehicle, on foot). A kind without a mode is an
    error here (KeyError), never ranked as a car by default."""
    return modes.FOOT if vehicle_kind is None else VEHICLE_MODE[vehicle_kind]


def vehicle_kinds_of(wanted_modes) -> list[str]:
    """The vehicle kinds of these modes (for a query: a crew with no vehicle is on foot)."""
    return [kind for kind, mode in VEHICLE_MODE.items() if mode in set(wanted_modes)]
