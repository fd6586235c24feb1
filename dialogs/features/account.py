"""The user's data: /history (the last checks), /privacy, /delete (confirmed by a button
`del:yes|no` or a typed yes/no while it is pending, `state.awaiting == "delete"`)."""

from __future__ import annotations

from dialogs import intents, nlu, safety, scoring
from dialogs.callbacks import DeleteAnswer
from dialogs.features.menu import menu
from dialogs.timezones import zone_of
from dialogs.turn import Turn
from dialogs.types import Button, Reply

HISTORY_LIMIT = 10
AWAIT_DELETE = "delete"  # state "awaiting" while /delete waits for its confirmation


async def history(turn: Turn, args: str) -> list[Reply]:
    """/history"""
    knowledge = turn.knowledge
    records = await turn.tx.list_assessments(turn.user.user_id, HISTORY_LIMIT)
    if not records:
        return [menu(turn, turn.say("history_empty"))]
    zone = zone_of(turn.user.timezone)
    lines = [turn.say("history_header", count=len(records))]
    for record in records:
        names = [scoring.cause_title(knowledge, c["id"]) for c in record.causes[:3]]
        lines.append(
            turn.say(
                "history_item",
                date=record.finished_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                causes=", ".join(names) if names else turn.say("history_no_cause"),
                urgency=scoring.urgency_label(knowledge, record.urgency),
            )
        )
    return [turn.reply("\n".join(lines))]


async def privacy(turn: Turn, args: str) -> list[Reply]:
    """/privacy"""
    return [turn.reply(turn.say("privacy"))]


async def delete(turn: Turn, args: str) -> list[Reply]:
    """/delete: asks first."""
    turn.state.awaiting = AWAIT_DELETE
    return [_confirm(turn)]


async def on_prompt(
    turn: Turn, awaiting: str, text: str, flags: safety.FlagReading
) -> list[Reply] | None:
    """A typed answer to /delete's question: yes erases, no keeps, anything else asks again."""
    knowledge = turn.knowledge
    conv = knowledge.conversation
    if intents.is_no(conv, text) and not nlu.is_yes(knowledge, text):
        return [turn.reply(turn.say("delete_kept"))]
    if nlu.is_yes(knowledge, text) or intents.is_yes(conv, text):
        return await _erase(turn)
    if not nlu.is_no(knowledge, text):
        turn.state.awaiting = AWAIT_DELETE
        return [_confirm(turn)]
    return [turn.reply(turn.say("delete_kept"))]


async def on_button(turn: Turn, pressed: DeleteAnswer) -> list[Reply]:
    """`del:yes|no`. Single use, bound to the pending /delete: a Yes from an old confirmation
    (after No, after another command) or with nothing pending erases nothing."""
    if turn.state.awaiting != AWAIT_DELETE:
        key = "delete_not_pending" if pressed.yes else "delete_kept"
        return [turn.reply(turn.say(key))]
    turn.state.awaiting = None
    if pressed.yes:
        return await _erase(turn)
    return [turn.reply(turn.say("delete_kept"))]


def _confirm(turn: Turn) -> Reply:
    return turn.reply(
        turn.say("delete_confirm"),
        buttons=[
            [
                Button(turn.say("delete_yes_label"), DeleteAnswer(yes=True).pack()),
                Button(turn.say("delete_no_label"), DeleteAnswer(yes=False).pack()),
            ]
        ],
    )


async def _erase(turn: Turn) -> list[Reply]:
    await turn.tx.delete_user(turn.user.user_id)
    turn.state.clear()
    turn.deleted = True
    return [turn.reply(turn.say("deleted"), erase_media=True)]
