"""Number plates (号牌): what an officer types, normalised and checked, so that a plate that is no plate
("ABC", "12345") is refused with the reason instead of being counted.

A motor vehicle's plate is a province's one-character abbreviation, the issuing office's letter, then
five characters (letters without I and O, or digits); a new-energy plate has six (D or F first or last);
a learner's, police, trailer or Hong Kong / Macao plate ends in 学 警 挂 港 澳 领 after four. Non-motor
vehicles (e-bikes, bicycles) carry a local plate or none, so theirs is only checked for its characters."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"
MOTOR_PLATE = re.compile(
    rf"^[{PROVINCES}][{_LETTER}]([{_LETTER}0-9]{{5}}|[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF]|[{_LETTER}0-9]{{4}}[学警挂港澳领])$")
LOCAL_PLATE = re.compile(r"^[0-9A-Z\u4e00-\u9fff]{3,10}$")
_SEPARATORS = re.compile(r"[\s·•\-_.]")
NON_MOTOR = ("e_bike", "bicycle", "pedestrian")


def normalise(plate: str) -> str:
    """As printed on the plate: upper case, without the spaces, dots and dashes people type."""
    return _SEPARATORS.sub("", plate or "").upper()


def check_plate(plate: str, vehicle_kind: str = "car", *, field: str = "plate") -> str:
    """The plate normalised, or a ValidationError on `field` saying why it is no plate. A non-motor
    vehicle may have none."""
    value = normalise(plate)
    if vehicle_kind in NON_MOTOR:
        if value and not LOCAL_PLATE.match(value):
            raise ValidationError({field: _("“%(plate)s” is not a plate: use letters, digits and Chinese characters only.")
                                   % {"plate": plate}})
        return value
    if not value:
        raise ValidationError({field: _("Enter the vehicle's number plate.")})
    if not MOTOR_PLATE.match(value):
        raise ValidationError({field: _("“%(plate)s” is not a Chinese number plate (e.g. 沪A12345, 沪AD12345).")
                               % {"plate": plate}})
    return value
