"""The public's pages, no login: booking at a platform's desk (a phone-sized page in Chinese or English),
a booking's own page (cancel, move) reached through the link in its SMS, the callback survey, and in
development the SMS inbox the browser tests read codes from. Rate-limited like the public API."""
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services import booking, selectors, surveys
from services.models import Rating, ServiceOffer
from services.sms.backends import dev_inbox
from services.throttles import allowed

STATUS_OF = {"not_found": 404, "expired": 410, "conflict": 409, "throttled": 429}


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _refused(request, error: ValidationError, back: str):
    status = STATUS_OF.get(getattr(error, "code", None), 400)
    return render(request, "services/refused.html", {"errors": error.messages, "back": back, "public": True},
                  status=status)


def _too_many(request, back: str):
    return render(request, "services/refused.html", {"public": True, "back": back, "errors": [
        _("Too many requests from here: please wait a while and try again.")]}, status=429)


def _days() -> list[date]:
    today = timezone.localdate()
    return [today + timedelta(days=n) for n in range(min(settings.BOOKING_DAYS_AHEAD, 7) + 1)]


def booking_context(query) -> dict:
    """The booking page's choices: platform → service (its documents) → day → the day's slots."""
    platforms = list(selectors.public_platforms())
    platform = next((p for p in platforms if p.pk == _int(query.get("platform"))), None)
    offers = list(selectors.offers_of(platform.pk)) if platform else []
    offer = next((o for o in offers if o.service_type_id == _int(query.get("service"))), None)
    day = next((d for d in _days() if d.isoformat() == query.get("day")), _days()[0])
    slots = selectors.free_slots(platform_id=platform.pk, service_type_id=offer.service_type_id, day=day) if offer else []
    english = (get_language() or "").startswith("en")
    return {"platforms": platforms, "platform": platform, "offers": offers, "offer": offer, "days": _days(), "day": day,
            "slots": slots, "documents": offer.service_type.document_list(english) if offer else [],
            "hours": selectors.hours_of_platform(platform.pk) if platform else [],
            "values": {key: query.get(key, "") for key in ("slot", "name", "phone", "code")},
            "idempotency_key": query.get("idempotency_key") or uuid.uuid4().hex}


@login_not_required
def booking_page(request):
    if request.method == "POST":
        return _booking_post(request)
    return render(request, "services/booking.html", booking_context(request.GET))


def _booking_post(request):
    back = reverse("book")
    if not allowed(request):
        return _too_many(request, back)
    post = request.POST
    context = booking_context(post)
    try:
        if post.get("action") == "code":
            sent = booking.code_request(phone=post.get("phone", ""), language=get_language())
            context["code_sent_to"] = sent.phone
            return render(request, "services/booking.html", context)
        appointment, _created = booking.booking_create(
            slot_id=_int(post.get("slot")), name=post.get("name", ""), phone=post.get("phone", ""),
            code=post.get("code", ""), language=get_language(), idempotency_key=post.get("idempotency_key"))
    except ValidationError as error:
        context["errors"] = error.messages
        status = STATUS_OF.get(getattr(error, "code", None), 400)
        return render(request, "services/booking.html", context, status=status)
    return redirect(f"{reverse('booking-manage', args=(appointment.manage_token,))}?booked=1")


@login_not_required
def booking_manage(request, token: str):
    if not allowed(request):
        return _too_many(request, request.path)
    appointment = selectors.booking_by_token(token)
    if appointment is None:
        raise Http404(_("No booking behind this link."))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                booking.booking_cancel(token=token)
            else:
                booking.booking_move(token=token, slot_id=_int(request.POST.get("slot")))
        except ValidationError as error:
            return _refused(request, error, request.path)
        return redirect(request.path)
    return render(request, "services/booking_manage.html", _manage_context(request, appointment))


def _manage_context(request, appointment) -> dict:
    day = next((d for d in _days() if d.isoformat() == request.GET.get("day")), timezone.localtime(appointment.starts_at).date())
    offer = get_object_or_404(ServiceOffer, platform=appointment.platform, service_type=appointment.service_type)
    english = (get_language() or "").startswith("en")
    return {"appointment": appointment, "offer": offer, "days": _days(), "day": day, "booked": "booked" in request.GET,
            "documents": appointment.service_type.document_list(english), "changeable":
            appointment.status == "booked" and appointment.starts_at > timezone.now(),
            "slots": selectors.free_slots(platform_id=appointment.platform_id,
                                          service_type_id=appointment.service_type_id, day=day)}


@login_not_required
def survey_page(request, token: str):
    back = request.path
    if not allowed(request):  # GETs too: guessing links costs the guesser's quota
        return _too_many(request, back)
    try:
        survey = surveys.survey_by_token(token)
    except ValidationError as error:
        return _refused(request, error, "")
    if request.method != "POST":
        return render(request, "services/survey.html", {"survey": selectors.survey_public(survey), "ratings": Rating.choices})
    post = request.POST
    try:
        surveys.survey_answer(token=token, speed=post.get("speed", ""), attitude=post.get("attitude", ""),
                              result=post.get("result", ""), comment=post.get("comment", ""),
                              opt_out=post.get("opt_out") == "on")
    except ValidationError as error:
        return render(request, "services/survey.html", {"survey": selectors.survey_public(survey), "ratings": Rating.choices,
                                                        "errors": error.messages, "values": post}, status=400)
    return render(request, "services/survey_thanks.html")


@login_not_required
def sms_inbox(request):
    """Development only (SMS_DEV_INBOX, never in production): the console backend's latest messages,
    for reading a one-time code without a phone."""
    if not settings.SMS_DEV_INBOX:
        raise Http404()
    return JsonResponse({"messages": dev_inbox(request.GET.get("phone") or None)})
