"""Warning signs in the dialog (issue 8): the screening question, every sign of a message in
the table's order, emergency ends the check, signs asked back (confirm) answered by text or
button, and the crisis answer in every state. Detection itself is tested in
test_red_flags*.py; here a reader with known answers stands in where the flow, not the
wording, is under test (`reader` fixture)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dialogs import safety
from dialogs.knowledge import Knowledge
from dialogs.types import Reply
from tests.helpers import Chat, asked, result, understood


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, safety.FlagReading]]:
    """Texts -> what the red-flag reader says of them; other texts read as usual."""
    known: dict[str, safety.FlagReading] = {}
    real: Callable[..., safety.FlagReading] = safety.read_red_flags

    def fake(knowledge: Knowledge, text: str) -> safety.FlagReading:
        return known.get(text) or real(knowledge, text)

    monkeypatch.setattr(safety, "read_red_flags", fake)
    # the flow, not the learned second opinion (tests/dialogs/test_red_flag_model.py)
    monkeypatch.setattr(safety, "second_opinion", lambda model, text, reading: reading)
    yield known


def flagged(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if r.red_flags]


def confirm_of(replies: list[Reply]) -> str | None:
    return next((r.confirm for r in replies if r.confirm), None)


async def to_screen(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my left calf")
    assert asked(replies) == "warning_signs"


# --- the screening question --------------------------------------------------------------
async def test_the_screen_comes_right_after_location_with_a_button_per_sign(
    chat: Chat, knowledge: Knowledge
) -> None:
    await chat.send("/check")
    replies = await chat.send("my eyelid")
    screen = replies[-1]
    assert screen.asks == "warning_signs"
    data = [b.data for row in screen.buttons for b in row]
    assert data[0] == "tog:warning_signs:none"  # "None of these", one tap
    flags = [d.split(":")[2] for d in data if d.startswith("tog:") and not d.endswith(":none")]
    assert set(flags) == set(knowledge.red_flags)
    levels = [safety.urgency_of(knowledge, f) for f in flags]
    ranks = [safety.URGENCY_ORDER.index(level) for level in levels]
    assert ranks == sorted(ranks, reverse=True)  # emergency signs first
    assert "done:warning_signs" in data


@pytest.mark.parametrize(
    "text", ["nope none", "no, none of those", "none of these thankfully", "nah all good"]
)
async def test_typed_none(chat: Chat, text: str) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == ["none"]
    assert asked(replies) == "duration" and not flagged(replies)


async def test_typed_not_sure_is_unknown(chat: Chat) -> None:
    await to_screen(chat)
    replies = await chat.send("not sure tbh")
    assert understood(replies)["warning_signs"] == "unknown"


@pytest.mark.parametrize(
    ("text", "flag"),
    [("bit of tingling in my fingers", "numbness"), ("I keep dropping my keys", "weakness")],
)
async def test_typed_signs_answer_the_screen_and_are_raised(
    chat: Chat, text: str, flag: str
) -> None:
    await to_screen(chat)
    replies = await chat.send(text)
    assert understood(replies)["warning_signs"] == [flag]
    assert flagged(replies)[0].red_flags == [flag]
    assert asked(replies) == "duration"  # a doctor_soon sign: the check goes on


async def test_tapped_signs_are_raised_in_table_order(chat: Chat, knowledge: Knowledge) -> None:
    await to_screen(chat)
    await chat.press("tog:warning_signs:numbness")
    await chat.press("tog:warning_signs:weakness")
    replies = await chat.press("done:warning_signs")
    reply = flagged(replies)[0]
    assert reply.red_flags == list(safety.ordered(knowledge, ["numbness", "weakness"]))
    assert reply.red_flag == reply.red_flags[0] and reply.urgency == "doctor_soon"
    assert asked(replies) == "duration"


async def test_a_tapped_emergency_sign_ends_the_check(chat: Chat) -> None:
    await to_screen(chat)
    await chat.press("tog:warning_signs:breathing")
    replies = await chat.press("done:warning_signs")
    final = result(replies)
    assert final is not None and final.urgency == "emergency" and final.red_flag == "breathing"
    assert final.text.startswith("🚨")  # what to do comes first
    assert asked(replies) is None


async def test_a_flag_raised_earlier_stays_raised(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("my hand, and my fingers have gone numb")
    assert flagged(replies)[0].red_flag == "numbness"
    replies = await chat.send("none of these")
    assert understood(replies)["warning_signs"] == ["none"]
    while asked(replies):
        replies = await chat.send("skip")
    assert result(replies).urgency == "doctor_soon"


# --- several signs, emergency ends the check ----------------------------------------------
async def test_every_sign_of_a_message_most_urgent_first(chat: Chat, reader) -> None:
    text = "my arm is weak, my hand is numb and I can't breathe"
    reader[text] = safety.FlagReading(("weakness", "numbness", "breathing"), ())
    await chat.send("/check")
    replies = await chat.send(text)
    reply = flagged(replies)[0]
    assert reply.red_flags == ["breathing", "weakness", "numbness"]  # the table's order
    assert reply.red_flag == "breathing" and reply.urgency == "emergency"
    assert reply.causes is not None  # the emergency message is the check's result
    assert asked(replies) is None
    again = await chat.send("hello?")  # no check any more
    assert asked(again) is None


async def test_emergency_result_is_in_history(chat: Chat) -> None:
    await chat.send("/check")
    await chat.send("my chest twitches and I can't breathe")
    replies = await chat.send("/history")
    assert "emergency" in replies[0].text.lower()


async def test_signs_outside_a_check_and_in_the_faq(chat: Chat) -> None:
    replies = await chat.send("my fingers are numb and my grip is weak")
    reply = flagged(replies)[0]
    assert set(reply.red_flags) == {"numbness", "weakness"}
    assert reply.red_flags[0] == reply.red_flag
    replies = await chat.send("/ask my fingers are numb, is magnesium good for that?")
    assert flagged(replies)[0].red_flag == "numbness"
    assert any(r.faq for r in replies)  # the question is still answered


async def test_signs_after_a_result(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("skip")
    while asked(replies):
        replies = await chat.send("skip")
    assert result(replies) is not None
    replies = await chat.send("I can't breathe properly")
    assert flagged(replies)[0].red_flag == "breathing"
    assert flagged(replies)[0].urgency == "emergency"


# --- signs asked back ---------------------------------------------------------------------
UNSURE = "my hand feels a bit funny"


async def test_confirm_yes_by_text_raises_and_releases_the_held_answer(chat: Chat, reader) -> None:
    reader[UNSURE] = safety.FlagReading((), ("numbness",))
    await chat.send("/check")
    replies = await chat.send(UNSURE)
    assert confirm_of(replies) == "numbness" and not understood(replies)
    buttons = [b.data for row in replies[-1].buttons for b in row]
    assert buttons == ["cfm:numbness:yes", "cfm:numbness:no"]
    replies = await chat.send("yes")
    assert flagged(replies)[0].red_flag == "numbness"
    assert understood(replies)["location"] == ["hand"]  # held back until the yes
    assert asked(replies) == "warning_signs"


async def test_confirm_no_by_button_goes_on_as_if_not_named(chat: Chat, reader) -> None:
    reader[UNSURE] = safety.FlagReading((), ("numbness",))
    await chat.send("/check")
    await chat.send(UNSURE)
    replies = await chat.press("cfm:numbness:no")
    assert not flagged(replies)
    assert understood(replies)["location"] == ["hand"]
    assert asked(replies) == "warning_signs"


async def test_confirm_on_the_screen_no_makes_it_none(chat: Chat, reader) -> None:
    reader["kind of a funny feeling maybe"] = safety.FlagReading((), ("numbness",))
    await to_screen(chat)
    replies = await chat.send("kind of a funny feeling maybe")
    assert confirm_of(replies) == "numbness" and "warning_signs" not in understood(replies)
    replies = await chat.send("no")
    assert understood(replies)["warning_signs"] == ["none"]
    assert asked(replies) == "duration"


async def test_confirm_on_the_screen_yes_by_button(chat: Chat, reader) -> None:
    reader["kind of a funny feeling maybe"] = safety.FlagReading((), ("numbness",))
    await to_screen(chat)
    await chat.send("kind of a funny feeling maybe")
    replies = await chat.press("cfm:numbness:yes")
    assert understood(replies)["warning_signs"] == ["numbness"]
    assert flagged(replies)[0].red_flag == "numbness"


async def test_one_sign_asked_back_at_a_time(chat: Chat, reader) -> None:
    text = "weird throat feeling and my hand feels odd"
    reader[text] = safety.FlagReading(("weakness",), ("swallowing", "numbness"))
    await chat.send("/check")
    replies = await chat.send(text)
    assert flagged(replies)[0].red_flag == "weakness"  # the clear sign is raised at once
    assert confirm_of(replies) == "swallowing"
    replies = await chat.send("no")
    assert confirm_of(replies) == "numbness" and not flagged(replies)
    replies = await chat.send("yes a bit")
    assert flagged(replies)[0].red_flag == "numbness"
    assert asked(replies) == "warning_signs"


async def test_an_emergency_sign_confirmed_ends_the_check(chat: Chat, reader) -> None:
    reader["odd breathing"] = safety.FlagReading((), ("breathing",))
    await chat.send("/check")
    await chat.send("odd breathing")
    replies = await chat.send("yeah")
    final = result(replies)
    assert final is not None and final.red_flag == "breathing" and final.urgency == "emergency"


async def test_neither_yes_nor_no_is_asked_once_more(chat: Chat, reader) -> None:
    reader[UNSURE] = safety.FlagReading((), ("numbness",))
    await chat.send("/check")
    await chat.send(UNSURE)
    replies = await chat.send("what do you mean")
    assert confirm_of(replies) == "numbness"
    replies = await chat.send("hmm")
    assert confirm_of(replies) is None and asked(replies) == "warning_signs"


async def test_a_stale_confirm_button_is_ignored(chat: Chat, reader) -> None:
    reader[UNSURE] = safety.FlagReading((), ("numbness",))
    await chat.send("/check")
    await chat.send(UNSURE)
    await chat.press("cfm:numbness:no")
    replies = await chat.press("cfm:numbness:yes")  # already answered
    assert not flagged(replies) and len(replies) == 1


async def test_confirm_outside_a_check_waits_for_free_text(chat: Chat, reader) -> None:
    text = "my hand feels funny, does magnesium help?"
    reader[text] = safety.FlagReading((), ("numbness",))
    replies = await chat.send(text)
    assert confirm_of(replies) == "numbness" and not any(r.faq for r in replies)
    replies = await chat.send("no")
    assert any(r.faq for r in replies) and not flagged(replies)


async def test_an_explicit_question_is_answered_then_the_sign_asked_back(
    chat: Chat, reader
) -> None:
    text = "my hand feels funny, does magnesium help?"
    reader[text] = safety.FlagReading((), ("numbness",))
    replies = await chat.send(f"/ask {text}")
    assert replies[0].faq and confirm_of(replies) == "numbness"
    replies = await chat.send("yes")
    assert flagged(replies)[0].red_flag == "numbness" and not any(r.faq for r in replies)


# --- crisis, in every state ---------------------------------------------------------------
CRISIS = "I keep thinking I'd be better off dead"


def crisis_reply(replies: list[Reply]) -> Reply:
    reply = flagged(replies)[0]
    assert reply.red_flag == "self_harm" and reply.urgency == "emergency"
    assert "\n• " in reply.text  # crisis lines
    assert "didn't" not in reply.text.lower()
    return reply


@pytest.fixture
def crisis(reader, knowledge: Knowledge) -> None:
    if "self_harm" not in knowledge.red_flags:  # until the red_flags section has it
        pytest.skip("knowledge.yaml red_flags has no self_harm yet")
    reader[CRISIS] = safety.FlagReading(("self_harm",), ())


async def test_crisis_mid_check(chat: Chat, crisis) -> None:  # UK: 999, Samaritans
    await chat.send("/timezone Europe/London")
    await chat.send("/check")
    replies = await chat.send(CRISIS)
    reply = crisis_reply(replies)
    assert "999" in reply.text and "Samaritans" in reply.text
    assert reply.causes is not None and asked(replies) is None


async def test_crisis_on_the_screen(chat: Chat, crisis) -> None:
    await to_screen(chat)
    replies = await chat.send(CRISIS)
    crisis_reply(replies)
    assert understood(replies)["warning_signs"] == ["self_harm"]


async def test_crisis_at_a_confirmation(chat: Chat, reader, crisis) -> None:
    reader[UNSURE] = safety.FlagReading((), ("numbness",))
    await chat.send("/check")
    await chat.send(UNSURE)
    crisis_reply(await chat.send(CRISIS))
    replies = await chat.send("yes")  # the sign asked back is no longer pending
    assert confirm_of(replies) is None


async def test_crisis_at_the_delete_confirmation(chat: Chat, crisis) -> None:
    await chat.send("/delete")
    crisis_reply(await chat.send(CRISIS))
    replies = await chat.send("/history")  # nothing was deleted, nothing is pending
    assert replies[0].text


async def test_crisis_after_a_result_and_outside(chat: Chat, crisis) -> None:
    crisis_reply(await chat.send(CRISIS))
    await chat.send("/check")
    replies = await chat.send("skip")
    while asked(replies):
        replies = await chat.send("skip")
    crisis_reply(await chat.send(CRISIS))
    crisis_reply(await chat.send(f"/ask {CRISIS}"))


async def test_crisis_lines_follow_the_time_zone(chat: Chat, crisis) -> None:
    await chat.send("/timezone America/Chicago")
    assert "988" in crisis_reply(await chat.send(CRISIS)).text
    await chat.send("/timezone Europe/Paris")
    assert "3114" in crisis_reply(await chat.send(CRISIS)).text


async def test_crisis_fallback_without_a_time_zone(chat: Chat, crisis) -> None:
    reply = crisis_reply(await chat.send(CRISIS))
    assert "112" in reply.text and "911" in reply.text and "findahelpline" in reply.text


def test_a_likely_emergency_beside_a_raised_one_is_named_not_asked(knowledge: Knowledge) -> None:
    """The check ends at an emergency: a likely second one is named with it (not a crisis)."""
    text = "within the last hour my sight went dark on the left and my words come out slurred"
    reading = safety.read(knowledge, text)
    assert reading.raised[:2] == ("stroke", "speech") and "stroke" not in reading.unsure
