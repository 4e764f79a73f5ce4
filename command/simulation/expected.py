"""The call model as demand for the deployment planner where there is no incident history: calls
drawn where and as the simulator draws them (`calls`), each standing for an equal share of the
calls the model expects in the band's hours. `settings.PLANNING_CALL_MODEL` names this function:
the planner sits below the command centre and reaches it by that setting only."""
import random
from functools import lru_cache
from types import SimpleNamespace

from shapely.geometry import shape

from command.simulation import assumptions as A
from command.simulation.calls import _pick, _Places
from grid import selectors
from grid.models import KeySite, Zone

SAMPLES = 4000
SEED = 17  # the planner's own draw: none of the simulator's run seeds (1-3), so a plan is judged out of sample


@lru_cache(maxsize=32)
def call_model_demand(*, start_hour: float, hours: float) -> list[tuple]:
    """[(lon, lat, target_s, priority, calls, category)]: SAMPLES draws sharing the expected calls of the band
    (kept per process: the draw is the same every time)."""
    rng = random.Random(SEED)
    places = _Places(_city(), rng)
    expected = expected_calls(start_hour=start_hour, hours=hours)
    rows = []
    for _ in range(SAMPLES):
        lon, lat = places.draw()
        category = _pick(rng, A.CATEGORY_SHARE)
        priority = int(_pick(rng, A.PRIORITY_SHARE[category]))
        rows.append((lon, lat, selectors.locate(lon, lat).target_s, priority, expected / SAMPLES, str(category)))
    return rows


def expected_calls(*, start_hour: float, hours: float) -> float:
    """The model's calls in `hours` from `start_hour` (local), by its hour-of-day profile."""
    total, found, at = sum(A.HOURLY_WEIGHT), 0.0, start_hour
    end = start_hour + hours
    while at < end - 1e-9:
        step = min(end, int(at) + 1) - at
        found += A.HOURLY_WEIGHT[int(at) % 24] * step
        at += step
    return A.CALLS_PER_DAY * found / total


def _city() -> SimpleNamespace:
    zones = [SimpleNamespace(polygon=shape(z.polygon), response_class=z.response_class)
             for z in Zone.objects.order_by("code")]
    sites = list(KeySite.objects.order_by("code").values_list("pk", "code", "lon", "lat", "radius_m"))
    return SimpleNamespace(zones=zones, key_sites=sites)
