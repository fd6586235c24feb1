"""Requests in plain words (dialogs/intents.py): reminder requests and changes, a place in
passing, yes/no in many languages, small talk; the intents' examples validated on load.
Phrasings written for these tests, not taken from any evaluation set."""

from __future__ import annotations

import pytest

from dialogs import intents
from dialogs.knowledge import Knowledge


def context(knowledge: Knowledge, **reminders: tuple[str, ...]) -> intents.Context:
    return intents.Context(
        reminders=reminders,
        kinds=tuple(knowledge.reminders.kinds),
        find_zone=knowledge.reminders.finder.place,
    )


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("could you remind me to have a glass of water at 3pm", "remind_set", "water"),
        ("bedtime nudge at 22:45 please", "remind_set", "sleep"),
        ("stop reminding me about water", "remind_stop", "water"),
        ("switch off the bedtime reminders", "remind_stop", "sleep"),
        ("which reminders have I got", "reminders_list", None),
    ],
)
def test_reminder_requests(knowledge: Knowledge, text: str, name: str, kind: str | None) -> None:
    found = intents.read(knowledge.conversation, text, context(knowledge))
    assert found is not None and (found.name, found.kind) == (name, kind)


@pytest.mark.parametrize(
    "text",
    [
        "I drink coffee at 8 and 11",
        "my alarm rings at 7",
        "I go to bed at 1am and get up at 7",
        "i sleep 6 hours",
        "the cramps come at night around 3",
    ],
)
def test_not_reminder_requests(knowledge: Knowledge, text: str) -> None:
    found = intents.read(knowledge.conversation, text, context(knowledge))
    assert found is None or found.name not in intents.REMINDER_INTENTS


def test_a_change_needs_the_reminder_it_changes(knowledge: Knowledge) -> None:
    conv = knowledge.conversation
    found = intents.read(conv, "make it 9 instead of 8", context(knowledge, water=("08:00",)))
    assert found is not None and found.name == "remind_change" and found.kind == "water"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("I'm based in Manchester", "Europe/London"),
        ("we live in Toronto", "America/Toronto"),
        ("my timezone is Tokyo", "Asia/Tokyo"),
    ],
)
def test_a_place_in_passing_names_a_zone(knowledge: Knowledge, text: str, zone: str) -> None:
    found = intents.read(knowledge.conversation, text, context(knowledge))
    assert found is not None and found.name == "timezone_set" and found.zone == zone


@pytest.mark.parametrize("text", ["I'm in pain", "twitching in my left arm", "from stress"])
def test_no_zone_without_a_place(knowledge: Knowledge, text: str) -> None:
    found = intents.read(knowledge.conversation, text, context(knowledge))
    assert found is None or found.name != "timezone_set"


@pytest.mark.parametrize("word", ["si", "ja", "oui", "da", "haan", "tak", "yes please"])
def test_yes_words(knowledge: Knowledge, word: str) -> None:
    assert intents.is_yes(knowledge.conversation, word)
    assert not intents.is_no(knowledge.conversation, word)


@pytest.mark.parametrize("word", ["nein", "non", "nahi", "nope", "no thanks"])
def test_no_words(knowledge: Knowledge, word: str) -> None:
    assert intents.is_no(knowledge.conversation, word)


def test_intent_examples_are_validated_on_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dialogs.knowledge import DEFAULT_PATH, Files, KnowledgeError, parse_knowledge

    text = DEFAULT_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "data" / "training"
    bad.mkdir(parents=True)
    (bad / "intents.yaml").write_text('"remind_sett":\n  - "remind me at 9"\n', encoding="utf-8")
    for name in ("intents_more.yaml", "faq.yaml", "faq_more.yaml"):
        (bad / name).write_text((DEFAULT_PATH.parent / "data/training" / name).read_text())
    with pytest.raises(KnowledgeError, match="remind_sett"):
        parse_knowledge(text, Files(tmp_path, None))


@pytest.mark.parametrize(("text", "name"), [("👍", "ack"), ("🙏", "thanks"), ("👋", "goodbye")])
def test_emoji_alone_is_small_talk(knowledge: Knowledge, text: str, name: str) -> None:
    found = intents.read(knowledge.conversation, text, context(knowledge))
    assert found is not None and found.name == name
