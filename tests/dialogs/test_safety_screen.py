"""The warning-signs screen: a "no" that goes on to tell a sign is never read as "none"."""

from __future__ import annotations

import pytest

from dialogs import safety
from dialogs.knowledge import Knowledge
from tests.helpers import Chat, asked, understood


async def to_screen(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my left calf")
    assert asked(replies) == "warning_signs"


async def test_a_no_that_states_a_sign_raises_it(chat: Chat) -> None:
    await to_screen(chat)
    replies = await chat.send("no but my cramps dont go even when i stretch")
    assert understood(replies).get("warning_signs") != ["none"]
    assert any("long_cramp" in (r.red_flags or []) for r in replies)


async def test_a_no_that_goes_on_about_something_sign_like_is_asked_again(chat: Chat) -> None:
    await to_screen(chat)
    replies = await chat.send("none except a weird feeling in my toes")
    assert "warning_signs" not in understood(replies)
    assert not any(r.red_flags for r in replies)


@pytest.mark.parametrize(
    "text",
    [
        "no but i am tired",
        "nah all good but thanks",
        "nope none",
        "not as far as i can tell",
        "no, although i got out of breath running for the bus, same as always",
        "swallowing ok, speech normal, breathing fine",  # each sign said to be fine
    ],
)
async def test_a_plain_no_is_none(chat: Chat, text: str) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == ["none"]


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ("no, but my feet buzz and prickle", True),
        ("no but i drink a lot of coffee", False),
        ("none, though my foot went numb sitting cross legged at the temple", False),
    ],
)
def test_says_more(knowledge: Knowledge, text: str, more: bool) -> None:
    assert safety.says_more(knowledge, text) is more


async def test_a_sign_said_to_be_not_great_is_no_denial(chat: Chat) -> None:
    await to_screen(chat)
    replies = await chat.send("my breathing isnt great")
    assert understood(replies).get("warning_signs") != ["none"]


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("weakness", ["weakness"]),  # a sign's short name is the answer
        ("weakness and numbness both, in my left leg", ["weakness", "numbness"]),
        ("pins and needles", ["numbness"]),
        ("dark pee and a stiff neck", ["meningitis", "dark_urine"]),
    ],
)
async def test_a_sign_named_in_answer_to_the_screen_is_raised(
    chat: Chat, text: str, signs: list[str]
) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == signs


@pytest.mark.parametrize(
    "text", ["no weakness, no numbness", "what counts as weakness?", "no tingling or numbness"]
)
async def test_a_sign_name_denied_or_asked_about_is_not_an_answer(chat: Chat, text: str) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert not any(r.red_flags for r in replies)


@pytest.mark.parametrize(
    "text",
    [
        "my mum had a stroke years ago but me, no, none of those",
        "i had a fit as a toddler, nothing since",
    ],
)
async def test_a_sign_name_of_someone_else_or_long_ago_is_not_an_answer(
    chat: Chat, text: str
) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert not any(r.red_flags for r in replies)
    assert not any(r.confirm for r in replies)


def test_the_short_names_count_only_in_answer_to_the_screen(knowledge: Knowledge) -> None:
    assert safety.read(knowledge, "weakness").raised == ()
    assert safety.read(knowledge, "weakness", screening=True).raised == ("weakness",)


@pytest.mark.parametrize("text", ["hard to say, i'm really not sure", "idk tbh, can't tell"])
async def test_an_answer_that_cannot_tell_is_unknown_and_asks_nothing_back(
    chat: Chat, text: str
) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == "unknown"
    assert not any(r.confirm for r in replies)


@pytest.mark.parametrize("text", ["he hasn't got any of those", "not a one", "nuttin like dat"])
async def test_more_ways_to_say_none(chat: Chat, text: str) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == ["none"]
