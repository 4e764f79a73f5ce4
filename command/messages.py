"""Point-to-point messages between the command centre and a unit's tablet (点对点指挥调度): kept as rows so
a tablet that was offline finds them in its snapshot; sent over the unit's socket after commit. The
crew answers a message with a reply, which the consoles hear and which raises an officer-message alert
(a reply is the crew asking for the command centre's attention)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from command.models import UnitMessage
from dispatch.models import AlertKind
from dispatch.services import alert_raise
from platforms.events import CITY, publish, unit_group

ALERT_TEXT_MAX = 300  # dispatch.models.Alert.message


def message_payload(message: UnitMessage) -> dict:
    return {"id": message.pk, "unit": message.unit_id, "text": message.text, "sent_at": message.sent_at.isoformat(),
            "read_at": message.read_at.isoformat() if message.read_at else None,
            "sender": message.sender.get_username() if message.sender else None,
            "from_unit": message.from_unit, "reply_to": message.reply_to_id}


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    if len(text) > 500:
        raise ValidationError({"text": _("Keep the message to 500 characters.")})
    return text


@transaction.atomic
def message_send(*, sender, unit, text: str) -> UnitMessage:
    message = UnitMessage.objects.create(unit=unit, sender=sender, text=_text(text))
    publish("unit.message", message_payload(message), [unit_group(unit.pk), CITY])
    return message


@transaction.atomic
def message_read(*, message: UnitMessage) -> UnitMessage:
    """Mark read once (the first reading counts); the command centre hears of it."""
    claimed = UnitMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    message.refresh_from_db()
    if claimed:
        publish("unit.message_read", message_payload(message), [unit_group(message.unit_id), CITY])
    return message


@transaction.atomic
def message_reply(*, actor, message: UnitMessage, text: str) -> UnitMessage:
    """The crew's answer to a message from the command centre (which it marks read): on the console and
    an officer-message alert on the unit's platform's consoles."""
    text = _text(text)
    if message.from_unit:
        raise ValidationError({"message": _("Reply to a message from the command centre.")})
    message_read(message=message)
    reply = UnitMessage.objects.create(unit_id=message.unit_id, sender=actor, text=text, from_unit=True,
                                       reply_to=message)
    publish("unit.message", message_payload(reply), [unit_group(message.unit_id), CITY])
    alert = _("%(unit)s replies: %(text)s") % {"unit": message.unit.call_sign, "text": text}
    alert_raise(kind=AlertKind.OFFICER_MESSAGE, unit=message.unit, message=_shortened(alert, ALERT_TEXT_MAX))
    return reply


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def messages_of(unit_id: int, *, limit: int = 20) -> list[dict]:
    """The unit's conversation with the command centre, newest first (both ways)."""
    rows = UnitMessage.objects.filter(unit_id=unit_id).select_related("sender")[:limit]
    return [message_payload(m) for m in rows]
