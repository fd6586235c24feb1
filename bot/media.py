"""Charts (PNG, matplotlib) and the doctor's report (PDF, fpdf2) from the engine's specs.

The engine returns `dialogs.media.ChartSpec` / `ReportSpec` in `Reply.media`; every transport
calls `MediaWriter.apply(replies)` before sending, which writes the files under
`<media dir>/<user id>/` and sets `Reply.image` / `Reply.document` to their absolute paths.
A reply marked `erase_media` (the user was deleted) removes that user's folder.

matplotlib and fpdf2 are imported on first use only, so start-up stays fast. matplotlib runs
with the Agg backend through its object API (no pyplot, no global figure state).
"""

from __future__ import annotations

import io
import logging
import shutil
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from dialogs.media import ChartSpec, ReportSpec, Section
from dialogs.types import Reply

if TYPE_CHECKING:  # types only: both libraries are imported on first use
    from fpdf import FPDF
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

LEVEL_COLOURS = ("#7fbf7f", "#f0b44c", "#d9534f")  # none, mild, strong
CAFFEINE_COLOUR = "#8c5a3c"
SLEEP_COLOUR = "#4a6fa5"
WATER_COLOUR = "#3fa7d6"
CHART_SIZE = (8.0, 9.6)  # inches; at CHART_DPI: 800 x 960 px, readable on a phone
CHART_DPI = 100
MM_PER_INCH = 25.4


def media_dir_for(setting: str | None, database: str) -> Path:
    """BOT_MEDIA_DIR, else `media/` beside the SQLite file (the working directory for a
    PostgreSQL URL or an in-memory database)."""
    if setting:
        return Path(setting)
    if "://" in database or database in (":memory:", "memory:"):
        return Path("media")
    return Path(database).resolve().parent / "media"


