"""Exports of a briefing: the CSV of its period's incidents (callers' phones masked) and the PDF
briefing with its charts (ReportLab: pure Python, no system library to install).

Chinese needs a font with its glyphs. The PDF embeds the first TrueType CJK font it finds
(ANALYSIS_PDF_FONT, else WenQuanYi Zen Hei or Droid Sans Fallback, which `make` installs from
Debian's packages); with none it falls back to Adobe's STSong-Light, which every PDF reader
supplies itself, so a briefing is never refused for want of a font."""
import csv
import io
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from analysis.rollups import local_midnight
from common.names import local_name
from common.phones import mask_phone
from common.scoping import scoped
from dispatch.models import Incident

CSV_HEADER = ("number", "received_at", "category", "priority", "status", "zone", "platform", "address",
              "caller_phone", "dispatched_at", "arrived_at", "arrival_verified", "dispatch_to_scene_s",
              "call_to_scene_s", "target_s", "met_target", "closing", "closed_at")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def period_incidents(period, scope):
    incidents = Incident.objects.filter(received_at__gte=local_midnight(period.start),
                                        received_at__lt=local_midnight(period.end) + timedelta(days=1))
    incidents = scoped(incidents, None if scope.platform_ids is None else set(scope.platform_ids), "zone__platform_id")
    return incidents.select_related("zone__platform").order_by("received_at", "id")


def _iso(at):
    return timezone.localtime(at).isoformat() if at else ""


def csv_rows(period, scope):
    """The header, then one row per incident; phones masked for every reader of an export."""
    yield CSV_HEADER
    for i in period_incidents(period, scope).iterator(chunk_size=2000):
        met = i.met_target
        yield (i.number, _iso(i.received_at), i.get_category_display(), i.priority, i.get_status_display(),
               i.zone.code if i.zone else "", local_name(i.zone.platform) if i.zone and i.zone.platform else "",
               i.address, mask_phone(i.caller_phone), _iso(i.dispatched_at), _iso(i.arrived_at),
               "" if i.on_scene_at is None else ("no" if i.arrival_unverified else "yes"),
               "" if i.dispatch_to_scene_s is None else i.dispatch_to_scene_s,
               "" if i.call_to_scene_s is None else i.call_to_scene_s, i.target_s,
               "" if met is None else ("yes" if met else "no"), i.get_closing_display() if i.closing else "",
               _iso(i.closed_at))


class _Echo:
    def write(self, value):
        return value


def csv_stream(period, scope):
    """Encoded lines for a StreamingHttpResponse: UTF-8 with a byte-order mark, which Excel needs to
    read Chinese."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in csv_rows(period, scope):
        yield writer.writerow(row).encode()


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The name of the registered font for Chinese text (see the module's note)."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 - only a PDF needs ReportLab loaded
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    configured = getattr(settings, "ANALYSIS_PDF_FONT", "")
    for path in (configured, *FONT_CANDIDATES):
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("BriefingCJK", path, subfontIndex=0))
                return "BriefingCJK"
            except Exception:  # a font ReportLab cannot read (PostScript outlines): try the next
                continue
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def pdf_bytes(briefing, figures: dict, title: str) -> bytes:
    from analysis import pdf  # noqa: PLC0415 - ReportLab is loaded only for a PDF

    buffer = io.BytesIO()
    pdf.write_briefing(buffer, briefing=briefing, figures=figures, title=title, font=cjk_font())
    return buffer.getvalue()
