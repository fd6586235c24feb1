"""Instants as the SQLite and in-memory stores keep them: whole seconds since the epoch, read
back as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime


def to_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def from_seconds(seconds: int) -> datetime:
    """A time that is always there (a NOT NULL column)."""
    return datetime.fromtimestamp(seconds, UTC)


def from_seconds_or_none(seconds: int | None) -> datetime | None:
    """A time that may be missing (a column that may be NULL)."""
    return None if seconds is None else from_seconds(seconds)
