"""Settings of issue 16 (every officer on the map, every way of moving): star-imported by command.settings,
every value from the environment, checked.

- MOTORCYCLE_CONGESTION_SHARE: the share (0..1) of the car's congestion delay a motorcycle bears, filtering
  through slow traffic; 0 (its free-flow time in any jam) and its sources are in grid/modes.py.
- HANDSET_*: officers' own positions (platforms/handsets.py), kept apart from the units' (`avl:`).
- CREW_SPREAD_M: how far from their unit's position (or from each other, in a unit with no position) a
  crew's members may be before the console shows the crew as spread out (e.g. two officers on foot 300 m
  from their car).
"""
from command.env import env_bool, env_float, env_int, env_str

# Off: units rank as before issue 16 (a crew on foot walking, every other one as a car in all of the car's
# congestion), no mode's limits, no car beside; the simulator's comparison runs both in one process by its
# own switch (dispatch.engine.mode_before).
DISPATCH_MODES = env_bool("DISPATCH_MODES", True)
MOTORCYCLE_CONGESTION_SHARE = env_float("MOTORCYCLE_CONGESTION_SHARE", 0.0, minimum=0.0, maximum=1.0)

HANDSET_KEY_PREFIX = env_str("HANDSET_KEY_PREFIX", "hs:")
HANDSET_BATCH_MAX = env_int("HANDSET_BATCH_MAX", 120, minimum=1, maximum=1000)  # fixes in one report
HANDSET_STATE_TTL_S = env_int("HANDSET_STATE_TTL_S", 86_400, minimum=60)        # an officer's last fix in Redis
HANDSET_TRACK_BACKLOG_MAX = env_int("HANDSET_TRACK_BACKLOG_MAX", 500_000, minimum=1000)
HANDSET_FLUSH_BATCH = env_int("HANDSET_FLUSH_BATCH", 5000, minimum=100, maximum=100_000)
CREW_SPREAD_M = env_float("CREW_SPREAD_M", 150.0, minimum=10.0, maximum=5000.0)

MODES_BEAT_SCHEDULE = {
    # officers' track points to PostgreSQL, as the units' are (platforms.tasks.track_flush)
    "handset-track-flush": {"task": "platforms.tasks.handset_track_flush", "schedule": 2.0,
                            "options": {"expires": 2.0}},
    "handset-sweep": {"task": "platforms.tasks.handset_sweep", "schedule": 60.0, "options": {"expires": 60.0}},
    "handset-track-prune": {"task": "platforms.tasks.handset_track_prune", "schedule": 86400.0,
                            "options": {"expires": 3600.0}},
}
