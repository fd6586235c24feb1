"""Token-free logs (bot/logsafe.py): at DEBUG too, whatever library logs the request."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.__main__ import setup_logging
from bot.settings import Settings
from dialogs.knowledge import Knowledge

FAKE_TOKEN = "987654321:AAH_debug-level-token_for_the_redaction_test"


# --- defect 5: the bot token in the log at DEBUG --------------------------------------------
async def test_no_token_in_logs_at_debug(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, knowledge: Knowledge
) -> None:
    from bot.app import TelegramApp

    caplog.set_level(logging.DEBUG)
    previous = logging.getLogRecordFactory()
    try:
        settings = Settings(token=FAKE_TOKEN, log_level="DEBUG", api_base_url="http://127.0.0.1:9")
        setup_logging(settings, quiet=False)
        # PTB logs "Set Bot API URL: .../bot<token>" at DEBUG while building
        TelegramApp(settings, str(tmp_path / "bot.db"), knowledge).build()
        logging.getLogger("httpx").debug("HTTP Request: POST http://x/bot%s/getMe", FAKE_TOKEN)
        logging.getLogger("httpcore.http11").debug("send_request_headers.started %s", FAKE_TOKEN)
        try:
            raise ConnectionError(f"cannot reach http://x/bot{FAKE_TOKEN}/getMe")
        except ConnectionError:
            logging.getLogger("telegram.ext.Updater").exception("network trouble")
    finally:
        logging.setLogRecordFactory(previous)
    assert any("bot" in r.getMessage() for r in caplog.records if r.name.startswith("telegram"))
    logged = caplog.text + "".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records)
    assert FAKE_TOKEN not in logged
    assert FAKE_TOKEN.split(":")[1] not in logged
    assert "[redacted]" in logged
