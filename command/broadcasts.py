"""Broadcasts (通报) from the command centre to every unit of a platform or to all units: rows, so a
tablet that was offline or comes on duty later finds the recent ones in its snapshot, and each unit's
read mark. Tablets hear a new one on the groups their sockets join for it (command.live.scope)."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from command.models import Broadcast, BroadcastRead
from platforms.events import CITY, platform_groups, publish, unit_group
from platforms.models import Unit

SHOWN_FOR = timedelta(hours=24)  # a broadcast older than this is no longer news on a tablet
SHOWN_AT_MOST = 20
ALL_TABLETS = "tablets.all"


def tablets_of_platform(platform_id: int) -> str:
    return f"tablets.platform.{platform_id}"


def broadcast_payload(broadcast: Broadcast, *, read_at=None) -> dict:
    return {"id": broadcast.pk, "platform": broadcast.platform_id, "text": broadcast.text,
            "sent_at": broadcast.sent_at.isoformat(),
            "sender": broadcast.sender.get_username() if broadcast.sender else None,
            "read_at": read_at.isoformat() if read_at else None}


@transaction.atomic
def broadcast_send(*, sender, text: str, platform=None) -> Broadcast:
    """To every unit of `platform`, or to all units when it is None."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    if len(text) > 500:
        raise ValidationError({"text": _("Keep the message to 500 characters.")})
    broadcast = Broadcast.objects.create(sender=sender, platform=platform, text=text)
    tablets = tablets_of_platform(platform.pk) if platform else ALL_TABLETS
    consoles = platform_groups([platform.pk]) if platform else [CITY]
    publish("broadcast.sent", broadcast_payload(broadcast), [tablets, *consoles])
    return broadcast


@transaction.atomic
def broadcast_read(*, actor, broadcast: Broadcast, unit: Unit) -> BroadcastRead:
    """The unit's crew read it; the first reading counts, and the command centre hears of it."""
    if broadcast.platform_id not in (None, unit.platform_id):
        raise ValidationError({"broadcast": _("This broadcast was not sent to your unit.")})
    try:
        with transaction.atomic():
            read = BroadcastRead.objects.create(broadcast=broadcast, unit=unit, read_by=actor)
    except IntegrityError:  # read already, perhaps a moment ago on the crew's other tablet
        return BroadcastRead.objects.get(broadcast=broadcast, unit=unit)
    data = {**broadcast_payload(broadcast, read_at=read.read_at), "unit": unit.pk}
    publish("broadcast.read", data, [unit_group(unit.pk), CITY])
    return read


def broadcasts_reaching(unit: Unit):
    """The recent broadcasts a unit's tablet shows: its platform's and the all-units ones, newest first."""
    since = timezone.now() - SHOWN_FOR
    return (Broadcast.objects.filter(Q(platform__isnull=True) | Q(platform_id=unit.platform_id), sent_at__gte=since)
            .select_related("sender")[:SHOWN_AT_MOST])


def broadcasts_of(unit: Unit) -> list[dict]:
    """What the tablet's snapshot carries: the broadcasts reaching the unit, each with its read mark."""
    rows = list(broadcasts_reaching(unit))
    read = dict(BroadcastRead.objects.filter(unit=unit, broadcast__in=rows).values_list("broadcast_id", "read_at"))
    return [broadcast_payload(row, read_at=read.get(row.pk)) for row in rows]


def broadcasts_sent(platform_ids) -> list[dict]:
    """What a console lists: every recent broadcast for the command centre (platform_ids None), the
    all-units ones and their own platforms' for a supervisor, with how many units have read each."""
    since = timezone.now() - SHOWN_FOR
    rows = (Broadcast.objects.filter(sent_at__gte=since).select_related("sender").annotate(units_read=Count("reads"))
            .order_by("-sent_at", "-id"))  # a grouped query leaves Meta.ordering out
    if platform_ids is not None:
        rows = rows.filter(Q(platform__isnull=True) | Q(platform_id__in=platform_ids))
    return [{**broadcast_payload(row), "units_read": row.units_read} for row in rows[:SHOWN_AT_MOST]]
