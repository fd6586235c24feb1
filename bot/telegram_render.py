"""Engine replies -> Telegram message parts (pure functions, no network).

Messages go out as plain text (no parse_mode), so nothing a user typed, and nothing in
knowledge.yaml, can break the formatting. Texts longer than Telegram's limit are split at
line breaks; the keyboard goes with the last part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from dialogs import callbacks
from dialogs.knowledge import Messages
from dialogs.types import Button, Reply

MESSAGE_LIMIT = 4096  # characters in one Telegram message
CAPTION_LIMIT = 1024  # characters in the caption of a photo or document
CALLBACK_DATA_LIMIT = callbacks.DATA_LIMIT  # bytes of callback_data
BUTTON_TEXT_LIMIT = 64  # characters we keep on a button
JOINER = "\n\n"  # between replies joined into one message


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One sendMessage call: `text` and an optional inline keyboard."""

    chat_id: int
    text: str
    reply_markup: InlineKeyboardMarkup | None = None

    def kwargs(self) -> dict[str, object]:
        out: dict[str, object] = {"chat_id": self.chat_id, "text": self.text}
        if self.reply_markup is not None:
            out["reply_markup"] = self.reply_markup
        return out


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard of the engine's buttons; buttons whose data Telegram would refuse are
    left out rather than failing the whole message."""
    markup_rows = []
    for row in rows:
        buttons = [
            InlineKeyboardButton(_clip(b.text, BUTTON_TEXT_LIMIT), callback_data=b.data)
            for b in row
            if b.data and len(b.data.encode("utf-8")) <= CALLBACK_DATA_LIMIT and b.text.strip()
        ]
        if buttons:
            markup_rows.append(buttons)
    return InlineKeyboardMarkup(markup_rows) if markup_rows else None


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at a blank line, a line break or a space when
    possible. An empty text stays one (empty) part."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    parts.append(rest)
    return parts


def coalesce(replies: Sequence[Reply], limit: int = MESSAGE_LIMIT) -> list[Reply]:
    """Join a reply without buttons to the next one for the same chat ("Got it" + the next
    question, an intro + the first question), when both fit in one message: fewer messages
    to read, and fewer against Telegram's per-chat and overall rate limits."""
    out: list[Reply] = []
    for reply in replies:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not previous.buttons
            and not (previous.image or previous.document or reply.image or reply.document)
            and previous.user_id == reply.user_id
            and previous.text.strip()
            and len(previous.text) + len(JOINER) + len(reply.text) <= limit
        ):
            out[-1] = replace(reply, text=previous.text + JOINER + reply.text)
        else:
            out.append(reply)
    return out


def render(reply: Reply) -> list[Outgoing]:
    """The sendMessage calls for one reply, in order."""
    parts = split_text(reply.text)
    markup = keyboard(reply.buttons)
    last = len(parts) - 1
    return [
        Outgoing(reply.user_id, part, markup if i == last else None) for i, part in enumerate(parts)
    ]


def pressed_labels(markup: InlineKeyboardMarkup | None, data: str, selected_mark: str) -> list[str]:
    """What a press chose, read from the keyboard of the pressed message: the label of the
    pressed button or, for the confirmation of a multi-select (`done:`), the labels marked
    as selected."""
    if markup is None:
        return []
    buttons = [b for row in markup.inline_keyboard for b in row]
    if isinstance(callbacks.parse(data), callbacks.Done) and selected_mark:
        marked = [b.text for b in buttons if b.text.startswith(selected_mark)]
        if marked:
            return [label.removeprefix(selected_mark).strip() for label in marked]
    return [b.text for b in buttons if b.callback_data == data]


def chosen_text(messages: Messages, question: str, labels: Sequence[str]) -> str:
    """The question message after a press: its text and what was chosen."""
    choice = messages.get("tg_choice_separator", ", ").join(labels)
    text = messages("tg_chosen", text=question, choice=choice)
    return split_text(text)[0] if len(text) > MESSAGE_LIMIT else text


def bot_commands(messages: Messages) -> list[BotCommand]:
    """`tg_commands` in BotFather's format ("command - description" lines) -> BotCommands."""
    commands = []
    for line in messages.get("tg_commands").splitlines():
        name, sep, description = line.partition(" - ")
        name = name.strip().lstrip("/")
        if sep and name and description.strip():
            commands.append(BotCommand(name.lower(), _clip(description.strip(), 256)))
    return commands


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
