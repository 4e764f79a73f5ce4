"""Traffic work's settings (traffic/): where grid reads the closures and the measured congestion from
(grid sits below traffic, so it reaches them by these dotted paths), and the beat schedule. Star-imported
by command.settings."""
from command.env import env_str

# grid.closures: the segments closed now, as f(network) -> [(segments, line)]; empty: no closures.
TRAVEL_CLOSURES = env_str("TRAVEL_CLOSURES", "traffic.control.closed_now") or ""
# grid.congestion: the fleet's measured factors, as f(weekday, slot, live) -> {zone id: factor}; empty: none.
TRAVEL_MEASURED_CONGESTION = env_str("TRAVEL_MEASURED_CONGESTION", "traffic.factors.measured_factors") or ""

TRAFFIC_BEAT_SCHEDULE = {
    # live speeds: the track read since the last run, map-matched, summed; the zones' factors
    "traffic-speeds": {"task": "traffic.tasks.speeds_task", "schedule": 60.0, "options": {"expires": 60.0}},
    # closures' routing copies built before the first route needs one
    "traffic-closures": {"task": "traffic.tasks.closures_task", "schedule": 30.0, "options": {"expires": 30.0}},
    "traffic-speeds-prune": {"task": "traffic.tasks.speeds_prune_task", "schedule": 86400.0,
                             "options": {"expires": 3600.0}},
}
