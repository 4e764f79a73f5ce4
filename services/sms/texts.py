"""The messages' texts, one template per purpose, in the citizen's language (the gettext catalogue
holds the Chinese). Texts stay short: a Chinese SMS part holds 70 characters (67 when split)."""
from django.utils.translation import gettext as _
from django.utils.translation import override

LANGUAGES = ("zh-hans", "en")


def language_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "zh-hans"


def render(purpose: str, language: str, **context) -> str:
    with override(language_of(language)):
        return TEMPLATES[purpose](context)


def _code(c) -> str:
    return _("Your booking code is %(code)s, valid for %(minutes)d minutes. Do not share it.") % c


def _booking(c) -> str:
    return _("Booked: %(service)s at %(platform)s, %(when)s, ref %(reference)s. Bring: %(documents)s. "
             "Cancel or change: %(link)s") % c


def _booking_cancelled(c) -> str:
    return _("Your booking %(reference)s (%(when)s) is cancelled.") % c


def _survey(c) -> str:
    return _("Police 110: your call of %(date)s was handled. How did we do? %(link)s "
             "Reply TD to stop these messages.") % c


TEMPLATES = {"code": _code, "booking": _booking, "booking_cancelled": _booking_cancelled, "survey": _survey}
