"""The dialog state of one user: what the bot remembers between two messages.

The store keeps it as JSON (`UserRecord.state`); `DialogState.from_stored(dict)` reads that
form and `to_stored()` writes exactly the same keys back, so rows written before this module
existed load unchanged. Keys this module does not know are kept as they are (`extra`); a known
key whose value has the wrong shape (a damaged row) reads as absent. An optional field that is
None (or an empty list where the old code removed the key) is left out of the stored form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# The stored keys (the JSON form of older rows uses the same names).
AWAITING = "awaiting"
CONFIRM = "confirm"
ASSESSMENT = "assessment"
LAST_RESULT = "last_result"
KNOWN = "known"  # answers told outside a check {question: value}
KNOWN_DETAILS = "known_details"
FAQ_SEEN = "faq_seen"  # FAQ ids answered in full already
TALK_COUNT = "talk_n"
OWN_WORD = "own_word"  # the user's own word (cramp, spasm, twitch)
FOLLOWUP = "followup"
FOLLOWUP_OFF = "followup_off"
REMINDERS = "reminders"  # the reminder kinds switched on
REMINDER_PRESSES = "reminder_presses"  # Done / Snooze presses of recent reminder messages
LAST_DETAILS = "last_details"  # the last check's figures, for the report
FLOOR = "urgency_floor"  # in a re-check's assessment: the lowest urgency its result has


def _dict(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, Mapping) else None


def _list(value: Any) -> list[Any] | None:
    return list(value) if isinstance(value, list | tuple) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _rest(raw: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in known}


@dataclass(slots=True)
class CheckState:
    """The assessment in progress (stored under "assessment")."""

    answers: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    red_flags: list[str] = field(default_factory=list)
    asking: str | None = None  # the question asked last
    misses: int = 0  # messages that did not answer `asking`
    started: str = ""  # ISO instant
    selection: list[str] | None = None  # a list question's choices so far (None: none yet)
    urgency_floor: dict[str, Any] | None = None  # a re-check after "worse" (dialogs/followup.py)
    extra: dict[str, Any] = field(default_factory=dict)

    _KEYS = ("answers", "details", "red_flags", "asking", "misses", "started", "selection", FLOOR)

    @classmethod
    def from_stored(cls, raw: Any) -> CheckState | None:
        if not isinstance(raw, Mapping):
            return None
        misses = raw.get("misses", 0)
        return cls(
            answers=_dict(raw.get("answers")) or {},
            details=_dict(raw.get("details")) or {},
            red_flags=[str(f) for f in _list(raw.get("red_flags")) or []],
            asking=_str(raw.get("asking")),
            misses=misses if isinstance(misses, int) else 0,
            started=_str(raw.get("started")) or "",
            selection=_list(raw.get("selection")),
            urgency_floor=_dict(raw.get(FLOOR)),
            extra=_rest(raw, cls._KEYS),
        )

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "answers": self.answers,
            "details": self.details,
            "red_flags": self.red_flags,
            "asking": self.asking,
            "misses": self.misses,
            "started": self.started,
        }
        if self.urgency_floor is not None:
            out[FLOOR] = self.urgency_floor
        if self.selection is not None:
            out["selection"] = self.selection
        return {**self.extra, **out}


@dataclass(slots=True)
class PendingConfirm:
    """A warning sign asked back ("Do you mean ...?"), waiting for yes or no."""

    flag: str
    queue: list[str] = field(default_factory=list)  # more signs to ask after this one
    held: list[dict[str, Any]] = field(default_factory=list)  # answers held back till then
    screen: list[str] | None = None  # the warning-sign screen's pending value
    in_check: bool = False
    faq: str | None = None  # a free question whose answer waits for the yes or no
    ask: bool | None = None  # the question came by /ask (None: not from a question)
    retried: bool | None = None  # asked again once after an unclear answer
    extra: dict[str, Any] = field(default_factory=dict)

    _KEYS = ("flag", "queue", "held", "screen", "in_check", "faq", "ask", "retried")

    @classmethod
    def from_stored(cls, raw: Any) -> PendingConfirm | None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("flag"), str):
            return None
        ask = raw.get("ask")
        retried = raw.get("retried")
        return cls(
            flag=raw["flag"],
            queue=[str(f) for f in _list(raw.get("queue")) or []],
            held=[h for h in _list(raw.get("held")) or [] if isinstance(h, dict)],
            screen=_list(raw.get("screen")),
            in_check=bool(raw.get("in_check")),
            faq=_str(raw.get("faq")),
            ask=None if "ask" not in raw else bool(ask),
            retried=None if "retried" not in raw else bool(retried),
            extra=_rest(raw, cls._KEYS),
        )

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "flag": self.flag,
            "queue": self.queue,
            "held": self.held,
            "screen": self.screen,
            "in_check": self.in_check,
        }
        if self.ask is not None:
            out["faq"] = self.faq
            out["ask"] = self.ask
        if self.retried is not None:
            out["retried"] = self.retried
        return {**self.extra, **out}


@dataclass(slots=True)
class LastResult:
    """The last check's result, for its buttons (what helps, why) and the offers after it."""

    causes: list[str] = field(default_factory=list)
    urgency: str | None = None
    answers: dict[str, Any] | None = None
    details: dict[str, Any] | None = None
    red_flags: list[str] | None = None
    offer_instead: dict[str, str] | None = None  # a reminder kind -> what is said instead
    extra: dict[str, Any] = field(default_factory=dict)

    _KEYS = ("causes", "urgency", "answers", "details", "red_flags", "offer_instead")

    @classmethod
    def from_stored(cls, raw: Any) -> LastResult | None:
        if not isinstance(raw, Mapping):
            return None
        return cls(
            causes=[str(c) for c in _list(raw.get("causes")) or []],
            urgency=_str(raw.get("urgency")),
            answers=_dict(raw.get("answers")),
            details=_dict(raw.get("details")),
            red_flags=_list(raw.get("red_flags")),
            offer_instead=_dict(raw.get("offer_instead")),
            extra=_rest(raw, cls._KEYS),
        )

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {"causes": self.causes, "urgency": self.urgency}
        for name in ("answers", "details", "red_flags", "offer_instead"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return {**self.extra, **out}


@dataclass(slots=True)
class FollowUpPlan:
    """The planned check-in a week after a result (dialogs/followup.py)."""

    due: str  # ISO instant
    check: str | None = None  # ISO instant of the check it follows
    base_days: float | None = None  # how long the twitching had lasted then
    answered: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # "write" (a flag older rows kept by mistake: their reminder row was written in the same
    # transaction) is dropped on load, so a later message never writes the row again.
    _KEYS = ("due", "check", "base_days", "write", "answered")

    @classmethod
    def from_stored(cls, raw: Any) -> FollowUpPlan | None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("due"), str):
            return None
        base = raw.get("base_days")
        return cls(
            due=raw["due"],
            check=_str(raw.get("check")),
            base_days=float(base) if isinstance(base, int | float) else None,
            answered=None if "answered" not in raw else bool(raw["answered"]),
            extra=_rest(raw, cls._KEYS),
        )

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {"due": self.due}
        if self.check is not None:
            out["check"] = self.check
        if self.base_days is not None:
            out["base_days"] = self.base_days
        if self.answered is not None:
            out["answered"] = self.answered
        return {**self.extra, **out}


