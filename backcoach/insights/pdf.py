"""The clinician report as a PDF of one or two A4 pages, drawn with fpdf2 from the same
values as the HTML report (report.ClinicianReport).

Why fpdf2: it installs from wheels alone (WeasyPrint, which would print the HTML page
itself, needs the system's Pango, which `make run` cannot install without root), and it
draws the progress page's own SVG charts (charts.py), so the paper shows the same
pictures as the screen; reportlab reads no SVG. The text is set in Liberation Sans,
shipped in fonts/ and embedded as a subset, so a name in Greek or Polish prints as typed
on any machine.

The charts take their colours from CSS classes (progress.css); fpdf2 reads no stylesheet
but a <style> inside the SVG, so each chart gets one with the paper's colours. Their
<title> and <desc> become the image's alternative text.
"""

import html
import re
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from .ranges import date_text
from .report import ClinicianReport
from .summary import plural

FONTS = Path(__file__).parent / "fonts"
FAMILY = "LiberationSans"
PAGE_MARGIN = 14  # mm
GUTTER = 6
COLUMN = (210 - 2 * PAGE_MARGIN - GUTTER) / 2
CHART_VIEW_WIDTH = 360  # charts.WIDTH
TEXT = (23, 32, 43)
MUTED = (74, 85, 99)
RULE = (197, 204, 214)
SHADE = (238, 241, 245)

# The light theme's colours (site.css), for paper: the classes charts.py draws with.
CHART_STYLE = f"""<style>
.chart-label {{ fill: #4a5563; font-family: {FAMILY}; }}
.chart-grid {{ stroke: #d5dae1; stroke-width: 1; }}
.chart-axis {{ stroke: #4a5563; stroke-width: 1; }}
.chart-band {{ fill: #0b5cad; fill-opacity: 0.14; stroke: none; }}
.chart-point {{ fill: #17202b; fill-opacity: 0.8; stroke: none; }}
.chart-open {{ fill: #ffffff; stroke: #17202b; stroke-width: 1.5; }}
.chart-mean {{ fill: none; stroke: #0b5cad; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; }}
.chart-change {{ stroke-width: 2.5; }}
.chart-down {{ stroke: #1d6b36; }}
.chart-up {{ stroke: #a4161a; stroke-dasharray: 3 2; }}
.chart-same {{ stroke: #4a5563; }}
.heat-0 {{ fill: #ffffff; stroke: #9aa3ae; stroke-width: 1; }}
.heat-1 {{ fill: #8fc19f; stroke: #1d6b36; stroke-width: 1; }}
.heat-2 {{ fill: #1d6b36; stroke: #1d6b36; stroke-width: 1; }}
.heat-out {{ fill: none; stroke: #c5ccd6; stroke-width: 1; stroke-dasharray: 3 3; }}
</style>"""
SVG_OPEN = re.compile(r"<svg\b[^>]*>")
TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)


def paper_svg(svg: str) -> tuple[bytes, str]:
    """The chart with the paper's colours, and its title and description as one text
    (fpdf2 would only warn that it ignores them)."""
    title, desc = TITLE.search(svg), DESC.search(svg)
    alt = " ".join(html.unescape(found.group(1)) for found in (title, desc) if found)
    body = DESC.sub("", TITLE.sub("", svg))
    opening = SVG_OPEN.search(body)
    if opening is None:
        raise ValueError("not an SVG chart")
    end = opening.end()
    return (body[:end] + CHART_STYLE + body[end:]).encode(), alt


