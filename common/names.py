"""Bilingual names: rows carry a Chinese `name` and an optional `name_en`."""
from django.utils.translation import get_language


def local_name(thing) -> str:
    """The English name on English pages when there is one; the Chinese name otherwise."""
    english = getattr(thing, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return getattr(thing, "name", str(thing))
