"""The text mechanics on their own (dialogs/text.py): tokens, typo repair that keeps real
words and never turns one into another, negation scopes."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from dialogs.text import Lexicon, Negation, Reading, tokenize


def test_tokens_drop_apostrophes_and_split_units() -> None:
    assert tokenize("Don't know, 8h or 6:30") == ["dont", "know", ",", "8", "h", "or", "6:30"]
    assert tokenize("pre-workout 5–6") == ["pre", "workout", "5", "-", "6"]


def test_lexicon_repairs_plurals_and_typos_but_keeps_real_words() -> None:
    lexicon = Lexicon(keep={"hour", "fine"})
    lexicon.add(["calf", "coffees", "potassium", "five", "hours"])
    assert lexicon.repair("calfs") == "calf"
    assert lexicon.repair("cofees") == "coffees"
    assert lexicon.repair("potasium") == "potassium"
    assert lexicon.repair("fiev") == "five"
    assert lexicon.repair("fine") == "fine"
    assert lexicon.repair("zebra") == "zebra"


def test_a_sound_alike_slip_never_turns_a_real_word_into_another() -> None:
    lexicon = Lexicon(keep={"mouth"})
    lexicon.add(["month", "eyelid", "weeks", "cramp"])
    assert lexicon.repair("eyelit") == "eyelid"
    assert lexicon.repair("weaks") == "weeks"
    assert lexicon.repair("cramb") == "cramp"
    assert lexicon.repair("mouth") == "mouth"  # a real word (kept), and u/n don't sound alike
    assert lexicon.repair("clamp") == "clamp"  # l/r: another word, not a slip


def test_a_common_english_word_is_no_typo_but_its_plural_is_still_stemmed() -> None:
    lexicon = Lexicon(english=frozenset({"waiting", "wants"}))
    lexicon.add(["wasting", "want", "coffees"])
    assert lexicon.repair("waiting") == "waiting"  # a word of its own, not "wasting"
    assert lexicon.repair("wants") == "want"  # plurals are normalised, not typos
    assert lexicon.repair("cofees") == "coffees"  # unknown words are still repaired
    assert lexicon.real("waiting") and not lexicon.real("cofees")


@pytest.mark.parametrize(
    ("word", "kept"),
    [
        ("note", True),
        ("ones", False),
        ("thirsty", True),
        ("meditation", True),
        ("sweet", True),
        ("waiting", True),  # common English (dialogs/english.py), not a slip of "wasting"
    ],
)
def test_real_words_are_not_repaired_into_other_words(
    knowledge: Knowledge, word: str, kept: bool
) -> None:
    repaired = knowledge.language.lexicon.repair(word)
    assert (repaired == word) is kept
    assert repaired not in {"not", "on", "thirty", "medication", "sweat", "wasting"}


def test_negation_scope_stops_at_a_clause_boundary() -> None:
    reading = Reading.of(
        ["no", "pain", ",", "numb"], Negation(frozenset({"no"}), frozenset(), window=4)
    )
    assert reading.negated == [False, True, False, False]


def test_a_denied_list_goes_on_past_or_when_the_scope_ran_out() -> None:
    """ "i dont have a sore throat or a cold": the cold is denied too."""
    negation = Negation(frozenset({"dont"}), frozenset(), window=4, lists=frozenset({"or"}))
    tokens = ["i", "dont", "have", "a", "sore", "throat", "or", "a", "cold"]
    reading = Reading.of(tokens, negation)
    assert reading.negated[tokens.index("cold")]
    plain = Reading.of(["i", "have", "a", "cough", "or", "a", "cold"], negation)
    assert not any(plain.negated)
