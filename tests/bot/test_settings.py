"""The settings (bot/settings.py): the environment and a .env file, defaults, errors that name
the variable; `run` without a token points to the terminal chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_settings_from_env_and_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport TELEGRAM_BOT_TOKEN='123:abc'\nBOT_DATABASE=x.db\nLOG_LEVEL=debug\n"
    )
    settings = load_settings({"BOT_DATABASE": "env.db"}, dotenv)
    assert settings.token == "123:abc"
    assert settings.database == "env.db"  # the environment wins
    assert settings.log_level == "DEBUG"
    assert "123:abc" not in repr(settings)


def test_settings_defaults_and_errors(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / "missing.env")
    assert settings.token is None and settings.grace_minutes == 15
    assert settings.database == "bot.db" and settings.reminder_rate == 25
    with pytest.raises(SettingsError, match="BOT_REMINDER_GRACE_MINUTES"):
        load_settings({"BOT_REMINDER_GRACE_MINUTES": "soon"}, None)
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        load_settings({"LOG_LEVEL": "loud"}, None)


def test_run_without_token_points_to_chat(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    done = run_cli("run", cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "python -m bot chat" in done.stderr
