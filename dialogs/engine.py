"""The engine: one incoming message (or button press) in, the replies out.

`Engine(knowledge, store).handle(Incoming)` runs everything for one message inside one store
transaction: the user's answer and the new dialog state commit together before the replies
are returned. The engine never reads the real clock (the time comes with the message) and
knows nothing of Telegram.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dialogs import (
    conversation,
    diary,
    faq,
    followup,
    intents,
    misses,
    nlu,
    reminders,
    safety,
    scoring,
)
from dialogs import result as compact
from dialogs.knowledge import Knowledge, KnowledgeError
from dialogs.ports import AssessmentRecord, Store, StoreError, Transaction, UserRecord
from dialogs.types import Button, Incoming, Reply

log = logging.getLogger(__name__)

MAX_TEXT = 2000  # longer messages are read up to here (the reply says so)
HISTORY_LIMIT = 10
# Requests in plain words that are commands (dialogs/intents.py): intent -> command.
INTENT_COMMANDS = {"check_start": "check", "check_cancel": "cancel", "history": "history",
                   "help": "help", "delete_data": "delete",
                   "reminders_list": "reminders"}  # fmt: skip
UNKNOWN = "unknown"
# The messages this module (and the terminal transport) says: checked when the engine is
# built, so a knowledge.yaml without one refuses to start (naming it), not on a later message.
MESSAGES = ("greeting", "help", "check_intro", "check_restarted", "cancelled",
            "nothing_to_cancel", "not_understood", "choose_first", "selected_mark", "done_label",
            "skip_label", "noted_several", "ask_prompt", "empty_message", "too_long",
            "unknown_command", "stale_button", "emergency_footer", "red_flag_continue",
            "red_flag_outside", "history_empty", "history_header", "history_item",
            "history_no_cause", "privacy", "delete_confirm", "delete_yes_label", "delete_no_label",
            "deleted", "delete_kept", "back_to_check", "menu_check", "menu_ask", "menu_reminders",
            "menu_help", "err_storage", "err_internal", "delete_not_pending",
            "button_used", "unplaced_other", "unplaced_skip")  # fmt: skip


@dataclass(slots=True)
class Turn:
    """The context of one handled message, handed to the parts of the engine."""

    knowledge: Knowledge
    tx: Transaction
    user: UserRecord
    now: datetime
    finished: list[AssessmentRecord] = field(default_factory=list)  # written at the end
    misses: list[tuple[str, str]] = field(default_factory=list)  # (question, text): unplaced
    deleted: bool = False

    @property
    def state(self) -> dict[str, Any]:
        return self.user.state

    def say(self, key: str, **values: Any) -> str:
        return self.knowledge.messages(key, **values)

    def reply(self, text: str, **fields: Any) -> Reply:
        return Reply(self.user.user_id, text, **fields)


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


class Engine:
    def __init__(self, knowledge: Knowledge, store: Store, grace_minutes: float = 15) -> None:
        missing = [key for key in MESSAGES if not knowledge.messages.get(key)]
        if missing:
            raise KnowledgeError(f"knowledge.yaml: messages.{missing[0]}: missing")
        self.knowledge = knowledge
        self.store = store
        self.grace_seconds = grace_minutes * 60

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
                user.active = True  # writing to us again means they no longer block us
                await tx.save_user(user)
                for record in turn.finished:
                    await tx.add_assessment(user.user_id, record)
                await misses.save(turn)
                await followup.save(turn)
        return replies

    async def fire_due(self, now: datetime) -> list[Reply]:
        """Claim the reminders due at `now` (within the grace window) and render them."""
        try:
            due = await self.store.claim_due(now, self.grace_seconds, reminders.next_due)
        except StoreError as error:  # nothing was claimed; the next tick tries again
            log.error("could not claim due reminders, the store failed: %s", error)
            return []
        replies = []
        for item in due:
            reply = self._render_due(item, now)
            reply.send_by = item.due + timedelta(seconds=self.grace_seconds)
            replies.append(reply)
        return replies

    def _render_due(self, item: Any, now: datetime) -> Reply:
        if item.kind == followup.KIND:
            return followup.render_due(self.knowledge, item)
        if item.kind == diary.PROMPT_KIND:
            return diary.render_prompt(self.knowledge, item)
        return reminders.render_due(self.knowledge, item, now)

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
        turn.state.pop("confirm", None)  # a command leaves a sign asked back unanswered
        if command != "delete":
            turn.state.pop("awaiting", None)
        match command:
            case "start":
                return [self._menu(turn, turn.say("greeting"))]
            case "help":
                return [self._menu(turn, turn.say("help"))]
            case "check":
                return self._start_assessment(turn)
            case "cancel":
                if turn.state.pop("assessment", None) is None:
                    return [turn.reply(turn.say("nothing_to_cancel"))]
                return [self._menu(turn, turn.say("cancelled"))]
            case "ask":
                if not args:
                    turn.state["awaiting"] = "question"
                    return [turn.reply(turn.say("ask_prompt"))]
                return self._faq(turn, args)
            case "history":
                return await self._history(turn)
            case "privacy":
                return [turn.reply(turn.say("privacy"))]
            case "delete":
                turn.state["awaiting"] = "delete"
                return [self._confirm_delete(turn)]
            case "remind" if followup.names_kind(self.knowledge, args):
                return await followup.remind(turn, args)
            case "timezone" | "remind" | "reminders":
                replies = await reminders.handle_command(turn, command, args)
                if command == "reminders":
                    followup.annotate_listing(turn, replies)
                return replies
            case "log":
                logged = self._flags_first(turn, args, await diary.log(turn, args))
                waiting = turn.state.get("awaiting") == diary.AWAIT_LOG
                return logged if waiting else logged + self._resume(turn)
            case "stats":
                return await diary.stats(turn) + self._resume(turn)
            case "report":
                return await diary.report(turn) + self._resume(turn)
            case _:
                return [self._menu(turn, turn.say("unknown_command", command=command))]

    async def _on_text(self, turn: Turn, text: str) -> list[Reply]:
        flags = safety.read(self.knowledge, text)
        if safety.is_crisis(flags.raised):  # in any state, before anything else
            return self._crisis(turn, flags.raised)
        pending = turn.state.get("confirm")
        if pending is not None:
            return self._on_confirm(turn, pending, None, text, flags)
        prompt = str(turn.state.get("awaiting") or "")
        if flags.raised and (prompt == "delete" or prompt.startswith("reminder:")):
            turn.state.pop("awaiting", None)  # a warning sign comes before a pending prompt
        awaiting = turn.state.pop("awaiting", None)
        conv = self.knowledge.conversation
        if awaiting == "delete":
            if intents.is_no(conv, text) and not nlu.is_yes(self.knowledge, text):
                return [turn.reply(turn.say("delete_kept"))]
            if nlu.is_yes(self.knowledge, text) or intents.is_yes(conv, text):
                return await self._delete(turn)
            if not nlu.is_no(self.knowledge, text):
                turn.state["awaiting"] = "delete"
                return [self._confirm_delete(turn)]
            return [turn.reply(turn.say("delete_kept"))]
        if awaiting and awaiting.startswith(conversation.AWAIT_ZONE):
            zone = awaiting.removeprefix(conversation.AWAIT_ZONE)
            answered = await conversation.answer_zone(turn, zone, text)
            if answered is not None:
                return answered + self._resume(turn)
        if awaiting == "question":
            return self._faq(turn, text, flags)
        if awaiting and awaiting.startswith("reminder:"):
            replies = await reminders.handle_reply(turn, awaiting, text)
            if replies is not None:
                return replies
        if awaiting == diary.AWAIT_LOG and parse_command(text) is None:
            return self._flags_first(turn, text, await diary.log(turn, text))
        assessment = turn.state.get("assessment")
        if assessment is None and followup.is_open(turn):
            value = followup.read(self.knowledge, text)
            if value is not None:
                return await self._on_followup(turn, value, text)
        if assessment is None:
            logged = await diary.prompt_answer(turn, text)
            if logged is not None:
                return self._flags_first(turn, text, logged)
        conversation.note_word(turn, text)
        if assessment is not None:
            context = await conversation.context_of(turn, in_check=True)
            if not (flags.raised or flags.unsure):  # a warning sign comes before a request
                intent = intents.read(conv, text, context)
                # An answer to the question asked wins over a request read in the same words
                # ("bed 3am up 10am" is a sleep answer, not a bedtime reminder).
                if (
                    intent is not None
                    and intent.source == "rule"
                    and not self._answers_asked(turn, assessment, text)
                ):
                    acted = await self._act(turn, intent, context, text)
                    if acted is not None:
                        return acted
            return await self._on_answer(turn, assessment, text, flags, context)
        if flags.raised or flags.unsure:
            return self._faq(turn, text, flags, ask=False)
        conversation.remember(
            turn, nlu.interpret(self.knowledge, text, None, {}, now=turn.now).answers
        )
        context = await conversation.context_of(turn, in_check=False)
        intent = intents.read(conv, text, context)
        if intent is not None:
            acted = await self._act(turn, intent, context, text)
            if acted is not None:
                return acted
        return self._faq(turn, text, flags, ask=False)

    def _answers_asked(self, turn: Turn, assessment: dict[str, Any], text: str) -> bool:
        asking = assessment.get("asking")
        if not asking:
            return False
        reading = nlu.interpret(
            self.knowledge, text, asking, dict(assessment["answers"]), now=turn.now
        )
        return any(a.question == asking for a in reading.answers)

    async def _act(
        self, turn: Turn, intent: intents.Intent, context: intents.Context, text: str
    ) -> list[Reply] | None:
        """Carry out a request in plain words; None: leave the message to the rest."""
        name = intent.name
        if name in INTENT_COMMANDS:
            if name == "check_cancel" and "assessment" not in turn.state:
                return None if context.in_check else [turn.reply(turn.say("nothing_to_cancel"))]
            return await self._on_command(turn, INTENT_COMMANDS[name], "")
        replies: list[Reply]
        if name in intents.REMINDER_INTENTS:
            replies = await conversation.remind(turn, intent, context)
        elif name == "timezone_set":
            if intent.zone is None:
                replies = await reminders.handle_command(turn, "timezone", "")
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
        return replies + self._resume(turn) if context.in_check else replies

    async def _on_callback(self, turn: Turn, data: str) -> list[Reply]:
        kind, _, rest = data.partition(":")
        assessment = turn.state.get("assessment")
        if kind in ("ans", "tog", "done", "skip"):
            question_id, _, value = rest.partition(":")
            if assessment is None or assessment.get("asking") != question_id:
                return [turn.reply(turn.say("stale_button"))]
            return self._on_button_answer(turn, assessment, kind, question_id, value)
        if kind == "faq":
            found = faq.answer_by_id(self.knowledge, rest)
            if found is None:
                return [turn.reply(turn.say("stale_button"))]
            return [self._faq_reply(turn, found)]
        if kind == "menu":
            return await self._on_command(turn, rest, "")
        if kind == "del":
            # Single use, bound to the pending /delete: a Yes from an old confirmation (after
            # No, after another command) or with nothing pending erases nothing.
            if turn.state.get("awaiting") != "delete":
                key = "delete_not_pending" if rest == "yes" else "delete_kept"
                return [turn.reply(turn.say(key))]
            turn.state.pop("awaiting", None)
            if rest == "yes":
                return await self._delete(turn)
            return [turn.reply(turn.say("delete_kept"))]
        if kind == "rem":
            return await reminders.handle_callback(turn, rest)
        if kind == "cfm":
            flag, _, answer = rest.partition(":")
            pending = turn.state.get("confirm")
            if pending is None or pending.get("flag") != flag or answer not in ("yes", "no"):
                return [turn.reply(turn.say("stale_button"))]
            return self._on_confirm(turn, pending, answer == "yes", None, None)
        if kind == compact.CALLBACK:
            action, _, cause_id = rest.partition(":")
            last = turn.state.get("last_result")
            text = None
            if last and cause_id in last.get("causes", []):
                text = compact.detail(
                    self.knowledge, compact.reassess(self.knowledge, last), action, cause_id
                )
            return [turn.reply(text or turn.say("stale_button"))]
        if kind == "conv":
            return await conversation.on_callback(turn, rest) + self._resume(turn)
        if kind == "redo":
            if assessment is None or rest not in self.knowledge.questions:
                return [turn.reply(turn.say("stale_button"))]
            assessment["answers"].pop(rest, None)
            assessment["details"].pop(rest, None)
            assessment["asking"] = rest
            assessment["misses"] = 0
            return [self._ask(turn, assessment, rest)]
        if kind == "log":
            return await diary.log_level(turn, rest)
        if kind == "fu":
            value, _, stamp = rest.partition(":")
            if value == "off":
                return await followup.turn_off(turn)
            if not followup.stamp_matches(turn, stamp):
                return [turn.reply(turn.say("stale_button"))]
            return await self._on_followup(turn, value, "")
        return [turn.reply(turn.say("stale_button"))]

    # --- the follow-up check-in and the diary (dialogs/followup.py, dialogs/diary.py) -----
    async def _on_followup(self, turn: Turn, value: str, text: str) -> list[Reply]:
        if value not in {v for v, _ in self.knowledge.diary.follow_up.answers}:
            return [turn.reply(turn.say("stale_button"))]
        flags = safety.read(self.knowledge, text).raised if text else ()
        replies = [self._flag_reply(turn, flags, in_check=False)] if flags else []
        outcome = await followup.answer(turn, value, list(flags), text)
        if safety.any_emergency(self.knowledge, flags):
            return replies  # the emergency message alone
        replies += outcome.replies
        if outcome.assessment is not None:
            turn.state["assessment"] = outcome.assessment
            replies += self._next_step(turn, outcome.assessment)
        return replies

    def _flags_first(self, turn: Turn, text: str, replies: list[Reply]) -> list[Reply]:
        """A warning sign named in a diary message is answered first, as anywhere."""
        flags = safety.read(self.knowledge, text).raised if text.strip() else ()
        return ([self._flag_reply(turn, flags, in_check=False)] if flags else []) + replies

    # --- the assessment -------------------------------------------------------------------
    def _start_assessment(self, turn: Turn) -> list[Reply]:
        replaced = "assessment" in turn.state
        assessment: dict[str, Any] = {
            "answers": {},
            "details": {},
            "red_flags": [],
            "asking": None,
            "misses": 0,
            "started": turn.now.isoformat(),
        }
        turn.state["assessment"] = assessment
        intro = turn.say("check_restarted" if replaced else "check_intro")
        known = conversation.carry_over(turn, assessment)
        first = [turn.reply(intro)] + ([known] if known is not None else [])
        return [*first, *self._next_step(turn, assessment)]

    async def _on_answer(
        self,
        turn: Turn,
        assessment: dict[str, Any],
        text: str,
        flags: safety.FlagReading,
        context: intents.Context,
    ) -> list[Reply]:
        asking = assessment.get("asking")
        reading = nlu.interpret(
            self.knowledge, text, asking, dict(assessment["answers"]), now=turn.now
        )
        replies: list[Reply] = []
        if self._asks_something(text) and all(a.question != asking for a in reading.answers):
            reading.answers = []  # a question asked in passing answers nothing by itself
        screen_id = self.knowledge.safety.question
        if asking == screen_id and (
            flags.raised or flags.unsure or safety.says_more(self.knowledge, text)
        ):
            # the screen's answer is the signs the message describes, not its "no" (and a
            # "no, but ..." that names nothing is asked again rather than taken as none)
            reading.answers = [a for a in reading.answers if a.question != screen_id]
        understood = self._store_answers(assessment, reading.answers)
        raised = list(flags.raised)
        unsure = [f for f in flags.unsure if f not in assessment["red_flags"]]
        raised += [f for f in flags.unsure if f in assessment["red_flags"]]
        raised = list(safety.ordered(self.knowledge, raised))
        screen: list[str] | None = None
        if asking == screen_id and (raised or unsure):
            screen = list(raised)
            if not unsure:
                understood += self._store_answers(
                    assessment, [nlu.Understood(screen_id, list(raised))]
                )
                screen = None
        elif (
            asking == screen_id
            and screen_id not in assessment["answers"]
            and not reading.skipped
            and nlu.is_no(self.knowledge, text)  # "nope", "no weakness or numbness"
            and not safety.says_more(self.knowledge, text)
        ):
            understood += self._store_answers(assessment, [nlu.Understood(screen_id, ["none"])])
        if asking and reading.skipped and asking not in assessment["answers"] and screen is None:
            assessment["answers"][asking] = UNKNOWN
            understood.append({"question": asking, "value": UNKNOWN})
        if asking in assessment["answers"]:
            assessment.pop("selection", None)
        if raised:
            self._add_flags(assessment, raised)
            if safety.any_emergency(self.knowledge, raised):
                if screen is not None:  # the check ends: the screen's answer is what was raised
                    understood += self._store_answers(
                        assessment, [nlu.Understood(screen_id, list(raised))]
                    )
                return self._emergency_result(turn, assessment, tuple(raised), understood)
            replies.append(self._flag_reply(turn, tuple(raised), in_check=True))
        if unsure:
            turn.state["confirm"] = {
                "flag": unsure[0],
                "queue": unsure[1:],
                "held": understood,
                "screen": screen,
                "in_check": True,
            }
            return [*replies, self._confirm_reply(turn, unsure[0])]
        if raised:
            return self._continue(turn, assessment, replies, understood)
        if asking and asking not in assessment["answers"]:
            if not understood and not replies:
                # Not an answer: a request ("cancel", "thanks"), or a question asked in
                # passing ("is this serious?"); then the question again.
                intent = intents.read(self.knowledge.conversation, text, context)
                if intent is not None:
                    acted = await self._act(turn, intent, context, text)
                    if acted is not None:
                        return acted
                found = faq.answer(self.knowledge, text)
                if found.faq_id is not None:
                    return [self._faq_text_reply(turn, found), *self._resume(turn)]
                if self._asks_something(text):
                    conv = self.knowledge.conversation
                    return [turn.reply(conv.texts("cant_answer")), *self._resume(turn)]
            misses.note(turn, asking, text)
            assessment["misses"] = assessment.get("misses", 0) + 1
            if assessment["misses"] < 2:  # asked again, once, with the buttons and Skip
                replies.append(self._ask(turn, assessment, asking, retry=True))
                self._attach_answers(replies, understood)
                return replies
            # Still not placed after the re-ask: record it sensibly and move on (no stall).
            understood += self._place_unplaced(turn, assessment, asking, text)
            replies.append(turn.reply(turn.say(self._placed_message(assessment, asking))))
            replies.extend(self._next_step(turn, assessment))
        else:
            if understood and not replies:
                ack = self._acknowledge(turn, understood)
                if ack:
                    replies.append(turn.reply(ack))
            replies.extend(self._next_step(turn, assessment))
        self._attach_answers(replies, understood)
        return replies

    def _place_unplaced(
        self, turn: Turn, assessment: dict[str, Any], asking: str, text: str
    ) -> list[dict[str, Any]]:
        """A list question that has `other` keeps the words as `other`; any other question
        is recorded as not known (as if skipped)."""
        question = self.knowledge.questions[asking]
        if question.kind == "list" and any(o.value == "other" for o in question.options):
            words = misses.normalise(text)
            stored = self._store_answers(
                assessment, [nlu.Understood(asking, ["other"], {"words": [words]})]
            )
            return stored
        assessment["answers"][asking] = UNKNOWN
        assessment["details"].pop(asking, None)
        return [{"question": asking, "value": UNKNOWN}]

    @staticmethod
    def _placed_message(assessment: dict[str, Any], asking: str) -> str:
        placed = assessment["answers"].get(asking)
        return "unplaced_other" if placed == ["other"] else "unplaced_skip"

    def _on_button_answer(
        self, turn: Turn, assessment: dict[str, Any], kind: str, question_id: str, value: str
    ) -> list[Reply]:
        question = self.knowledge.questions[question_id]
        valid = {o.value for o in question.options}
        understood: list[dict[str, Any]] = []
        if kind in ("tog", "done") and question.kind != "list":
            return [turn.reply(turn.say("stale_button"))]  # multi-select data, one-choice question
        if kind == "skip":
            assessment["answers"][question_id] = UNKNOWN
            understood.append({"question": question_id, "value": UNKNOWN})
        elif kind == "tog":
            if value not in valid:
                return [turn.reply(turn.say("stale_button"))]
            if any(o.value == value and o.exclusive for o in question.options):
                assessment.pop("selection", None)
                understood += self._store_answers(
                    assessment, [nlu.Understood(question_id, [value])]
                )
                return self._after_button(turn, assessment, understood)
            selection: list[str] = assessment.setdefault("selection", [])
            if value in selection:
                selection.remove(value)
            else:
                selection.append(value)
            return [self._ask(turn, assessment, question_id, edit=True)]
        elif kind == "done":
            selection = assessment.pop("selection", [])
            if not selection:
                return [self._ask(turn, assessment, question_id, nothing_chosen=True)]
            understood += self._store_answers(
                assessment, [nlu.Understood(question_id, list(selection))]
            )
        else:
            if value not in valid:
                return [turn.reply(turn.say("stale_button"))]
            answer: str | list[str] = [value] if question.kind == "list" else value
            understood += self._store_answers(assessment, [nlu.Understood(question_id, answer)])
        return self._after_button(turn, assessment, understood)

    def _after_button(
        self, turn: Turn, assessment: dict[str, Any], understood: list[dict[str, Any]]
    ) -> list[Reply]:
        screen_id = self.knowledge.safety.question
        chosen = [v for u in understood if u["question"] == screen_id for v in _as_list(u["value"])]
        raised = safety.ordered(self.knowledge, chosen)
        if raised:  # signs tapped on the screen are raised like signs typed
            if safety.is_crisis(raised):
                replies = self._crisis(turn, raised)
                self._attach_answers(replies, understood)
                return replies
            self._add_flags(assessment, list(raised))
            if safety.any_emergency(self.knowledge, raised):
                return self._emergency_result(turn, assessment, raised, understood)
            return self._continue(
                turn, assessment, [self._flag_reply(turn, raised, in_check=True)], understood
            )
        replies = self._next_step(turn, assessment)
        self._attach_answers(replies, understood)
        return replies

    def _store_answers(
        self, assessment: dict[str, Any], answers: list[nlu.Understood]
    ) -> list[dict[str, Any]]:
        understood = []
        for item in answers:
            assessment["answers"][item.question] = item.value
            if item.detail:
                assessment["details"][item.question] = item.detail
            else:
                assessment["details"].pop(item.question, None)
            understood.append({"question": item.question, "value": item.value})
        return understood

    def _acknowledge(self, turn: Turn, understood: list[dict[str, Any]]) -> str:
        """A short 'got it' when a message answered more than the question asked."""
        if len(understood) < 2:
            return ""
        names = [
            self.knowledge.messages.get(f"topic_{u['question']}", u["question"]) for u in understood
        ]
        return turn.say("noted_several", topics=", ".join(names))

    def _next_step(self, turn: Turn, assessment: dict[str, Any]) -> list[Reply]:
        for question_id in self.knowledge.questions:
            if question_id not in assessment["answers"]:
                assessment["asking"] = question_id
                assessment["misses"] = 0
                return [self._ask(turn, assessment, question_id)]
        return self._finish(turn, assessment)

    def _ask(
        self,
        turn: Turn,
        assessment: dict[str, Any],
        question_id: str,
        retry: bool = False,
        edit: bool = False,
        nothing_chosen: bool = False,
    ) -> Reply:
        question = self.knowledge.questions[question_id]
        text = question.text
        if retry:
            text = (question.retry or turn.say("not_understood")) + "\n\n" + text
        if nothing_chosen:
            text = turn.say("choose_first") + "\n\n" + text
        rows: list[list[Button]] = []
        if question.kind == "list":
            chosen = set(assessment.get("selection", []))
            mark = turn.say("selected_mark")
            buttons = [
                Button(
                    f"{mark} {o.label}" if o.value in chosen else o.label,
                    f"tog:{question_id}:{o.value}",
                )
                for o in question.options
            ]
            rows = _rows(buttons, 2)
            rows.append(
                [
                    Button(turn.say("done_label"), f"done:{question_id}"),
                    Button(turn.say("skip_label"), f"skip:{question_id}"),
                ]
            )
        else:
            buttons = [Button(o.label, f"ans:{question_id}:{o.value}") for o in question.options]
            rows = _rows(buttons, 3 if len(buttons) > 4 else 2)
            rows.append([Button(turn.say("skip_label"), f"skip:{question_id}")])
        return turn.reply(
            text,
            buttons=rows,
            asks=question_id,
            multi_select=question.kind == "list",
            edit_of_callback=edit,
        )

    def _resume(self, turn: Turn) -> list[Reply]:
        """After an aside during a check: ask the pending question again."""
        assessment = turn.state.get("assessment")
        if not assessment or not assessment.get("asking"):
            return []
        question = self._ask(turn, assessment, assessment["asking"])
        question.text = turn.say("back_to_check") + "\n\n" + question.text
        return [question]

    def _finish(self, turn: Turn, assessment: dict[str, Any]) -> list[Reply]:
        answers = assessment["answers"]
        result = scoring.assess(
            self.knowledge, answers, assessment["details"], assessment["red_flags"]
        )
        result = followup.apply_floor(self.knowledge, result, assessment)
        causes = [{"id": c.id, "score": round(c.score, 2)} for c in result.causes]
        turn.state.pop("assessment", None)
        text, buttons = compact.render(self.knowledge, result, turn.state.get(conversation.WORD))
        reply = turn.reply(text, buttons=buttons, causes=causes, urgency=result.urgency)
        record = AssessmentRecord(
            turn.now, dict(answers), causes, result.urgency, list(assessment["red_flags"])
        )
        turn.state["last_result"] = {
            "causes": [c["id"] for c in causes],
            "urgency": result.urgency,
            "answers": dict(answers),  # for the result's buttons (what helps, why)
            "details": dict(assessment["details"]),
            "red_flags": list(assessment["red_flags"]),
        }
        tailoring = self.knowledge.tailoring
        instead = tailoring.offers_instead(set(result.facts))
        if instead:  # e.g. a fluid caveat instead of "drink every 2 hours" (kidney, heart)
            turn.state["last_result"]["offer_instead"] = instead
        turn.state.pop(conversation.WORD, None)
        diary.remember_details(turn, assessment["details"])
        turn.finished.append(record)
        replies = [reply, *reminders.offer_for(turn, [c["id"] for c in causes])]
        note = followup.plan(turn, answers, assessment["details"], result.urgency)
        return replies + ([note] if note is not None else [])

    def _asks_something(self, text: str) -> bool:
        """A message that asks a question ("should I get an EMG?")."""
        words = intents.plain(text).split()
        starts = self.knowledge.conversation.question_starts
        return text.rstrip().endswith("?") or (len(words) > 2 and words[0] in starts)

    # --- warning signs (dialogs/safety.py says what; here is when) --------------------------
    def _flag_reply(self, turn: Turn, flags: tuple[str, ...], in_check: bool) -> Reply:
        text = safety.flag_text(self.knowledge, flags, in_check, turn.user.timezone)
        return turn.reply(text, **safety.flag_fields(self.knowledge, flags))

    def _confirm_reply(self, turn: Turn, flag: str, retry: bool = False) -> Reply:
        text = safety.confirm_text(self.knowledge, flag)
        if retry:
            text = self.knowledge.safety.say("confirm_retry") + "\n\n" + text
        buttons = safety.confirm_buttons(self.knowledge, flag)
        return turn.reply(text, buttons=buttons, confirm=flag)

    @staticmethod
    def _add_flags(assessment: dict[str, Any], flags: list[str]) -> None:
        for flag in flags:
            if flag not in assessment["red_flags"]:
                assessment["red_flags"].append(flag)

    def _continue(
        self,
        turn: Turn,
        assessment: dict[str, Any],
        replies: list[Reply],
        understood: list[dict[str, Any]],
    ) -> list[Reply]:
        """After signs were raised or answered: ask the pending question again (plainly, it
        is no miss) or the next one; the answers of the message ride on the first reply."""
        asking = assessment.get("asking")
        if asking and asking not in assessment["answers"]:
            replies.append(self._ask(turn, assessment, asking))
        else:
            replies.extend(self._next_step(turn, assessment))
        self._attach_answers(replies, understood)
        return replies

    def _emergency_result(
        self,
        turn: Turn,
        assessment: dict[str, Any],
        flags: tuple[str, ...],
        understood: list[dict[str, Any]],
    ) -> list[Reply]:
        """An emergency sign ends the check: this message is its result, what to do first."""
        text = safety.flag_text(self.knowledge, flags, True, turn.user.timezone)
        return [self._end_check(turn, assessment, text, flags, understood)]

    def _end_check(
        self,
        turn: Turn,
        assessment: dict[str, Any],
        text: str,
        flags: tuple[str, ...],
        understood: list[dict[str, Any]],
    ) -> Reply:
        answers = assessment["answers"]
        result = scoring.assess(
            self.knowledge, answers, assessment["details"], assessment["red_flags"]
        )
        causes = [{"id": c.id, "score": round(c.score, 2)} for c in result.causes]
        turn.state.pop("assessment", None)
        turn.state.pop("confirm", None)
        fields = safety.flag_fields(self.knowledge, flags)
        reply = turn.reply(text, causes=causes, answers=list(understood), **fields)
        urgency = fields["urgency"]
        record = AssessmentRecord(
            turn.now, dict(answers), causes, urgency, list(assessment["red_flags"])
        )
        turn.state["last_result"] = {"causes": [c["id"] for c in causes], "urgency": urgency}
        turn.finished.append(record)
        return reply

    def _crisis(self, turn: Turn, flags: tuple[str, ...]) -> list[Reply]:
        """Thoughts of suicide or self-harm, in any state: kindness and crisis help first."""
        turn.state.pop("awaiting", None)
        turn.state.pop("confirm", None)
        assessment = turn.state.get("assessment")
        text = safety.crisis_text(self.knowledge, turn.user.timezone, assessment is not None)
        if assessment is not None:
            self._add_flags(assessment, list(flags))
            understood: list[dict[str, Any]] = []
            screen_id = self.knowledge.safety.question
            if assessment.get("asking") == screen_id and screen_id not in assessment["answers"]:
                understood = self._store_answers(
                    assessment, [nlu.Understood(screen_id, list(flags))]
                )
            return [self._end_check(turn, assessment, text, flags, understood)]
        return [turn.reply(text, **safety.flag_fields(self.knowledge, flags))]

    def _on_confirm(
        self,
        turn: Turn,
        pending: dict[str, Any],
        answer: bool | None,
        text: str | None,
        flags: safety.FlagReading | None,
    ) -> list[Reply]:
        """The user's answer to a sign asked back: yes raises it, no goes on as if it had
        not been named; the answers held back come with this reply."""
        flag = str(pending["flag"])
        if text is not None:
            answer = safety.yes_or_no(self.knowledge, text)
            if answer is None and not pending.get("retried"):
                pending["retried"] = True
                return [self._confirm_reply(turn, flag, retry=True)]
        turn.state.pop("confirm", None)
        assessment = turn.state.get("assessment") if pending.get("in_check") else None
        named = [flag] if answer else []
        named += list(flags.raised) if flags is not None else []
        raised = safety.ordered(self.knowledge, named)
        held: list[dict[str, Any]] = list(pending.get("held") or [])
        screen = pending.get("screen")
        if screen is not None and answer:
            screen = [*screen, flag]
        replies: list[Reply] = []
        if raised:
            if assessment is not None:
                self._add_flags(assessment, list(raised))
                if safety.any_emergency(self.knowledge, raised):
                    if screen is not None:
                        value = list(safety.ordered(self.knowledge, screen)) or ["none"]
                        held += self._store_answers(
                            assessment, [nlu.Understood(self.knowledge.safety.question, value)]
                        )
                    return self._emergency_result(turn, assessment, raised, held)
            replies.append(self._flag_reply(turn, raised, in_check=assessment is not None))
        queue = [f for f in pending.get("queue") or [] if f not in raised]
        if assessment is not None:
            queue = [f for f in queue if f not in assessment["red_flags"]]
        if queue:
            turn.state["confirm"] = {**pending, "flag": queue[0], "queue": queue[1:]}
            turn.state["confirm"].update(screen=screen, held=held, retried=False)
            return [*replies, self._confirm_reply(turn, queue[0])]
        question = pending.get("faq")
        if question and (pending.get("ask") or not raised):
            replies.append(self._faq_reply(turn, faq.answer(self.knowledge, question)))
        if assessment is not None:
            if screen is not None:
                value = list(safety.ordered(self.knowledge, screen)) or ["none"]
                held += self._store_answers(
                    assessment, [nlu.Understood(self.knowledge.safety.question, value)]
                )
            return self._continue(turn, assessment, replies, held)
        if not replies:
            replies.append(turn.reply(self.knowledge.safety.say("confirm_no_outside")))
        self._attach_answers(replies, held)
        return replies

    @staticmethod
    def _attach_answers(replies: list[Reply], understood: list[dict[str, Any]]) -> None:
        if understood and replies:
            replies[0].answers = understood

    # --- FAQ, history, privacy ------------------------------------------------------------
    def _faq(
        self,
        turn: Turn,
        question: str,
        flags: safety.FlagReading | None = None,
        ask: bool = True,
    ) -> list[Reply]:
        """A question (`/ask`, or free text outside a check when `ask` is False): the signs it
        describes first (all of them), then the FAQ answer (for free text, only when no sign
        was raised); a sign the bot is unsure of is asked back after an explicit question's
        answer, or before free text's (whose answer then waits for the yes or no). During a
        check the signs count for it, and the check resumes."""
        if flags is None:
            flags = safety.read(self.knowledge, question)
        if safety.is_crisis(flags.raised):
            return self._crisis(turn, flags.raised)
        assessment = turn.state.get("assessment")
        replies: list[Reply] = []
        raised = flags.raised
        if raised:
            if assessment is not None:
                self._add_flags(assessment, list(raised))
                if safety.any_emergency(self.knowledge, raised):
                    return self._emergency_result(turn, assessment, raised, [])
            replies.append(self._flag_reply(turn, raised, in_check=assessment is not None))
        unsure = [f for f in flags.unsure if not assessment or f not in assessment["red_flags"]]
        if ask:  # an explicit question is answered first; a sign unsure of is asked after it
            replies.append(self._faq_answer(turn, question))
        if unsure:
            turn.state["confirm"] = {
                "flag": unsure[0],
                "queue": unsure[1:],
                "held": [],
                "screen": None,
                "in_check": assessment is not None,
                "faq": None if ask else question,
                "ask": ask,
            }
            return [*replies, self._confirm_reply(turn, unsure[0])]
        if not ask and not raised:
            replies.append(self._faq_answer(turn, question))
        return replies + self._resume(turn)

    def _faq_answer(self, turn: Turn, question: str) -> Reply:
        found = faq.answer(self.knowledge, question)
        if found.missed:
            misses.note(turn, misses.FAQ, question)
        return self._faq_text_reply(turn, found)

    @staticmethod
    def _faq_text_reply(turn: Turn, found: faq.FaqAnswer) -> Reply:
        """A typed question's answer: shortened ("As I said: ...") when given before."""
        reply = Engine._faq_reply(turn, found)
        text, buttons = conversation.shorten_repeat(turn, found.faq_id, found.text)
        if buttons:
            reply.text = text
            reply.buttons = buttons + (reply.buttons or [])
        return reply

    @staticmethod
    def _faq_reply(turn: Turn, found: faq.FaqAnswer) -> Reply:
        buttons = [[Button(label, f"faq:{faq_id}")] for faq_id, label in found.suggestions]
        return turn.reply(found.text, buttons=buttons, faq=found.faq_id)

    async def _history(self, turn: Turn) -> list[Reply]:
        records = await turn.tx.list_assessments(turn.user.user_id, HISTORY_LIMIT)
        if not records:
            return [self._menu(turn, turn.say("history_empty"))]
        zone = reminders.zone_of(turn.user.timezone)
        lines = [turn.say("history_header", count=len(records))]
        for record in records:
            names = [scoring.cause_title(self.knowledge, c["id"]) for c in record.causes[:3]]
            lines.append(
                turn.say(
                    "history_item",
                    date=record.finished_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    causes=", ".join(names) if names else turn.say("history_no_cause"),
                    urgency=scoring.urgency_label(self.knowledge, record.urgency),
                )
            )
        return [turn.reply("\n".join(lines))]

    def _confirm_delete(self, turn: Turn) -> Reply:
        return turn.reply(
            turn.say("delete_confirm"),
            buttons=[
                [
                    Button(turn.say("delete_yes_label"), "del:yes"),
                    Button(turn.say("delete_no_label"), "del:no"),
                ]
            ],
        )

    async def _delete(self, turn: Turn) -> list[Reply]:
        await turn.tx.delete_user(turn.user.user_id)
        turn.state.clear()
        turn.deleted = True
        return [turn.reply(turn.say("deleted"), erase_media=True)]

    def _menu(self, turn: Turn, text: str) -> Reply:
        return turn.reply(
            text,
            buttons=[
                [
                    Button(turn.say("menu_check"), "menu:check"),
                    Button(turn.say("menu_ask"), "menu:ask"),
                ],
                [
                    Button(turn.say("menu_reminders"), "menu:reminders"),
                    Button(turn.say("menu_help"), "menu:help"),
                ],
            ],
        )


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _rows(buttons: list[Button], width: int) -> list[list[Button]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]
