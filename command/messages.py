"""Point-to-point messages from the command centre to a unit's tablet (点对点指挥调度): kept as rows so
a tablet that was offline finds them in its snapshot; sent over the unit's socket after commit."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from command.models import UnitMessage
from platforms.events import CITY, publish, unit_group


def message_payload(message: UnitMessage) -> dict:
    return {"id": message.pk, "unit": message.unit_id, "text": message.text, "sent_at": message.sent_at.isoformat(),
            "read_at": message.read_at.isoformat() if message.read_at else None,
            "sender": message.sender.get_username() if message.sender else None}


@transaction.atomic
def message_send(*, sender, unit, text: str) -> UnitMessage:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    message = UnitMessage.objects.create(unit=unit, sender=sender, text=text[:500])
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


def messages_of(unit_id: int, *, limit: int = 20) -> list[dict]:
    return [message_payload(m) for m in UnitMessage.objects.filter(unit_id=unit_id).select_related("sender")[:limit]]
