"""Callback data: what a button carries back when it is pressed, packed and parsed here only.

One small frozen dataclass per kind of button, typed like aiogram's `CallbackData`: `pack()`
gives the string a `Button` carries, `parse(data)` reads one back (`None` for data that no
button of ours produces: forged, damaged or from a version that is gone). The strings are
part of the contract (../shared/CONTRACT.md) and live in buttons of messages already sent, so
their form never changes: fields joined by ":" after the prefix; the last field takes the rest
(a zone such as "+05:30" holds a colon). Telegram allows 64 bytes (`DATA_LIMIT`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

DATA_LIMIT = 64  # bytes of callback data Telegram accepts


def _fields(rest: str | None, count: int) -> list[str] | None:
    """`rest` split into `count` non-empty fields (the last one takes the rest), or None."""
    if rest is None:
        return [] if count == 0 else None
    if count == 0:
        return None
    parts = rest.split(":", count - 1)
    if len(parts) != count or not all(parts):
        return None
    return parts


def _yes_no(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


# --- the assessment --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Answer:
    """`ans:<question>:<value>`: one option of a one-choice question."""

    PREFIX: ClassVar[str] = "ans"
    question: str
    value: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.question}:{self.value}"

    @classmethod
    def unpack(cls, rest: str | None) -> Answer | None:
        parts = _fields(rest, 2)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class Toggle:
    """`tog:<question>:<value>`: an option of a list question chosen or unchosen."""

    PREFIX: ClassVar[str] = "tog"
    question: str
    value: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.question}:{self.value}"

    @classmethod
    def unpack(cls, rest: str | None) -> Toggle | None:
        parts = _fields(rest, 2)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class Done:
    """`done:<question>`: the choices of a list question confirmed."""

    PREFIX: ClassVar[str] = "done"
    question: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.question}"

    @classmethod
    def unpack(cls, rest: str | None) -> Done | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class Skip:
    """`skip:<question>`: the question left unanswered."""

    PREFIX: ClassVar[str] = "skip"
    question: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.question}"

    @classmethod
    def unpack(cls, rest: str | None) -> Skip | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class Redo:
    """`redo:<question>`: an answer carried into the check, to be asked again."""

    PREFIX: ClassVar[str] = "redo"
    question: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.question}"

    @classmethod
    def unpack(cls, rest: str | None) -> Redo | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ConfirmSign:
    """`cfm:<red flag>:yes|no`: the answer to a warning sign asked back."""

    PREFIX: ClassVar[str] = "cfm"
    flag: str
    yes: bool

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.flag}:{'yes' if self.yes else 'no'}"

    @classmethod
    def unpack(cls, rest: str | None) -> ConfirmSign | None:
        parts = _fields(rest, 2)
        if not parts:
            return None
        answer = _yes_no(parts[1])
        return None if answer is None else cls(parts[0], answer)


@dataclass(frozen=True, slots=True)
class CauseDetail:
    """`cause:help|why:<cause>`: what helps, or why, for one cause of a result."""

    PREFIX: ClassVar[str] = "cause"
    ACTIONS: ClassVar[tuple[str, ...]] = ("help", "why")
    action: str
    cause: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.action}:{self.cause}"

    @classmethod
    def unpack(cls, rest: str | None) -> CauseDetail | None:
        parts = _fields(rest, 2)
        return cls(*parts) if parts and parts[0] in cls.ACTIONS else None


# --- menu, FAQ, account ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Menu:
    """`menu:<command>`: a menu button, handled as the command."""

    PREFIX: ClassVar[str] = "menu"
    command: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.command}"

    @classmethod
    def unpack(cls, rest: str | None) -> Menu | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class FaqLink:
    """`faq:<faq id>`: one FAQ entry's answer."""

    PREFIX: ClassVar[str] = "faq"
    faq_id: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.faq_id}"

    @classmethod
    def unpack(cls, rest: str | None) -> FaqLink | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class DeleteAnswer:
    """`del:yes|no`: the answer to /delete's confirmation."""

    PREFIX: ClassVar[str] = "del"
    yes: bool

    def pack(self) -> str:
        return f"{self.PREFIX}:{'yes' if self.yes else 'no'}"

    @classmethod
    def unpack(cls, rest: str | None) -> DeleteAnswer | None:
        answer = _yes_no(rest or "")
        return None if answer is None else cls(answer)


# --- reminders ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReminderPreset:
    """`rem:preset:<kind>:<preset>`: a reminder set to one of its presets."""

    PREFIX: ClassVar[str] = "rem:preset"
    kind: str
    preset: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.kind}:{self.preset}"

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderPreset | None:
        parts = _fields(rest, 2)
        return cls(*parts) if parts else None


def _kind_and_occurrence(rest: str | None) -> tuple[str, str] | None:
    parts = _fields(rest, 1)
    if not parts:
        return None
    kind, _, occurrence = parts[0].partition(":")
    if not kind or not (occurrence == "" or occurrence.isdigit()):
        return None
    return kind, occurrence


