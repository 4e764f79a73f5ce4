"""What the officer's tablet page is rendered from beyond the shared page reads: its map (the console's
offline basemap, the served area, the unit's platform area whose tiles it keeps for offline use), the
words its scripts show, and the service worker that opens it offline (templates/command/tablet_sw.js).
"""
import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import unary_union

from command.selectors import console_basemap, console_tiles
from dispatch.models import Category, Priority
from grid.models import Zone
from grid.selectors import served_area

AREA_PADDING_DEG = 0.003  # about 300 m around the platform's zones: the streets just over the boundary


def tablet_context(unit) -> dict:
    """The page's script data (the unit, its map, where its service worker is), the map partial's tile
    server if one is configured, and the on-view form's choices."""
    tiles = console_tiles()
    data = {"unit": unit.pk if unit else None, "map": tablet_map(unit, external=bool(tiles)),
            "sw": {"url": reverse("tablet-service-worker"), "scope": reverse("tablet")}}
    return {**tiles, "tablet_data": data, "categories": Category.choices, "priorities": Priority.choices,
            "default_priority": Priority.P3}


def tablet_map(unit, *, external: bool = False) -> dict:
    """The assignment card's map: the served area, our road basemap (unless an external tile server
    replaces it: not kept offline, it is not ours), and the unit's platform area (its zones' bounds,
    padded) whose tiles the service worker keeps."""
    data = {"served_area": list(served_area().bounds), "platform_area": platform_area(unit)}
    if not external:
        data["basemap"] = console_basemap()
    return data


def platform_area(unit) -> list[float] | None:
    """[min lon, min lat, max lon, max lat] of the unit's platform's zones and the platform, padded."""
    if unit is None:
        return None
    polygons = [shape(zone.polygon) for zone in Zone.objects.filter(platform_id=unit.platform_id)]
    platform = unit.platform
    bounds = list(unary_union(polygons).bounds) if polygons else [platform.lon, platform.lat] * 2
    min_lon, min_lat = min(bounds[0], platform.lon), min(bounds[1], platform.lat)
    max_lon, max_lat = max(bounds[2], platform.lon), max(bounds[3], platform.lat)
    pad = AREA_PADDING_DEG
    return [round(v, 6) for v in (min_lon - pad, min_lat - pad, max_lon + pad, max_lat + pad)]


def tablet_words() -> dict:
    """The tablet's own words beyond the shared ones (command.labels), merged into its labels' `ui`."""
    return {**_status_words(), **_report_words(), **_message_words(), **_offline_words()}


def _status_words() -> dict:
    return {
        "set_available": _("Available"), "meal_break": _("Meal break"), "set_unavailable": _("Unavailable…"),
        "meal_break_reason": _("Meal break"), "unavailable_reason": _("Reason"), "confirm": _("Confirm"),
        "status_on_job": _("On a job: the status follows the assignment."),
        "reason_needed": _("Say why the unit is unavailable."),
    }


def _report_words() -> dict:
    return {
        "report": _("Report it"), "report_sent": _("Reported: the incident is yours and on the console."),
        "report_queued": _("Report saved; it will be sent when the connection is back."),
        "category_needed": _("Choose a category."), "no_position": _("No position from this device yet: wait for it."),
        "photo_too_large": _("The photo is over 5 MB: take a smaller one."),
        "photo_not_image": _("The photo must be JPEG, PNG or WebP."),
        "busy_report": _("Clear your current job before reporting another incident."),
        "your_position": _("Your position"), "characters_left": _("characters left"), "you": _("This unit"),
        "too_long": _("Too long by %(over)s characters: shorten it."),
    }


def _message_words() -> dict:
    return {
        "reply": _("Reply"), "send_reply": _("Send reply"), "you_replied": _("You replied"),
        "pending": _("waiting to be sent"), "no_broadcasts": _("No broadcasts."), "to_all_units": _("All units"),
        "to_platform": _("This platform"), "unread": _("unread"),
    }


def _offline_words() -> dict:
    return {
        "offline_map": _("Offline map"), "tiles_kept": _("tiles kept"),
        "offline_copy": _("Offline: showing what this tablet last received."),
    }


# --- the service worker ----------------------------------------------------------------------------

SHELL_STATIC = ["command/site.css", "command/tablet.css", "leaflet/leaflet.css", "leaflet/leaflet.js",
                "command/pages/tablet.js"]


def shell_files() -> list[str]:
    """The static files the tablet needs to start offline: its entry module, every library module (they
    are small, and which of them the tablet imports is the modules' business), the styles and Leaflet."""
    library = sorted(f"command/lib/{path.name}" for path in _library_dir().glob("*.js"))
    return SHELL_STATIC + library


def _library_dir() -> Path:
    return Path(finders.find("command/pages/tablet.js")).parent.parent / "lib"


def service_worker_context() -> dict:
    """The shell's URLs and a version that changes whenever one of them does, so that a new release is
    installed by the browser (it compares the worker's bytes) and its caches renewed."""
    files = shell_files()
    digest = hashlib.sha256()
    for name in files:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            digest.update(Path(path).read_bytes())
    return {"version": digest.hexdigest()[:16], "shell": [static(name) for name in files]}
