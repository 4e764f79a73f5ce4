"""What the roster tests share: English messages and a staffed platform."""
import pytest
from django.utils import translation

from tests.platforms.roster_support import staff


@pytest.fixture
def english():
    """Messages are asserted in English; the site's default language is Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def staffed(platform):
    """People's Square's platform with its five squads, officers and vehicles."""
    return staff(platform)
