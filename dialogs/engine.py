"""The engine: one incoming message (or button press) in, the replies out.

`Engine(knowledge, store).handle(Incoming)` runs everything for one message inside one store
transaction: the user's answer and the new dialog state commit together before the replies
are returned. The engine never reads the real clock (the time comes with the message) and
knows nothing of Telegram.

This module is the router, as aiogram's routers are: tables from commands (`COMMANDS`),
buttons (`BUTTONS`, by the callback data's type, dialogs/callbacks.py) and pending replies
(`PROMPTS`, by `state.awaiting`) to the handlers of the feature modules (dialogs/features/),
and the order in which free text is tried: warning signs, a sign asked back, the prompt
pending, a check-in or diary answer, the check's question, requests in plain words, the FAQ.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dialogs import callbacks, conversation, diary, faq, followup, intents, misses, nlu, safety
from dialogs.callbacks import (
    Answer,
    CauseDetail,
    ConfirmSign,
    DeleteAnswer,
    Done,
    FaqLink,
    FollowUpAnswer,
    FollowUpOff,
    LogLevel,
    Menu,
    Redo,
    ReminderDecline,
    ReminderDone,
    ReminderMenu,
    ReminderPreset,
    ReminderSnooze,
    ReminderStop,
    Skip,
    Toggle,
    ZoneNo,
    ZoneYes,
)
from dialogs.features import (
    account,
    assessment,
    check,
    checkin,
    menu,
    questions,
    signs,
)
from dialogs.features import diary as diary_feature
from dialogs.features import faq as faq_replies
from dialogs.features import reminders as reminder_feature
from dialogs.knowledge import Knowledge, KnowledgeError
from dialogs.ports import Store, StoreError, UserRecord
from dialogs.state import CheckState
from dialogs.text import MAX_TEXT
from dialogs.turn import Turn
from dialogs.types import Incoming, Reply

log = logging.getLogger(__name__)

# Requests in plain words that are commands (dialogs/intents.py): intent -> command.
INTENT_COMMANDS = {"check_start": "check", "check_cancel": "cancel", "history": "history",
                   "help": "help", "delete_data": "delete",
                   "reminders_list": "reminders"}  # fmt: skip
# The messages the engine and its features (and the terminal transport) say: checked when the
# engine is built, so a knowledge.yaml without one refuses to start (naming it), not later.
MESSAGES = ("greeting", "help", "check_intro", "check_restarted", "cancelled",
            "nothing_to_cancel", "not_understood", "choose_first", "selected_mark", "done_label",
            "skip_label", "noted_several", "ask_prompt", "empty_message", "too_long",
            "unknown_command", "stale_button", "emergency_footer", "red_flag_continue",
            "red_flag_outside", "history_empty", "history_header", "history_item",
            "history_no_cause", "privacy", "delete_confirm", "delete_yes_label", "delete_no_label",
            "deleted", "delete_kept", "back_to_check", "menu_check", "menu_ask", "menu_reminders",
            "menu_help", "err_storage", "err_internal", "delete_not_pending",
            "button_used", "unplaced_other", "unplaced_skip")  # fmt: skip

CommandHandler = Callable[[Turn, str], Awaitable[list[Reply]]]  # (turn, the command's args)
# (turn, the awaiting value, the text, its warning signs) -> replies, or None: not a reply
PromptHandler = Callable[[Turn, str, str, safety.FlagReading], Awaitable[list[Reply] | None]]
ButtonHandler = Callable[[Turn, Any], Awaitable[list[Reply]]]  # (turn, the parsed callback)

COMMANDS: dict[str, CommandHandler] = {
    "start": menu.start,
    "help": menu.help_text,
    "check": assessment.start,
    "cancel": assessment.cancel,
    "ask": questions.command,
    "history": account.history,
    "privacy": account.privacy,
    "delete": account.delete,
    "timezone": reminder_feature.timezone,
    "remind": reminder_feature.remind,
    "reminders": reminder_feature.listing,
    "log": diary_feature.log,
    "stats": diary_feature.stats,
    "report": diary_feature.report,
}
# `menu:<command>` is routed to COMMANDS by the engine itself.
BUTTONS: dict[type[callbacks.Callback], ButtonHandler] = {
    Answer: assessment.on_button,
    Toggle: assessment.on_button,
    Done: assessment.on_button,
    Skip: assessment.on_button,
    Redo: assessment.on_redo,
    CauseDetail: assessment.on_cause,
    ConfirmSign: signs.on_button,
    FaqLink: faq_replies.on_link,
    DeleteAnswer: account.on_button,
    ReminderPreset: reminder_feature.on_button,
    ReminderDone: reminder_feature.on_button,
    ReminderSnooze: reminder_feature.on_button,
    ReminderStop: reminder_feature.on_button,
    ReminderMenu: reminder_feature.on_button,
    ReminderDecline: reminder_feature.on_button,
    ZoneYes: reminder_feature.on_zone_button,
    ZoneNo: reminder_feature.on_zone_button,
    LogLevel: diary_feature.on_level,
    FollowUpAnswer: checkin.on_button,
    FollowUpOff: checkin.on_off,
}
# `state.awaiting` -> the handler of the reply it waits for; a key ending in ":" is a prefix.
PROMPTS: dict[str, PromptHandler] = {
    account.AWAIT_DELETE: account.on_prompt,
    conversation.AWAIT_ZONE: reminder_feature.on_zone_prompt,
    questions.AWAIT_QUESTION: questions.on_prompt,
    reminder_feature.AWAIT_PREFIX: reminder_feature.on_prompt,
    diary.AWAIT_LOG: diary_feature.on_prompt,
}
# Prompts that a message naming a warning sign cancels (the sign comes first).
SIGNS_FIRST = (account.AWAIT_DELETE, reminder_feature.AWAIT_PREFIX)


def _prompt_key(awaiting: str, keys: Iterable[str]) -> str | None:
    """The key `awaiting` matches: equal to it, or a prefix ending in ":"."""
    for key in keys:
        if awaiting == key or (key.endswith(":") and awaiting.startswith(key)):
            return key
    return None


def normalise_input(text: str) -> str:
    """Drop control characters (keeping line breaks) and outer white space."""
    cleaned = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return cleaned.strip()


def parse_command(text: str) -> tuple[str, str] | None:
    """'/remind@TwitchBot water 09:00' -> ('remind', 'water 09:00'); None for plain text."""
    if not text.startswith("/") or len(text) < 2 or not (text[1].isalpha()):
        return None
    head, _, rest = text[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = (more + " " + rest).strip()
    command = head.split("@", 1)[0].lower()
    return command, rest.strip()


@dataclass(frozen=True, slots=True)
class EngineSettings:
    grace_minutes: float = 15  # a reminder is still sent this long after its time

    @property
    def grace_seconds(self) -> float:
        return self.grace_minutes * 60


class Engine:
    def __init__(self, knowledge: Knowledge, store: Store, grace_minutes: float = 15) -> None:
        missing = [key for key in MESSAGES if not knowledge.messages.get(key)]
        if missing:
            raise KnowledgeError(f"knowledge.yaml: messages.{missing[0]}: missing")
        self.knowledge = knowledge
        self.store = store
        self.settings = EngineSettings(grace_minutes=grace_minutes)

    @property
    def grace_seconds(self) -> float:
        """How long after its time a reminder is still sent (the dispatcher sizes by it)."""
        return self.settings.grace_seconds

    # --- public API -----------------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> list[Reply]:
        try:
            return await self._handle(incoming)
        except StoreError as error:  # nothing was saved: apologise, never crash
            log.error("could not handle a message, the store failed: %s", error)
            return [Reply(incoming.user_id, self.knowledge.messages("err_storage"))]

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        async with self.store.transaction(incoming.now) as tx:
            user = await tx.get_user(incoming.user_id)
            if user is None:
                user = UserRecord(incoming.user_id, created_at=incoming.now)
            turn = Turn(self.knowledge, tx, user, incoming.now)
            replies = await self._route(turn, incoming)
            if not turn.deleted:
                turn.store_state()
                user.active = True  # writing to us again means they no longer block us
                await tx.save_user(user)
                for record in turn.finished:
                    await tx.add_assessment(user.user_id, record)
                await misses.save(turn)
                await followup.save(turn)
        return replies

    async def fire_due(self, now: datetime) -> list[Reply]:
        """Claim the reminders due at `now` (within the grace window) and render them."""
        grace = self.settings.grace_seconds
        try:
            due = await self.store.claim_due(now, grace, reminder_feature.next_due)
        except StoreError as error:  # nothing was claimed; the next tick tries again
            log.error("could not claim due reminders, the store failed: %s", error)
            return []
        replies = []
        for item in due:
            reply = reminder_feature.render_due(self.knowledge, item, now)
            reply.send_by = item.due + timedelta(seconds=grace)
            replies.append(reply)
        return replies

    async def reminder_wanted(self, user_id: int, kind: str, now: datetime) -> bool:
        """At send time: is the reminder still on and its user still here (not deleted, not
        blocking us)? A reminder claimed earlier in a burst is dropped when not. When the
        store cannot say (it failed), True: the claim was valid when it was made."""
        try:
            async with self.store.transaction(now) as tx:
                user = await tx.get_user(user_id)
                if user is None or not user.active:
                    return False
                return any(r.kind == kind for r in await tx.list_reminders(user_id))
        except StoreError as error:
            log.error("could not check a reminder before sending it: %s", error)
            return True

    async def mark_inactive(self, user_id: int, now: datetime) -> None:
        """The user blocked the bot: send nothing more (reminders included) until they write."""
        async with self.store.transaction(now) as tx:
            user = await tx.get_user(user_id)
            if user is not None and user.active:
                user.active = False
                await tx.save_user(user)

    # --- routing --------------------------------------------------------------------------
    async def _route(self, turn: Turn, incoming: Incoming) -> list[Reply]:
        if incoming.callback is not None:
            return await self._on_callback(turn, incoming.callback.strip()[:200])
        if incoming.location is not None:
            return conversation.offer_location_zone(turn, incoming.location)
        raw = incoming.text or ""
        text = normalise_input(raw)
        if not text:
            return [turn.reply(turn.say("empty_message"))]
        prefix: list[Reply] = []
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
            prefix.append(turn.reply(turn.say("too_long", limit=MAX_TEXT)))
        command = parse_command(text)
        if command is not None:
            return prefix + await self._on_command(turn, *command)
        return prefix + await self._on_text(turn, text)

    async def _on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        turn.state.confirm = None  # a command leaves a sign asked back unanswered
        if command != "delete":
            turn.state.awaiting = None
        handler = COMMANDS.get(command)
        if handler is None:
            return menu.unknown(turn, command)
        return await handler(turn, args)

    async def _on_callback(self, turn: Turn, data: str) -> list[Reply]:
        pressed = callbacks.parse(data)
        if isinstance(pressed, Menu):
            return await self._on_command(turn, pressed.command, "")
        handler = BUTTONS.get(type(pressed)) if pressed is not None else None
        if handler is None:  # forged, damaged or from a version that is gone
            return [turn.reply(turn.say("stale_button"))]
        return await handler(turn, pressed)

    async def _on_text(self, turn: Turn, text: str) -> list[Reply]:
        knowledge = self.knowledge
        check_open = turn.state.assessment
        screening = check_open is not None and check_open.asking == knowledge.safety.question
        flags = safety.read(knowledge, text, screening=screening and turn.state.confirm is None)
        if safety.is_crisis(flags.raised):  # in any state, before anything else
            return signs.crisis(turn, flags.raised)
        pending = turn.state.confirm
        if pending is not None:
            return signs.on_confirm(turn, pending, None, text, flags)
        awaiting, turn.state.awaiting = turn.state.awaiting, None
        if awaiting and flags.raised and _prompt_key(awaiting, SIGNS_FIRST):
            awaiting = None  # a warning sign comes before a pending prompt
        key = _prompt_key(awaiting, PROMPTS) if awaiting else None
        if awaiting and key is not None:
            replies = await PROMPTS[key](turn, awaiting, text, flags)
            if replies is not None:
                return replies
        open_check = turn.state.assessment
        if open_check is None:
            for answer_of in (checkin.on_free_text, diary_feature.on_free_text):
                answered = await answer_of(turn, text)
                if answered is not None:
                    return answered
        conversation.note_word(turn, text)
        if open_check is not None:
            return await self._in_check(turn, open_check, text, flags)
        if flags.raised or flags.unsure:
            return questions.answer(turn, text, flags, ask=False)
        conversation.remember(turn, nlu.interpret(knowledge, text, None, {}, now=turn.now).answers)
        context = await conversation.context_of(turn, in_check=False)
        intent = intents.read(knowledge.conversation, text, context)
        if intent is not None:
            acted = await self._act(turn, intent, context)
            if acted is not None:
                return acted
        return questions.answer(turn, text, flags, ask=False)

    async def _in_check(
        self, turn: Turn, open_check: CheckState, text: str, flags: safety.FlagReading
    ) -> list[Reply]:
        conv = self.knowledge.conversation
        context = await conversation.context_of(turn, in_check=True)
        if not (flags.raised or flags.unsure):  # a warning sign comes before a request
            intent = intents.read(conv, text, context)
            # An answer to the question asked wins over a request read in the same words
            # ("bed 3am up 10am" is a sleep answer, not a bedtime reminder).
            if (
                intent is not None
                and intent.source == "rule"
                and not assessment.answers_asked(turn, open_check, text)
            ):
                acted = await self._act(turn, intent, context)
                if acted is not None:
                    return acted
        replies = assessment.on_answer(turn, open_check, text, flags)
        if replies is not None:
            return replies
        # Not an answer: a request ("cancel", "thanks"), or a question asked in passing
        # ("is this serious?"); then the question again.
        intent = intents.read(conv, text, context)
        if intent is not None:
            acted = await self._act(turn, intent, context)
            if acted is not None:
                return acted
        found = faq.answer(self.knowledge, text)
        if found.faq_id is not None:
            return [faq_replies.text_reply(turn, found), *check.resume(turn)]
        if assessment.asks_something(turn, text):
            return [turn.reply(conv.texts("cant_answer")), *check.resume(turn)]
        return assessment.not_placed(turn, open_check, text, [])

    async def _act(
        self, turn: Turn, intent: intents.Intent, context: intents.Context
    ) -> list[Reply] | None:
        """Carry out a request in plain words; None: leave the message to the rest."""
        name = intent.name
        if name in INTENT_COMMANDS:
            if name == "check_cancel" and turn.state.assessment is None:
                return None if context.in_check else [turn.reply(turn.say("nothing_to_cancel"))]
            return await self._on_command(turn, INTENT_COMMANDS[name], "")
        replies: list[Reply]
        if name in intents.REMINDER_INTENTS:
            replies = await conversation.remind(turn, intent, context)
        elif name == "timezone_set":
            if intent.zone is None:
                replies = await reminder_feature.timezone(turn, "")
            else:
                replies = conversation.offer_zone(turn, intent)
                if not replies:
                    return None
        elif name in intents.SMALL_TALK or name == "yes":
            replies = conversation.small_talk(turn, "ack" if name == "yes" else name)
            if not replies:
                return None
        else:
            return None
        return replies + check.resume(turn) if context.in_check else replies
