"""Streets by name from the imported road network: the console's search for a street."""
import pytest

from tests.api_support import matrix, readers

pytestmark = [pytest.mark.usefixtures("demo_network"), pytest.mark.django_db]


def test_a_street_is_found_by_part_of_its_name_with_a_point_on_it(as_):
    response = as_("dispatcher").get("/api/v1/road-network/streets?q=南京&limit=3")
    assert response.status_code == 200
    assert [row["name"] for row in response.data] == ["南京西路"]
    street = response.data[0]
    assert 121.44 < street["lon"] < 121.48 and 31.22 < street["lat"] < 31.24 and street["length_m"] > 100


def test_an_exact_name_comes_first_and_the_limit_holds(as_):
    rows = as_("dispatcher").get("/api/v1/road-network/streets?q=人民路&limit=2").data
    assert [row["name"] for row in rows] == ["人民路", "人民路隧道"]


def test_nothing_found_is_an_empty_list(as_):
    assert as_("dispatcher").get("/api/v1/road-network/streets?q=不存在的路名xyz").data == []


@pytest.mark.parametrize("query", ["", "q=", "q=路&limit=0", "q=路&limit=x"])
def test_bad_queries_are_refused(as_, query):
    assert as_("dispatcher").get(f"/api/v1/road-network/streets?{query}").status_code == 400


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor")))
def test_who_may_search(as_, persona, code):
    assert as_(persona).get("/api/v1/road-network/streets?q=路").status_code == code
