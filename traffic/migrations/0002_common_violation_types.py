"""The common violations the tablet offers from the start (an administrator keeps the list in the admin or
the API): speeding, red light, illegal parking, wrong lane, no helmet on an e-bike, drink-driving. Codes,
points and fines as commonly printed on tickets; check them against the local bureau's list."""
from django.db import migrations

COMMON = [
    ("1352", "超速行驶（超过规定时速10%以上未达20%）", "Speeding (10-20% over the limit)", 3, 200, True, False, 10),
    ("1625", "违反交通信号灯通行（闯红灯）", "Running a red light", 6, 200, False, False, 20),
    ("1039", "机动车违反规定停放、临时停车", "Illegal parking", 0, 200, False, False, 30),
    ("1208", "不按导向车道行驶", "Not keeping to the lane for the direction", 2, 100, False, False, 40),
    ("E001", "驾驶电动自行车未佩戴安全头盔", "No helmet on an e-bike", 0, 20, False, True, 50),
    ("1711", "饮酒后驾驶机动车", "Drink-driving", 12, 1000, False, False, 60),
]


def seed(apps, schema_editor):
    ViolationType = apps.get_model("traffic", "ViolationType")
    for code, name, name_en, points, fine, needs_speed, non_motor, order in COMMON:
        ViolationType.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "points": points, "fine_yuan": fine, "needs_speed": needs_speed,
            "non_motor": non_motor, "order": order})


class Migration(migrations.Migration):
    dependencies = [("traffic", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