class MediaWriter:
    """Writes the files of replies that carry a spec (one folder per user)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def folder(self, user_id: int) -> Path:
        return self.root / str(int(user_id))

    def apply(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.erase_media:
                shutil.rmtree(self.folder(reply.user_id), ignore_errors=True)
            if reply.media is None:
                continue
            try:
                self._write(reply)
            except Exception:  # a chart that cannot be drawn must not lose the message
                log.exception("could not write the media of a reply")

    def _write(self, reply: Reply) -> None:
        spec = reply.media
        folder = self.folder(reply.user_id)
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, ChartSpec):
            path = folder / f"{spec.name}.png"
            write_chart(spec, path)
            reply.image = str(path.resolve())
        elif isinstance(spec, ReportSpec):
            path = folder / f"{spec.name}.pdf"
            write_report(spec, path)
            reply.document = str(path.resolve())


# --- the chart ----------------------------------------------------------------------------
def chart_figure(
    spec: ChartSpec, size: tuple[float, float] = CHART_SIZE, font: float = 12.0
) -> Figure:
    """A matplotlib Figure: twitching, caffeine, sleep and water, one panel each, the days
    shared; the plain-words lines under it. `font`: the base font size in points (the
    figure is drawn at its real size, so a phone screen and an A4 page each get theirs)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=CHART_DPI, layout="constrained")
    axes = figure.subplots(4, 1, sharex=True, height_ratios=(1.3, 1, 1, 1))
    x = list(range(len(spec.days)))
    labels = spec.labels
    twitch, caffeine, sleep, water = axes

    logged = [(i, v) for i, v in zip(x, spec.twitching, strict=True) if v is not None]
    twitch.bar(
        [i for i, _ in logged],
        [v + 0.15 for _, v in logged],  # "none" still shows as a short bar
        color=[LEVEL_COLOURS[min(v, len(LEVEL_COLOURS) - 1)] for _, v in logged],
        width=0.8,
        gid="twitching",
    )
    twitch.set_yticks(range(len(spec.level_names)), spec.level_names)
    twitch.set_ylim(0, len(spec.level_names) - 0.5 + 0.2)
    twitch.set_ylabel(labels.get("axis_twitching", ""))
    twitch.set_title(spec.title, fontsize=font * 4 / 3, loc="left")

    caf = [(i, v) for i, v in zip(x, spec.caffeine_mg, strict=True) if v is not None]
    caffeine.bar([i for i, _ in caf], [v for _, v in caf], color=CAFFEINE_COLOUR, gid="caffeine")
    caffeine.set_ylabel(labels.get("axis_caffeine", ""))

    slept = [(i, v) for i, v in zip(x, spec.sleep_hours, strict=True) if v is not None]
    sleep.plot(
        [i for i, _ in slept],
        [v for _, v in slept],
        marker="o",
        color=SLEEP_COLOUR,
        linewidth=2,
        gid="sleep",
    )
    sleep.axhline(spec.sleep_target, color="#999999", linestyle="--", linewidth=1)
    bedtimes = [i for i, v in zip(x, spec.bedtimes, strict=True) if v]
    if bedtimes:
        sleep.scatter(
            bedtimes,
            [0.4] * len(bedtimes),
            marker="^",
            color="#6c4a9e",
            label=labels.get("legend_bedtime", ""),
            gid="bedtimes",
        )
        sleep.legend(loc="upper left", fontsize=font * 5 / 6, frameon=False)
    sleep.set_ylim(0, max([10.0, *(v + 1 for _, v in slept)]))
    sleep.set_ylabel(labels.get("axis_sleep", ""))

    water.bar(x, list(spec.water), color=WATER_COLOUR, gid="water")
    water.set_ylabel(labels.get("axis_water", ""))
    water.set_ylim(0, max([4, *spec.water]) + 1)

    step = max(1, len(x) // 8)
    water.set_xticks(x[::step], [d.strftime("%d.%m.") for d in spec.days[::step]])
    water.set_xlim(-0.6, len(x) - 0.4)
    for ax in axes:
        ax.tick_params(labelsize=font * 11 / 12)
        ax.yaxis.label.set_size(font)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    if spec.caption:
        wrapped = "\n".join(textwrap.fill(line, 92) for line in spec.caption)
        figure.supxlabel(wrapped, fontsize=font * 11 / 12, ha="left", x=0.02, multialignment="left")
    return figure


def chart_png(
    spec: ChartSpec,
    size: tuple[float, float] = CHART_SIZE,
    font: float = 12.0,
    dpi: int = CHART_DPI,
) -> bytes:
    buffer = io.BytesIO()
    chart_figure(spec, size, font).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def write_chart(spec: ChartSpec, path: Path) -> None:
    _atomic_write(path, chart_png(spec))


# --- the report ------------------------------------------------------------------------------
def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def report_pdf(spec: ReportSpec) -> bytes:
    """One A4 page: title, the latest check, medicines, the diary chart, the timeline and
    the footer. Text is set in DejaVu Sans (shipped with matplotlib), so any language fits."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(14, 12, 14)
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(spec.title)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(width, 7, spec.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(width, 4.5, spec.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    for section in spec.sections:
        _section(pdf, section, width)
    footer_height = 14
    if spec.chart is not None:
        after = sum(7.0 + 4.4 * len(s.lines) for s in spec.after_chart)
        room = pdf.h - pdf.b_margin - footer_height - pdf.get_y() - after - 8
        height = max(60.0, min(125.0, room))
        _heading(pdf, spec.chart_heading, width)
        inches = (width / MM_PER_INCH, height / MM_PER_INCH)  # drawn at its printed size
        image = chart_png(spec.chart, size=inches, font=7.5, dpi=150)
        pdf.image(io.BytesIO(image), x=pdf.l_margin, w=width, h=height)
        pdf.ln(1)
    for section in spec.after_chart:
        _section(pdf, section, width)
    pdf.set_y(pdf.h - pdf.b_margin - footer_height)
    pdf.set_draw_color(180, 180, 180)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.multi_cell(width, 4.2, spec.footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str, width: float) -> None:
    if not text:
        return
    pdf.set_font("DejaVu", "B", 10.5)
    pdf.multi_cell(width, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def _section(pdf: FPDF, section: Section, width: float) -> None:
    _heading(pdf, section.heading, width)
    pdf.set_font("DejaVu", "", 9)
    for line in section.lines:
        pdf.multi_cell(width, 4.4, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.2)


def write_report(spec: ReportSpec, path: Path) -> None:
    _atomic_write(path, report_pdf(spec))


def _atomic_write(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never sees half a file."""
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
