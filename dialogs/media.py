"""What a chart or a report shows, as plain data: the engine fills these, a transport draws them.

The engine stays pure and fast: it never imports a plotting or PDF library. A reply that
should carry a picture or a file gets one of these specs in `Reply.media`; `bot/media.py`
renders it (matplotlib, fpdf2), writes the file and sets `Reply.image` / `Reply.document`.
All wording is already filled in from knowledge.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """The diary over `days`: one value per day (None: nothing logged that day)."""

    title: str
    days: tuple[date, ...]
    twitching: tuple[int | None, ...]  # 0 none, 1 mild, 2 strong
    level_names: tuple[str, ...]  # the names of 0, 1, 2
    caffeine_mg: tuple[int | None, ...]
    sleep_hours: tuple[float | None, ...]
    water: tuple[int, ...]  # glasses logged with the water reminder's Done button
    bedtimes: tuple[int, ...]  # bedtimes logged with the sleep reminder's Done button
    labels: dict[str, str] = field(default_factory=dict)  # axis and legend texts
    caption: tuple[str, ...] = ()  # the plain-words lines under the chart
    sleep_target: float = 7.0  # the reference line on the sleep axis
    name: str = "stats"  # the file name (without extension) the transport writes


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A one-page report: a title, sections of lines, the diary chart, a footer."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    chart: ChartSpec | None
    chart_heading: str
    after_chart: tuple[Section, ...]  # sections printed below the chart
    footer: str
    name: str = "report"
