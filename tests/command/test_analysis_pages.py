"""The review pages (command/analysis_views.py): who may open them, what they show, the nav links."""
from datetime import timedelta

import pytest
from django.utils import timezone

from analysis import briefing_runs, rollups
from analysis.models import Briefing
from analysis.scopes import city_scope
from tests.analysis.history import WEEK, hand_built_history
from tests.command.logins import login

pytestmark = pytest.mark.django_db

READERS = {"dispatcher", "supervisor", "leadership", "administrator"}
PERSONAS = ("dispatcher", "supervisor", "leadership", "administrator", "officer", "clerk", "outsider")


@pytest.fixture
def world(platform):
    city = hand_built_history(platform)
    rollups.rollups_build_all()
    incident = city.incident(timezone.now() - timedelta(hours=1), zone=city.centre, category="criminal", response_s=90)
    briefing = Briefing.objects.create(kind="weekly", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                                       status="done", figures={})
    return {"incident": incident, "briefing": briefing}


def pages(world):
    return ["/analysis/search/", f"/analysis/incidents/{world['incident'].pk}/", "/analysis/tracks/",
            "/analysis/briefings/", "/analysis/hotspots/"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_review_pages(client, request, world, persona):
    login(client, request.getfixturevalue(persona))
    expected = 200 if persona in READERS else 403
    assert {path: client.get(path).status_code for path in pages(world)} == {path: expected for path in pages(world)}


def test_leadership_lands_on_the_briefings_and_sees_the_review_links_only(client, leadership):
    login(client, leadership)
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/analysis/briefings/", 302)]
    nav = html[html.index('class="topnav"'):html.index("</nav>")]
    assert [href.split('"')[0] for href in nav.split('href="')[1:]] == [
        "/analysis/search/", "/analysis/briefings/", "/analysis/hotspots/"]
    assert 'id="briefing-form"' not in html  # reads briefings, runs none


def test_a_dispatcher_may_run_a_briefing_and_sees_the_form(client, dispatcher, world):
    login(client, dispatcher)
    html = client.get("/analysis/briefings/").content.decode()
    assert 'id="briefing-form"' in html and "/analysis/search/" in html


def test_the_trace_page_shows_the_call_and_its_clocks(client, dispatcher, world):
    login(client, dispatcher)
    html = client.get(f"/analysis/incidents/{world['incident'].pk}/", headers={"accept-language": "en"}).content.decode()
    assert world["incident"].number in html
    assert 'id="trace-data"' in html and "Ordered → on scene" in html


def test_a_briefing_page_lists_the_classes_in_order_and_the_calls_found_on_patrol_beside(client, dispatcher, world,
                                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        made = briefing_runs.briefing_request(actor=None, kind="weekly", start=WEEK[0], end=None, scope=city_scope())
    briefing_runs.briefing_make(briefing_id=made.pk)
    login(client, dispatcher)
    html = client.get(f"/analysis/briefings/{made.pk}/", headers={"accept-language": "en"}).content.decode()
    table = html[html.index('id="response-table"'):html.index("</table>", html.index('id="response-table"'))]
    rows = [row.split("</th>")[0] for row in table.split('<th scope="row">')[1:]]
    assert rows == ["Key sites (60 s)", "City centre (180 s)", "Other areas (300 s)", "Overall"]
    assert 'id="response-on-view" data-count="0"' in html and "Beside them: 0 incidents found on patrol" in html
    categories = html[html.index('id="by-category"'):html.index("</table>", html.index('id="by-category"'))]
    assert '<th scope="row">Criminal</th>' in categories
    traffic = html[html.index('id="traffic-work"'):html.index("</table>", html.index('id="traffic-work"'))]
    rows = [row.split("</th>")[0] for row in traffic.split('<th scope="row">')[1:]]
    assert rows == ["Violations", "Drink-driving checks", "Drink-driving found", "Drunk driving found",
                    "Vehicles impounded", "Help given", "People helped"]   # in the reader's language
