"""Reads the console, the supervisor pages and the API share."""
from statistics import mean

from dispatch.models import Incident, Origin, Recommendation

CLASSES = {60: "key_site", 180: "city_centre", 300: "other"}


def latest_recommendation(incident: Incident) -> Recommendation | None:
    return incident.recommendations.order_by("-created_at", "-id").first()


def response_figures(incidents) -> dict:
    """The 1/3/5 figures of incidents that reached the scene: per class and overall, with both clocks.
    Each incident counts from its verified arrival where there is one; the arrivals resting on a report
    alone (far from the scene, or with no position) are counted beside, and so are the incidents found
    on patrol, which are not responses."""
    responses = incidents.exclude(origin=Origin.ON_VIEW)
    reached = [i for i in responses.filter(on_scene_at__isnull=False, dispatched_at__isnull=False)]
    figures = {name: _figures([i for i in reached if i.target_s == target]) for target, name in CLASSES.items()}
    figures["overall"] = _figures(reached)
    figures["waiting_or_unreached"] = responses.filter(on_scene_at__isnull=True).exclude(status="cancelled").count()
    # Found on patrol: the reporting crew was on scene when it was created, no response to judge.
    figures["on_view"] = incidents.filter(origin=Origin.ON_VIEW).count()
    return figures


def _figures(incidents: list[Incident]) -> dict:
    if not incidents:
        return {"incidents": 0, "met": 0, "fraction_met": None, "mean_response_s": None, "p90_response_s": None,
                "mean_call_to_scene_s": None, "unverified_arrivals": 0}
    responses = sorted(i.dispatch_to_scene_s for i in incidents)
    met = sum(1 for i in incidents if i.met_target)
    return {"incidents": len(incidents), "met": met, "fraction_met": round(met / len(incidents), 4),
            "mean_response_s": round(mean(responses), 1), "p90_response_s": _percentile(responses, 0.9),
            "mean_call_to_scene_s": round(mean(i.call_to_scene_s for i in incidents), 1),
            "unverified_arrivals": sum(1 for i in incidents if i.arrival_unverified)}


def _percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q of the values at or below it."""
    rank = max(1, -(-len(ordered) * q // 1))
    return ordered[int(rank) - 1]
