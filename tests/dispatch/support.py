"""Helpers the dispatch tests share."""
from django.utils import timezone

from platforms.positions import Fix, fixes_accept


def place(unit, point, *, at=None, speed_mps=None):
    """Report a unit's position through the ingest service, as a tablet would."""
    result = fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=point[0], lat=point[1], at=at or timezone.now(),
                                     speed_mps=speed_mps)], source="test")
    assert result.accepted == 1, result.rejected
    return unit
