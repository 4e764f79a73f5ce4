"""Exports of a briefing: the CSV of its period's incidents (callers' phones masked) and the PDF
briefing with its charts (ReportLab: pure Python, no system library to install).

Chinese needs a font with its glyphs. ReportLab embeds TrueType outlines only, and the CJK fonts the
project's setup installs (Debian's fonts-noto-cjk) are OpenType with PostScript outlines, which it
cannot read. So the PDF names Adobe's standard Chinese font STSong-Light (a CID font with the
UniGB-UCS2-H encoding): nothing to install or embed, every PDF reader supplies it (or substitutes its
own CJK font: Noto CJK where poppler or Chromium read it), and the text stays text, extractable and
searchable, the same on every machine. ANALYSIS_PDF_FONT may name a TrueType font to embed instead."""
import csv
import io
import logging
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from analysis.rollups import local_midnight
from common.names import local_name
from common.phones import mask_phone
from common.scoping import scoped
from dispatch.models import Incident

log = logging.getLogger(__name__)

CSV_HEADER = ("number", "received_at", "category", "priority", "status", "zone", "platform", "address",
              "caller_phone", "dispatched_at", "arrived_at", "arrival_verified", "dispatch_to_scene_s",
              "call_to_scene_s", "target_s", "met_target", "closing", "closed_at")
CID_FONT = "STSong-Light"


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
    from reportlab.pdfbase.ttfonts import TTFont, TTFError  # noqa: PLC0415

    configured = settings.ANALYSIS_PDF_FONT
    if configured:
        try:
            pdfmetrics.registerFont(TTFont("BriefingCJK", configured, subfontIndex=0))
            return "BriefingCJK"
        except TTFError:  # PostScript outlines (an .otf, Noto CJK): ReportLab cannot embed it
            log.warning("ANALYSIS_PDF_FONT %s is no TrueType font ReportLab can embed: using %s", configured, CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def pdf_bytes(briefing, figures: dict, title: str) -> bytes:
    from analysis import pdf  # noqa: PLC0415 - ReportLab is loaded only for a PDF

    buffer = io.BytesIO()
    pdf.write_briefing(buffer, briefing=briefing, figures=figures, title=title, font=cjk_font())
    return buffer.getvalue()
