"""Photos officers attach to incidents (an on-view report's, or one taken on scene): checked by their
first bytes, stored on disk under a name of our own, and read only by those who may read the incident.

The type is read from the file's magic bytes, never from the client's header or the file name: a
browser names whatever it is given, and a file served back with the wrong type could run as a page.
"""
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from common.roles import COMMAND_CENTRE, Access, Role
from dispatch.events import incident_platforms, incident_groups
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, EventKind, Incident, IncidentPhoto
from dispatch.services import record
from platforms.events import publish, unit_group

MAX_PHOTO_BYTES = 5 * 1024 * 1024  # as the database's constraint on IncidentPhoto.size


@dataclass(frozen=True)
class PhotoType:
    content_type: str
    extension: str


JPEG, PNG, WEBP = PhotoType("image/jpeg", "jpg"), PhotoType("image/png", "png"), PhotoType("image/webp", "webp")


def photo_type(head: bytes) -> PhotoType | None:
    """JPEG, PNG or WebP by the file's first bytes; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def photo_check(upload) -> PhotoType:
    """The upload's type, or a ValidationError on `photo` saying what is wrong with it."""
    if upload.size == 0:
        raise ValidationError({"photo": _("The photo is empty.")})
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is %(size).1f MB: at most 5 MB, please.")
                               % {"size": upload.size / 1024 / 1024}})
    upload.seek(0)
    kind = photo_type(upload.read(12))
    upload.seek(0)
    if kind is None:
        raise ValidationError({"photo": _("Send a photo as JPEG, PNG or WebP.")})
    return kind


@transaction.atomic
def photo_attach(*, actor, incident: Incident, upload, unit=None) -> IncidentPhoto:
    """Store the photo with the incident and put it on the timeline; the consoles following the incident
    and the crews on it hear of it after commit."""
    kind = photo_check(upload)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    photo = IncidentPhoto(incident=incident, content_type=kind.content_type, size=upload.size, uploaded_by=actor)
    photo.file.save(f"{uuid.uuid4().hex}.{kind.extension}", upload, save=False)
    try:
        photo.save()
        record(incident, EventKind.PHOTO, actor=actor, unit=unit, data={"photo": photo.pk, "size": photo.size})
    except Exception:
        photo.file.delete(save=False)  # no row, no file: nothing on disk that no one can reach
        raise
    publish("incident.photo", photo_payload(photo), [*incident_groups(incident), *_crew_groups(incident)])
    return photo


def _crew_groups(incident: Incident) -> list[str]:
    units = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)
    return [unit_group(pk) for pk in units]


def photo_payload(photo: IncidentPhoto) -> dict:
    return {"id": photo.pk, "incident": photo.incident_id, "content_type": photo.content_type, "size": photo.size,
            "uploaded_by": photo.uploaded_by.get_username() if photo.uploaded_by else None,
            "uploaded_at": photo.uploaded_at.isoformat(), "url": reverse("photo-file", args=[photo.pk])}


def may_read_incident(user, incident: Incident) -> bool:
    """The command centre; the officers of a unit ever sent to it; the supervisors of its platform (its
    zone's, or one of whose units was sent: the consoles that hear of it)."""
    access = Access(user)
    if access.role in COMMAND_CENTRE:
        return True
    if access.role == Role.OFFICER:
        return access.officer is not None and incident.assignments.filter(unit__officers=access.officer).exists()
    if access.role == Role.SUPERVISOR:
        return bool(access.platform_ids and set(incident_platforms(incident)) & access.platform_ids)
    return False
