"""The supervisor's what-if: the same seeded day with a platform moved, a squad off or more calls,
beside the day as rostered, so the effect on the 1/3/5 figures shows before anything is changed.
Read-only: the simulator runs on its own copy of the city. Results are cached for a while, since a
day's run takes seconds."""
import hashlib
import json

from django import forms
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from command.simulation.runs import headless_run
from command.simulation.world import WhatIf
from grid.selectors import served_area_contains
from planning.api import plans_in_scope
from planning.models import DeploymentPlan
from platforms.models import Platform, Squad

CACHE_S = 600
HOURS = ((6, "6"), (12, "12"), (24, "24"))
# Today's placement (the seeded patrol plans) or the planner's plan for every band of the day; a plan
# chosen below is laid over its own band either way.
PLACEMENTS = (("today", _("Today's placement (the patrol plans)")), ("planned", _("The planner's plan for every band")))


class WhatIfForm(forms.Form):
    platform = forms.ModelChoiceField(queryset=Platform.objects.none(), required=False, label=_("Move platform"))
    lon = forms.FloatField(required=False, label=_("to longitude"), min_value=-180, max_value=180)
    lat = forms.FloatField(required=False, label=_("to latitude"), min_value=-90, max_value=90)
    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), required=False, label=_("Take squad off"))
    rate_factor = forms.FloatField(initial=1.0, min_value=0.1, max_value=5.0, label=_("Call rate factor"))
    hours = forms.TypedChoiceField(choices=HOURS, coerce=int, initial=24, label=_("Hours simulated"))
    seed = forms.IntegerField(initial=1, min_value=1, max_value=10_000, label=_("Seed"))
    placement = forms.ChoiceField(choices=PLACEMENTS, initial="today", required=False, label=_("Placement"))
    plan = forms.ModelChoiceField(queryset=DeploymentPlan.objects.none(), required=False, label=_("Deployment plan"))

    def __init__(self, *args, platform_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        platforms = Platform.objects.order_by("code")
        if platform_ids is not None:
            platforms = platforms.filter(pk__in=platform_ids)
        self.fields["platform"].queryset = platforms
        squads = Squad.objects.filter(platform__in=platforms).select_related("platform")
        self.fields["squad"].queryset = squads.order_by("platform__code", "number")
        self.fields["squad"].label_from_instance = lambda squad: f"{squad.platform.code} · {squad.name}"
        plans = plans_in_scope(DeploymentPlan.objects.filter(status__in=("ready", "accepted")).exclude(result={}),
                               platform_ids)
        recent = list(plans.order_by("-created_at").values_list("pk", flat=True)[:20])
        self.fields["plan"].queryset = DeploymentPlan.objects.filter(pk__in=recent).order_by("-created_at")
        self.fields["plan"].label_from_instance = _plan_label

    def clean(self):
        data = super().clean()
        if data.get("platform") and (data.get("lon") is None or data.get("lat") is None):
            raise forms.ValidationError(_("Give the longitude and latitude the platform moves to."))
        if data.get("platform") and not served_area_contains(data["lon"], data["lat"]):
            raise forms.ValidationError(_("The new position is outside the served area."))
        return data

    def what_if(self) -> WhatIf:
        data = self.cleaned_data
        moves = {data["platform"].code: (data["lon"], data["lat"])} if data.get("platform") else {}
        squads = frozenset({(data["squad"].platform.code, data["squad"].number)}) if data.get("squad") else frozenset()
        plan = data.get("plan")
        return WhatIf(move_platform=moves, remove_squads=squads, rate_factor=data["rate_factor"],
                      placement=data.get("placement") or "today", plan_id=plan.pk if plan else None)


def _plan_label(plan) -> str:
    start = timezone.localtime(plan.starts_at)
    return f"#{plan.pk} {start:%m-%d %H:%M}–{timezone.localtime(plan.ends_at):%H:%M} ({plan.get_status_display()})"


def compare(*, what_if: WhatIf, seed: int, hours: int) -> dict:
    """{"baseline": figures, "what_if": figures, "chart": rows} for the road policy (the engine's)."""
    baseline = _cached_run(WhatIf(), seed, hours)
    changed = _cached_run(what_if, seed, hours)
    rows = []
    for key, label in (("60", _("Key sites (60 s)")), ("180", _("City centre (180 s)")), ("300", _("Other (300 s)")),
                       ("overall", _("Overall"))):
        rows.append({"label": label, "baseline": _percent(baseline, key), "what_if": _percent(changed, key)})
    return {"baseline": baseline, "what_if": changed, "chart": rows}


def _percent(figures: dict, key: str) -> float | None:
    value = figures["within_target"][key]
    fraction = value if key == "overall" else value["fraction"]
    return None if fraction is None else round(fraction * 100, 1)


def _cached_run(what_if: WhatIf, seed: int, hours: int) -> dict:
    day = timezone.localdate().isoformat()  # the day's shifts are what is simulated
    asked = json.dumps([what_if.as_dict(), seed, hours, day], sort_keys=True)
    key = "whatif:" + hashlib.sha256(asked.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = headless_run(seed=seed, hours=hours, policy="road", what_if=what_if)["policies"]["road"]
        cache.set(key, found, CACHE_S)
    return found


def chart(rows: list[dict]) -> dict:
    """Bar geometry for the page's SVG: two bars a row (as rostered, with the change), 0-100%."""
    bars, width = [], 400
    for i, row in enumerate(rows):
        y = 10 + i * 50
        baseline_w = round((row["baseline"] or 0) / 100 * width, 1)
        what_if_w = round((row["what_if"] or 0) / 100 * width, 1)
        bars.append({**row, "y": y, "y2": y + 17, "y_label": y + 20, "y_text": y + 12, "y2_text": y + 29,
                     "baseline_w": baseline_w, "what_if_w": what_if_w,
                     "baseline_x": 175 + baseline_w, "what_if_x": 175 + what_if_w})
    return {"bars": bars, "chart_height": 20 + 50 * len(rows)}
