"""Signatures drawn on the tablet's pad: a PNG (the canvas's own export), checked by its bytes and for
ink, so a missing or blank signature is refused with the party's name instead of printed empty."""
import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageChops, UnidentifiedImageError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 300 * 1024      # a tablet's pad at 2x is ~20 KB; anything near this is no signature
MAX_SIDE = 2000
MIN_INK_PIXELS = 40         # a stroke or two; a tap leaves fewer


def decode(data_url: str) -> bytes:
    """The PNG bytes of a `data:image/png;base64,...` URL (what canvas.toDataURL gives)."""
    head, _comma, body = (data_url or "").partition(",")
    if head != "data:image/png;base64" or not body:
        raise ValueError("not a PNG data URL")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64") from error


def checked(data_url: str, label: str) -> bytes:
    """The signature's PNG, or a ValidationError naming the party (`label`, e.g. 乙方 王五)."""
    if not data_url:
        raise ValidationError(_("%(party)s has not signed.") % {"party": label}, code="unsigned")
    try:
        png = decode(data_url)
    except ValueError:
        raise ValidationError(_("%(party)s's signature is not an image from the signature pad.") % {"party": label},
                              code="bad_signature") from None
    if not png.startswith(PNG_MAGIC) or len(png) > MAX_BYTES:
        raise ValidationError(_("%(party)s's signature is not an image from the signature pad.") % {"party": label},
                              code="bad_signature")
    if _ink(png) < MIN_INK_PIXELS:
        raise ValidationError(_("%(party)s's signature is empty: sign on the pad.") % {"party": label}, code="unsigned")
    return png


def _ink(png: bytes) -> int:
    """Pixels drawn on: opaque and dark (the pad draws dark strokes on a clear or white background)."""
    try:
        image = Image.open(io.BytesIO(png))
        if image.width > MAX_SIDE or image.height > MAX_SIDE:
            return 0
        grey = image.convert("LA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return 0
    luminance, alpha = grey.split()
    opaque = alpha.point(lambda a: 255 if a > 128 else 0)
    dark = luminance.point(lambda v: 255 if v < 128 else 0)
    return ImageChops.multiply(opaque, dark).histogram()[255]
