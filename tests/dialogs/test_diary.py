"""The twitch diary: /log read by the check's understanding, the diary prompt, water and
bedtime taps, /stats (chart data, the PNG, the plain-words line) and /report (the PDF's text)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from bot import console, jsonl, media
from bot.memory_store import MemoryStore
from bot.settings import load_settings
from dialogs import diary
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge
from dialogs.media import ChartSpec, ReportSpec
from dialogs.ports import DiaryEntry
from tests.helpers import ROOT, T0, Chat


async def entries(engine: Engine, user_id: int = 42) -> dict[date, DiaryEntry]:
    async with engine.store.transaction(T0) as tx:
        return {e.day: e for e in await tx.list_diary(user_id, date(2000, 1, 1))}


# --- /log ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "level", "mg", "hours"),
    [
        ("strong today, 4 coffees, slept 5h", "strong", 380, 5.0),
        ("mild, two cups of tea and 7 hours of sleep", "mild", 90, 7.0),
        ("no twitching today at all, 2 red bulls", "none", 160, None),
        ("pretty bad day, a double espresso, only slept 4 and a half hours", "strong", 130, 4.5),
        ("just a little, no coffee", "mild", 0, None),
    ],
)
async def test_log_reads_the_day_like_the_check_does(
    engine: Engine, chat: Chat, text: str, level: str, mg: int | None, hours: float | None
) -> None:
    replies = await chat.send(f"/log {text}")
    assert "Logged" in replies[0].text
    [entry] = (await entries(engine)).values()
    assert (entry.level, entry.caffeine_mg, entry.sleep_hours) == (level, mg, hours)
    assert entry.day == date(2026, 5, 4)


async def test_log_ignores_impossible_figures(engine: Engine, chat: Chat) -> None:
    await chat.send("/log strong, 99999999999999999999999 coffees")
    [entry] = (await entries(engine)).values()
    assert (entry.level, entry.caffeine_mg) == ("strong", None)


async def test_log_asks_with_buttons_then_reads_the_answer(engine: Engine, chat: Chat) -> None:
    [question] = await chat.send("/log")
    assert [b.data for row in question.buttons for b in row] == [
        "log:none",
        "log:mild",
        "log:strong",
    ]
    replies = await chat.send("gibberish words")
    assert replies[-1].buttons, "not understood: asked again"
    await chat.send("mild, 3 coffees")
    await chat.press("log:strong")  # a press corrects the level, keeps the caffeine
    [entry] = (await entries(engine)).values()
    assert (entry.level, entry.caffeine_mg) == ("strong", 285)


async def test_a_check_in_progress_goes_on_after_log(chat: Chat) -> None:
    await chat.send("/check")
    replies = await chat.send("/log mild, 2 coffees")
    assert "Logged" in replies[0].text and replies[-1].asks == "location"
    replies = await chat.send("/stats")
    assert replies[-1].asks == "location"


async def test_log_in_the_users_local_day(engine: Engine, knowledge: Knowledge) -> None:
    chat = Chat(engine, 42, datetime(2026, 5, 4, 22, 30, tzinfo=UTC))
    await chat.send("/timezone Asia/Tokyo")  # 07:31 on 5 May there
    await chat.send("/log mild")
    assert list(await entries(engine)) == [date(2026, 5, 5)]


async def test_a_warning_sign_in_a_diary_message_is_answered_first(chat: Chat) -> None:
    replies = await chat.send("/log strong, and I can't swallow properly")
    assert replies[0].red_flag == "swallowing" and replies[0].urgency == "emergency"


async def test_diary_prompt_fires_and_its_buttons_log(engine: Engine, chat: Chat) -> None:
    await chat.send("/remind diary 21:00")
    fired = [r for r in await engine.fire_due(T0.replace(hour=21)) if r.user_id == 42]
    assert [r.reminder for r in fired] == ["diary"]
    datas = [b.data for row in fired[0].buttons for b in row]
    assert "log:strong" in datas and "rem:stop:diary" in datas
    chat.now = T0.replace(hour=21, minute=5)
    await chat.press("log:none")
    assert [e.level for e in (await entries(engine)).values()] == ["none"]
    listing = await chat.send("/reminders")
    assert "Twitch diary" in listing[0].text
    await chat.press("rem:stop:diary")
    assert await engine.fire_due(T0.replace(hour=21) + timedelta(days=1)) == []


async def test_a_typed_answer_to_the_prompt_logs_the_day(engine: Engine, chat: Chat) -> None:
    await chat.send("/remind diary 21:00")
    early = await chat.send("mild today")  # no prompt sent yet: not a diary entry
    assert await entries(engine) == {}
    assert early
    await engine.fire_due(T0.replace(hour=21))
    chat.now = T0.replace(hour=21, minute=30)
    question = await chat.send("is it bad to twitch every day?")
    assert await entries(engine) == {}, "a question stays a question"
    assert question[-1].faq is not None or question[-1].buttons
    replies = await chat.send("strong today, 5 coffees")
    assert "Logged" in replies[0].text
    [entry] = (await entries(engine)).values()
    assert (entry.level, entry.caffeine_mg) == ("strong", 475)


# --- /stats ----------------------------------------------------------------------------------
def day(
    n: int, level: int | None, mg: int | None = None, hours: float | None = None, water: int = 0
) -> diary.Day:
    return diary.Day(date(2026, 5, 1) + timedelta(days=n), level, level == 2, mg, hours, water, 0)


def test_patterns_count_what_the_log_shows(knowledge: Knowledge) -> None:
    dk = knowledge.diary
    coffee = [day(i, 2, 400) for i in range(5)] + [day(5, 1, 450)]
    other = [day(6 + i, 2 if i == 0 else 0, 100) for i in range(8)]
    lines = diary.patterns(dk, coffee + other)
    assert lines[0] == dk.texts(
        "stats_pattern",
        factor=dk.texts("factor_caffeine"),
        hit=5,
        total=6,
        other_hit=1,
        other_total=8,
    )
    assert lines[-1] == dk.texts("stats_caution")


def test_patterns_claim_nothing_from_too_little(knowledge: Knowledge) -> None:
    dk = knowledge.diary
    few = [day(i, 2, 500) for i in range(3)]
    assert diary.patterns(dk, few) == [dk.texts("stats_too_little", count=3)]
    # enough days, but only two without coffee: no comparison
    lopsided = [day(i, 2, 500) for i in range(6)] + [day(7, 0, 0), day(8, 0, 0)]
    assert diary.patterns(dk, lopsided) == [dk.texts("stats_no_factors")]
    # a fair comparison, no difference: said plainly
    even = [day(i, 2 if i % 2 else 0, 500 if i < 4 else 0) for i in range(8)]
    assert diary.patterns(dk, even) == [dk.texts("stats_no_pattern")]


async def fill_diary(engine: Engine, user_id: int = 42) -> Chat:
    """Eight days of /log and two glasses of water on the last day."""
    chat = Chat(engine, user_id, T0)
    texts = ["strong, 5 coffees, slept 5h", "mild, 1 coffee, slept 8h", "none, no coffee, slept 8h"]
    for n in range(8):
        chat.now = T0 + timedelta(days=n)
        await chat.send("/log " + texts[n % 3])
    await chat.send("/remind water 09:00,10:00")
    for hour in (9, 10):
        chat.now = (T0 + timedelta(days=7)).replace(hour=hour)
        await engine.fire_due(chat.now)
        await chat.press("rem:done:water")
    return chat


async def test_stats_chart_from_a_known_diary(
    engine: Engine, knowledge: Knowledge, tmp_path: Path
) -> None:
    chat = await fill_diary(engine)
    [reply] = await chat.send("/stats")
    spec = reply.media
    assert isinstance(spec, ChartSpec)
    assert len(spec.days) == 30 and spec.days[-1] == date(2026, 5, 11)
    assert spec.twitching[-8:] == (2, 1, 0, 2, 1, 0, 2, 1)
    assert spec.caffeine_mg[-8:] == (475, 95, 0, 475, 95, 0, 475, 95)
    assert spec.sleep_hours[-8:] == (5.0, 8.0, 8.0, 5.0, 8.0, 8.0, 5.0, 8.0)
    assert spec.water[-1] == 2 and sum(spec.water) == 2, "Done taps count as glasses"
    assert spec.twitching[0] is None
    figure = media.chart_figure(spec)
    twitch, caffeine, sleep, water = figure.axes
    heights = [round(p.get_height() - 0.15, 2) for p in twitch.patches]
    assert heights == [2, 1, 0, 2, 1, 0, 2, 1]
    assert [p.get_height() for p in caffeine.patches] == [475, 95, 0, 475, 95, 0, 475, 95]
    assert list(sleep.lines[0].get_ydata()) == [5.0, 8.0, 8.0, 5.0, 8.0, 8.0, 5.0, 8.0]
    assert [p.get_height() for p in water.patches][-1] == 2
    path = tmp_path / "chart.png"
    media.write_chart(spec, path)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width >= 600 and image.height >= 600


async def test_stats_with_an_empty_diary_says_how_to_start(
    chat: Chat, knowledge: Knowledge
) -> None:
    [reply] = await chat.send("/stats")
    assert reply.media is None and reply.text == knowledge.diary.texts("stats_empty")


# --- /report ---------------------------------------------------------------------------------
async def test_report_pdf_text(engine: Engine, knowledge: Knowledge, tmp_path: Path) -> None:
    chat = await fill_diary(engine)
    await chat.send("/check")
    for text in [
        "my left eyelid",
        "none of these",  # warning_signs, right after location
        "3 weeks",
        "6 coffees a day",
        "5 hours",
        "8",
        "sertraline",
        "none",
        "none",
        "none",
        "none",
    ]:
        replies = await chat.send(text)
        if any(r.causes is not None for r in replies):
            break
    found = next(r for r in replies if r.causes is not None)
    [reply] = await chat.send("/report")
    assert isinstance(reply.media, ReportSpec)
    path = tmp_path / "report.pdf"
    media.write_report(reply.media, path)
    pdf = PdfReader(path)
    assert len(pdf.pages) == 1, "one page"
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "not a diagnosis" in text.lower()
    for cause in found.causes[:3]:
        assert knowledge.causes[cause["id"]].title.split()[-1] in text
    assert "Antidepressant" in text or "antidepressant" in text, "the medicines"
    assert "book a routine doctor's visit" in text, "the urgency"
    assert "Timeline" in text and "8 day(s) in the diary" in text
    assert "Warning signs asked" in text
    assert "about 570 mg a day: 6 coffees" in text and "(sertraline)" in text, "the figures"


# --- files through the JSON transport, and /delete ------------------------------------------
async def test_json_transport_writes_files_and_delete_removes_them(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    store = MemoryStore()
    writer = media.MediaWriter(tmp_path / "media")
    lines = [
        {"text": "/log strong, 4 coffees, slept 5h", "now": "2026-05-04T20:00:00+00:00"},
        {"text": "/stats"},
        {"text": "/report"},
        {"text": "/delete"},
        {"callback": "del:yes"},
    ]
    out = io.StringIO()
    source = io.StringIO("".join(json.dumps({"user_id": 9, **line}) + "\n" for line in lines))
    try:
        await jsonl.serve(Engine(knowledge, store), source, out, media=writer)
    finally:
        await store.close()
    replies = [json.loads(line)["replies"] for line in out.getvalue().splitlines()]
    image, document = replies[1][0]["image"], replies[2][0]["document"]
    assert Path(image).is_absolute() and Path(image).parent == tmp_path / "media" / "9"
    assert Path(document).name == "report.pdf"
    assert "image" not in replies[0][0] and "document" not in replies[1][0]
    assert not (tmp_path / "media" / "9").exists(), "/delete removes the files"


def test_media_dir_setting() -> None:
    assert media.media_dir_for("/srv/files", "bot.db") == Path("/srv/files")
    assert media.media_dir_for(None, "/data/bot.db") == Path("/data/media")
    assert media.media_dir_for(None, "postgresql://db/twitch") == Path("media")


def test_clean_drops_pictographs_only() -> None:
    assert diary.clean("😣 Strong – très fort • ok") == "Strong – très fort • ok"


def test_media_dir_from_the_environment(tmp_path: Path) -> None:
    assert load_settings({"BOT_MEDIA_DIR": "/srv/m"}, None).media_dir == "/srv/m"
    assert load_settings({}, None).media_dir is None


async def test_terminal_shows_the_files_path(engine: Engine, tmp_path: Path) -> None:
    source = io.StringIO("/log mild, 2 coffees\n/stats\n")
    sink = io.StringIO()
    writer = media.MediaWriter(tmp_path / "media")
    await console.serve(engine, user_id=4, source=source, sink=sink, media=writer)
    shown = str((tmp_path / "media" / "4" / "stats.png").resolve())
    assert f"[file] {shown}" in sink.getvalue()


def test_done_when_through_the_json_command(tmp_path: Path, knowledge: Knowledge) -> None:
    """Several days of diary, a check, then /stats and /report through `python -m bot chat
    --json`: a PNG at least 600 px wide, a PDF whose text names the causes and says it is
    not a diagnosis."""
    lines = [{"text": "/timezone Europe/Berlin", "now": "2026-05-01T20:00:00+02:00"}]
    for n, text in enumerate(
        ["strong, 5 coffees, slept 5h", "mild, 2 coffees", "none, slept 8h"] * 2
    ):
        lines.append({"text": f"/log {text}", "now": f"2026-05-0{2 + n}T21:00:00+02:00"})
    lines.append({"text": "/check", "now": "2026-05-08T12:00:00+02:00"})
    lines += [
        {"text": t}
        for t in [
            "calves",
            "none of these",  # warning_signs, right after location
            "a week",
            "5 coffees",
            "5 hours",
            "6",
            "none",
            "marathon training",
            "none",
            "none",
            "none",
        ]
    ]
    lines += [{"text": "/stats"}, {"text": "/report"}]
    source = "".join(json.dumps({"user_id": 11, **line}) + "\n" for line in lines)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--db", str(tmp_path / "bot.db")],
        input=source, capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )  # fmt: skip
    replies = [r for line in done.stdout.splitlines() for r in json.loads(line)["replies"]]
    found = next(r for r in replies if "causes" in r)
    image = next(r["image"] for r in replies if "image" in r)
    document = next(r["document"] for r in replies if "document" in r)
    assert Path(image).parent == tmp_path / "media" / "11"
    with Image.open(image) as png:
        assert png.width >= 600
    text = " ".join(PdfReader(document).pages[0].extract_text().split())
    assert "not a diagnosis" in text.lower()
    for cause in found["causes"][:3]:
        assert diary.clean(knowledge.causes[cause["id"]].title) in text
