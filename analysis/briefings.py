"""The briefings (日研判 / 周会商 / 月调度): a period's incidents by category, zone, platform and hour of
the week, each count against the same period a year before (同比) and the period before (环比); the
response figures per class; the busiest hours; the top hot spots; patrol verification; callback
satisfaction; the traffic work (violations, drink-driving checks, impounds, people helped). Made from the rollups (figures.RollupFigures); the same from raw rows on request."""
from collections import defaultdict
from datetime import timedelta

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis import periods
from analysis.figures import RawFigures, RollupFigures
from analysis.rollups import local_midnight
from common.names import local_name
from dispatch.models import Category
from grid.models import Zone
from services import selectors as services_selectors
from traffic import selectors as traffic_selectors

SOURCES = {"rollups": RollupFigures, "raw": RawFigures}
BUSIEST = 5


def incident_figures(*, kind: str, period, scope, source: str = "rollups") -> dict:
    """Everything a briefing says about incidents, with its comparisons: no hot spots, patrols or
    surveys (briefing_extras adds those)."""
    figures = SOURCES[source]
    previous, last_year = periods.previous_period(kind, period), periods.last_year_period(kind, period)
    now, before, year_ago = (figures(p, scope) for p in (period, previous, last_year))
    counts = [_breakdowns(f.counts()) for f in (now, before, year_ago)]
    grid = now.hour_of_week()
    responses = [f.response() for f in (now, before, year_ago)]
    return {
        "period": period.as_json(), "previous_period": previous.as_json(), "last_year_period": last_year.as_json(),
        "scope": scope.as_json(),
        "totals": {name: _compared(counts[0]["totals"][name], counts[1]["totals"][name], counts[2]["totals"][name])
                   for name in ("incidents", "cancelled", "on_view")},
        **{name: _rows(name, counts) for name in ("by_category", "by_zone", "by_platform")},
        "hour_of_week": grid,
        "busiest_hours": busiest_hours(grid),
        "response": responses[0],
        "within_target": _compared(*(r["overall"]["share_within_target"] for r in responses)),
    }


def _breakdowns(rows) -> dict:
    """The counts of (zone, category, incidents, cancelled, on view) rows, summed each way."""
    zones = _zones()
    totals = {"incidents": 0, "cancelled": 0, "on_view": 0}
    by = {"by_category": defaultdict(int), "by_zone": defaultdict(int), "by_platform": defaultdict(int)}
    for zone_id, category, incidents, cancelled, on_view in rows:
        incidents = int(incidents)
        totals["incidents"] += incidents
        totals["cancelled"] += int(cancelled)
        totals["on_view"] += int(on_view)
        by["by_category"][category] += incidents
        by["by_zone"][zones["zone"].get(zone_id, ("", _("Outside every zone")))] += incidents
        by["by_platform"][zones["platform"].get(zone_id, ("", _("No platform")))] += incidents
    return {"totals": totals, **by}


def _zones() -> dict:
    rows = Zone.objects.select_related("platform").order_by("code")
    return {"zone": {z.pk: (z.code, local_name(z)) for z in rows},
            "platform": {z.pk: (z.platform.code, local_name(z.platform)) if z.platform else ("", _("No platform"))
                         for z in rows}}


def _compared(now, before, year_ago) -> dict:
    return {"value": now, "previous": before, "last_year": year_ago,
            "pop_pct": periods.change_pct(now, before) if now is not None else None,
            "yoy_pct": periods.change_pct(now, year_ago) if now is not None else None}


def _rows(name: str, counts: list) -> list[dict]:
    now, before, year_ago = (c[name] for c in counts)
    keys = sorted(set(now) | set(before) | set(year_ago), key=lambda k: (-now.get(k, 0), str(k)))
    if name == "by_category":
        labels = dict(Category.choices)
        keys = [k for k in Category.values if k in keys] + [k for k in keys if k not in Category.values]
        keys.sort(key=lambda k: -now.get(k, 0))
        return [{"key": k, "label": str(labels.get(k, k)), **_compared(now.get(k, 0), before.get(k, 0), year_ago.get(k, 0))}
                for k in keys]
    return [{"key": k[0], "label": k[1], **_compared(now.get(k, 0), before.get(k, 0), year_ago.get(k, 0))} for k in keys]


def busiest_hours(grid: list[list[int]], count: int = BUSIEST) -> list[dict]:
    """The hours of the week with the most incidents, most first (ties: earlier in the week first)."""
    cells = [(n, dow, hour) for dow, row in enumerate(grid) for hour, n in enumerate(row) if n]
    cells.sort(key=lambda cell: (-cell[0], cell[1], cell[2]))
    return [{"weekday": dow + 1, "weekday_label": str(WEEKDAYS[dow]), "hour": hour, "incidents": n}
            for n, dow, hour in cells[:count]]


def satisfaction_figures(*, kind: str, period, scope) -> dict:
    """Callback satisfaction (短信回访, services/) of the surveys made in the period: answered, the
    satisfaction rate (satisfied or basically satisfied, of those answered), against 同比 and 环比."""
    spans = (period, periods.previous_period(kind, period), periods.last_year_period(kind, period))
    totals = [_satisfaction(span, scope) for span in spans]
    return {"surveys": totals[0]["surveys"], "answered": totals[0]["answered"],
            "rate": _compared(*(t["rate"] for t in totals))}


def _satisfaction(span, scope) -> dict:
    rows = services_selectors.satisfaction(None if scope.platform_ids is None else set(scope.platform_ids),
                                           group_by="platform", since=local_midnight(span.start),
                                           until=local_midnight(span.end) + timedelta(days=1))
    surveys, answered = sum(r["surveys"] for r in rows), sum(r["answered"] for r in rows)
    content = sum(r["satisfied"] + r["basic"] for r in rows)
    return {"surveys": surveys, "answered": answered, "rate": round(content / answered, 4) if answered else None}


TRAFFIC_LINES = (("violations", gettext_lazy("Violations")), ("drink_checks", gettext_lazy("Drink-driving checks")),
                 ("drink_driving", gettext_lazy("Drink-driving found")), ("drunk_driving", gettext_lazy("Drunk driving found")),
                 ("impounds", gettext_lazy("Vehicles impounded")), ("help_records", gettext_lazy("Help given")),
                 ("people_helped", gettext_lazy("People helped")))


def traffic_figures(*, kind: str, period, scope) -> list[dict]:
    """The traffic work recorded in the period (traffic/, 交巡合一), each count against 同比 and 环比:
    rows as the other compared tables have them."""
    spans = (period, periods.previous_period(kind, period), periods.last_year_period(kind, period))
    platform_ids = None if scope.platform_ids is None else set(scope.platform_ids)
    totals = [traffic_selectors.enforcement_totals(platform_ids=platform_ids, since=local_midnight(span.start),
                                                   until=local_midnight(span.end) + timedelta(days=1))
              for span in spans]
    return [{"key": key, "label": str(label), **_compared(*(t[key] for t in totals))} for key, label in TRAFFIC_LINES]


def traffic_rows(figures: dict) -> list[dict]:
    """A briefing's traffic rows labelled in the reader's language (the stored label is the maker's)."""
    labels = dict(TRAFFIC_LINES)
    return [{**row, "label": str(labels.get(row["key"], row["label"]))} for row in figures.get("traffic") or []]
