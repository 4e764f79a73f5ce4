"""The supervisor's what-if page: who may open it, its form's scope and checks, and a run that puts
the changed day beside the day as rostered (on the demo city)."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from command.simulation.whatif import chart
from platforms.models import Platform, Squad
from tests.command.logins import login

URL = reverse("supervisor-what-if")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def demo_login(username: str):
    """The demo city's own logins (seed_demo): the standing personas' names are taken by them here."""
    return get_user_model().objects.get(username=username)


@pytest.fixture
def administrator():
    return demo_login("admin")


@pytest.mark.parametrize("username, status", [("dispatcher", 403), ("officer", 403), ("clerk", 403),
                                              ("supervisor", 200), ("district_supervisor", 200), ("admin", 200)])
def test_only_supervisors_and_administrators_open_it(client, username, status):
    login(client, demo_login(username))
    assert client.get(URL).status_code == status


def test_a_supervisor_picks_only_their_own_platforms_and_squads(client):
    login(client, demo_login("supervisor"))   # People's Square (P01)
    form = client.get(URL).context["form"]
    p01 = Platform.objects.get(code="P01")
    assert list(form.fields["platform"].queryset) == [p01]
    assert set(form.fields["squad"].queryset) == set(Squad.objects.filter(platform=p01))
    assert len(form.fields["squad"].queryset) == 5


def test_a_moved_platform_needs_a_place_inside_the_served_area(client, administrator):
    login(client, administrator)
    p01 = Platform.objects.get(code="P01")
    response = client.get(URL, {"run": 1, "platform": p01.pk, "rate_factor": 1, "hours": 6, "seed": 1},
                          headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Give the longitude and latitude the platform moves to."]
    response = client.get(URL, {"run": 1, "platform": p01.pk, "lon": 100.0, "lat": 20.0, "rate_factor": 1, "hours": 6,
                                "seed": 1}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["The new position is outside the served area."]
    assert client.get(URL, {"run": 1, "rate_factor": 9, "hours": 6, "seed": 1}).status_code == 400


def test_a_doubled_call_rate_is_shown_beside_the_day_as_rostered(client, administrator):
    login(client, administrator)
    response = client.get(URL, {"run": 1, "rate_factor": 2, "hours": 6, "seed": 2}, headers={"accept-language": "en"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["what_if"]["calls"] > result["baseline"]["calls"]
    assert [row["label"] for row in result["chart"]] == ["Key sites (60 s)", "City centre (180 s)", "Other (300 s)",
                                                          "Overall"]
    overall = result["chart"][-1]
    assert overall["baseline"] == round(result["baseline"]["within_target"]["overall"] * 100, 1)
    assert b"<svg" in response.content
    for side in ("baseline", "what_if"):
        assert 0 <= result[side]["late_out_of_every_crews_reach"] <= result[side]["late"]
    row = (f'<th scope="row">Late though every crew on duty was too far, were all free</th>'
           f'<td class="num">{result["baseline"]["late_out_of_every_crews_reach"]}</td>'
           f'<td class="num">{result["what_if"]["late_out_of_every_crews_reach"]}</td>')
    assert row in response.content.decode()


def test_the_chart_scales_percentages_to_its_width():
    [bar] = chart([{"label": "x", "baseline": 50.0, "what_if": None}])["bars"]
    assert (bar["baseline_w"], bar["what_if_w"], bar["baseline_x"]) == (200.0, 0.0, 375.0)


def test_the_what_if_page_is_in_the_supervisors_navigation(client, administrator):
    login(client, administrator)
    page = client.get(reverse("supervisor"), headers={"accept-language": "en"}).content.decode()
    assert f'href="{URL}"' in page
