"""The demo city's traffic work: the rush-hour congestion bands (hand-made overrides of the fleet's
measured factors: the simulator's crews drive that much slower in them, so the live speed layer shows
congestion where they say), and a realistic morning of traffic work from 07:00 on the platforms' crews:
minor accidents settled on the spot, one escalated for an injury, congestion cleared, violations,
drink-driving checks, an impound and people helped.

Safe to re-run: the morning's incidents are found by their numbers; bands by their zone and hours."""
import io
import random
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw

from dispatch.models import Category, Incident, IncidentStatus
from grid.models import CongestionBand, Zone
from platforms.models import Platform, Unit
from traffic.models import (
    AccidentParty, AccidentRecord, CongestionRecord, DrinkCheck, HelpRecord, Impound, Settlement, Signature, Violation,
    ViolationType,
)
from traffic.models.records import breath_result

# (from, until, factor in the city centre, factor elsewhere): Shanghai's weekday peaks
RUSH_HOURS = [(time(7, 30), time(9, 30), 1.8, 1.4), (time(17, 0), time(19, 0), 1.7, 1.3)]
MORNING_FROM = time(7, 0)
MORNING = timedelta(hours=4)   # 07:00 to 11:00
CREWS = 6                      # the crews of a platform that did the morning's traffic work
SURNAMES = "王李张刘陈杨赵黄周吴"
RULES = ["rear_end", "lane_change", "turning", "reversing", "door"]
CAUSES = ["volume", "accident", "breakdown", "signal_failure", "volume", "event"]
PLATES = "ABCDEFGHJKLMN"


def seed_traffic(platforms: list[Platform], now) -> dict:
    """The bands and the latest morning's traffic work (today's once it has begun, else yesterday's);
    what was made, counted."""
    made = {"bands": seed_rush_hours(), "accidents": 0, "jams": 0, "records": 0}
    start = timezone.localtime(now).replace(hour=MORNING_FROM.hour, minute=0, second=0, microsecond=0)
    if now < start + timedelta(minutes=30):
        start -= timedelta(days=1)
    end = min(now, start + MORNING)
    rng = random.Random(20)
    for index, platform in enumerate(platforms):
        units = Unit.objects.filter(platform=platform).prefetch_related("officers").order_by("call_sign")
        crews = list(units.filter(shift__starts_at__lte=end, shift__ends_at__gt=end)[:CREWS]) or list(units[:CREWS])
        zones = list(Zone.objects.filter(platform=platform).order_by("code"))
        if not crews or not zones:
            continue
        for name, count in _Morning(platform, index, crews, zones, start, end, rng).seed().items():
            made[name] += count
    return made


def seed_rush_hours() -> int:
    """One band per zone and peak (weekdays): the city centre slower than the rest."""
    made = 0
    for zone in Zone.objects.all():
        for starts, ends, centre, other in RUSH_HOURS:
            factor = centre if zone.response_class == "city_centre" else other
            _, created = CongestionBand.objects.get_or_create(zone=zone, starts=starts, ends=ends, defaults={
                "factor": factor, "weekdays_only": True})
            made += created
    return made


