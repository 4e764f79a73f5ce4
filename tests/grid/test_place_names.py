"""How names are compared and how spoken junctions and house numbers are read (grid.place_names)."""
import pytest

from grid.place_names import (
    Junction,
    address_reading,
    house_number,
    initials_of,
    is_latin,
    junction_readings,
    pinyin_of,
    search_key,
    without_junction_ending,
)


@pytest.mark.parametrize(("text", "key", "pinyin", "initials"), [
    ("西藏南路", "西藏南路", "xizangnanlu", "xznl"),
    ("豫园（城隍庙）", "豫园城隍庙", "yuyuanchenghuangmiao", "yychm"),
    ("人民广场站1号口", "人民广场站1号口", "renminguangchangzhan1haokou", "rmgcz1hk"),
    ("重庆南路", "重庆南路", "chongqingnanlu", "cqnl"),
    ("绿地", "绿地", "lvdi", "ld"),
    ("Xizang Nan Lu", "xizangnanlu", "xizangnanlu", "xizangnanlu"),
    ("ＡＢＣ路", "abc路", "abclu", "abcl"),
])
def test_a_name_is_compared_by_its_letters_and_digits_its_pinyin_and_its_initials(text, key, pinyin, initials):
    assert (search_key(text), pinyin_of(text), initials_of(text)) == (key, pinyin, initials)


def test_latin_means_typed_on_a_latin_keyboard():
    assert [is_latin(key) for key in ("xznl", "xznl1", "123", "西藏", "西藏xz", "")] == [True, True, False, False,
                                                                                         False, False]


@pytest.mark.parametrize(("query", "readings"), [
    ("西藏南路与复兴东路交叉口", [("西藏南路", "复兴东路", True), ("西藏南路", "与复兴东路", False)]),
    ("西藏南路复兴东路口", [("西藏南路", "复兴东路", False)]),
    ("西藏南路 复兴东路路口", [("西藏南路", "复兴东路", True)]),
    ("西藏南路/复兴东路", [("西藏南路", "复兴东路", True)]),
    ("复兴东陆西藏南路口", [("复兴东陆", "西藏南路", False)]),
    ("延安东路和平路口", [("延安东路", "平路", True), ("延安东路", "和平路", False)]),
    ("xznl/fxdl", [("xznl", "fxdl", True)]),
    ("xizangnanlu fuxingdonglu", [("xizangnanlu", "fuxingdonglu", True)]),
    ("xznlfxdl", [("xznl", "fxdl", False)]),
    ("西藏中路口", []),
    ("人民广场", []),
])
def test_a_junction_is_read_every_way_it_may_be_said(query, readings):
    assert junction_readings(query) == [Junction(*reading) for reading in readings]


@pytest.mark.parametrize(("said", "core"), [
    ("西藏南路复兴东路交叉口", ("西藏南路复兴东路", True)), ("西藏中路口", ("西藏中路", True)),
    ("西藏南路复兴东路路口", ("西藏南路复兴东路", True)), ("西藏南路复兴东路口", ("西藏南路复兴东路", True)),
    ("人民广场", ("人民广场", False)), ("口", ("口", False)),
])
def test_a_junction_ending_is_dropped_and_a_street_keeps_its_road(said, core):
    assert without_junction_ending(said) == core


@pytest.mark.parametrize(("query", "reading"), [
    ("南京东路100号", ("南京东路", 100)), ("南京东路 100", ("南京东路", 100)), ("南京东路100号弄", ("南京东路", 100)),
    ("nanjingdonglu100hao", ("nanjingdonglu", 100)), ("人民广场站1号口", None), ("南京东路", None), ("1号", None),
])
def test_a_house_number_is_read_with_its_street(query, reading):
    assert address_reading(query) == reading


@pytest.mark.parametrize(("value", "said"), [
    ("100", ("100号", 100)), ("100号", ("100号", 100)), ("5A", ("5A号", 5)), ("1-3", ("1-3号", 1)),
    ("12弄3号", ("12弄3号", 12)), ("甲", ("甲", None)),
])
def test_an_osm_house_number_is_said_as_a_caller_says_it(value, said):
    assert house_number(value) == said
