"""A conversation, not a form (issue 14), through the JSON-lines transport: requests in
plain words, a time zone from a place said in passing, context carried into a check,
questions asked mid-check, small talk, repeated answers shortened, phone-sized results."""

from __future__ import annotations

from pathlib import Path

from bot.telegram_render import render
from dialogs.knowledge import Knowledge
from dialogs.types import Button, Reply
from tests.helpers import run_jsonl

NOW = "2026-05-04T07:00:00+00:00"  # a Monday; 08:00 in London (summer time)


def datas(replies: list[dict]) -> list[str]:
    return [b["data"] for r in replies for row in r.get("buttons", []) for b in row]


async def test_live_in_leeds_then_yes_sets_london(knowledge: Knowledge, tmp_path: Path) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "I live in Leeds", "now": NOW},
        {"text": "yes"},
        {"text": "/timezone"},
    ])  # fmt: skip
    assert "conv:zone:Europe/London" in datas(out[0])
    assert "Europe/London" in out[2][0]["text"]


async def test_a_zone_offer_answered_no_keeps_utc(knowledge: Knowledge, tmp_path: Path) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "just moved to Buenos Aires", "now": NOW},
        {"text": "nein"},
        {"text": "/timezone"},
    ])  # fmt: skip
    assert "conv:zone:America/Argentina/Buenos_Aires" in datas(out[0])
    assert "UTC" in out[2][0]["text"]


async def test_water_at_10am_2pm_6pm_fire_at_those_local_times(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "/timezone Europe/London", "now": NOW},
        {"text": "remind me to drink water at 10am, 2pm and 6pm"},
        {"text": "/reminders", "now": "2026-05-04T09:00:00+00:00"},  # 10:00 in London
        {"text": "/reminders", "now": "2026-05-04T13:00:00+00:00"},  # 14:00
        {"text": "/reminders", "now": "2026-05-04T17:00:00+00:00"},  # 18:00
    ])  # fmt: skip
    assert "10:00, 14:00, 18:00" in out[1][0]["text"]
    for replies in out[2:]:
        assert [r.get("reminder") for r in replies][:1] == ["water"]


async def test_slash_remind_takes_am_pm_and_plain_words_change_a_time(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "/remind water at 10am, 2pm and 6pm", "now": NOW},
        {"text": "change 10 to 11"},
        {"text": "add one at 4pm too"},
        {"text": "drop the 6pm one"},
        {"text": "bedtime reminder half 10 at night"},
        {"text": "no more water reminders please"},
        {"text": "/reminders"},
    ])  # fmt: skip
    assert "10:00, 14:00, 18:00" in out[0][0]["text"]
    assert "11:00, 14:00, 18:00" in out[1][0]["text"]
    assert "11:00, 14:00, 16:00, 18:00" in out[2][0]["text"]
    assert "11:00, 14:00, 16:00" in out[3][0]["text"]
    assert "22:30" in out[4][0]["text"]
    listing = out[6][0]["text"]
    assert "22:30" in listing and "11:00" not in listing


async def test_every_two_hours_from_8(knowledge: Knowledge, tmp_path: Path) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "remind me to drink water every two hours from 8", "now": NOW},
    ])  # fmt: skip
    assert "08:00" in out[0][0]["text"] and "20:00" in out[0][0]["text"]


async def test_delete_in_plain_words_and_yes_in_other_languages(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "please delete all my informations", "now": NOW},
        {"text": "si"},
    ])  # fmt: skip
    assert "del:yes" in datas(out[0])
    assert out[1][0]["text"] == knowledge.messages("deleted")
    for word in ("ja", "oui", "da", "haan"):
        again = await run_jsonl(knowledge, tmp_path / f"{word}.db", [
            {"text": "/delete", "now": NOW}, {"text": word},
        ])  # fmt: skip
        assert again[1][0]["text"] == knowledge.messages("deleted"), word
    for word in ("nein", "non", "no"):
        kept = await run_jsonl(knowledge, tmp_path / f"{word}.db", [
            {"text": "/delete", "now": NOW}, {"text": word},
        ])  # fmt: skip
        assert kept[1][0]["text"] == knowledge.messages("delete_kept"), word


async def test_location_and_duration_told_before_check_are_not_asked_again(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "my left eye has been twitching since monday", "now": NOW},
        {"text": "/check"},
    ])  # fmt: skip
    asked = [r.get("asks") for r in out[1] if r.get("asks")]
    assert asked and asked[0] not in ("location", "duration")
    assert "redo:location" in datas(out[1]) and "redo:duration" in datas(out[1])
    # easy to correct: the button asks it again
    redo = await run_jsonl(knowledge, tmp_path / "b.db", [{"callback": "redo:location"}])
    assert redo[0][0]["asks"] == "location"


