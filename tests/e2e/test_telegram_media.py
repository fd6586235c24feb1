"""Charts and reports in Telegram: /stats arrives as a photo (sendPhoto), /report as a PDF
document (sendDocument), each with its text as the caption; /delete removes the files."""

from __future__ import annotations

from pathlib import Path

from bot.app import TelegramApp
from dialogs.knowledge import Knowledge
from tests.e2e.emulator import EmulatorClient


async def test_stats_photo_and_report_document(
    telegram: EmulatorClient, telegram_bot: TelegramApp, knowledge: Knowledge
) -> None:
    user = telegram.user(3101, first_name="Robin")
    await user.send("/log strong today, 4 coffees, slept 5h")
    [logged] = await user.receive()
    assert "strong" in logged.text and "380" in logged.text

    await user.send("/stats")
    [chart] = await user.receive()
    assert chart.photo is not None, "the chart comes as a photo"
    assert chart.photo["file_name"].endswith(".png") and chart.photo["file_size"] > 10_000
    assert chart.text.startswith(knowledge.diary.texts("stats_sent", days=30))  # the caption

    await user.send("/report")
    [report] = await user.receive()
    assert report.document is not None, "the report comes as a document"
    assert report.document["file_name"].endswith(".pdf") and report.document["file_size"] > 5_000
    assert report.text == knowledge.diary.texts("report_sent")

    assert telegram_bot.media is not None
    folder = telegram_bot.media.folder(3101)
    assert (folder / "stats.png").is_file() and (folder / "report.pdf").is_file()
    await user.send("/delete")
    [confirm] = await user.receive()
    await user.press(confirm, "del:yes")
    await user.receive()
    assert not Path(folder).exists(), "/delete removes the user's files"
