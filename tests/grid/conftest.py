"""What the grid tests share beyond the road plugin (tests/plugins/roads.py): production's
once-a-second re-check of zones and congestion bands, for isochrones."""
import pytest

from grid import selectors
from tests.grid.support import reread_zones_and_bands


@pytest.fixture
def production_recheck(monkeypatch):
    """An isochrone asks the congestion of each of its ~5,000 points' zones. With the tests' RECHECK_S
    of 0 each ask re-reads the database (3.7 s an isochrone instead of 0.6 s): read once, then keep
    what was read for a second, as production does."""
    reread_zones_and_bands()
    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)
