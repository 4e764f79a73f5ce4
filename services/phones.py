"""Citizens' phone numbers: read as typed, kept in one form, shown masked (138****8000) everywhere
except where a clerk must dial."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"1[3-9]\d{9}")
SEPARATORS = re.compile(r"[\s\-()]")


def normalize_mobile(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number as 11 digits (a +86 / 0086 prefix dropped), or a ValidationError that
    says what a number should look like: SMS reach only mobiles."""
    digits = SEPARATORS.sub("", str(value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if not MOBILE.fullmatch(digits):
        raise ValidationError({field: _("Enter a mobile phone number: 11 digits starting with 1, e.g. 13800138000.")},
                              code="invalid_phone")
    return digits


def mask(phone: str) -> str:
    """138****8000: enough to recognise, not enough to dial."""
    digits = SEPARATORS.sub("", phone or "")
    if len(digits) >= 7:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    return "*" * max(0, len(digits) - 2) + digits[-2:]
