"""Masking a phone number: the head and the last four digits, whatever the separators."""
import pytest

from common.phones import mask_phone


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812348000", "138****8000"),
    ("138-1234-8000", "138****8000"),
    ("+86 138 1234 8000", "861******8000"),
    ("021-63211234", "021****1234"),
    ("63211234", "****1234"),
    ("6321123", "***1123"),
    ("12345", "***45"),
    ("110", "**0"),
    ("", ""),
])
def test_a_number_is_masked_to_its_head_and_last_four(phone, masked):
    assert mask_phone(phone) == masked
