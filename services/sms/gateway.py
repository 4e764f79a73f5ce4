"""The one way a message leaves (`sms_queue`: validate, store, send after commit through Celery), what the
task does with it (`sms_deliver`), and what comes back (`receipt_record`, `reply_received`)."""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import OptOut, SmsMessage, SmsPurpose, SmsReceipt, SmsStatus
from services.phones import normalize_mobile
from services.sms.backends import SmsRejected, backend

DELIVERED_STATES = {"DELIVRD"}
FAILED_STATES = {"UNDELIV", "REJECTD", "EXPIRED", "DELETED", "UNKNOWN"}
OPT_OUT_WORDS = {"TD", "T", "STOP", "UNSUBSCRIBE", "退订", "取消"}


def _lock_number(phone: str) -> None:
    """Serialises the messages to one number for the rest of the transaction, so two requests at once
    cannot both pass the per-number limit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sms:{phone}"])


def sent_recently(phone: str) -> int:
    return SmsMessage.objects.filter(phone=phone, created_at__gte=timezone.now() - timedelta(hours=1)).count()


@transaction.atomic
def sms_queue(*, phone: str, purpose: str, body: str, language: str = "zh-hans", survey=None,
              appointment=None) -> SmsMessage:
    """Store the message and send it after commit. Refused (code "throttled") past
    SMS_PER_NUMBER_PER_HOUR messages to the number in the last hour."""
    if purpose not in SmsPurpose.values:
        raise ValueError(f"unknown SMS purpose {purpose!r}")
    _lock_number(phone)
    if sent_recently(phone) >= settings.SMS_PER_NUMBER_PER_HOUR:
        raise ValidationError(_("Too many messages to this number in the last hour: please try again later."),
                              code="throttled")
    message = SmsMessage.objects.create(phone=phone, purpose=purpose, body=body, language=language, survey=survey,
                                        appointment=appointment, backend=settings.SMS_BACKEND)
    transaction.on_commit(lambda: _send_later(message.pk))
    return message


def _send_later(message_id: int) -> None:
    from services.tasks import sms_send_task

    sms_send_task.delay(message_id)


def sms_deliver(*, message_id: int) -> SmsMessage | None:
    """Hand the message to the backend. Claimed by a conditional UPDATE (queued → sent is ours alone),
    the gateway called outside any transaction: it may take seconds, and a row lock held meanwhile
    would stall whoever reads the message. SmsTransient propagates for the task to retry."""
    message = SmsMessage.objects.filter(pk=message_id, status=SmsStatus.QUEUED).first()
    if message is None:
        return None  # sent already (a redelivered task) or given up
    SmsMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    try:
        sent = backend().send(phone=message.phone, text=message.body, reference=str(message.pk))
    except SmsRejected as error:
        SmsMessage.objects.filter(pk=message_id).update(status=SmsStatus.FAILED, error=str(error)[:300])
        return None
    except Exception as error:
        SmsMessage.objects.filter(pk=message_id).update(error=str(error)[:300])
        raise
    changes = {"status": SmsStatus.SENT, "sent_at": timezone.now(), "parts": sent.parts, "smsc_ids": sent.ids,
               "error": "", "backend": backend().name}
    if message.purpose == SmsPurpose.CODE:
        changes["body"] = "".join("●" if ch.isdigit() else ch for ch in message.body)  # no usable code kept
    SmsMessage.objects.filter(pk=message_id, status=SmsStatus.QUEUED).update(**changes)
    return message


def sms_give_up(*, message_id: int, error: str) -> None:
    SmsMessage.objects.filter(pk=message_id, status=SmsStatus.QUEUED).update(status=SmsStatus.FAILED,
                                                                             error=error[:300])


def receipt_record(*, smsc_id: str, stat: str, err: str = "", text: str = "") -> SmsReceipt:
    """Store a delivery receipt against the message one of whose parts carries the id."""
    message = SmsMessage.objects.filter(smsc_ids__contains=[smsc_id]).first() if smsc_id else None
    receipt = SmsReceipt.objects.create(message=message, smsc_id=smsc_id, stat=stat, err=err, text=text)
    if message is not None and stat in DELIVERED_STATES:
        SmsMessage.objects.filter(pk=message.pk).update(status=SmsStatus.DELIVERED, delivered_at=receipt.received_at)
    elif message is not None and stat in FAILED_STATES:
        SmsMessage.objects.filter(pk=message.pk).exclude(status=SmsStatus.DELIVERED).update(status=SmsStatus.UNDELIVERED)
    return receipt


def reply_received(*, phone: str, text: str) -> OptOut | None:
    """A citizen's own message to our number: "TD" (退订) and its kin opt the number out of surveys."""
    if text.strip().upper() not in OPT_OUT_WORDS:
        return None
    try:
        number = normalize_mobile(phone[2:] if phone.startswith("86") and len(phone) == 13 else phone)
    except ValidationError:
        return None
    return OptOut.objects.get_or_create(phone=number, defaults={"source": "sms"})[0]
