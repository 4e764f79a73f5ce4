"""Phone numbers are personal data: shown masked (138****8000) to everyone but whoever must dial."""


def mask_phone(phone: str) -> str:
    """Enough to tell two callers apart, not enough to ring one: at least four digits hidden; a mobile
    number keeps its first three and last four, a short one only its last two."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) <= 6:
        shown = min(2, len(digits) // 2)
        return "*" * (len(digits) - shown) + digits[len(digits) - shown:]
    head = min(3, len(digits) - 8) if len(digits) > 8 else 0
    return digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]
