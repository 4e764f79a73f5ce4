"""Citizens' bookings from the public page: a one-time code by SMS proves the phone, then the booking
takes a place in its slot with a conditional UPDATE (two citizens for the last place: one wins); the
confirmation SMS carries the link to cancel or move it. Bad input changes nothing."""
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from services.catalogue import check_open
from services.models import (
    Appointment,
    AppointmentStatus,
    DeskEvent,
    DeskEventKind,
    PhoneCode,
    ServiceOffer,
    Slot,
    SmsPurpose,
)
from services.phones import normalize_mobile
from services.sms import texts
from services.sms.gateway import sms_queue


def _hash(phone: str, code: str) -> str:
    return salted_hmac("services.booking.code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def code_request(*, phone: str, language: str = "zh-hans") -> PhoneCode:
    """A six-digit code to the phone, valid BOOKING_CODE_TTL_S; refused past the per-number SMS limit."""
    phone = normalize_mobile(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        sent = PhoneCode.objects.create(phone=phone, code_hash=_hash(phone, code),
                                        expires_at=timezone.now() + timedelta(seconds=settings.BOOKING_CODE_TTL_S))
        body = texts.render("code", language, code=code, minutes=settings.BOOKING_CODE_TTL_S // 60)
        sms_queue(phone=phone, purpose=SmsPurpose.CODE, body=body, language=texts.language_of(language))
    return sent


def _code_matching(phone: str, code: str) -> PhoneCode:
    """The phone's latest code if `code` is it; a wrong try is counted (committed at once, whatever
    follows) and refused; an expired, used or over-tried code is refused."""
    latest = PhoneCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    if latest is None or latest.used_at is not None:
        raise ValidationError({"code": _("Request a code first: it is sent to your phone by SMS.")}, code="no_code")
    if latest.expires_at <= timezone.now():
        raise ValidationError({"code": _("This code has expired: request a new one.")}, code="expired")
    if latest.tries >= settings.BOOKING_CODE_TRIES:
        raise ValidationError({"code": _("Too many wrong codes: request a new one.")}, code="too_many_tries")
    if not hmac.compare_digest(latest.code_hash, _hash(phone, str(code or "").strip())):
        PhoneCode.objects.filter(pk=latest.pk).update(tries=F("tries") + 1)
        raise ValidationError({"code": _("The code is wrong: check the SMS and type it again.")}, code="wrong_code")
    return latest


def bookable_slot(slot_id) -> Slot:
    """The slot if a citizen may book it now: offered, in the future, in opening hours, not full."""
    slot = Slot.objects.select_related("platform", "service_type").filter(pk=slot_id).first()
    if slot is None or not ServiceOffer.objects.filter(platform_id=slot.platform_id,
                                                       service_type_id=slot.service_type_id).exists():
        raise ValidationError({"slot": _("No such time slot: choose one from the list.")}, code="no_slot")
    check_open(platform_id=slot.platform_id, starts_at=slot.starts_at, ends_at=slot.ends_at)
    if slot.booked >= slot.capacity:
        raise ValidationError(_("This time slot is full: choose another one."), code="conflict")
    return slot


def _take_place(slot: Slot) -> None:
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise ValidationError(_("This time slot is full: choose another one."), code="conflict")


def _release_place(slot_id) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def booking_create(*, slot_id, name: str, phone: str, code: str, language: str = "zh-hans",
                   idempotency_key: str | None = None) -> tuple[Appointment, bool]:
    """(appointment, created). The same idempotency key returns the first booking (a double submit)."""
    name, phone = (name or "").strip(), normalize_mobile(phone)
    if not name:
        raise ValidationError({"name": _("Write your name as on your ID card.")})
    if idempotency_key and (first := Appointment.objects.filter(idempotency_key=idempotency_key).first()):
        return first, False
    slot = bookable_slot(slot_id)
    phone_code = _code_matching(phone, code)
    try:
        return _book(slot, phone_code, name=name, phone=phone, language=texts.language_of(language),
                     idempotency_key=idempotency_key or None), True
    except (ValidationError, IntegrityError):
        # The twin of a double submit won the race for the code or the key: its booking is this one.
        if idempotency_key and (first := Appointment.objects.filter(idempotency_key=idempotency_key).first()):
            return first, False
        raise


@transaction.atomic
def _book(slot: Slot, phone_code: PhoneCode, **fields) -> Appointment:
    if not PhoneCode.objects.filter(pk=phone_code.pk, used_at=None).update(used_at=timezone.now()):
        raise ValidationError({"code": _("This code has been used already: request a new one.")}, code="used")
    _take_place(slot)  # refused: the code's use is rolled back with it, so it may book another slot
    appointment = Appointment.objects.create(service_type=slot.service_type, platform=slot.platform, slot=slot,
                                             starts_at=slot.starts_at, citizen_name=fields["name"],
                                             citizen_phone=fields["phone"], language=fields["language"],
                                             idempotency_key=fields["idempotency_key"])
    DeskEvent.objects.create(appointment=appointment, kind=DeskEventKind.BOOKED, data={"slot": slot.pk})
    _confirm(appointment)
    return appointment


def manage_link(appointment: Appointment) -> str:
    return f"{settings.PUBLIC_BASE_URL}/b/{appointment.manage_token}/"


def _when(appointment: Appointment) -> str:
    return f"{timezone.localtime(appointment.starts_at):%m-%d %H:%M}"


def _confirm(appointment: Appointment) -> None:
    english = appointment.language == "en"
    service = appointment.service_type
    context = {"service": local_name_in(service, english), "platform": local_name_in(appointment.platform, english),
               "when": _when(appointment), "reference": appointment.reference, "link": manage_link(appointment),
               "documents": "; ".join(service.document_list(english)) or "-"}
    sms_queue(phone=appointment.citizen_phone, purpose=SmsPurpose.BOOKING, appointment=appointment,
              body=texts.render("booking", appointment.language, **context), language=appointment.language)


def local_name_in(thing, english: bool) -> str:
    """The name in the message's language, whatever the language of the request that sends it."""
    return (getattr(thing, "name_en", "") or thing.name) if english else thing.name


NO_BOOKING = _("No booking behind this link.")


def _locked(token: str) -> Appointment:
    appointment = Appointment.objects.select_for_update().filter(manage_token=str(token or "").upper()).first()
    if appointment is None:
        raise ValidationError(NO_BOOKING, code="not_found")
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= timezone.now():
        raise ValidationError(_("This booking can no longer be changed (%(status)s).")
                              % {"status": appointment.get_status_display()}, code="conflict")
    return appointment


@transaction.atomic
def booking_cancel(*, token: str) -> Appointment:
    appointment = _locked(token)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    _release_place(appointment.slot_id)
    DeskEvent.objects.create(appointment=appointment, kind=DeskEventKind.CANCELLED, data={"by": "citizen"})
    body = texts.render("booking_cancelled", appointment.language, reference=appointment.reference,
                        when=_when(appointment))
    _notify_quietly(appointment, SmsPurpose.BOOKING_CANCELLED, body)
    return appointment


@transaction.atomic
def booking_move(*, token: str, slot_id) -> Appointment:
    """To another slot of the same platform and service; the old place is given back."""
    appointment = _locked(token)
    slot = bookable_slot(slot_id)
    if (slot.platform_id, slot.service_type_id) != (appointment.platform_id, appointment.service_type_id):
        raise ValidationError({"slot": _("Choose a time for the same service at the same platform.")})
    if slot.pk == appointment.slot_id:
        return appointment
    _take_place(slot)
    _release_place(appointment.slot_id)
    was = appointment.starts_at
    appointment.slot, appointment.starts_at = slot, slot.starts_at
    appointment.save(update_fields=["slot", "starts_at"])
    DeskEvent.objects.create(appointment=appointment, kind=DeskEventKind.MOVED,
                             data={"from": was.isoformat(), "to": slot.starts_at.isoformat()})
    _notify_quietly(appointment, None, None)
    return appointment


def _notify_quietly(appointment: Appointment, purpose, body) -> None:
    """A change's SMS is a courtesy: past the per-number limit the change still stands, unannounced."""
    try:
        with transaction.atomic():
            if purpose is None:
                _confirm(appointment)
            else:
                sms_queue(phone=appointment.citizen_phone, purpose=purpose, body=body, appointment=appointment,
                          language=appointment.language)
    except ValidationError:
        pass
