"""Callback data: one grammar, packed and parsed in dialogs/callbacks.py only."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import callbacks
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
from dialogs.knowledge import Knowledge
from tests.helpers import Chat

# The strings of the contract and of buttons already sent: byte for byte.
PACKED = [
    (Answer("duration", "days"), "ans:duration:days"),
    (Toggle("location", "calf"), "tog:location:calf"),
    (Done("location"), "done:location"),
    (Skip("sleep"), "skip:sleep"),
    (Redo("caffeine"), "redo:caffeine"),
    (ConfirmSign("numbness", yes=True), "cfm:numbness:yes"),
    (ConfirmSign("numbness", yes=False), "cfm:numbness:no"),
    (CauseDetail("help", "stress"), "cause:help:stress"),
    (CauseDetail("why", "stress"), "cause:why:stress"),
    (Menu("check"), "menu:check"),
    (FaqLink("serious_condition"), "faq:serious_condition"),
    (DeleteAnswer(yes=True), "del:yes"),
    (DeleteAnswer(yes=False), "del:no"),
    (ReminderPreset("water", "p1"), "rem:preset:water:p1"),
    (ReminderDone("water", "1777885200"), "rem:done:water:1777885200"),
    (ReminderDone("water"), "rem:done:water"),
    (ReminderSnooze("sleep", "1777885200"), "rem:snooze:sleep:1777885200"),
    (ReminderStop("diary"), "rem:stop:diary"),
    (ReminderMenu("sleep"), "rem:menu:sleep"),
    (ReminderDecline(), "rem:no"),
    (ZoneYes("Europe/Berlin"), "conv:zone:Europe/Berlin"),
    (ZoneYes("+05:30"), "conv:zone:+05:30"),
    (ZoneNo(), "conv:zone_no"),
    (LogLevel("strong"), "log:strong"),
    (FollowUpAnswer("same", "1777885200"), "fu:same:1777885200"),
    (FollowUpOff(), "fu:off"),
]


@pytest.mark.parametrize(("button", "data"), PACKED, ids=[d for _, d in PACKED])
def test_packs_the_contract_strings_and_parses_them_back(
    button: callbacks.Callback, data: str
) -> None:
    assert button.pack() == data
    assert callbacks.parse(data) == button


@pytest.mark.parametrize(
    "data",
    ["", "nonsense", "ans", "ans:", "ans:duration", "ans::days", "done:", "del:maybe",
     "cfm:numbness:perhaps", "cause:how:stress", "rem", "rem:no:more", "rem:done:water:soon",
     "rem:explode:water", "conv:zone:", "conv:zone_no:x", "fu:same:", "fu:same:abc",
     "fu:off:1", "menu", "log:", "zzz:1:2"],
)  # fmt: skip
def test_forged_or_unknown_data_parses_to_none(data: str) -> None:
    assert callbacks.parse(data) is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=70))
def test_any_text_parses_without_crashing_and_round_trips(data: str) -> None:
    button = callbacks.parse(data)
    if button is not None:
        assert button.pack() == data


def test_every_button_of_the_knowledge_fits_telegram(knowledge: Knowledge) -> None:
    made: list[str] = []
    for question_id, question in knowledge.questions.items():
        made += [Done(question_id).pack(), Skip(question_id).pack(), Redo(question_id).pack()]
        for option in question.options:
            made += [Answer(question_id, option.value).pack()]
            made += [Toggle(question_id, option.value).pack()]
    made += [FaqLink(faq_id).pack() for faq_id in knowledge.faq.entries]
    made += [CauseDetail(a, c).pack() for c in knowledge.causes for a in CauseDetail.ACTIONS]
    made += [ConfirmSign(flag, yes=True).pack() for flag in knowledge.red_flags]
    epoch = "9999999999"
    for kind in knowledge.reminders.kinds.values():
        made += [ReminderPreset(kind.id, p.id).pack() for p in kind.presets]
        made += [ReminderSnooze(kind.id, epoch).pack(), ReminderStop(kind.id).pack()]
    made += [LogLevel(level).pack() for level in knowledge.diary.levels]
    made += [FollowUpAnswer(v, epoch).pack() for v in knowledge.diary.follow_up.buttons]
    too_long = [data for data in made if len(data.encode("utf-8")) > callbacks.DATA_LIMIT]
    assert too_long == []
    assert all(callbacks.parse(data) is not None for data in made)


@pytest.mark.parametrize("data", ["del:maybe", "rem:no:more", "fu:off:1", "ans::x", "junk"])
async def test_the_engine_answers_forged_data_politely(chat: Chat, data: str) -> None:
    await chat.send("/check")
    [reply] = await chat.press(data)
    assert reply.text == chat.engine.knowledge.messages("stale_button")
