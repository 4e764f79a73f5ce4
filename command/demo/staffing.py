"""The demo city's people, vehicles, five-squad three-shift rota and crews, built deterministically.

Names and badge numbers are invented; the head counts are the Xiangyang figures (DOMAIN.md).
"""
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉力斌宇浩凯健俊帆鹏飞晨亮峰波宁欣怡佳"
SQUAD_NAMES = ["一班", "二班", "三班", "四班", "五班"]

# Three eight-hour shifts; five squads rotate day → evening → night → rest → rest (五班三运转).
SHIFT_STARTS = {"day": time(8, 0), "evening": time(16, 0), "night": time(0, 0)}
ROTATION = ["day", "evening", "night", None, None]
SHIFT_HOURS = 8


def person_name(index: int) -> str:
    rng = random.Random(index)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def shift_of(squad_number: int, day_index: int) -> str | None:
    """Which shift squad `squad_number` (1-5) works on day `day_index` (days since an epoch)."""
    return ROTATION[(day_index - squad_number) % 5]


def shift_window(day, kind: str) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, SHIFT_STARTS[kind]))
    return start, start + timedelta(hours=SHIFT_HOURS)


def crews(officers_by_kind: dict[str, list], vehicles_by_kind: dict[str, list]) -> list[dict]:
    """Crews for one squad's shift, each led by a sworn officer: cars with 1 officer + 2 auxiliaries
    (the 1:2 staffing), motorcycles with an officer and an auxiliary, foot posts with an officer and
    traffic assistants; everyone left staffs the platform truck. Vehicles beyond the people stay parked."""
    police, aux, assistants = (list(officers_by_kind[k]) for k in ("police", "auxiliary", "traffic_assistant"))
    trucks = vehicles_by_kind.get("platform_truck", [])
    truck_lead = [police.pop()] if trucks and police else []
    result = []
    for car in vehicles_by_kind.get("patrol_car", []):
        if not police or len(aux) < 2:
            break
        result.append(_crew(car, [police.pop(), aux.pop(), aux.pop()], ["patrol", "traffic", "rescue"]))
    for bike in vehicles_by_kind.get("motorcycle", []):
        if not police:
            break
        result.append(_crew(bike, [police.pop()] + ([aux.pop()] if aux else []), ["patrol", "traffic"]))
    for tracker in vehicles_by_kind.get("on_foot", []):
        if not police or not assistants:
            break
        result.append(_crew(tracker, [police.pop(), assistants.pop()], ["patrol", "traffic"]))
    if truck_lead:
        result.append(_crew(trucks[0], truck_lead + police + aux + assistants, ["patrol", "crowd"]))
    return result


def _crew(vehicle, officers: list, capabilities: list[str]) -> dict:
    return {"vehicle": vehicle, "officers": officers, "capabilities": capabilities}
