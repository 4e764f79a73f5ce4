"""Helpers the grid tests share."""
from unittest import mock

from grid import selectors, travel
from tests.places import PEOPLES_SQUARE


def reread_zones_and_bands():
    """Zones and congestion bands are re-read at most once per selectors.RECHECK_S: re-read them now."""
    selectors.forget_spatial_index()
    with mock.patch.object(selectors, "RECHECK_S", 0):
        travel.congestion_factor(*PEOPLES_SQUARE)
