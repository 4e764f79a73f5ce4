"""The analysis API's remaining reads for every persona (track playback, hot spots, a briefing, its CSV
and PDF, a hot-spot patrol): officers and clerks reach none of it, a platform's supervisor sees their
platform's only (another's is not found), leadership reads everything and every write of theirs is
refused with nothing changed."""
import pytest

from analysis import briefing_runs, rollups
from analysis.models import Briefing, HotSpotPatrol
from platforms.models import PatrolTask
from tests import factories as f
from tests.analysis.history import WEEK, hand_built_history, local
from tests.api_support import PERSONAS, readers

pytestmark = pytest.mark.django_db
READ = readers("administrator", "dispatcher", "supervisor", "leadership")


def _briefing(**scope) -> Briefing:
    briefing = Briefing.objects.create(kind="weekly", starts_on=WEEK[0], ends_on=WEEK[1], **scope)
    return briefing_runs.briefing_make(briefing_id=briefing.pk)


def _hot_spot_patrol(platform) -> HotSpotPatrol:
    point = f.PatrolPointFactory(platform=platform)
    return HotSpotPatrol.objects.create(cell="89309959d73ffff", platform=platform, point=point, starts_on=WEEK[0],
                                        ends_on=WEEK[1], bands=[[9, 17]])


@pytest.fixture
def world(platform, officer_unit):
    city = hand_built_history(platform)
    rollups.rollups_build_all()
    f.TrackPointFactory(unit=officer_unit, at=local(2026, 11, 16, 9, 10))
    return {"unit": officer_unit, "mine": _briefing(platform=platform), "city_wide": _briefing(),
            "patrol": _hot_spot_patrol(platform), "elsewhere": _hot_spot_patrol(city.other_platform)}


def urls(world) -> dict:
    """Each read, and whether it is the supervisor's own platform's (else another's, or the city's)."""
    mine, city_wide = world["mine"].pk, world["city_wide"].pk
    return {
        f"/api/v1/analysis/tracks?unit={world['unit'].pk}&since=2026-11-16T08:00&until=2026-11-16T12:00": True,
        "/api/v1/analysis/hotspots?start=2026-11-09&end=2026-11-22": True,
        f"/api/v1/analysis/briefings/{mine}": True, f"/api/v1/analysis/briefings/{mine}/incidents.csv": True,
        f"/api/v1/analysis/briefings/{mine}/briefing.pdf": True,
        f"/api/v1/analysis/briefings/{city_wide}": False, f"/api/v1/analysis/briefings/{city_wide}/incidents.csv": False,
        f"/api/v1/analysis/briefings/{city_wide}/briefing.pdf": False,
        f"/api/v1/analysis/hotspot-patrols/{world['patrol'].pk}": True,
        f"/api/v1/analysis/hotspot-patrols/{world['elsewhere'].pk}": False,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_tracks_hot_spots_briefings_and_patrols(as_, world, persona):
    client = as_(persona)
    expected = {url: 404 if persona == "supervisor" and not own else READ[persona] for url, own in urls(world).items()}
    assert {url: client.get(url).status_code for url in urls(world)} == expected


def test_the_csv_and_pdf_are_what_they_say(as_, world):
    client = as_("leadership")
    csv = client.get(f"/api/v1/analysis/briefings/{world['city_wide'].pk}/incidents.csv")
    pdf = client.get(f"/api/v1/analysis/briefings/{world['city_wide'].pk}/briefing.pdf")
    assert (csv["Content-Type"], pdf["Content-Type"]) == ("text/csv; charset=utf-8", "application/pdf")
    assert len(b"".join(csv.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1 + 6  # the week's 6 calls
    assert pdf.content.startswith(b"%PDF-")


def test_leadership_changes_nothing(as_, world, platform):
    """Every write leadership might try is refused, and nothing changes."""
    client, before = as_("leadership"), (Briefing.objects.count(), HotSpotPatrol.objects.count(), PatrolTask.objects.count())
    answers = [
        client.post("/api/v1/analysis/briefings", {"kind": "weekly", "start": "2026-11-16"}, format="json").status_code,
        client.post("/api/v1/analysis/hotspot-patrols", {"cell": "89309959d73ffff", "platform": platform.pk,
                                                         "starts_on": "2026-12-01", "ends_on": "2026-12-01",
                                                         "bands": [[9, 17]]}, format="json").status_code,
        client.delete(f"/api/v1/analysis/briefings/{world['mine'].pk}").status_code,
        client.put(f"/api/v1/analysis/briefings/{world['mine'].pk}", {"status": "queued"}, format="json").status_code,
        client.delete(f"/api/v1/analysis/hotspot-patrols/{world['patrol'].pk}").status_code,
    ]
    assert answers == [403, 403, 403, 403, 403]
    assert (Briefing.objects.count(), HotSpotPatrol.objects.count(), PatrolTask.objects.count()) == before
    assert Briefing.objects.get(pk=world["mine"].pk).status == "done"
