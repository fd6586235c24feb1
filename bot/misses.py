"""`python -m bot misses`: the commonest messages the bot could not place (dialogs/misses.py),
for whoever improves knowledge.yaml. Reads the same database the bot uses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dialogs import misses
from dialogs.knowledge import Knowledge
from dialogs.ports import MissCount


async def commonest(
    database: str | Path,
    days: float = 30,
    top: int = 30,
    now: datetime | None = None,
    knowledge: Knowledge | None = None,
) -> list[MissCount]:
    from bot.runtime import open_engine

    now = now or datetime.now(UTC)
    async with (
        open_engine(database, knowledge=knowledge) as engine,
        engine.store.transaction(now) as tx,
    ):
        await tx.prune_misses(now - misses.KEEP)
        return await tx.list_misses(misses.since(now, days), top)


def render(rows: list[MissCount], days: float) -> str:
    if not rows:
        return f"No unplaced messages in the last {days:g} days."
    width = max(len(r.question) for r in rows)
    lines = [f"The commonest unplaced messages, last {days:g} days (count, question, text):"]
    lines += [f"{r.count:5d}  {r.question:<{width}}  {r.text}" for r in rows]
    return "\n".join(lines)
