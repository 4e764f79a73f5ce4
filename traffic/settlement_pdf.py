"""The quick settlement's printable summary (道路交通事故快处快赔协议书) for the insurers: the incident,
place and time, each party with their vehicle, licence and phone in full (the parties' own copy), the
responsibility and the rule applied, the agreement, and both signatures as drawn on the tablet.

ReportLab, as the briefings (analysis/exports.py): Chinese is set in Adobe's standard STSong-Light CID
font, which needs nothing installed or embedded (ANALYSIS_PDF_FONT may name a TrueType font instead)."""
import io
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from traffic.accidents import party_label
from traffic.models import Settlement

CID_FONT = "STSong-Light"


@lru_cache(maxsize=1)
def cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 - only a PDF needs ReportLab loaded
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFError, TTFont  # noqa: PLC0415

    configured = getattr(settings, "ANALYSIS_PDF_FONT", "")
    if configured:
        try:
            pdfmetrics.registerFont(TTFont("SettlementCJK", configured, subfontIndex=0))
            return "SettlementCJK"
        except TTFError:  # PostScript outlines: ReportLab cannot embed them
            pass
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def settlement_pdf(settlement: Settlement) -> bytes:
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.lib.units import mm  # noqa: PLC0415
    from reportlab.platypus import SimpleDocTemplate  # noqa: PLC0415

    font = cjk_font()
    buffer = io.BytesIO()
    title = _("Quick settlement agreement of a road traffic accident")
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=_("Unified command"), leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(_story(settlement, title, font))
    return buffer.getvalue()


def _styles(font: str) -> dict:
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415

    return {"title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=8),
            "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
            "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=14)}


def _story(settlement: Settlement, title: str, font: str) -> list:
    from reportlab.platypus import Paragraph  # noqa: PLC0415
    from xml.sax.saxutils import escape  # noqa: PLC0415

    styles, accident = _styles(font), settlement.accident
    incident = accident.incident
    facts = [(_("Incident"), incident.number), (_("Place"), incident.address or f"{incident.lat:.5f}, {incident.lon:.5f}"),
             (_("Reported at"), _local(incident.received_at)), (_("Settled at"), _local(settlement.concluded_at)),
             (_("Injuries"), accident.get_injuries_display()), (_("Lanes blocked"), str(accident.lanes_blocked))]
    story = [Paragraph(escape(title), styles["title"]), _table(facts, font)]
    story += [Paragraph(escape(_("Parties")), styles["h2"]), _parties(accident, font)]
    story += [Paragraph(escape(_("Responsibility")), styles["h2"]),
              Paragraph(escape(_responsibility(settlement)), styles["body"])]
    if settlement.agreement:
        story += [Paragraph(escape(_("Agreement")), styles["h2"]), Paragraph(escape(settlement.agreement), styles["body"])]
    story += [Paragraph(escape(_("Signatures")), styles["h2"]), _signatures(settlement, font)]
    officer = settlement.concluded_by.get_full_name() or settlement.concluded_by.get_username()
    story.append(Paragraph(escape(_("Handled by %(officer)s. Each party claims through their insurer with this "
                                    "agreement.") % {"officer": officer}), styles["body"]))
    return story


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "–"


def _responsibility(settlement: Settlement) -> str:
    party = settlement.responsible_party
    who = (_("%(party)s fully responsible") % {"party": party_label(party.position, party.name)} if party
           else settlement.get_responsibility_display())
    return f"{who} · {_('Rule applied')}: {settlement.get_rule_display()}"


def _table(rows, font, widths=None):
    from reportlab.lib import colors  # noqa: PLC0415
    from reportlab.platypus import Table, TableStyle  # noqa: PLC0415

    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _parties(accident, font):
    head = [_("Party"), _("Name"), _("Phone"), _("Driving licence"), _("Vehicle"), _("Number plate")]
    rows = [head] + [[party_label(p.position), p.name, p.phone, p.licence_number or "–", p.get_vehicle_kind_display(),
                      p.plate or "–"] for p in accident.parties.order_by("position")]
    return _table(rows, font)


def _signatures(settlement: Settlement, font):
    from reportlab.lib.units import mm  # noqa: PLC0415
    from reportlab.platypus import Image  # noqa: PLC0415

    rows = []
    for signature in settlement.signatures.select_related("party").order_by("party__position"):
        image = Image(io.BytesIO(bytes(signature.image)), width=60 * mm, height=22 * mm, kind="proportional")
        rows.append([party_label(signature.party.position, signature.party.name), image, _local(signature.signed_at)])
    return _table(rows, font)