async def test_a_question_mid_check_is_answered_then_asked_again(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "/check", "now": NOW},
        {"text": "should I get an EMG?"},
        {"text": "is magnesium worth taking?"},
        {"text": "is my neurologist right?"},
    ])  # fmt: skip
    first = next(r["asks"] for r in out[0] if r.get("asks"))
    for replies in out[1:]:  # answered, then the same question again
        assert len(replies) == 2 and replies[-1]["asks"] == first
        assert "asks" not in replies[0]
    assert out[1][0].get("faq") == "doctor_tests"
    assert out[2][0].get("faq") == "magnesium"
    assert out[3][0]["text"] == knowledge.conversation.texts("cant_answer")


async def test_a_stray_word_in_a_question_is_no_answer(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "/check", "now": NOW},
        {"text": "does magnesium help if I take it sometimes?"},
    ])  # fmt: skip
    assert not any(r.get("answers") for r in out[1])


async def test_small_talk_gets_short_varied_replies(knowledge: Knowledge, tmp_path: Path) -> None:
    words = ["thanks", "k", "good night", "hello", "thanks"]
    out = await run_jsonl(knowledge, tmp_path / "b.db", [{"text": w, "now": NOW} for w in words])
    texts = [r[0]["text"] for r in out]
    assert all(len(t) <= 120 and "faq" not in r[0] for t, r in zip(texts, out, strict=True))
    assert texts[0] != texts[4]  # the same thanks, not the same words


async def test_an_faq_asked_again_is_shortened(knowledge: Knowledge, tmp_path: Path) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "could my twitching be ALS?", "now": NOW},
        {"text": "Are you sure it's not ALS?"},
    ])  # fmt: skip
    full, short = out[0][-1], out[1][-1]
    assert full["faq"] == short["faq"] == "serious_condition"
    assert short["text"] != full["text"] and len(short["text"]) < len(full["text"])
    assert short["text"].startswith(knowledge.conversation.texts("as_i_said", short="")[:5])
    assert "faq:serious_condition" in datas([short])


async def test_check_cancel_and_start_in_plain_words(knowledge: Knowledge, tmp_path: Path) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "lets do the check", "now": NOW},
        {"text": "cancel"},
        {"text": "show my past results"},
        {"text": "what can you do"},
    ])  # fmt: skip
    assert any(r.get("asks") for r in out[0])
    assert out[1][0]["text"] == knowledge.messages("cancelled")
    assert out[2][0]["text"] == knowledge.messages("history_empty")
    assert out[3][0]["text"] == knowledge.messages("help")


async def test_the_result_fits_a_phone_and_its_buttons_explain(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "/check", "now": NOW},
        {"text": "my calves cramp at night, for 3 weeks"},
        {"text": "6 double espressos"},
        {"text": "4 hours"},
        {"text": "9, exams"},
        {"text": "sertraline, the dose went up last month, and water pills"},
        {"text": "I run marathons in the heat"},
        {"text": "diabetes and kidney disease"},
        {"text": "none"},
    ])  # fmt: skip
    result = next(r for replies in out for r in replies if r.get("causes") is not None)
    assert result["causes"] and len(result["text"]) <= 1000
    assert "cramps" in result["text"]  # the user's own word
    assert result["text"].index("🩺") < result["text"].index("🔎")  # safety first
    data = datas([result])
    assert len(data) == 2 * min(3, len(result["causes"]))
    # in Telegram the result keeps its keyboard (callback data within Telegram's 64 bytes)
    reply = Reply(5, result["text"], buttons=[
        [Button(b["text"], b["data"]) for b in row] for row in result["buttons"]
    ])  # fmt: skip
    sent = render(reply)
    markup = sent[-1].reply_markup
    assert markup is not None
    pressed = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert pressed == data and all(len(d.encode()) <= 64 for d in pressed)
    # the buttons still work after the user has typed something else
    helps = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "thanks"}, {"callback": data[0]}, {"callback": data[1]},
    ])  # fmt: skip
    assert all(len(r[0]["text"]) > 40 for r in helps[1:])
    assert helps[1][0]["text"] != helps[2][0]["text"]


async def test_a_start_request_that_names_the_place_skips_that_question(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    out = await run_jsonl(knowledge, tmp_path / "b.db", [
        {"text": "my calf keeps cramping, can we start the check", "now": NOW},
    ])  # fmt: skip
    asked = [r["asks"] for r in out[0] if r.get("asks")]
    assert asked and asked[0] != "location" and "redo:location" in datas(out[0])
