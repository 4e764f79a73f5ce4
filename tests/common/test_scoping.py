"""The one scoping rule: None sees every row, a set of platforms only theirs, along any path."""
import pytest

from common.scoping import scoped
from platforms.models import Platform, Squad
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_none_means_every_row_and_a_set_only_its_platforms_rows(platform, other_platform):
    mine, theirs = f.SquadFactory(platform=platform), f.SquadFactory(platform=other_platform)
    assert set(scoped(Squad.objects.all(), None)) == {mine, theirs}
    assert list(scoped(Squad.objects.all(), {platform.pk})) == [mine]
    assert list(scoped(Squad.objects.all(), set())) == []


def test_the_path_leads_from_the_rows_to_their_platform(platform, other_platform):
    assert list(scoped(Platform.objects.all(), {other_platform.pk}, "id")) == [other_platform]
