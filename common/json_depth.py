"""JSON nested deeper than the site accepts is refused before it is parsed: Python's parser recurses
once per level, and a 10 KB body nested 5,000 deep raised RecursionError (a 500) on any endpoint
that reads JSON. The depth is counted in one pass over the bytes, outside strings."""
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

_OPEN, _CLOSE, _QUOTE, _ESCAPE = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


class TooDeep(ValueError):
    """The document nests deeper than JSON_MAX_DEPTH."""


def depth_exceeds(raw: bytes | str, limit: int) -> bool:
    """Whether brackets nest deeper than `limit` anywhere outside strings."""
    data = raw.encode() if isinstance(raw, str) else raw
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # the common case: too few brackets to nest that deep at all
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _ESCAPE:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def loads(raw: bytes | str, limit: int | None = None):
    """json.loads with the depth bound: TooDeep (a ValueError) past it."""
    limit = settings.JSON_MAX_DEPTH if limit is None else limit
    if depth_exceeds(raw, limit):
        raise TooDeep(_("The JSON is nested more than %(limit)d levels deep.") % {"limit": limit})
    return json.loads(raw)


class TooLarge(APIException):
    status_code = 413
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser behind the size and depth bounds: 413 or 400 with the reason, never a
    RecursionError (DRF reads the body's stream itself, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise TooLarge(_("The request body is too large."))
        if depth_exceeds(raw, settings.JSON_MAX_DEPTH):
            raise ParseError(_("The JSON is nested more than %(limit)d levels deep.") % {"limit": settings.JSON_MAX_DEPTH})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return drf_json.loads(raw.decode(encoding), parse_constant=drf_json.strict_constant if self.strict else None)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
