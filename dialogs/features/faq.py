"""FAQ answers as replies: an entry's answer with its suggestions, a typed question's answer
(shortened when given before), the `faq:<id>` buttons. Reading questions is dialogs/faq.py."""

from __future__ import annotations

from dialogs import conversation, faq, misses
from dialogs.callbacks import FaqLink
from dialogs.turn import Turn
from dialogs.types import Button, Reply


def reply(turn: Turn, found: faq.FaqAnswer) -> Reply:
    buttons = [[Button(label, FaqLink(faq_id).pack())] for faq_id, label in found.suggestions]
    return turn.reply(found.text, buttons=buttons, faq=found.faq_id)


def text_reply(turn: Turn, found: faq.FaqAnswer) -> Reply:
    """A typed question's answer: shortened ("As I said: ...") when given before."""
    out = reply(turn, found)
    text, buttons = conversation.shorten_repeat(turn, found.faq_id, found.text)
    if buttons:
        out.text = text
        out.buttons = buttons + (out.buttons or [])
    return out


def answer(turn: Turn, question: str) -> Reply:
    """The answer to a typed question; a real question nothing answers is noted as a miss."""
    found = faq.answer(turn.knowledge, question)
    if found.missed:
        misses.note(turn, misses.FAQ, question)
    return text_reply(turn, found)


async def on_link(turn: Turn, pressed: FaqLink) -> list[Reply]:
    """A `faq:<id>` button: that entry's answer."""
    found = faq.answer_by_id(turn.knowledge, pressed.faq_id)
    if found is None:
        return [turn.reply(turn.say("stale_button"))]
    return [reply(turn, found)]
