"""Writes naming a field the endpoint does not have are refused (400, the field named), instead of
being silently dropped: a 1 MB unknown field was accepted, and a typo ("prority") read as "left out".
`install()` (command.apps) puts the check in front of every DRF serializer's input; fields the
endpoint only returns (read-only) are allowed, so a client may send back what it read."""
from collections.abc import Mapping

from django.http import QueryDict
from django.utils.translation import gettext as _

# Sent by the site's own forms beside the data.
ALWAYS_ALLOWED = frozenset({"csrfmiddlewaretoken"})


def unknown_fields(serializer, data) -> list[str]:
    # A JSON object only: the site's HTML forms post their own extra inputs (QueryDict), read by hand.
    if not isinstance(data, Mapping) or isinstance(data, QueryDict):
        return []
    known = set(serializer.fields) | ALWAYS_ALLOWED | set(getattr(getattr(serializer, "Meta", None), "extra_input", ()))
    return sorted(str(name) for name in data if name not in known)


def install() -> None:
    from rest_framework import serializers

    original = serializers.Serializer.to_internal_value
    if getattr(original, "__wrapped__", None):
        return

    def strict(self, data):
        unknown = unknown_fields(self, data)
        if unknown:
            raise serializers.ValidationError({name: [_("This endpoint has no such field.")] for name in unknown[:20]})
        return original(self, data)

    strict.__wrapped__ = original
    serializers.Serializer.to_internal_value = strict
