"""Crews: who of a squad rides in which vehicle on a shift, and the units that makes."""
from platforms.models import Absence, Platform, Shift, Unit


def crews(officers_by_kind: dict[str, list], vehicles_by_kind: dict[str, list]) -> list[dict]:
    """Crews for one squad's main shift, each led by a sworn officer: cars with 1 officer + 2
    auxiliaries (the 1:2 staffing), motorcycles with an officer and an auxiliary, foot posts with an
    officer and traffic assistants; everyone left staffs the platform truck. Vehicles beyond the
    people stay parked."""
    police, aux, assistants = (list(officers_by_kind.get(k, [])) for k in ("police", "auxiliary", "traffic_assistant"))
    trucks = vehicles_by_kind.get("platform_truck", [])
    truck_lead = [police.pop()] if trucks and police else []
    result = []
    for car in vehicles_by_kind.get("patrol_car", []):
        if not police or len(aux) < 2:
            break
        result.append(_crew(car, [police.pop(), aux.pop(), aux.pop()], ["patrol", "traffic", "rescue"]))
    for bike in vehicles_by_kind.get("motorcycle", []):
        if not police:
            break
        result.append(_crew(bike, [police.pop()] + ([aux.pop()] if aux else []), ["patrol", "traffic"]))
    for tracker in vehicles_by_kind.get("on_foot", []):
        if not police or not assistants:
            break
        result.append(_crew(tracker, [police.pop(), assistants.pop()], ["patrol", "traffic"]))
    if truck_lead:
        result.append(_crew(trucks[0], truck_lead + police + aux + assistants, ["patrol", "crowd"]))
    return result


def post_crews(officers_by_kind: dict[str, list]) -> list[dict]:
    """Crews of a secondary squad at a peak: on foot at fixed posts (the main squad has the
    vehicles), one sworn officer with up to two auxiliaries or traffic assistants each."""
    police = list(officers_by_kind.get("police", []))
    helpers = list(officers_by_kind.get("auxiliary", [])) + list(officers_by_kind.get("traffic_assistant", []))
    posts = [[officer] for officer in police]
    for n, helper in enumerate(helpers[: 2 * len(posts)]):
        posts[n % len(posts)].append(helper)
    return [_crew(None, people, ["patrol", "traffic"]) for people in posts]


def _crew(vehicle, officers: list, capabilities: list[str]) -> dict:
    return {"vehicle": vehicle, "officers": officers, "capabilities": capabilities}


def crew_shifts(shifts: list[Shift]) -> int:
    """Create the units of the given (saved, uncrewed) shifts; returns how many."""
    units, members = [], []
    fleets: dict[int, dict] = {}
    for shift in shifts:
        platform = shift.squad.platform
        fleet = fleets.setdefault(platform.pk, _fleet(platform))
        people = _available_people(shift)
        found = post_crews(people) if shift.secondary else crews(people, fleet)
        for n, crew in enumerate(found, start=1):
            suffix = crew["vehicle"].call_number.split("-")[-1] if crew["vehicle"] else f"G{n:02d}"
            units.append(Unit(call_sign=f"{platform.code}-{suffix}", shift=shift, platform=platform,
                              vehicle=crew["vehicle"], capabilities=crew["capabilities"]))
            members.append(crew["officers"])
    Unit.objects.bulk_create(units)
    Unit.officers.through.objects.bulk_create([Unit.officers.through(unit_id=unit.pk, officer_id=officer.pk)
                                               for unit, people in zip(units, members) for officer in people])
    return len(units)


def _fleet(platform: Platform) -> dict[str, list]:
    fleet: dict[str, list] = {}
    for vehicle in platform.vehicles.order_by("call_number"):
        fleet.setdefault(vehicle.kind, []).append(vehicle)
    return fleet


def _available_people(shift: Shift) -> dict[str, list]:
    away = Absence.objects.filter(starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at).values("officer_id")
    people: dict[str, list] = {"police": [], "auxiliary": [], "traffic_assistant": []}
    for officer in shift.squad.officers.filter(active=True).exclude(pk__in=away).order_by("badge_number"):
        people[officer.kind].append(officer)
    return people
