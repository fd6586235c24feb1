"""The settings (bot/settings.py): the environment and a .env file, defaults, errors that name
the variable; `run` without a token points to the terminal chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
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


def test_knowledge_file_and_model_cache_come_from_settings(tmp_path: Path) -> None:
    settings = load_settings({"BOT_KNOWLEDGE": "k.yaml", "BOT_CACHE_DIR": "/var/cache/b"}, None)
    assert settings.knowledge == "k.yaml" and settings.cache_dir == "/var/cache/b"
    unset = load_settings({}, None)
    assert unset.knowledge is None and unset.cache_dir is None


def test_trained_models_are_cached_where_bot_cache_dir_says(tmp_path: Path) -> None:
    from bot.runtime import configured_knowledge

    cache = tmp_path / "models"
    knowledge = configured_knowledge(load_settings({"BOT_CACHE_DIR": str(cache)}, None))
    assert knowledge.messages("greeting")
    assert sorted(p.suffix for p in cache.iterdir()), "no trained model was cached there"
