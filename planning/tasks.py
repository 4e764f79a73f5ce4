"""Celery tasks of deployment planning: thin, keyed by id, safe to run twice (acks late).

- `plan_run_task`: a requested plan computed (queued on commit by `services.plan_request`);
- `planned_moves_task` (beat, every 10 s): accepted plans' platform moves that are due;
- `move_up_task` (beat, every second): live move-up and the compliance of ordered moves."""
from celery import shared_task

from planning import moveup_live, services


@shared_task(name="planning.tasks.plan_run_task", acks_late=True, ignore_result=True)
def plan_run_task(plan_id: int) -> None:
    services.plan_run(plan_id=plan_id)


@shared_task(name="planning.tasks.planned_moves_task", acks_late=True, ignore_result=True)
def planned_moves_task() -> int:
    return services.planned_moves_due()


@shared_task(name="planning.tasks.move_up_task", acks_late=True, ignore_result=True)
def move_up_task() -> dict:
    return moveup_live.tick()