@dataclass(frozen=True, slots=True)
class ReminderDone:
    """`rem:done:<kind>:<due epoch>`: a fired reminder done (once per occurrence; buttons of
    older messages carry no occurrence: `rem:done:<kind>`)."""

    PREFIX: ClassVar[str] = "rem:done"
    kind: str
    occurrence: str = ""  # the fired occurrence's epoch seconds, as sent

    def pack(self) -> str:
        tail = f":{self.occurrence}" if self.occurrence else ""
        return f"{self.PREFIX}:{self.kind}{tail}"

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderDone | None:
        parts = _kind_and_occurrence(rest)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ReminderSnooze:
    """`rem:snooze:<kind>:<due epoch>`: a fired reminder snoozed (as `ReminderDone`)."""

    PREFIX: ClassVar[str] = "rem:snooze"
    kind: str
    occurrence: str = ""

    def pack(self) -> str:
        tail = f":{self.occurrence}" if self.occurrence else ""
        return f"{self.PREFIX}:{self.kind}{tail}"

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderSnooze | None:
        parts = _kind_and_occurrence(rest)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ReminderStop:
    """`rem:stop:<kind>`: a reminder kind turned off."""

    PREFIX: ClassVar[str] = "rem:stop"
    kind: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.kind}"

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderStop | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ReminderMenu:
    """`rem:menu:<kind>`: a reminder kind's presets."""

    PREFIX: ClassVar[str] = "rem:menu"
    kind: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.kind}"

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderMenu | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ReminderDecline:
    """`rem:no`: an offered reminder declined."""

    PREFIX: ClassVar[str] = "rem:no"

    def pack(self) -> str:
        return self.PREFIX

    @classmethod
    def unpack(cls, rest: str | None) -> ReminderDecline | None:
        return cls() if rest is None else None


# --- plain-word requests (dialogs/conversation.py) ------------------------------------------------
@dataclass(frozen=True, slots=True)
class ZoneYes:
    """`conv:zone:<zone>`: the time zone offered for a place said in passing, accepted."""

    PREFIX: ClassVar[str] = "conv:zone"
    zone: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.zone}"

    @classmethod
    def unpack(cls, rest: str | None) -> ZoneYes | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class ZoneNo:
    """`conv:zone_no`: the offered time zone declined."""

    PREFIX: ClassVar[str] = "conv:zone_no"

    def pack(self) -> str:
        return self.PREFIX

    @classmethod
    def unpack(cls, rest: str | None) -> ZoneNo | None:
        return cls() if rest is None else None


# --- the diary and the follow-up --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LogLevel:
    """`log:<level>`: today's twitching level for the diary."""

    PREFIX: ClassVar[str] = "log"
    level: str

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.level}"

    @classmethod
    def unpack(cls, rest: str | None) -> LogLevel | None:
        parts = _fields(rest, 1)
        return cls(*parts) if parts else None


@dataclass(frozen=True, slots=True)
class FollowUpAnswer:
    """`fu:<gone|better|same|worse>:<due epoch>`: the answer to one fired check-in."""

    PREFIX: ClassVar[str] = "fu"
    value: str
    stamp: str  # the check-in's due instant, epoch seconds

    def pack(self) -> str:
        return f"{self.PREFIX}:{self.value}:{self.stamp}"

    @classmethod
    def unpack(cls, rest: str | None) -> FollowUpAnswer | None:
        parts = _fields(rest, 2)
        return cls(*parts) if parts and parts[1].isdigit() else None


@dataclass(frozen=True, slots=True)
class FollowUpOff:
    """`fu:off`: no more check-ins."""

    PREFIX: ClassVar[str] = "fu:off"

    def pack(self) -> str:
        return self.PREFIX

    @classmethod
    def unpack(cls, rest: str | None) -> FollowUpOff | None:
        return cls() if rest is None else None


Callback = (
    Answer | Toggle | Done | Skip | Redo | ConfirmSign | CauseDetail | Menu | FaqLink
    | DeleteAnswer | ReminderPreset | ReminderDone | ReminderSnooze | ReminderStop
    | ReminderMenu | ReminderDecline | ZoneYes | ZoneNo | LogLevel | FollowUpAnswer
    | FollowUpOff
)  # fmt: skip
BUTTON_TYPES: tuple[type[Callback], ...] = (
    Answer, Toggle, Done, Skip, Redo, ConfirmSign, CauseDetail, Menu, FaqLink, DeleteAnswer,
    ReminderPreset, ReminderDone, ReminderSnooze, ReminderStop, ReminderMenu, ReminderDecline,
    ZoneYes, ZoneNo, LogLevel, FollowUpAnswer, FollowUpOff,
)  # fmt: skip
# Longest prefix first: "fu:off" before "fu", "conv:zone_no" before "conv:zone".
_BY_PREFIX = sorted(BUTTON_TYPES, key=lambda button: -len(button.PREFIX))


def parse(data: str) -> Callback | None:
    """The button behind `data`, or None when no button of ours carries it."""
    for button in _BY_PREFIX:
        prefix = button.PREFIX
        if data == prefix:
            return button.unpack(None)
        if data.startswith(prefix + ":"):
            return button.unpack(data[len(prefix) + 1 :])
    return None
