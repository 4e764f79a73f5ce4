"""Ways of moving (issue 16): car, motorcycle, bicycle or e-bike, on foot. Each ranks with its own travel.

| mode         | OSRM profile | congestion it bears                 |
|--------------|--------------|-------------------------------------|
| `car`        | car          | all of the zone's factor            |
| `motorcycle` | car          | MOTORCYCLE_CONGESTION_SHARE of it   |
| `bicycle`    | bicycle      | none (non-motorised lanes)          |
| `foot`       | foot         | none                                |

The motorcycle. OSRM ships no motorcycle profile, and in city traffic a police motorcycle (铁骑) keeps to
the car's roads, one-way rules, speed limits and signals: its free-flow time is the car's. What it does
not keep is the queue: it filters between stopped or slow cars. So its ETA is the car's free-flow time
times 1 + s (c - 1), c the zone's congestion factor and s the share of the car's congestion delay it
bears (MOTORCYCLE_CONGESTION_SHARE, default 0: it rides through a jam at the car's free-flow time, still
stopping at signals, which the car profile's free-flow time includes). Sources for the assumption:
- Transport & Mobility Leuven, I. Yperman, "Commuting by motorcycle: impact analysis" (report 10.69 for
  Febiac, 21 September 2011): in its calibrated traffic model a motorcycle takes a car's road space in
  free flow and none in stationary traffic (its passenger-car equivalent falls from 1 to 0 as it filters
  between the queues), i.e. it is not held in the queue that makes the car's congestion delay;
- a Beijing press report one month into the city's motorcycle policing (铁骑警务, started on 16 November,
  800 traffic officers on motorcycles; reposted at https://tszmap.com/228021.html): since then the response
  to calls for help and accidents is "generally twice as fast" (出警速度普遍提升一倍) in the city's traffic,
  a rider on a 150 cc scooter on the 2nd ring road within 5 minutes of any call. Guangming Daily (光明日报,
  22 January 2026, https://news.gmw.cn/2026-01/22/content_38550894.htm) dates the first 185 riders to
  September 2019 and counts 900 now, covering the main roads inside the 4th ring at the peaks. With s = 0
  the advantage is c, within that doubling wherever the factor is at most 2: not more optimistic.
Once the fleet's own speeds are measured per vehicle kind (traffic/speeds.py measures the units'), s is
the ratio of the motorcycles' measured delay to the cars' in the same zones and slots: set it there.

The lower bound stays exact for every mode (docs/routing.md, "Modes"): foot and bicycle each have their
own road-time bound read from their own dataset (the proof holds for any profile whose penalties are
>= 0); the motorcycle's time is the car's free-flow time times a factor >= 1, the case the proof covers.

A mode whose profile the active network did not build is refused with a clear message (UnbuiltProfile),
never ranked as another mode; the road import checks every mode's profile is built (`check_built`).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grid import travel

CAR, MOTORCYCLE, BICYCLE, FOOT = "car", "motorcycle", "bicycle", "foot"
MODES = (CAR, MOTORCYCLE, BICYCLE, FOOT)
PROFILE = {CAR: "car", MOTORCYCLE: "car", BICYCLE: "bicycle", FOOT: "foot"}
LABELS = {CAR: _("Car"), MOTORCYCLE: _("Motorcycle"), BICYCLE: _("Bicycle / e-bike"), FOOT: _("On foot")}


class UnbuiltProfile(ValidationError):
    """The mode's OSRM profile is not among those the network was built with."""


def profile_of(mode: str) -> str:
    return PROFILE[mode]


def congestion_share(mode: str) -> float:
    """The share (0..1) of the car's congestion delay the mode bears."""
    if mode == CAR:
        return 1.0
    if mode == MOTORCYCLE:
        return float(settings.MOTORCYCLE_CONGESTION_SHARE)
    return 0.0  # a bicycle in its own lane, an officer on the pavement: the cars' queue holds neither


def factor(mode: str, car_factor: float) -> float:
    """The mode's congestion factor where the car's is `car_factor` (never below 1)."""
    return travel.shared_factor(car_factor, congestion_share(mode))


def unbuilt(profiles) -> list[tuple[str, str]]:
    """(mode, profile) of every mode whose profile is not among `profiles`."""
    return [(mode, PROFILE[mode]) for mode in MODES if PROFILE[mode] not in set(profiles)]


def check_built(profiles) -> None:
    """The road import's check: every mode has its own profile built, or the import fails saying which."""
    missing = unbuilt(profiles)
    if missing:
        raise UnbuiltProfile(_("These ways of moving have no routing profile built: %(missing)s. Add the profile "
                               "to grid.osrm_build.BUILT_PROFILES and import the road network again; a mode is "
                               "never ranked as another.")
                             % {"missing": ", ".join(f"{mode} ({profile})" for mode, profile in missing)},
                             code="unbuilt_profile")


def _checked_profile(mode: str) -> str:
    network = travel.engines.current()
    profile = PROFILE[mode]
    if network is not None and profile not in (network.profiles or []):
        raise UnbuiltProfile(_("The road network in use was built without the %(profile)s profile that %(mode)s "
                               "units route on: import it again.") % {"profile": profile, "mode": mode},
                             code="unbuilt_profile")
    return profile


def fastest_to(target, candidates, *, mode: str, k: int = 1, at=None):
    """travel.fastest_to with the mode's own profile and congestion: the k of `candidates` (all of this
    mode) that reach `target` soonest, exactly."""
    return travel.fastest_to(target, candidates, k=k, profile=_checked_profile(mode), at=at,
                             congestion_share=congestion_share(mode))


def durations_to(target, sources, *, mode: str, at=None):
    """travel.durations_to with the mode's own profile and congestion (the full table of that mode)."""
    return travel.durations_to(target, sources, profile=_checked_profile(mode), at=at,
                               congestion_share=congestion_share(mode))
