"""Celery tasks of the services desk: thin, keyed by id, safe to run twice (acks late)."""
from celery import shared_task
from django.conf import settings

from services import catalogue, desk, surveys
from services.sms import gateway
from services.sms.backends import SmsTransient


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def sms_send_task(self, message_id: int) -> None:
    """Retries a gateway that is down or busy with exponential backoff (5 s, 10 s, ... at most 10
    minutes apart), then gives the message up as failed."""
    try:
        gateway.sms_deliver(message_id=message_id)
    except SmsTransient as error:
        if self.request.retries >= settings.SMS_MAX_RETRIES:
            gateway.sms_give_up(message_id=message_id, error=str(error))
            return
        raise self.retry(exc=error, countdown=min(600, 5 * 2 ** self.request.retries)) from error


@shared_task(acks_late=True, ignore_result=True)
def survey_sweep_task() -> dict:
    return surveys.survey_sweep()


@shared_task(acks_late=True, ignore_result=True)
def desk_sweep_task() -> dict:
    return desk.desk_sweep()


@shared_task(acks_late=True, ignore_result=True)
def slots_ahead_task() -> int:
    return catalogue.slots_ahead()
