"""Dates and times as they enter: bounded to the years the data can hold, with real UTC offsets.

Year 1 or 9999 in a date overflowed when turned into a local day's start (OverflowError: a 500), a
+16:00 offset reached PostgreSQL and failed there, and a roster saved for 0001-01-01 poisoned every
list that read its shifts. `install()` (command.apps) puts the bound in front of every date and
date-time field DRF and Django forms parse (serializers, django-filter's filters, the admin, the
pages' forms); code that parses by hand calls `bounded_date` / `bounded_datetime`."""
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
MAX_OFFSET = timedelta(hours=14)  # the widest offset any time zone uses (Kiribati)


def check(value):
    """`value` (a date or a datetime) if within the bounds; ValidationError otherwise."""
    if value is None:
        return value
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(_("Give a date between %(earliest)s and %(latest)s.")
                              % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}, code="date_range")
    offset = value.utcoffset() if isinstance(value, datetime) else None
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValidationError(_("The time zone offset must be within ±14:00."), code="offset_range")
    return value


def bounded_date(text: str) -> date:
    """date.fromisoformat within the bounds (ValueError otherwise)."""
    try:
        return check(date.fromisoformat(text))
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None


def _wrap_drf(field_class, method: str) -> None:
    from rest_framework import serializers

    original = getattr(field_class, method)

    def bounded(self, value):
        try:
            result = original(self, value)
        except (OverflowError, ValueError):
            raise serializers.ValidationError(_("Give a date between %(earliest)s and %(latest)s.")
                                              % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}) from None
        try:
            return check(result)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    bounded.__wrapped__ = original
    setattr(field_class, method, bounded)


def _wrap_form(field_class) -> None:
    # clean(), not to_python(): subclasses (django-filter's IsoDateTimeField) override the latter.
    original = field_class.clean

    def bounded(self, value):
        try:
            return check(original(self, value))
        except OverflowError:
            raise ValidationError(_("Give a date between %(earliest)s and %(latest)s.")
                                  % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}) from None

    bounded.__wrapped__ = original
    field_class.clean = bounded


def install() -> None:
    """Once per process: the bound in front of DRF's and Django's date and date-time fields."""
    from django import forms
    from rest_framework import serializers

    if getattr(serializers.DateField.to_internal_value, "__wrapped__", None):
        return
    _wrap_drf(serializers.DateField, "to_internal_value")
    _wrap_drf(serializers.DateTimeField, "to_internal_value")
    for field_class in (forms.DateField, forms.DateTimeField):
        _wrap_form(field_class)