def signature_png(seed: int) -> bytes:
    """A scrawl like the pad's: dark strokes on a clear background."""
    rng, image = random.Random(seed), Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        draw.line([(rng.randint(10, 290), rng.randint(10, 110)) for _ in range(6)], fill=(20, 20, 20, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class _Morning:
    """One platform's morning: a few accidents and jams by its crews, and their enforcement records."""

    def __init__(self, platform, index, crews, zones, start, now, rng):
        self.platform, self.index, self.crews, self.zones = platform, index, crews, zones
        self.start, self.now, self.rng = start, now, rng
        # Rows need the login that recorded them: the officer's own, else the seed's (most demo officers
        # have no login of their own).
        self.seeder = get_user_model().objects.get_or_create(username="demo-seed", defaults={"is_active": False})[0]

    def recorder(self, officer):
        return officer.user if officer is not None and officer.user_id else self.seeder

    def seed(self) -> dict:
        minutes = int((self.now - self.start).total_seconds() // 60) - 30
        made = {"accidents": 0, "jams": 0, "records": 0}
        for n in range(3):
            made["accidents"] += self.accident(n, self.start + timedelta(minutes=self.rng.randint(0, minutes)))
        for n in range(2):
            made["jams"] += self.jam(n, self.start + timedelta(minutes=self.rng.randint(0, minutes)))
        if made["accidents"] or made["jams"]:
            made["records"] = self.records(minutes)
        return made

    def incident(self, kind: str, n: int, received) -> Incident | None:
        number = f"110-DEMO-T{self.index:02d}{kind}{n}-{timezone.localtime(self.start):%m%d}"
        if Incident.objects.filter(number=number).exists():
            return None
        zone, crew = self.rng.choice(self.zones), self.crews[n % len(self.crews)]
        on_scene = received + timedelta(seconds=self.rng.randint(150, 420))
        category = Category.TRAFFIC_ACCIDENT if kind == "A" else Category.TRAFFIC_CONGESTION
        incident = Incident.objects.create(
            number=number, received_at=received, caller_name=f"{self.rng.choice(SURNAMES)}先生",
            caller_phone=f"137{self.rng.randint(10_000_000, 99_999_999)}", lon=self.platform.lon, lat=self.platform.lat,
            zone=zone, category=category, target_s=zone.target_s, status=IncidentStatus.CLOSED, closing="resolved",
            result="现场处置完毕", dispatched_at=received + timedelta(seconds=40), on_scene_at=on_scene,
            verified_on_scene_at=on_scene, closed_at=on_scene + timedelta(minutes=25))
        incident.crew = crew
        return incident

    def accident(self, n: int, received) -> int:
        incident = self.incident("A", n, received)
        if incident is None:
            return 0
        injured = n == 2 and self.index == 0  # one per morning goes to a full accident case
        user = self.recorder(incident.crew.officers.first())
        accident = AccidentRecord.objects.create(
            incident=incident, unit=incident.crew, recorded_by=user, injuries="injured" if injured else "none",
            lanes_blocked=self.rng.randint(0, 2), status="escalated" if injured else "settled")
        parties = [AccidentParty.objects.create(
            accident=accident, position=p, name=f"{self.rng.choice(SURNAMES)}{'先生' if p == 1 else '女士'}",
            phone=f"139{self.rng.randint(10_000_000, 99_999_999)}",
            licence_number=f"3101011980{self.rng.randint(10_000_000, 99_999_999)}",
            plate=f"沪{self.rng.choice(PLATES)}{self.rng.randint(10_000, 99_999)}") for p in (1, 2)]
        handled = incident.arrived_at + timedelta(seconds=self.rng.randint(300, 780))
        if injured:
            accident.escalated_at, accident.escalation_reason = handled, "乙方称颈部疼痛，送医检查"
        else:
            accident.handled_at = handled
            self.settle(accident, parties, handled, user)
        accident.save()
        return 1

    def settle(self, accident, parties, at, user) -> None:
        settlement = Settlement.objects.create(
            accident=accident, responsibility="one", responsible_party=parties[1], rule=self.rng.choice(RULES),
            agreement="责任方承担对方车辆维修费用，由保险公司理赔", concluded_at=at, concluded_by=user)
        for party in parties:
            Signature.objects.create(settlement=settlement, party=party, image=signature_png(party.pk), signed_at=at)

    def jam(self, n: int, received) -> int:
        incident = self.incident("C", n, received)
        if incident is None:
            return 0
        user = self.recorder(incident.crew.officers.first())
        CongestionRecord.objects.create(
            incident=incident, unit=incident.crew, recorded_by=user, cause=self.rng.choice(CAUSES),
            lanes_affected=self.rng.randint(1, 3),
            flowing_at=incident.arrived_at + timedelta(seconds=self.rng.randint(120, 420)))
        return 1

    def records(self, minutes: int) -> int:
        """Each crew's officers: a few violations, a drink-driving check or two, now and then an impound
        and people helped."""
        types, made = list(ViolationType.objects.filter(active=True, needs_speed=False)), 0
        for crew in self.crews:
            for officer in crew.officers.all():
                fields = lambda: {"officer": officer, "unit": crew, "platform": self.platform,  # noqa: E731
                                  "recorded_by": self.recorder(officer), "zone": self.rng.choice(self.zones),
                                  "lon": self.platform.lon + self.rng.uniform(-0.004, 0.004),
                                  "lat": self.platform.lat + self.rng.uniform(-0.004, 0.004),
                                  "at": self.start + timedelta(minutes=self.rng.randint(0, minutes))}
                made += self.officer_records(types, fields)
        return made

    def officer_records(self, types, fields) -> int:
        plate = lambda: f"沪{self.rng.choice(PLATES)}{self.rng.randint(10_000, 99_999)}"  # noqa: E731
        rows = [Violation(violation_type=self.rng.choice(types), plate=plate(), **fields())
                for _ in range(self.rng.randint(1, 4))]
        for _ in range(self.rng.randint(0, 2)):
            mg = self.rng.choice([0.0, 0.0, 0.0, 12.0, 35.0, 92.0])
            rows.append(DrinkCheck(plate=plate(), alcohol_mg_100ml=mg, result=breath_result(mg), **fields()))
        if self.rng.random() < 0.2:
            rows.append(Impound(plate=plate(), reason="无牌无证驾驶", **fields()))
        if self.rng.random() < 0.5:
            rows.append(HelpRecord(kind=self.rng.choice(["directions", "escort", "breakdown"]),
                                   people=self.rng.randint(1, 3), **fields()))
        for row in rows:
            row.save()
        return len(rows)
