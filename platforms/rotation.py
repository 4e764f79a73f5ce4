"""The five-squad three-shift rotation (五班三运转) as a pattern: which shift each squad works on a day,
the peak windows its resting squads come in for (主副双班), and the shifts it lays over some days."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.models import Shift, ShiftKind, Squad

MAIN_KINDS = (ShiftKind.DAY, ShiftKind.EVENING, ShiftKind.NIGHT)


@dataclass(frozen=True)
class PeakWindow:
    """A daily window in which the squad on its `rest_day`-th rest day (1 = first) works as secondary squad."""

    starts: time
    ends: time
    rest_day: int


@dataclass(frozen=True)
class RotationPattern:
    """Shift times and the squads' cycle. The default is what a Chinese platform runs: three
    eight-hour shifts 00–08, 08–16, 16–24 and five squads cycling night → day → evening → rest →
    rest (each next shift starts 32 hours after the last one did: never two shifts back to back),
    with the resting squads as secondary squads at the 07–09 and 17–19 peaks."""

    cycle: tuple = ("night", "day", "evening", None, None)
    starts: dict = field(default_factory=lambda: {"night": time(0), "day": time(8), "evening": time(16)})
    shift_hours: float = 8.0
    peaks: tuple = (PeakWindow(time(7), time(9), 2), PeakWindow(time(17), time(19), 1))

    @property
    def squads(self) -> int:
        return len(self.cycle)

    def shift_of(self, squad_number: int, day: date) -> str | None:
        """The main shift squad `squad_number` (1-based) works on `day`, or None on a rest day."""
        return self.cycle[(day.toordinal() - squad_number) % self.squads]

    def rest_day_of(self, squad_number: int, day: date) -> int | None:
        """Which rest day (1 = first) `day` is for the squad, or None when it works a main shift."""
        position = (day.toordinal() - squad_number) % self.squads
        rests = [n for n, kind in enumerate(self.cycle) if kind is None]
        return rests.index(position) + 1 if position in rests else None

    def window(self, day: date, kind: str) -> tuple[datetime, datetime]:
        start = local_datetime(day, self.starts[kind])
        return start, start + timedelta(hours=self.shift_hours)

    def to_json(self) -> dict:
        return {
            "cycle": [kind or "rest" for kind in self.cycle],
            "starts": {kind: at.strftime("%H:%M") for kind, at in self.starts.items()},
            "shift_hours": self.shift_hours,
            "peaks": [{"starts": p.starts.strftime("%H:%M"), "ends": p.ends.strftime("%H:%M"), "rest_day": p.rest_day}
                      for p in self.peaks],
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "RotationPattern":
        """A pattern from a supervisor's settings; anything left out keeps the default."""
        data, default = data or {}, cls()
        cycle = tuple(None if kind in (None, "rest") else kind for kind in data.get("cycle", default.cycle))
        starts = {kind: _parse_time(value, f"starts.{kind}") for kind, value in data.get("starts", {}).items()}
        pattern = cls(cycle=cycle, starts={**default.starts, **starts},
                      shift_hours=_parse_hours(data.get("shift_hours", default.shift_hours)),
                      peaks=tuple(_parse_peak(p) for p in data["peaks"]) if "peaks" in data else default.peaks)
        pattern.validate()
        return pattern

    def validate(self) -> None:
        working = [kind for kind in self.cycle if kind is not None]
        if not 3 <= self.squads <= 20 or not working or any(kind not in MAIN_KINDS for kind in working):
            raise ValidationError({"pattern": _("The cycle must list 3 to 20 days, each a shift (day, evening, night) or rest.")})
        rest_days = self.squads - len(working)
        for peak in self.peaks:
            if peak.ends <= peak.starts:
                raise ValidationError({"pattern": _("A peak window must end after it starts.")})
            if not 1 <= peak.rest_day <= rest_days:
                raise ValidationError({"pattern": _("A peak window's squad must be on one of the cycle's %(count)d rest days.")
                                       % {"count": rest_days}})


def _parse_time(value, name: str) -> time:
    try:
        return value if isinstance(value, time) else time.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"pattern": _("%(name)s is not a time of day (HH:MM).") % {"name": name}}) from None


def _parse_hours(value) -> float:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = 0.0
    if not 0 < hours <= 12:
        raise ValidationError({"pattern": _("A shift must end after it starts and last at most 12 hours.")})
    return hours


def _parse_peak(value) -> PeakWindow:
    if not isinstance(value, dict):
        raise ValidationError({"pattern": _("A peak window needs starts, ends and rest_day.")})
    try:
        rest_day = int(value.get("rest_day", 1))
    except (TypeError, ValueError):
        rest_day = 0
    return PeakWindow(_parse_time(value.get("starts"), "peaks.starts"), _parse_time(value.get("ends"), "peaks.ends"), rest_day)


DEFAULT_PATTERN = RotationPattern()


def local_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def planned_shifts(pattern: RotationPattern, squads: dict[int, Squad], days: list[date]) -> list[Shift]:
    """The rotation over `days`: each day's main shifts and the peaks' secondary squads, unsaved."""
    shifts = []
    for day in days:
        for number, squad in squads.items():
            kind = pattern.shift_of(number, day)
            if kind:
                starts_at, ends_at = pattern.window(day, kind)
                shifts.append(Shift(squad=squad, kind=kind, starts_at=starts_at, ends_at=ends_at))
            rest_day = pattern.rest_day_of(number, day)
            shifts += [Shift(squad=squad, kind=ShiftKind.PEAK, secondary=True, starts_at=local_datetime(day, peak.starts),
                             ends_at=local_datetime(day, peak.ends)) for peak in pattern.peaks if peak.rest_day == rest_day]
    return sorted(shifts, key=lambda shift: (shift.starts_at, shift.squad.number))
