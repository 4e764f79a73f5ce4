"""Replacing and recalling units over HTTP, for every persona."""
import pytest

from dispatch.models import Assignment
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db
COMMAND = ("administrator", "dispatcher")


@pytest.fixture
def job(platform, officer_unit):
    incident = f.IncidentFactory(zone=f.ZoneFactory(platform=platform), status="dispatched")
    officer_unit.status = "dispatched"
    officer_unit.save()
    return f.AssignmentFactory(incident=incident, unit=officer_unit)


@pytest.fixture
def spare(platform):
    return f.UnitFactory(platform=platform, call_sign="人广02")


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, code=201)))
def test_reassign(as_, job, spare, persona, code):
    response = as_(persona).post(f"/api/v1/assignments/{job.pk}/reassign", {"unit": spare.pk, "reason": "车辆故障"},
                                 format="json")
    assert response.status_code == code
    assert dict(Assignment.objects.values_list("unit__call_sign", "status")) == (
        {"人广01": "cancelled", "人广02": "assigned"} if code == 201 else {"人广01": "assigned"})


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND)))
def test_recall(as_, job, persona, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = as_(persona).post(f"/api/v1/assignments/{job.pk}/recall", {"reason": "另有任务"}, format="json")
    assert response.status_code == code
    assert Assignment.objects.get().status == ("cancelled" if code == 200 else "assigned")


def test_a_taken_unit_is_a_409_and_the_first_stays(as_, job, spare):
    spare.status = "unavailable"
    spare.save()
    response = as_("dispatcher").post(f"/api/v1/assignments/{job.pk}/reassign", {"unit": spare.pk, "reason": "换车"},
                                      format="json")
    assert response.status_code == 409
    assert list(Assignment.objects.values_list("status", flat=True)) == ["assigned"]