@dataclass(slots=True)
class DialogState:
    """Everything kept about a user's dialog between messages."""

    awaiting: str | None = None  # the reply a prompt waits for ("delete", "reminder:...")
    confirm: PendingConfirm | None = None
    assessment: CheckState | None = None
    last_result: LastResult | None = None
    known: dict[str, Any] | None = None
    known_details: dict[str, Any] | None = None
    faq_seen: list[str] | None = None
    talk_n: int | None = None
    own_word: str | None = None
    followup: FollowUpPlan | None = None
    followup_off: bool = False
    reminders: list[str] = field(default_factory=list)
    reminder_presses: list[str] = field(default_factory=list)
    last_details: dict[str, Any] | None = None  # {"at": ISO instant, "details": {...}}
    extra: dict[str, Any] = field(default_factory=dict)

    _KEYS = (
        AWAITING, CONFIRM, ASSESSMENT, LAST_RESULT, KNOWN, KNOWN_DETAILS, FAQ_SEEN, TALK_COUNT,
        OWN_WORD, FOLLOWUP, FOLLOWUP_OFF, REMINDERS, REMINDER_PRESSES, LAST_DETAILS,
    )  # fmt: skip

    @classmethod
    def from_stored(cls, raw: Any) -> DialogState:
        if not isinstance(raw, Mapping):
            return cls()
        talk = raw.get(TALK_COUNT)
        return cls(
            awaiting=_str(raw.get(AWAITING)),
            confirm=PendingConfirm.from_stored(raw.get(CONFIRM)),
            assessment=CheckState.from_stored(raw.get(ASSESSMENT)),
            last_result=LastResult.from_stored(raw.get(LAST_RESULT)),
            known=_dict(raw.get(KNOWN)),
            known_details=_dict(raw.get(KNOWN_DETAILS)),
            faq_seen=_list(raw.get(FAQ_SEEN)),
            talk_n=talk if isinstance(talk, int) and not isinstance(talk, bool) else None,
            own_word=_str(raw.get(OWN_WORD)),
            followup=FollowUpPlan.from_stored(raw.get(FOLLOWUP)),
            followup_off=bool(raw.get(FOLLOWUP_OFF)),
            reminders=[str(k) for k in _list(raw.get(REMINDERS)) or []],
            reminder_presses=[str(p) for p in _list(raw.get(REMINDER_PRESSES)) or []],
            last_details=_dict(raw.get(LAST_DETAILS)),
            extra=_rest(raw, cls._KEYS),
        )

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        plain = {
            AWAITING: self.awaiting,
            KNOWN: self.known,
            KNOWN_DETAILS: self.known_details,
            FAQ_SEEN: self.faq_seen,
            TALK_COUNT: self.talk_n,
            OWN_WORD: self.own_word,
            LAST_DETAILS: self.last_details,
        }
        out.update({k: v for k, v in plain.items() if v is not None})
        parts = {
            CONFIRM: self.confirm,
            ASSESSMENT: self.assessment,
            LAST_RESULT: self.last_result,
            FOLLOWUP: self.followup,
        }
        out.update({k: v.to_stored() for k, v in parts.items() if v is not None})
        if self.followup_off:
            out[FOLLOWUP_OFF] = True
        if self.reminders:
            out[REMINDERS] = list(self.reminders)
        if self.reminder_presses:
            out[REMINDER_PRESSES] = list(self.reminder_presses)
        return out

    def clear(self) -> None:
        """Forget everything (the user was deleted)."""
        fresh = DialogState()
        for item in fields(self):
            setattr(self, item.name, getattr(fresh, item.name))
