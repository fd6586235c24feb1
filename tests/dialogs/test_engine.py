"""The router (dialogs/engine.py): every button and command of ours reaches a handler, users
are kept apart, stale buttons and bad input get a friendly answer, commands are parsed. The
features themselves: tests/dialogs/features/test_<feature>.py."""

from __future__ import annotations

from dialogs import callbacks, engine
from dialogs.engine import Engine, parse_command
from dialogs.knowledge import Knowledge
from dialogs.types import Incoming
from tests.helpers import Chat, asked, understood


def test_every_kind_of_button_has_a_handler() -> None:
    routed = set(engine.BUTTONS) | {callbacks.Menu}  # menu:<command> goes to COMMANDS
    assert routed == set(callbacks.BUTTON_TYPES)


def test_every_command_offered_in_telegram_is_routed(knowledge: Knowledge) -> None:
    offered = [
        line.partition(" - ")[0].strip().lstrip("/")
        for line in knowledge.messages.get("tg_commands").splitlines()
        if line.strip()
    ]
    assert offered and set(offered) <= set(engine.COMMANDS)


def test_the_grace_window_lives_in_the_engine_settings() -> None:
    assert engine.EngineSettings(grace_minutes=5).grace_seconds == 300


async def test_a_menu_button_runs_its_command(chat: Chat) -> None:
    [reply] = await chat.press("menu:privacy")
    assert reply.text == chat.engine.knowledge.messages("privacy")
    [unknown] = await chat.press("menu:nonsense")
    assert unknown.text == chat.engine.knowledge.messages("unknown_command", command="nonsense")


async def test_stale_button_is_ignored_politely(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.press("ans:sleep:short")  # sleep is not being asked
    assert len(replies) == 1 and not replies[0].answers
    replies = await chat.press("nonsense-data")
    assert replies[0].text


async def test_users_are_private(engine: Engine) -> None:
    alice, bob = Chat(engine, 1), Chat(engine, 2)
    await alice.send("/check")
    await alice.press("tog:location:calf")
    replies = await bob.send("/check")
    assert asked(replies) == "location"
    replies = await bob.press("done:location")
    assert asked(replies) == "location"  # bob chose nothing; alice's selection is hers
    replies = await alice.press("done:location")
    assert understood(replies) == {"location": ["calf"]}


async def test_bad_input_gets_a_friendly_answer(chat: Chat) -> None:
    for text in ["", "   ", "\x00\x01", "🙂🙂🙂", "x" * 100_000, "/", "/unknowncommand"]:
        replies = await chat.send(text)
        assert replies and all(r.text for r in replies)
    replies = await chat.engine.handle(Incoming(7, chat.now))  # neither text nor callback
    assert replies[0].text


def test_parse_command() -> None:
    assert parse_command("/remind@TwitchBot water 09:00") == ("remind", "water 09:00")
    assert parse_command("/CHECK") == ("check", "")
    assert parse_command("hello /check") is None
    assert parse_command("/ 5") is None
