"""Replacing a unit on a job (改派) and recalling one: the released unit is free again with the reason
on the timeline; a taken replacement leaves the first where it was."""
import pytest
from django.core.exceptions import ValidationError

from dispatch import unit_control
from dispatch.models import Assignment, Incident
from dispatch.services import AssignmentConflict
from platforms.models import Unit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(platform):
    zone = f.ZoneFactory(platform=platform)
    incident = f.IncidentFactory(zone=zone, status="dispatched")
    first = f.UnitFactory(platform=platform, call_sign="人广01", status="dispatched")
    return f.AssignmentFactory(incident=incident, unit=first)


@pytest.fixture
def spare(platform):
    return f.UnitFactory(platform=platform, call_sign="人广02")


def timeline(incident) -> list[tuple]:
    return list(incident.events.values_list("kind", "unit__call_sign"))


class TestReassign:
    def test_the_first_is_released_and_the_new_one_sent(self, job, spare, dispatcher):
        made = unit_control.assignment_reassign(actor=dispatcher, assignment=job, unit=spare, reason="人广01车辆故障")
        job.refresh_from_db()
        assert (job.status, made.unit, made.status) == ("cancelled", spare, "assigned")
        assert dict(Unit.objects.values_list("call_sign", "status")) == {"人广01": "available", "人广02": "dispatched"}
        assert timeline(job.incident) == [("reassigned", "人广01"), ("assigned", "人广02")]
        assert job.incident.events.first().data == {"assignment": job.pk, "reason": "人广01车辆故障", "to_unit": spare.pk}

    def test_a_taken_replacement_leaves_the_first_on_the_job(self, job, spare, dispatcher):
        Unit.objects.filter(pk=spare.pk).update(status="unavailable")
        with pytest.raises(AssignmentConflict):
            unit_control.assignment_reassign(actor=dispatcher, assignment=job, unit=spare, reason="换车")
        job.refresh_from_db()
        assert (job.status, Unit.objects.get(pk=job.unit_id).status, job.incident.events.count()) == (
            "assigned", "dispatched", 0)

    @pytest.mark.parametrize(("reason", "same", "errors"), [
        ("", False, {"reason": ["Give the reason."]}),
        ("换车", True, {"unit": ["Choose another unit than the one on the job."]}),
    ])
    def test_refused(self, job, spare, dispatcher, reason, same, errors):
        with pytest.raises(ValidationError) as refused:
            unit_control.assignment_reassign(actor=dispatcher, assignment=job, unit=job.unit if same else spare, reason=reason)
        assert refused.value.message_dict == errors
        assert Assignment.objects.count() == 1

    def test_a_unit_on_scene_is_not_released(self, job, spare, dispatcher):
        Assignment.objects.filter(pk=job.pk).update(status="on_scene")
        with pytest.raises(ValidationError) as refused:
            unit_control.assignment_reassign(actor=dispatcher, assignment=job, unit=spare, reason="换车")
        assert refused.value.code == "invalid_transition"


class TestRecall:
    def test_the_unit_is_free_and_the_incident_waits_again(self, job, dispatcher, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks():
            unit_control.assignment_recall(actor=dispatcher, assignment=job, reason="另有紧急任务")
        job.refresh_from_db()
        assert (job.status, job.unit.status, Incident.objects.get().status) == ("cancelled", "available", "waiting")
        assert job.incident.events.get().data == {"assignment": job.pk, "reason": "另有紧急任务"}

    def test_a_backup_recalled_leaves_the_incident_dispatched(self, job, spare, dispatcher):
        Unit.objects.filter(pk=spare.pk).update(status="dispatched")
        backup = f.AssignmentFactory(incident=job.incident, unit=spare)
        unit_control.assignment_recall(actor=dispatcher, assignment=backup, reason="警力已足够")
        assert Incident.objects.get().status == "dispatched"
