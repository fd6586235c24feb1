"""Reply -> Telegram messages and keyboards (bot/telegram_render.py), without a network:
rendering, splitting and joining texts, the labels of a pressed button, the bot's commands."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.telegram_render import (
    MESSAGE_LIMIT,
    bot_commands,
    chosen_text,
    coalesce,
    keyboard,
    pressed_labels,
    render,
    split_text,
)
from dialogs.knowledge import Knowledge
from dialogs.types import Button, Reply
from tests.helpers import markup_of


# --- rendering ------------------------------------------------------------------------------
def test_reply_becomes_plain_text_with_an_inline_keyboard() -> None:
    reply = Reply(
        7,
        "<b>not bold</b> *nor this* _x_ [link](http://a)",
        buttons=[
            [Button("Yes", "ans:q:yes"), Button("No", "ans:q:no")],
            [Button("Skip", "skip:q")],
        ],
    )
    [out] = render(reply)
    kwargs = out.kwargs()
    assert kwargs["chat_id"] == 7
    assert kwargs["text"] == reply.text  # as typed: no escaping needed without parse_mode
    assert "parse_mode" not in kwargs
    markup = kwargs["reply_markup"]
    assert isinstance(markup, InlineKeyboardMarkup)
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Yes", "ans:q:yes"), ("No", "ans:q:no")],
        [("Skip", "skip:q")],
    ]


def test_reply_without_buttons_has_no_keyboard() -> None:
    [out] = render(Reply(1, "hello"))
    assert "reply_markup" not in out.kwargs()


def test_buttons_telegram_would_refuse_are_left_out() -> None:
    markup = keyboard([[Button("ok", "a:b"), Button("too long", "x" * 65)], [Button(" ", "c:d")]])
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["a:b"]]
    assert keyboard([[Button("too long", "é" * 33)]]) is None  # 66 bytes


def test_long_text_is_split_at_line_breaks_and_the_keyboard_goes_last() -> None:
    paragraph = "word " * 200 + "\n\n"
    reply = Reply(3, paragraph * 10, buttons=[[Button("Done", "done:q")]])
    parts = render(reply)
    assert len(parts) > 1
    assert all(len(p.text) <= MESSAGE_LIMIT for p in parts)
    assert [p.reply_markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "".join(p.text.replace(" ", "").replace("\n", "") for p in parts) == (
        reply.text.replace(" ", "").replace("\n", "")
    )


def test_split_text_cuts_even_without_spaces() -> None:
    parts = split_text("a" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]
    assert split_text("") == [""]


def test_a_reply_without_buttons_is_joined_to_the_next_one() -> None:
    question = Reply(4, "Where?", buttons=[[Button("Calf", "tog:location:calf")]], asks="location")
    joined = coalesce([Reply(4, "Let's start."), question, Reply(4, "Bye")])
    assert [r.text for r in joined] == ["Let's start.\n\nWhere?", "Bye"]
    assert joined[0].buttons == question.buttons and joined[0].asks == "location"
    # never across chats, never past the size limit, never after a keyboard
    assert len(coalesce([Reply(1, "a"), Reply(2, "b")])) == 2
    assert len(coalesce([Reply(1, "a" * 4000), Reply(1, "b" * 200)])) == 2
    assert len(coalesce([question, Reply(4, "b")])) == 2
    assert coalesce([]) == []


# --- presses --------------------------------------------------------------------------------
def test_pressed_label_of_a_single_choice() -> None:
    markup = markup_of(("Days", "ans:duration:days"), ("Skip", "skip:duration"))
    assert pressed_labels(markup, "ans:duration:days", "✅") == ["Days"]
    assert pressed_labels(markup, "skip:duration", "✅") == ["Skip"]
    assert pressed_labels(None, "ans:duration:days", "✅") == []


def test_multi_select_done_shows_the_selected_labels() -> None:
    markup = markup_of(
        ("✅ Calf", "tog:location:calf"),
        ("Arm", "tog:location:arm"),
        ("✅ Foot", "tog:location:foot"),
        ("Done ✔", "done:location"),
        ("Skip", "skip:location"),
    )
    assert pressed_labels(markup, "done:location", "✅") == ["Calf", "Foot"]
    assert pressed_labels(markup, "skip:location", "✅") == ["Skip"]


def test_chosen_text_keeps_the_question_and_adds_the_choice(knowledge: Knowledge) -> None:
    text = chosen_text(knowledge.messages, "Where?", ["Calf", "Foot"])
    assert text.startswith("Where?")
    assert "Calf" in text and "Foot" in text
    long = chosen_text(knowledge.messages, "q" * 5000, ["Calf"])
    assert len(long) <= MESSAGE_LIMIT


def test_bot_commands_come_from_knowledge_and_match_the_engine(knowledge: Knowledge) -> None:
    commands = bot_commands(knowledge.messages)
    names = [c.command for c in commands]
    for expected in ("start", "check", "ask", "help", "cancel", "delete", "privacy"):
        assert expected in names
    assert all(c.description and len(c.description) <= 256 for c in commands)
    assert all(name.islower() and " " not in name for name in names)


def test_every_transport_text_exists(knowledge: Knowledge) -> None:
    for key in ("tg_non_text", "tg_edited", "tg_private_only", "tg_error", "tg_description"):
        assert knowledge.messages(key).strip()
    assert len(knowledge.messages("tg_short_description")) <= 120
    assert len(knowledge.messages("tg_description")) <= 512
