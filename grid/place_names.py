"""How callers name places, as text: the search key of a name, its pinyin and initials, and the
spoken forms of a junction ("西藏南路与复兴东路交叉口", "西藏南路复兴东路口", "xznl/fxdl") and of a
house number ("南京东路100号"). Pure functions, no Django: the gazetteer's builder and its search
both read names through here, so a name is stored and looked up the same way.

A search key keeps letters and digits only (NFKC: full-width forms become plain, so "（" and "Ａ"
need no special case), lower-cased; pinyin is pypinyin's most likely reading of each character with
the tone dropped and ü written v, as a Latin keyboard types it."""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# What a street's name ends with: a split of "西藏南路复兴东路" is tried after each of these.
STREET_ENDINGS = ("路", "街", "道", "巷", "弄", "桥", "隧道")
# Spoken endings of a junction, longest first: "西藏南路与复兴东路交叉口" → "西藏南路与复兴东路".
ROAD_SOUNDS = {"lu", "jie", "dao"}
LATIN_ENDINGS = ("lu", "jie", "dao", "l", "j", "d")
JUNCTION_ENDINGS = ("十字路口", "交叉路口", "交叉口", "交界处", "交汇处", "路口", "口")
# Words between two street names; a plain space or "/" counts too. "和" and "与" may also be part of
# a name (和平路), so every split is only a candidate until both sides are found among the streets.
JUNCTION_JOINERS = re.compile(r"\s*(?:与|和|跟|同|及|/|\\|、|&|＆|,|，|\+|\s)\s*")
LATIN_JOINERS = re.compile(r"\s*(?:/|\\|&|,|\+|\s|\by\b|\band\b)\s*")
ADDRESS = re.compile(r"^(?P<street>.+?)(?P<number>\d{1,5})(?:号|hao)?(?P<rest>.*)$")
MAX_SPLITS = 12


@dataclass(frozen=True)
class Junction:
    """Two parts of a query that may name the two streets of a junction."""

    first: str
    second: str
    joined: bool  # said with a joiner ("与", "/", a space): surer than a split found inside a word


def loose(text: str) -> str:
    """The query as typed, in one form: NFKC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def search_key(text: str) -> str:
    """Letters and digits only, lower case: "豫园（城隍庙）" → "豫园城隍庙", "Xizang Nan Lu" → "xizangnanlu"."""
    return "".join(char for char in loose(text) if unicodedata.category(char)[0] in "LN")


def is_latin(key: str) -> bool:
    """Typed on a Latin keyboard: compared with the pinyin and initials, not with the Chinese name."""
    return bool(key) and key.isascii() and any(char.isalpha() for char in key)


@lru_cache(maxsize=8192)
def _syllables(key: str, initials: bool) -> tuple[str, ...]:
    # Imported when first needed: its dictionaries take ~50 MB and 0.2 s, which a worker never spends.
    from pypinyin import Style, lazy_pinyin

    style = Style.FIRST_LETTER if initials else Style.NORMAL
    return tuple(lazy_pinyin(key, style=style, errors="default", v_to_u=False))


def pinyin_of(text: str) -> str:
    """"西藏南路" → "xizangnanlu" (digits and Latin letters kept as they are)."""
    return "".join(_syllables(search_key(text), False))


def initials_of(text: str) -> str:
    """"西藏南路" → "xznl"; a run of digits or Latin letters is kept whole ("1号口" → "1hk")."""
    return "".join(_syllables(search_key(text), True))


def without_junction_ending(text: str) -> tuple[str, bool]:
    """The query without its spoken junction ending, and whether it had one. "复兴东路口" keeps its 路."""
    for ending in JUNCTION_ENDINGS:
        if not text.endswith(ending) or len(text) <= len(ending) + 1:
            continue
        core = text[: -len(ending)]
        if ending == "路口" and not core.endswith(STREET_ENDINGS):
            core = text[:-1]  # "西藏南路复兴东路口": the 路 belongs to the street
        return core.strip(), True
    return text, False


def junction_readings(query: str) -> list[Junction]:
    """Every way of reading the query as two street names, surest first (at most MAX_SPLITS)."""
    text = loose(query)
    core, _ = without_junction_ending(text)
    latin = is_latin(search_key(core))
    readings = _joined_readings(core, LATIN_JOINERS if latin else JUNCTION_JOINERS)
    if readings and latin:
        return readings[:MAX_SPLITS]  # "xznl fxdl": the space says where; "l" ends too many syllables to guess
    # In Chinese the joiner itself may belong to a name ("延安东路和平路口"): splits inside are tried too.
    readings += [reading for reading in _inner_readings(search_key(core), latin)
                 if (reading.first, reading.second) not in {(r.first, r.second) for r in readings}]
    return readings[:MAX_SPLITS]


def _joined_readings(core: str, joiners: re.Pattern) -> list[Junction]:
    found = []
    for match in joiners.finditer(core):
        first, second = search_key(core[: match.start()]), search_key(core[match.end():])
        if len(first) >= 2 and len(second) >= 2:
            found.append(Junction(first, second, joined=True))
    return found


def _inner_readings(key: str, latin: bool) -> list[Junction]:
    """"西藏南路复兴东路" split after each street ending (or a homophone of one: "复兴东陆西藏南路"); in
    pinyin after "lu"/"jie"/"dao", in initials after "l"/"j"/"d"."""
    found = []
    for cut in range(2, len(key) - 1):
        head = key[:cut]
        ends = head.endswith(LATIN_ENDINGS) if latin else (head.endswith(STREET_ENDINGS) or pinyin_of(head[-1]) in ROAD_SOUNDS)
        if ends:
            found.append(Junction(head, key[cut:], joined=False))
    return found


def address_reading(query: str) -> tuple[str, int] | None:
    """"南京东路100号" → ("南京东路", 100); None when the query names no house number."""
    match = ADDRESS.match(search_key(query))
    if not match or len(match["street"]) < 2 or match["rest"] not in ("", "弄"):
        return None
    return match["street"], int(match["number"])


def house_number(value: str) -> tuple[str, int | None]:
    """OSM's addr:housenumber as said: "100" → ("100号", 100), "100号" kept, "12弄3号" → (as is, 12)."""
    value = unicodedata.normalize("NFKC", value or "").replace(" ", "")
    digits = re.match(r"\d+", value)
    number = int(digits.group()) if digits and len(digits.group()) <= 5 else None
    said = f"{value}号" if re.fullmatch(r"\d+[a-zA-Z]?(-\d+[a-zA-Z]?)?", value) else value
    return said, number
