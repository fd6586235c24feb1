"""The learned second opinion on warning signs (dialogs/flag_model.py): its accuracy stays above
a floor in cross-validation, and it only ever asks back what the rules did not see, raises only
what the rules were unsure of, and asks back a sign the rules took back only when nearly sure."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogs import flag_model as second
from dialogs import safety
from dialogs.classifier import cross_validate
from dialogs.flag_model import second_opinion
from dialogs.knowledge import Knowledge
from dialogs.knowledge.flag_model import NONE, SETTINGS, FlagModel
from dialogs.red_flags import FlagReading, read_red_flags
from dialogs.training import load_examples
from tests.helpers import Chat, asked

ROOT = Path(__file__).resolve().parents[2]


class Ranked:
    """A stand-in classifier: fixed probabilities for every text."""

    def __init__(self, ranked: list[tuple[str, float]]) -> None:
        self.ranked = ranked

    def rank(self, text: str) -> list[tuple[str, float]]:
        return self.ranked


def model(flag: str, p: float) -> FlagModel:
    return FlagModel(Ranked([(flag, p), (NONE, 1 - p)]), ask=0.65, agree=0.5)  # type: ignore[arg-type]


TEXT = "something is going on with me today"


WORDED = FlagReading((), (), worded=True)  # the rules saw words of signs, but no sign


def test_a_confident_model_only_sign_is_asked_back_never_raised() -> None:
    reading = second_opinion(model("stroke", 0.9), TEXT, WORDED)
    assert reading.raised == () and reading.unsure == ("stroke",)


def test_a_model_below_the_ask_threshold_adds_nothing() -> None:
    reading = second_opinion(model("stroke", 0.6), TEXT, WORDED)
    assert reading == WORDED


def test_a_message_without_any_word_of_a_sign_is_never_asked_back() -> None:
    rules = FlagReading((), ())  # "I live in Leeds": letters like "bleed", no sign word
    assert second_opinion(model("self_harm", 0.99), TEXT, rules) == rules


def overruling(flag: str, p: float) -> FlagModel:
    """A model that asks back a sign the rules took back from 0.85."""
    ranked = Ranked([(flag, p), (NONE, 1 - p)])
    return FlagModel(ranked, ask=0.65, agree=0.5, overrule=0.85)  # type: ignore[arg-type]


def test_a_sign_the_rules_took_back_stays_taken_back_below_overrule() -> None:
    rules = FlagReading((), (), guarded=("self_harm",), worded=True)
    assert second_opinion(overruling("self_harm", 0.84), TEXT, rules).unsure == ()


def test_a_sign_the_rules_took_back_is_asked_back_when_the_model_is_nearly_sure() -> None:
    rules = FlagReading((), (), guarded=("self_harm",), worded=True)
    reading = second_opinion(overruling("self_harm", 0.9), TEXT, rules)
    assert reading.raised == () and reading.unsure == ("self_harm",)


def test_a_nearly_sure_model_asks_even_without_a_word_the_rules_know() -> None:
    rules = FlagReading((), ())
    assert second_opinion(overruling("seizure", 0.9), TEXT, rules).unsure == ("seizure",)
    assert second_opinion(overruling("seizure", 0.8), TEXT, rules).unsure == ()


def urgent(flag: str, p: float) -> FlagModel:
    """A model that asks back an emergency (stroke) sooner: alone from 0.5, taken back by a
    guard from 0.7; any other sign from 0.65 and 0.85."""
    ranked = Ranked([(flag, p), (NONE, 1 - p)])
    return FlagModel(
        ranked,  # type: ignore[arg-type]
        ask=0.65,
        agree=0.5,
        overrule=0.85,
        urgent=frozenset({"stroke"}),
        urgent_ask=0.5,
        urgent_overrule=0.7,
    )


def test_an_emergency_the_model_alone_sees_is_asked_back_sooner() -> None:
    assert second_opinion(urgent("stroke", 0.55), TEXT, WORDED).unsure == ("stroke",)
    assert second_opinion(urgent("weakness", 0.55), TEXT, WORDED).unsure == ()


def test_an_emergency_a_guard_took_back_is_asked_back_sooner() -> None:
    for flag, wanted in (("stroke", ("stroke",)), ("weakness", ())):
        rules = FlagReading((), (), guarded=(flag,), worded=True)
        assert second_opinion(urgent(flag, 0.75), TEXT, rules).unsure == wanted


def test_the_shipped_model_asks_back_a_sign_a_guard_took_back(knowledge: Knowledge) -> None:
    """A carer typing for the man they look after: the rules read "the old man" as a
    stranger."""
    text = "the old man has started soiling himself and doesn't notice, which isn't like him"
    assert "bladder_bowel" in read_red_flags(knowledge, text).guarded
    assert "bladder_bowel" in safety.read(knowledge, text).unsure


@pytest.mark.parametrize("text", ["I live in Leeds", "I'm based in Bleadon these days"])
def test_a_place_is_no_sign_whatever_its_letters(knowledge: Knowledge, text: str) -> None:
    reading = safety.read(knowledge, text)
    assert reading.raised == () and reading.unsure == ()


def test_rules_unsure_and_model_agreeing_raise_the_sign() -> None:
    reading = second_opinion(model("dark_urine", 0.55), TEXT, FlagReading((), ("dark_urine",)))
    assert reading.raised == ("dark_urine",) and reading.unsure == ()


def test_a_sign_hedged_by_how_it_was_said_stays_asked_back() -> None:
    rules = FlagReading((), ("stroke",), (), ("stroke",))  # "am i having a stroke?"
    reading = second_opinion(model("stroke", 0.99), TEXT, rules)
    assert reading.raised == () and reading.unsure == ("stroke",)


def test_a_sign_the_rules_took_back_stays_taken_back() -> None:
    rules = FlagReading((), (), ("breathing",))  # "out of breath after a run"
    assert second_opinion(model("breathing", 0.99), TEXT, rules) == rules


def test_what_the_rules_raised_stays_raised_and_short_texts_are_left_alone() -> None:
    rules = FlagReading(("chest",), (), worded=True)
    assert second_opinion(model("stroke", 0.99), "yes", rules) == rules
    reading = second_opinion(model("stroke", 0.99), TEXT, rules)
    assert reading.raised == ("chest",) and reading.unsure == ("stroke",)


def test_the_trained_model_is_loaded_with_a_label_per_flag_and_none(knowledge: Knowledge) -> None:
    flag_model = knowledge.safety.model
    assert flag_model is not None
    assert set(flag_model.classifier.labels) == set(knowledge.red_flags) | {NONE}
    assert flag_model.agree <= flag_model.ask


def test_harmless_answers_get_no_opinion(knowledge: Knowledge) -> None:
    flag_model = knowledge.safety.model
    assert flag_model is not None
    for text in ["three coffees and a cola", "about seven hours", "my right calf and ankle"]:
        assert max(second.opinions(flag_model, text).values(), default=0.0) < flag_model.ask, text


def test_cross_validated_accuracy_stays_above_the_floor(knowledge: Knowledge) -> None:
    labels = set(knowledge.red_flags) | {NONE}
    examples = []
    for name in ("red_flags.yaml", "red_flags_blind2.yaml", "red_flags_more.yaml"):
        examples += load_examples(ROOT / "data/training" / name, labels)
    report = cross_validate(examples, folds=5, settings=SETTINGS)
    right = sum(r for r, _ in report.values())
    total = sum(n for _, n in report.values())
    assert right / total >= 0.88, f"{right}/{total}"
    weak = {label: f"{r}/{n}" for label, (r, n) in report.items() if r / n < 0.7}
    assert not weak, weak


# --- through the engine: a model-only reading is asked back, yes raises it, no drops it ----
@pytest.fixture
def opinion(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, dict[str, float]]]:
    """Texts -> what the model says of them (other texts: nothing)."""
    known: dict[str, dict[str, float]] = {}
    monkeypatch.setattr(second, "opinions", lambda model, text, rank=None: known.get(text, {}))
    yield known


async def test_a_model_only_sign_is_confirmed_by_yes(chat: Chat, opinion: dict) -> None:
    opinion[TEXT] = {"numbness": 0.9}
    assert safety.read_red_flags(chat.engine.knowledge, TEXT).raised == ()  # rules silent
    replies = await chat.send(TEXT)
    assert [r.confirm for r in replies if r.confirm] == ["numbness"]
    assert not any(r.red_flags for r in replies)
    replies = await chat.send("yes")
    assert any("numbness" in (r.red_flags or []) for r in replies)


async def test_a_model_only_sign_denied_raises_nothing(chat: Chat, opinion: dict) -> None:
    opinion[TEXT] = {"numbness": 0.9}
    await chat.send("/check")
    await chat.send("my left calf")
    replies = await chat.send(TEXT)
    assert [r.confirm for r in replies if r.confirm] == ["numbness"]
    replies = await chat.send("no")
    assert not any(r.red_flags for r in replies)
    assert asked(replies) is not None  # the check goes on


class ByText:
    """A stand-in classifier that is sure of a flag for one exact text, else of nothing."""

    def __init__(self, text: str, flag: str) -> None:
        self.text, self.flag = text, flag

    def rank(self, text: str) -> list[tuple[str, float]]:
        if text.strip() == self.text:
            return [(self.flag, 0.99), (NONE, 0.01)]
        return [(NONE, 0.99), (self.flag, 0.01)]


def test_a_short_sentence_is_not_read_on_its_own() -> None:
    fragment = "thinking about starting one"  # 4 words: out of context, it misleads
    message = "do statins cause cramps? " + fragment
    short = FlagModel(ByText(fragment, "self_harm"), ask=0.7, agree=0.5)  # type: ignore[arg-type]
    assert second.opinions(short, message) == {}
    loose = FlagModel(
        ByText(fragment, "self_harm"),  # type: ignore[arg-type]
        ask=0.7,
        agree=0.5,
        min_part_words=3,
    )
    assert second.opinions(loose, message) == {"self_harm": 0.99}


def doubting(p_none: float) -> FlagModel:
    """A model that finds no sign with probability `p_none`, doubting below 0.1 and
    dismissing below 0.04, never a crisis."""
    ranked = Ranked([(NONE, p_none), ("chest", 1 - p_none)])
    return FlagModel(
        ranked, ask=0.7, agree=0.5, dismiss=0.04, doubt=0.1, keep=frozenset({"self_harm"})
    )  # type: ignore[arg-type]


def test_a_raised_sign_the_model_finds_no_trace_of_is_asked_back_instead() -> None:
    rules = FlagReading(("seizure",), (), worded=True)
    reading = second_opinion(doubting(0.95), TEXT, rules)
    assert reading.raised == () and reading.unsure == ("seizure",)


def test_a_suspected_sign_the_model_is_sure_is_absent_is_not_asked() -> None:
    rules = FlagReading((), ("weakness",), worded=True)
    reading = second_opinion(doubting(0.99), TEXT, rules)
    assert reading.raised == () and reading.unsure == () and "weakness" in reading.guarded


def test_a_doubt_short_of_dismissal_still_asks_the_suspected_sign() -> None:
    rules = FlagReading((), ("weakness",), worded=True)
    assert second_opinion(doubting(0.93), TEXT, rules).unsure == ("weakness",)


def test_a_model_that_sees_some_sign_doubts_nothing() -> None:
    rules = FlagReading(("seizure",), ("weakness",), worded=True)
    reading = second_opinion(doubting(0.8), TEXT, rules)
    assert reading.raised == ("seizure",) and "weakness" in reading.unsure


def test_a_crisis_is_never_doubted_nor_dismissed() -> None:
    raised = FlagReading(("self_harm",), (), worded=True)
    assert second_opinion(doubting(0.999), TEXT, raised).raised == ("self_harm",)
    asked = FlagReading((), ("self_harm",), worded=True)
    assert second_opinion(doubting(0.999), TEXT, asked).unsure == ("self_harm",)


def vetoing(p_none: float, flag: str) -> FlagModel:
    """A model that finds no sign with probability `p_none`, vetoing weakness below 0.02."""
    ranked = Ranked([(NONE, p_none), (flag, 1 - p_none)])
    return FlagModel(
        ranked,  # type: ignore[arg-type]
        ask=0.7,
        agree=0.5,
        dismiss=0.04,
        doubt=0.1,
        veto=0.02,
        vetoable=frozenset({"weakness"}),
    )


def test_a_raised_sign_far_below_the_veto_is_dropped_not_asked() -> None:
    rules = FlagReading(("weakness",), (), worded=True)
    reading = second_opinion(vetoing(0.99, "weakness"), TEXT, rules)
    assert reading.raised == () and reading.unsure == () and "weakness" in reading.guarded


def test_a_sign_just_above_the_veto_is_still_asked_back() -> None:
    rules = FlagReading(("weakness",), (), worded=True)
    assert second_opinion(vetoing(0.97, "weakness"), TEXT, rules).unsure == ("weakness",)


def test_a_short_message_is_asked_back_never_vetoed() -> None:
    model = dataclasses.replace(vetoing(0.99, "weakness"), veto_words=8)
    rules = FlagReading(("weakness",), (), worded=True)
    assert second_opinion(model, "weakness in my left leg", rules).unsure == ("weakness",)
    longer = "weakness in my left leg since the long drive home"
    assert second_opinion(model, longer, rules).unsure == ()


def test_a_sign_not_vetoable_is_asked_back_however_sure_the_model_is() -> None:
    rules = FlagReading(("seizure", "weakness"), (), worded=True)
    reading = second_opinion(vetoing(0.999, "seizure"), TEXT, rules)
    assert reading.raised == () and reading.unsure == ("seizure",)


def test_the_shipped_model_drops_an_ordinary_numb_arm_but_asks_a_faint(
    knowledge: Knowledge,
) -> None:
    slept_on = "my arm went dead because my husband lay on it all night, came back after a shake"
    assert safety.read(knowledge, slept_on).raised == ()
    assert safety.read(knowledge, slept_on).unsure == ()
    faint = "should I worry about fainting if I'm already twitchy?"
    assert safety.read(knowledge, faint).raised == ()
    assert "chest" in safety.read(knowledge, faint).unsure


def test_a_message_too_long_to_read_whole_is_never_doubted() -> None:
    long = ". ".join(f"sentence number {i} about my day" for i in range(20))
    rules = FlagReading(("seizure",), (), worded=True)
    assert second_opinion(doubting(0.999), long, rules).raised == ("seizure",)


def test_the_shipped_model_asks_rather_than_alarms_on_a_figure(knowledge: Knowledge) -> None:
    text = "i nearly died when my speech went wrong at the wedding, everyone stared"
    assert read_red_flags(knowledge, text).raised == ("speech",)  # the rules alone would alarm
    reading = safety.read(knowledge, text)
    assert reading.raised == () and reading.unsure == ("speech",)


def test_the_shipped_model_is_built_from_the_current_training_data(knowledge: Knowledge) -> None:
    """A fresh checkout must not train the red-flag model (about 15 s on two cores, over the
    10 s a first reply may take): after changing its data, run scripts/ship_models.py."""
    from dialogs.classifier import shipped_path
    from dialogs.knowledge.files import Files

    shipped, model = Files().shipped, knowledge.safety.model
    assert shipped is not None and model is not None and model.key
    path = shipped_path(shipped, "red_flags", model.key)
    assert path.exists(), f"run scripts/ship_models.py ({path.name} is missing)"


def test_a_shipped_model_is_used_without_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lzma

    from dialogs import classifier

    examples = [classifier.Example(t, "a") for t in ("one two", "three four", "five six")]
    examples += [classifier.Example(t, "b") for t in ("seven eight", "nine ten", "eleven")]
    model = classifier.train(examples)
    shipped = tmp_path / "models"
    shipped.mkdir()
    key = classifier.cache_key(examples, classifier.Settings())
    path = classifier.shipped_path(shipped, "m", key)
    path.write_bytes(lzma.compress(model.to_bytes()))

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained although a model was shipped")

    monkeypatch.setattr(classifier, "train", no_training)
    loaded = classifier.load_or_train(examples, None, name="m", shipped=shipped)
    assert loaded.rank("one two") == model.rank("one two")
    other = [*examples, classifier.Example("twelve", "b")]  # other data: never the shipped one
    with pytest.raises(AssertionError, match="trained although"):
        classifier.load_or_train(other, None, name="m", shipped=shipped)
