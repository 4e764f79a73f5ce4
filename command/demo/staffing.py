"""The demo city's people and squad names, built deterministically.

Names and badge numbers are invented; the head counts are the Xiangyang figures (DOMAIN.md). The
five-squad three-shift rotation and the crews live in the roster service (platforms.rosters).
"""
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉力斌宇浩凯健俊帆鹏飞晨亮峰波宁欣怡佳"
SQUAD_NAMES = ["一班", "二班", "三班", "四班", "五班"]


def person_name(index: int) -> str:
    rng = random.Random(index)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
