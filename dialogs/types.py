"""The engine's data at its seams: what comes in, what goes out.

A transport (Telegram, terminal, JSON lines) turns whatever arrived into an `Incoming`
and renders the `Reply` list the engine returns. Field names follow ../shared/CONTRACT.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.media import ChartSpec, ReportSpec


@dataclass(frozen=True, slots=True)
class Location:
    """A point the user shared (Telegram's location message), in degrees."""

    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: typed `text`, pressed a button whose data is `callback`, or
    shared a `location` (used only to find the time zone; never stored)."""

    user_id: int
    now: datetime  # timezone-aware; the engine never reads the real clock
    text: str | None = None
    callback: str | None = None
    first_name: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    data: str


@dataclass(slots=True)
class Reply:
    """One message to send. Optional fields are omitted from the JSON form when empty."""

    user_id: int
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    asks: str | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)
    causes: list[dict[str, Any]] | None = None  # [] on a result with no likely cause
    urgency: str | None = None
    red_flag: str | None = None
    red_flags: list[str] = field(default_factory=list)  # every sign named, most urgent first
    confirm: str | None = None  # this message asks whether the user has that sign
    faq: str | None = None
    reminder: str | None = None
    image: str | None = None  # set by the transport once it has written the chart
    document: str | None = None  # set by the transport once it has written the report
    # Transport hints (not part of the JSON contract):
    multi_select: bool = False  # the buttons toggle choices and end with a Done button
    edit_of_callback: bool = False  # a button press: the transport may edit the pressed message
    due: datetime | None = None  # a fired reminder: its occurrence's instant (for metrics)
    send_by: datetime | None = None  # a fired reminder: not worth sending after this (UTC)
    # a chart or report spec (dialogs.media) the transport renders to a file
    media: ChartSpec | ReportSpec | None = None
    erase_media: bool = False  # the user was deleted: the transport removes their files

    def to_json(self) -> dict[str, Any]:
        """The contract's REPLY object: fields without a value are left out."""
        out: dict[str, Any] = {"user_id": self.user_id, "text": self.text}
        if self.buttons:
            out["buttons"] = [
                [{"text": b.text, "data": b.data} for b in row] for row in self.buttons
            ]
        for name in (
            "asks", "urgency", "red_flag", "confirm", "faq", "reminder", "image", "document"
        ):  # fmt: skip
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.red_flags:
            out["red_flags"] = list(self.red_flags)
        if self.answers:
            out["answers"] = self.answers
        if self.causes is not None:
            out["causes"] = self.causes
        return out