class ReportPDF(FPDF):
    def __init__(self, report: ClinicianReport):
        super().__init__(format="A4", unit="mm")
        self.report = report
        self.add_font(FAMILY, "", FONTS / "LiberationSans-Regular.ttf")
        self.add_font(FAMILY, "B", FONTS / "LiberationSans-Bold.ttf")
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=PAGE_MARGIN + 4)
        self.set_title(report.title)
        self.set_author(report.name)
        self.set_subject(f"Back pain diary, {report.dates.text()}")
        self.set_creator("backcoach")
        self.set_lang("en")

    def multi_cell(self, *args, **kwargs):
        # Ragged right, as on screen: fpdf2 justifies by default, which stretches the
        # spaces of a short line into gaps.
        kwargs.setdefault("align", Align.L)
        return super().multi_cell(*args, **kwargs)

    def footer(self) -> None:
        self.set_y(-PAGE_MARGIN)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            4,
            f"{self.report.title}, {self.report.dates.text()}. Page {self.page_no()} of {{nb}}",
            align=Align.C,
        )

    # Building blocks -----------------------------------------------------------------

    def font(self, size: float, style: str = "", color=TEXT) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)

    def heading(self, text: str, size: float = 12, space: float = 4) -> None:
        self.ln(space)
        # A heading is not left alone at the foot of a page.
        if self.will_page_break(28):
            self.add_page()
        self.font(size, "B")
        self.start_section(text)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5, color=TEXT, width: float = 0) -> None:
        self.font(size, "", color)
        self.multi_cell(width, size * 0.47, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.2)

    def chart_height(self, chart, width: float) -> float:
        svg_height = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', chart.svg).group(1))
        picture = width * svg_height / CHART_VIEW_WIDTH
        self.font(8.5, "B")
        head = self.multi_cell(width, 4.2, chart.heading, dry_run=True, output="HEIGHT")
        self.font(7.5)
        caption = self.multi_cell(width, 3.4, chart.how_to_read, dry_run=True, output="HEIGHT")
        return head + 1 + picture + 1 + caption

    def chart(self, chart, x: float, y: float, width: float) -> None:
        self.set_xy(x, y)
        self.font(8.5, "B")
        self.multi_cell(width, 4.2, chart.heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        data, alt = paper_svg(str(chart.svg))
        top = self.get_y() + 1
        info = self.image(BytesIO(data), x=x, y=top, w=width, alt_text=alt)
        self.set_xy(x, top + info.rendered_height + 1)
        self.font(7.5, "", MUTED)
        self.multi_cell(width, 3.4, chart.how_to_read, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def chart_row(self, row: list) -> None:
        """Up to two charts side by side, kept together on one page."""
        height = max(self.chart_height(chart, COLUMN) for chart in row)
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        for index, chart in enumerate(row):
            self.chart(chart, PAGE_MARGIN + index * (COLUMN + GUTTER), top, COLUMN)
        self.set_xy(PAGE_MARGIN, top + height + 3)

    # The report ----------------------------------------------------------------------

    def build(self) -> None:
        report = self.report
        self.add_page()
        self.font(16, "B")
        self.multi_cell(0, 7.5, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(9.5, "", MUTED)
        self.multi_cell(
            0,
            4.6,
            f"{report.span_text}. From the person's own diary in backcoach, made on "
            f"{date_text(report.made_on)}. Self-reported; not a diagnosis.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_draw_color(*RULE)
        self.line(PAGE_MARGIN, self.get_y() + 1.5, 210 - PAGE_MARGIN, self.get_y() + 1.5)
        self.ln(2)
        if not report.has_entries:
            self.heading("Nothing recorded")
            self.paragraph(
                "No check-ins or practices fall in these dates. Choose other dates for the "
                "report, or record a few weeks of check-ins first."
            )
            return
        self.in_short()
        self.measures()
        charts = report.charts
        for start in range(0, len(charts), 2):
            if start == 0:
                self.heading("Charts", space=2)
            self.chart_row(charts[start : start + 2])
        self.practices()
        self.experiment()
        self.in_words()

    def in_short(self) -> None:
        summary = self.report.summary
        self.heading("In short")
        self.paragraph(summary.pain)
        if summary.pain_meaning:
            self.paragraph(summary.pain_meaning, size=8.5, color=MUTED)
        self.paragraph(summary.adherence)

    def measures(self) -> None:
        self.heading("Measures", space=2)
        self.font(8.5)
        self.set_draw_color(*RULE)
        headings = ("Measure", "Entries", "First week", "Latest week", "Mean", "Range")
        with self.table(
            col_widths=(52, 24, 29, 29, 16, 32),
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            headings_style=FontFace(emphasis="BOLD", fill_color=SHADE),
            cell_fill_mode=TableCellFillMode.NONE,
            line_height=4.6,
            padding=(0.8, 1.5),
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            table.row(headings)
            for row in self.report.measures:
                table.row(
                    (
                        f"{row.name}, {row.better}",
                        row.count,
                        *row.week_texts(),
                        row.mean,
                        row.extremes,
                    )
                )
        self.font(7.5, "", MUTED)
        self.multi_cell(
            0,
            3.4,
            "First and latest week: the mean of the first and of the latest week (Monday to "
            "Sunday, dated by its Monday) with a value in these dates; range: the lowest and "
            "the highest value. Pain counts check-ins and the ratings before practices; sleep "
            "is dated by the night it began.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def practices(self) -> None:
        practices = self.report.practices
        self.heading("Practices")
        if not practices.count:
            self.paragraph("No practices in these dates.")
            return
        stopped = (
            f", {practices.stopped_early} of them stopped early" if practices.stopped_early else ""
        )
        self.paragraph(f"{plural(practices.count, 'practice')}{stopped}. {practices.adherence}")
        routines = "; ".join(f"{name} ({count})" for name, count in practices.routines)
        self.paragraph(f"Routines done most: {routines}.")
        self.paragraph(practices.before_after)

    def experiment(self) -> None:
        result = self.report.experiment
        if result is None:
            return
        self.heading("Personal experiment")
        self.font(9.5, "B")
        self.multi_cell(0, 4.6, result.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.paragraph(f"{result.question} Measured by: {result.outcome.lower()}.")
        self.paragraph(f"{result.state_text} {result.nights_text}")
        self.font(9.5, "B")
        self.multi_cell(0, 4.6, result.sentence, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.2)
        if result.estimate:
            method = f" Method: {result.method}." if result.method else ""
            self.paragraph(f"{result.estimate}.{method}", size=8.5, color=MUTED)

    def in_words(self) -> None:
        summary = self.report.summary
        self.heading("In words")
        self.paragraph(summary.weeks)
        self.paragraph(" ".join(summary.nights))
        self.font(7.5, "B", MUTED)
        self.multi_cell(
            0, 3.6, "Where “a change that matters” comes from", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.font(7.5, "", MUTED)
        for source in summary.sources:
            self.multi_cell(0, 3.4, source.citation, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def report_pdf(report: ClinicianReport) -> bytes:
    """The report as the bytes of a PDF file."""
    document = ReportPDF(report)
    document.build()
    return bytes(document.output())
