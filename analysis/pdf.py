"""The PDF briefing: its title, the period and scope, the totals against 同比 and 环比, charts of the
incidents by category and by hour, the response figures per class, the hot spots, patrols and
callback satisfaction. Drawn with ReportLab's own charts, so the PDF needs no browser."""
from django.utils.translation import gettext as _, ngettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from analysis import briefings

SERIES = (colors.HexColor("#1565c0"), colors.HexColor("#90a4ae"), colors.HexColor("#ef6c00"))
CLASSES = ("key_site", "city_centre", "other", "overall")


def _pct(value) -> str:
    return "–" if value is None else f"{value:+.1f}%"


def _share(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _s(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def write_briefing(out, *, briefing, figures: dict, title: str, font: str) -> None:
    styles = {"title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6),
              "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
              "body": ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)}
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, author=_("Unified command"), leftMargin=16 * mm,
                            rightMargin=16 * mm, topMargin=14 * mm, bottomMargin=14 * mm)
    story = [Paragraph(title, styles["title"]), Paragraph(_subtitle(figures), styles["body"]), Spacer(1, 4 * mm)]
    story += _totals(figures, styles, font)
    story += [Paragraph(_("Incidents by category"), styles["h2"]), _category_chart(figures, font)]
    story += [Paragraph(_("Incidents by hour of the day"), styles["h2"]), _hour_chart(figures, font)]
    story += _response(figures, styles, font)
    story += _hot_spots(figures, styles, font)
    story += _patrol_and_satisfaction(figures, styles)
    story += _traffic(figures, styles, font)
    doc.build(story)


def _subtitle(figures: dict) -> str:
    period, scope = figures["period"], figures["scope"]
    return (f"{scope['name']} · {period['start']} – {period['end']} · "
            + _("compared with %(previous)s and %(last_year)s") % {
                "previous": f"{figures['previous_period']['start']} – {figures['previous_period']['end']}",
                "last_year": f"{figures['last_year_period']['start']} – {figures['last_year_period']['end']}"})


def _table(rows, font, widths=None) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                               ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    return table


def _totals(figures, styles, font) -> list:
    head = [_("Figure"), _("This period"), _("Previous period"), _("vs previous"), _("Last year"), _("vs last year")]
    names = (("incidents", _("Incidents")), ("cancelled", _("Cancelled")), ("on_view", _("Found on patrol")))
    rows = [head] + [[label, t["value"], t["previous"], _pct(t["pop_pct"]), t["last_year"], _pct(t["yoy_pct"])]
                     for key, label in names for t in [figures["totals"][key]]]
    share = figures["within_target"]
    rows.append([_("On scene within target"), _share(share["value"]), _share(share["previous"]), _pct(share["pop_pct"]),
                 _share(share["last_year"]), _pct(share["yoy_pct"])])
    rows += [[row["label"], row["value"], row["previous"], _pct(row["pop_pct"]), row["last_year"], _pct(row["yoy_pct"])]
             for row in figures["by_category"]]
    return [Paragraph(_("Totals and categories"), styles["h2"]), _table(rows, font)]


def _bar_labels(chart, font) -> None:
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7


def _category_chart(figures, font) -> Drawing:
    rows = figures["by_category"]
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 14 * mm, 120 * mm, 44 * mm
    chart.data = [[r["value"] for r in rows] or [0], [r["previous"] for r in rows] or [0], [r["last_year"] for r in rows] or [0]]
    chart.categoryAxis.categoryNames = [r["label"] for r in rows] or [""]
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 30, "ne"
    chart.valueAxis.valueMin = 0
    for n, colour in enumerate(SERIES):
        chart.bars[n].fillColor = colour
    _bar_labels(chart, font)
    drawing.add(chart)
    drawing.add(_legend(font, [_("This period"), _("Previous period"), _("Last year")], 138 * mm, 50 * mm))
    return drawing


def _legend(font, names, x, y) -> Legend:
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = x, y, font, 8
    legend.colorNamePairs = list(zip(SERIES, names))
    return legend


