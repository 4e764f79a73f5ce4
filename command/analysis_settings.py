"""Review and analysis settings (analysis/): bounds that keep every query finite, the hot-spot grid and
the briefings' schedule. Star-imported by command.settings; every value from the environment, checked."""
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from command.env import env_int, env_str

# The longest range a search, a briefing or a hot-spot analysis may cover: a year and a month, so a
# yearly review and its 同比 fit and a 10-year range is refused with a message, never run.
ANALYSIS_MAX_RANGE_DAYS = env_int("ANALYSIS_MAX_RANGE_DAYS", 400, minimum=7, maximum=1100)
# The longest track a playback reads at once.
ANALYSIS_MAX_TRACK_HOURS = env_int("ANALYSIS_MAX_TRACK_HOURS", 24, minimum=1, maximum=168)
# The finest H3 resolution the cell rollups keep (9: cells about 0.1 km², 174 m a side); coarser
# resolutions are read by summing children.
ANALYSIS_CELL_RESOLUTION = env_int("ANALYSIS_CELL_RESOLUTION", 9, minimum=7, maximum=10)
# How often the rollups take up the incidents that changed (seconds).
ANALYSIS_ROLLUP_EVERY_S = env_int("ANALYSIS_ROLLUP_EVERY_S", 60, minimum=5, maximum=3600)

# A TrueType font (.ttf/.ttc with TrueType outlines) the PDF briefing embeds for Chinese; empty: Adobe's
# STSong-Light, which needs nothing installed (analysis/exports.py says why).
ANALYSIS_PDF_FONT = env_str("ANALYSIS_PDF_FONT", "") or ""
if ANALYSIS_PDF_FONT and not Path(ANALYSIS_PDF_FONT).is_file():
    raise ImproperlyConfigured(f"ANALYSIS_PDF_FONT names no file: {ANALYSIS_PDF_FONT}")

ANALYSIS_BEAT_SCHEDULE = {
    # rollups: the days whose incidents changed since the last look (incremental).
    "analysis-rollups": {"task": "analysis.tasks.rollups_refresh", "schedule": float(ANALYSIS_ROLLUP_EVERY_S),
                         "options": {"expires": float(ANALYSIS_ROLLUP_EVERY_S)}},
    # 日研判 at 07:00 for the day before; 周会商 on Mondays for the week before; 月调度 on the 1st.
    "analysis-daily-briefings": {"task": "analysis.tasks.briefings_scheduled", "args": ("daily",),
                                 "schedule": crontab(hour=7, minute=0)},
    "analysis-weekly-briefings": {"task": "analysis.tasks.briefings_scheduled", "args": ("weekly",),
                                  "schedule": crontab(hour=7, minute=5, day_of_week=1)},
    "analysis-monthly-briefings": {"task": "analysis.tasks.briefings_scheduled", "args": ("monthly",),
                                   "schedule": crontab(hour=7, minute=10, day_of_month=1)},
}
