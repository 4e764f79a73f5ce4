"""Reads of traffic work that the API, the supervisor page, the briefings and the console share:
enforcement and help counts per officer, unit, platform and period; the accident and congestion clocks
per response class beside the 1/3/5 figures; the console's layers (congestion with its age, the live
speeds, the control points and closures). Scoped with common.scoping.scoped like every other read."""
import math
from collections import defaultdict
from datetime import timedelta
from statistics import mean

from django.db.models import Count, Q, Sum
from django.utils import timezone

from common.names import local_name
from common.scoping import scoped
from dispatch.models import Category, Incident, IncidentStatus
from platforms.models import Officer, Platform, Unit
from traffic.models import (
    AccidentRecord, BreathResult, CongestionRecord, ControlPoint, DrinkCheck, HelpRecord, Impound, Injuries,
    SegmentSpeed, Violation,
)
from traffic.events import control_payload
from traffic.models.congestion import CLEARANCE_TARGET_S, HANDLING_TARGET_S
from traffic.speeds import slot_start

CLASSES = {60: "key_site", 180: "city_centre", 300: "other"}
COUNT_FIELDS = ("violations", "drink_checks", "drink_driving", "drunk_driving", "impounds", "help_records",
                "people_helped")
GROUPS = {"officer": "officer_id", "unit": "unit_id", "platform": "platform_id"}
LAYER_HOURS = 2   # congestion incidents shown on the console this long after they were received


# --- enforcement and help counts ---------------------------------------------------------------

def _period(queryset, platform_ids, since, until):
    queryset = scoped(queryset, platform_ids)
    if since is not None:
        queryset = queryset.filter(at__gte=since)
    if until is not None:
        queryset = queryset.filter(at__lt=until)
    return queryset


def enforcement_counts(*, platform_ids, since=None, until=None, by: str = "platform") -> list[dict]:
    """One row per officer, unit or platform with anything recorded in [since, until): the counts of
    COUNT_FIELDS, most violations first."""
    key = GROUPS[by]
    rows: dict = defaultdict(lambda: dict.fromkeys(COUNT_FIELDS, 0))
    for name, queryset, extra in _counted(platform_ids, since, until):
        for found in queryset.values(key).annotate(n=Count("id"), **extra).order_by():
            row = rows[found[key]]
            row[name] += found["n"]
            for field_name in extra:
                row[field_name] += found[field_name] or 0
    labels = _labels(by, [k for k in rows if k is not None])
    result = [{"key": k, "label": labels.get(k, "–"), **counts} for k, counts in rows.items()]
    return sorted(result, key=lambda r: (-r["violations"], -sum(r[f] for f in COUNT_FIELDS), r["label"]))


def _counted(platform_ids, since, until) -> list[tuple]:
    return [
        ("violations", _period(Violation.objects, platform_ids, since, until), {}),
        ("drink_checks", _period(DrinkCheck.objects, platform_ids, since, until),
         {"drink_driving": Count("id", filter=Q(result=BreathResult.DRINK)),
          "drunk_driving": Count("id", filter=Q(result=BreathResult.DRUNK))}),
        ("impounds", _period(Impound.objects, platform_ids, since, until), {}),
        ("help_records", _period(HelpRecord.objects, platform_ids, since, until), {"people_helped": Sum("people")}),
    ]


def enforcement_totals(*, platform_ids, since=None, until=None) -> dict:
    totals = dict.fromkeys(COUNT_FIELDS, 0)
    for row in enforcement_counts(platform_ids=platform_ids, since=since, until=until, by="platform"):
        for name in COUNT_FIELDS:
            totals[name] += row[name]
    return totals


def _labels(by: str, keys: list) -> dict:
    if by == "officer":
        return {o.pk: f"{o.name} ({o.badge_number})" for o in Officer.objects.filter(pk__in=keys)}
    if by == "unit":
        return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "call_sign"))
    return {p.pk: f"{p.code} {local_name(p)}" for p in Platform.objects.filter(pk__in=keys)}


# --- the clocks beside the 1/3/5 figures ---------------------------------------------------------

