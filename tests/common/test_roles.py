"""Access: each login's role and the platforms it is scoped to, read through the user's own rows."""
import pytest

from common.roles import Access, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_command_centre_sees_every_platform(dispatcher, administrator):
    assert [(Access(u).role, Access(u).platform_ids) for u in (dispatcher, administrator)] == [
        (Role.DISPATCHER, None), (Role.ADMINISTRATOR, None)]


def test_a_platform_supervisor_sees_their_platform(supervisor, platform):
    assert (Access(supervisor).role, Access(supervisor).platform_ids) == (Role.SUPERVISOR, {platform.pk})


def test_a_district_supervisor_sees_the_districts_platforms_only(platform, other_platform):
    district = platform.district
    third = f.PlatformFactory(code="P03", district=district)
    user = f.UserFactory(username="district")
    f.membership(user, Role.SUPERVISOR, district=district)
    assert other_platform.district_id != district.pk
    assert Access(user).platform_ids == {platform.pk, third.pk}


def test_an_officer_sees_their_own_platform(officer, platform):
    assert (Access(officer).role, Access(officer).platform_ids) == (Role.OFFICER, {platform.pk})


def test_a_clerk_of_a_platform_and_a_login_without_a_role(clerk, platform, outsider):
    assert Access(clerk).platform_ids == {platform.pk}
    assert (Access(outsider).role, Access(outsider).platform_ids) == (None, set())
