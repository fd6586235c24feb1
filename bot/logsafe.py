"""Token-free logging at every level, DEBUG included.

PTB logs the Bot API URL (which carries the token) at DEBUG when an application is built,
and httpx/httpcore log request URLs; exceptions may quote a URL too. `install(secrets)` puts
a `RedactingFilter` on every handler of the root logger and wraps the log-record factory, so
every record, from any library, has the secrets replaced by "[redacted]" before any handler
formats it: its message, its arguments and its traceback text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

MASK = "[redacted]"


class RedactingFilter(logging.Filter):
    """Replaces each secret (and a bot token's secret part alone) in a record by MASK."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        words: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            words.add(secret)
            _, _, tail = secret.partition(":")
            if len(tail) >= 8:  # a bot token "123:ABC...": its secret half alone
                words.add(tail)
        self.secrets = sorted(words, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we can show safely
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str]) -> RedactingFilter:
    """Redact `secrets` in every log record from now on (handlers added later included)."""
    redacting = RedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redacting.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    return redacting
