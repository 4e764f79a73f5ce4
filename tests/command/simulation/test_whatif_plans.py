"""The what-if page judges a deployment plan (or the planner's plan for every band) against today's
placement on the same seed, and offers only the plans in the supervisor's scope."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from planning.models import DeploymentPlan
from platforms.models import Platform
from tests.command.logins import login

URL = reverse("supervisor-what-if")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture(autouse=True)
def _steady_geometry(monkeypatch):
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)


def plan_of(codes, status="ready") -> DeploymentPlan:
    plan = DeploymentPlan.objects.create(starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=1),
                                         mode="routes", status=status, result={"platforms": []})
    plan.platforms.set(Platform.objects.filter(code__in=codes))
    return plan


def test_a_supervisor_is_offered_the_computed_plans_of_their_own_platforms():
    mine, theirs, _queued = plan_of(["P01"]), plan_of(["P02"]), plan_of(["P01"], status="queued")
    client = login_as("supervisor")
    assert list(client.get(URL).context["form"].fields["plan"].queryset) == [mine]
    assert theirs not in client.get(URL).context["form"].fields["plan"].queryset


def test_the_planners_placement_is_judged_beside_todays_on_the_same_calls():
    client = login_as("admin")
    response = client.get(URL, {"run": 1, "rate_factor": 1, "hours": 6, "seed": 1, "placement": "planned"},
                          headers={"accept-language": "en"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["what_if"]["calls"] == result["baseline"]["calls"] > 0
    assert [row["label"] for row in result["chart"]][-1] == "Overall"


def login_as(username: str):
    from django.test import Client

    client = Client()
    login(client, get_user_model().objects.get(username=username))
    return client
