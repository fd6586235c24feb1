"""Messages the bot could not place, kept so that whoever improves knowledge.yaml can see
where it fails in real use (`python -m bot misses`).

An answer in a check that no matcher could read, and a free question no FAQ entry answered,
are recorded with the question they were meant for ("faq" for a free question): lower case,
single spaces, at most `KEPT_CHARS` characters. They are kept `KEEP` at most (older ones are
pruned whenever one is added), named in /privacy and erased with everything else by /delete.
Nothing here logs the text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dialogs.turn import Turn

KEEP = timedelta(days=30)
KEPT_CHARS = 300
FAQ = "faq"  # the question id of a free question


def miss_text(text: str) -> str:
    """The text as a miss is kept: lower case, single spaces, at most `KEPT_CHARS`."""
    return " ".join(text.lower().split())[:KEPT_CHARS]


def note(turn: Turn, question: str, text: str) -> None:
    """Remember a message that could not be placed; written with the turn's transaction."""
    cleaned = miss_text(text)
    if cleaned and not cleaned.startswith("/"):
        turn.misses.append((question, cleaned))


async def save(turn: Turn) -> None:
    """Write the turn's misses and drop those older than `KEEP`."""
    if not turn.misses:
        return
    for question, text in turn.misses:
        await turn.tx.add_miss(turn.user.user_id, question, text, turn.now)
    await turn.tx.prune_misses(turn.now - KEEP)


def since(now: datetime, days: float) -> datetime:
    return now - min(timedelta(days=days), KEEP)