def clearance_figures(incidents) -> dict:
    """Minor accidents handled within 10 minutes of the first arrival (the quick settlement signed) and
    congestion cleared within 5 (traffic flowing), per response class and overall, of `incidents`."""
    accidents = AccidentRecord.objects.filter(incident__in=incidents.filter(category=Category.TRAFFIC_ACCIDENT),
                                              injuries=Injuries.NONE).exclude(status="escalated").select_related("incident")
    jams = CongestionRecord.objects.filter(incident__in=incidents.filter(category=Category.TRAFFIC_CONGESTION)
                                           ).select_related("incident")
    return {"targets": {"accident": HANDLING_TARGET_S, "congestion": CLEARANCE_TARGET_S},
            "accident": _clock([(a.incident, a.handled_at) for a in accidents], HANDLING_TARGET_S),
            "congestion": _clock([(c.incident, c.flowing_at) for c in jams], CLEARANCE_TARGET_S)}


def _clock(rows: list[tuple], target_s: int) -> dict:
    arrived = [(incident, stopped) for incident, stopped in rows if incident.arrived_at is not None]
    by_class = {name: _clock_row([r for r in arrived if r[0].target_s == target], target_s)
                for target, name in CLASSES.items()}
    by_class["overall"] = _clock_row(arrived, target_s)
    return by_class


def _clock_row(rows: list[tuple], target_s: int) -> dict:
    seconds = sorted(round((stopped - incident.arrived_at).total_seconds(), 1) for incident, stopped in rows if stopped)
    met = sum(1 for s in seconds if s <= target_s)
    return {"arrived": len(rows), "handled": len(seconds), "open": len(rows) - len(seconds), "met": met,
            "fraction_met": round(met / len(seconds), 4) if seconds else None,
            "mean_s": round(mean(seconds), 1) if seconds else None,
            "p90_s": seconds[max(1, math.ceil(len(seconds) * 0.9)) - 1] if seconds else None}


# --- the console's layers ----------------------------------------------------------------------

def congestion_layer(platform_ids, now=None) -> list[dict]:
    """Congestion incidents of the last LAYER_HOURS not cancelled, with their age and clock."""
    now = now or timezone.now()
    incidents = scoped(Incident.objects.filter(category=Category.TRAFFIC_CONGESTION,
                                               received_at__gte=now - timedelta(hours=LAYER_HOURS))
                       .exclude(status=IncidentStatus.CANCELLED), platform_ids, "zone__platform_id")
    records = {c.incident_id: c for c in CongestionRecord.objects.filter(incident__in=incidents)}
    return [_jam(incident, records.get(incident.pk), now) for incident in incidents.order_by("received_at")]


def _jam(incident, record, now) -> dict:
    arrived = incident.arrived_at
    return {"incident": incident.pk, "number": incident.number, "lon": incident.lon, "lat": incident.lat,
            "status": incident.status, "address": incident.address, "received_at": incident.received_at.isoformat(),
            "age_s": round((now - incident.received_at).total_seconds()),
            "arrived_at": arrived.isoformat() if arrived else None,
            "cause": record.cause if record else None, "lanes_affected": record.lanes_affected if record else None,
            "flowing_at": record.flowing_at.isoformat() if record and record.flowing_at else None}


def speed_layer(now=None) -> dict:
    """The segments driven in the current and the previous 15-minute slot: measured speed, free-flow
    speed and their ratio (the segment's factor), with both ends to draw."""
    current = slot_start(now or timezone.now())
    rows = (SegmentSpeed.objects.filter(slot_start__in=[current, current - timedelta(minutes=15)])
            .values("from_node", "to_node", "from_lon", "from_lat", "to_lon", "to_lat")
            .annotate(samples=Sum("samples"), metres=Sum("metres"), seconds=Sum("seconds"), free=Sum("free_flow_s")))
    segments = [_segment(row) for row in rows if row["seconds"] > 0 and row["free"] > 0]
    return {"slot_start": current.isoformat(), "segments": segments}


def _segment(row) -> dict:
    return {"start": [row["from_lon"], row["from_lat"]], "end": [row["to_lon"], row["to_lat"]],
            "speed_kmh": round(row["metres"] / row["seconds"] * 3.6, 1),
            "free_flow_kmh": round(row["metres"] / row["free"] * 3.6, 1),
            "factor": round(max(row["seconds"] / row["free"], 1.0), 2), "samples": row["samples"]}


def control_layer(now=None) -> list[dict]:
    """Control points not over and not cancelled (active or upcoming), with their closures: every
    tablet and console sees them, whoever's platform placed them (crews drive around a closure)."""
    now = now or timezone.now()
    points = (ControlPoint.objects.filter(cancelled_at__isnull=True, ends_at__gt=now)
              .prefetch_related("units", "closures").order_by("starts_at"))
    return [{**control_payload(p), "active": p.active_at(now)} for p in points]
