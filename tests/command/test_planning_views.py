"""The deployment planning page (/supervisor/planning/): who may open it, what it is rendered with
(the day's bands, the districts in scope, the map's data, the script's words, the recent plans)."""
import json
from datetime import date

import pytest

from planning.models import DeploymentPlan, Stand
from tests import factories as f

pytestmark = pytest.mark.django_db
PAGE = "/supervisor/planning/"


@pytest.mark.parametrize(("persona", "status"), [("administrator", 200), ("supervisor", 200), ("dispatcher", 403),
                                                 ("officer", 403), ("clerk", 403), ("outsider", 403)])
def test_who_may_open_it(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(PAGE)
    assert (response.status_code, response.url) == (302, f"/login/?next={PAGE}")


def test_it_lists_the_days_bands_its_districts_and_its_map(client, supervisor, platform, other_platform):
    Stand.objects.create(platform=platform, code="S0101", name="人民广场停靠点", lon=121.4737, lat=31.2304)
    Stand.objects.create(platform=other_platform, code="S0201", name="外滩停靠点", lon=121.4861, lat=31.2406)
    f.ZoneFactory(platform=platform, code="Z01")
    client.force_login(supervisor)
    response = client.get(PAGE, {"date": "2026-11-24"}, HTTP_ACCEPT_LANGUAGE="en")
    context = response.context
    assert (context["day"], [b["label"] for b in context["bands"]]) == (date(2026, 11, 24), [
        "00:00–07:00 Night: communities and reserve", "07:00–09:00 Peak: fixed posts", "09:00–17:00 Off-peak: patrol routes",
        "17:00–19:00 Peak: fixed posts", "19:00–22:00 Off-peak: patrol routes", "22:00–00:00 Night: communities and reserve"])
    assert all(b["over"] for b in context["bands"])  # a day gone by: nothing to plan
    assert (context["districts"], context["city_wide"]) == ([{"id": platform.district_id, "name": platform.district.name}], False)
    data = json.loads(response.content.decode().split('id="planning-map-data" type="application/json">')[1].split("</script>")[0])
    assert ([p["code"] for p in data["platforms"]], [s["code"] for s in data["stands"]], [z["code"] for z in data["zones"]]) == (
        ["P01"], ["S0101"], ["Z01"])
    assert context["words"]["class"] == {"60": "Key sites (60 s)", "180": "City centre (180 s)", "300": "Other (300 s)",
                                         "overall": "Overall"}


def test_it_lists_the_plans_in_scope(client, supervisor, platform, other_platform):
    from django.utils import timezone

    mine = DeploymentPlan.objects.create(starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=2),
                                         mode="posts")
    mine.platforms.set([platform])
    theirs = DeploymentPlan.objects.create(starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=2),
                                           mode="posts")
    theirs.platforms.set([other_platform])
    client.force_login(supervisor)
    assert [plan["id"] for plan in client.get(PAGE).context["plans"]] == [mine.pk]
