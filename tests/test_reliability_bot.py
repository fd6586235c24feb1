"""Issue 13, bot side (no network): settings that would disable a feature, token-free logs at
DEBUG, the JSON transport's line limit enforced while reading."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from bot import jsonl
from bot.__main__ import main, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from dialogs.engine import Engine
from dialogs.knowledge import Knowledge

FAKE_TOKEN = "987654321:AAH_debug-level-token_for_the_redaction_test"


# --- defect 6: BOT_REMINDER_GRACE_MINUTES=0 silently stopped every reminder -----------------
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_REMINDER_GRACE_MINUTES", "0"),
        ("BOT_REMINDER_GRACE_MINUTES", "-5"),
        ("BOT_REMINDER_GRACE_MINUTES", "nan"),
        ("BOT_REMINDER_RATE", "-1"),
        ("BOT_REMINDER_RATE", "0"),
        ("BOT_SEND_RATE", "-3"),
        ("BOT_SEND_RATE", "inf"),
    ],
)
def test_settings_that_would_disable_a_feature_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


def test_start_up_names_the_refused_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_REMINDER_GRACE_MINUTES", "0")
    assert main(["chat", "--json"]) == 2
    assert "BOT_REMINDER_GRACE_MINUTES" in capsys.readouterr().err


# --- defect 5: the bot token in the log at DEBUG --------------------------------------------
async def test_no_token_in_logs_at_debug(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, knowledge: Knowledge
) -> None:
    from bot.telegram import TelegramBot

    caplog.set_level(logging.DEBUG)
    previous = logging.getLogRecordFactory()
    try:
        settings = Settings(token=FAKE_TOKEN, log_level="DEBUG", api_base_url="http://127.0.0.1:9")
        setup_logging(settings, quiet=False)
        # PTB logs "Set Bot API URL: .../bot<token>" at DEBUG while building
        TelegramBot(settings, str(tmp_path / "bot.db"), knowledge).build()
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


# --- defect 6: chat --json read a whole 200 MB line before its limit -----------------------
class MeasuredSource(io.StringIO):
    """A stdin stand-in that records the most characters any one read returned."""

    largest = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        self.largest = max(self.largest, len(line))
        return line


async def test_the_line_limit_holds_while_reading(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE", 1000)
    huge = json.dumps({"user_id": 1, "text": "x" * 50_000})
    lines = [huge, json.dumps({"user_id": 1, "text": "/help"}), "y" * 1001, ""]
    source = MeasuredSource("\n".join(lines))
    sink = io.StringIO()
    await jsonl.serve(engine, source, sink)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert len(out) == 3
    assert "longer than 1000" in out[0]["error"]
    assert out[1]["replies"], "the next line is answered"
    assert "longer than 1000" in out[2]["error"]
    assert source.largest <= 64 * 1024 + 1, "never a whole long line in memory"


def test_read_line_keeps_lines_at_the_limit() -> None:
    source = io.StringIO("a" * 10 + "\n" + "b" * 11 + "\n" + "c" * 10)
    assert jsonl.read_line(source, 10) == ("a" * 10 + "\n", True)
    assert jsonl.read_line(source, 10)[1] is False
    assert jsonl.read_line(source, 10) == ("c" * 10, True)
    assert jsonl.read_line(source, 10) == ("", True)
