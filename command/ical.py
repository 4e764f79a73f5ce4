"""iCalendar (RFC 5545) written by hand: a roster period's shifts as events, one per shift.

Times are in UTC (the `Z` form needs no VTIMEZONE block and every calendar shows them in its own
zone); text is escaped (§3.3.11) and lines are folded at 75 octets without splitting a UTF-8
character (§3.1); lines end with CRLF.
"""
from datetime import UTC

from django.utils import timezone

PRODID = "-//Unified traffic and patrol police command//Roster//ZH"


def escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, continuation lines starting with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not pieces else 74  # a continuation's leading space counts
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[dict]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    stamp = utc(timezone.now())
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp}", f"DTSTART:{utc(event['start'])}",
                  f"DTEND:{utc(event['end'])}", f"SUMMARY:{escape(event['summary'])}",
                  f"DESCRIPTION:{escape(event['description'])}", f"STATUS:{event['status']}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def roster_calendar(period, shifts, *, host: str) -> str:
    """Each shift of the period as an event: its squad and kind, and its crews in the description."""
    events = []
    for shift in shifts:
        crews = [f"{unit.call_sign}: {'、'.join(officer.name for officer in unit.officers.all())}" for unit in shift.units.all()]
        events.append({
            "uid": f"shift-{shift.pk}@{host.split(':')[0]}", "start": shift.starts_at, "end": shift.ends_at,
            "summary": f"{shift.squad.platform.name} {shift.squad.name} {shift.get_kind_display()}",
            "description": "\n".join(crews), "status": "CONFIRMED" if shift.approved else "TENTATIVE",
        })
    return calendar(f"{period.platform.name} {period.starts_on:%Y-%m-%d}", events)