def _hour_chart(figures, font) -> Drawing:
    hours = [sum(day[h] for day in figures["hour_of_week"]) for h in range(24)]
    drawing = Drawing(170 * mm, 50 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 38 * mm
    chart.data = [hours]
    chart.categoryAxis.categoryNames = [f"{h:02d}" for h in range(24)]
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = SERIES[0], 1.5
    chart.valueAxis.valueMin = 0
    _bar_labels(chart, font)
    drawing.add(chart)
    drawing.add(String(0, 0, _("hour"), fontName=font, fontSize=7))
    return drawing


def _response(figures, styles, font) -> list:
    labels = {"key_site": _("Key sites (60 s)"), "city_centre": _("City centre (180 s)"), "other": _("Other areas (300 s)"),
              "overall": _("Overall")}
    head = [_("Class"), _("Reached"), _("Within target"), _("P50 / P90 ordered → on scene (s)"),
            _("P50 / P90 call → on scene (s)"), _("Unverified arrivals")]
    rows = [head] + [[labels[name], r["reached"], _share(r["share_within_target"]),
                      f"{_s(r['p50_response_s'])} / {_s(r['p90_response_s'])}",
                      f"{_s(r['p50_call_to_scene_s'])} / {_s(r['p90_call_to_scene_s'])}", r["unverified_arrivals"]]
                     for name in CLASSES for r in [figures["response"][name]]]
    on_view = figures["totals"]["on_view"]["value"]
    beside = ngettext("Beside them: %(n)d incident found on patrol, not counted as a response (its crew was on scene "
                      "when it was reported).", "Beside them: %(n)d incidents found on patrol, not counted as responses "
                      "(their crews were on scene when they were reported).", on_view) % {"n": on_view}
    return [Paragraph(_("Response (1/3/5 minutes)"), styles["h2"]), _table(rows, font), Spacer(1, 2 * mm),
            Paragraph(beside, styles["body"])]


def _hot_spots(figures, styles, font) -> list:
    spots = figures.get("hot_spots") or []
    if not spots:
        return [Paragraph(_("Hot spots"), styles["h2"]), Paragraph(_("No significant hot spot."), styles["body"])]
    rows = [[_("Cell"), _("Incidents"), _("Gi* z"), _("p"), _("Confidence")]]
    rows += [[s["cell"], s["incidents"], f"{s['z']:.2f}", f"{s['p_norm']:.4f}", f"{s['class']}%"] for s in spots]
    return [Paragraph(_("Hot spots"), styles["h2"]), _table(rows, font)]


def _traffic(figures, styles, font) -> list:
    """The traffic work against 环比 and 同比 (a briefing made before it was counted has none)."""
    if not figures.get("traffic"):
        return []
    head = [_("Figure"), _("This period"), _("Previous period"), _("vs previous"), _("Last year"), _("vs last year")]
    rows = [head] + [[row["label"], row["value"], row["previous"], _pct(row["pop_pct"]), row["last_year"],
                      _pct(row["yoy_pct"])] for row in briefings.traffic_rows(figures)]
    return [Paragraph(_("Traffic work"), styles["h2"]), _table(rows, font)]


def _patrol_and_satisfaction(figures, styles) -> list:
    patrol, lines = figures.get("patrol") or {}, []
    if patrol:
        lines.append(_("Must-patrol points visited: %(visited)s of %(due)s; routes covered: %(covered)s of %(routes)s "
                       "(%(days)s days judged from the tracks).") % {
            "visited": patrol["points_visited"], "due": patrol["points_due"], "covered": patrol["routes_covered"],
            "routes": patrol["routes_due"], "days": patrol["days_judged"]})
    satisfaction = figures.get("satisfaction") or {}
    if satisfaction:
        rate = satisfaction["rate"]
        lines.append(_("Callback satisfaction: %(rate)s of %(answered)s answers (环比 %(pop)s, 同比 %(yoy)s).") % {
            "rate": _share(rate["value"]), "answered": satisfaction["answered"], "pop": _pct(rate["pop_pct"]),
            "yoy": _pct(rate["yoy_pct"])})
    return [Paragraph(_("Patrols and callbacks"), styles["h2"])] + [Paragraph(line, styles["body"]) for line in lines]
