import pytest


@pytest.fixture(autouse=True)
def _spatial_index_checked_as_in_production(_fresh_spatial_index, monkeypatch):
    """A simulated day asks for a zone thousands of times (each travel time's congestion factor) and
    its zones do not change while it runs: the index is revalidated once a second as in production,
    not on every read as the suite's default (tests/conftest.py) has it, three queries each time."""
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)
