"""`Turn`: the context of one handled message, handed to every part of the engine.

It carries the knowledge, the store transaction, the user's row, the message's instant and
the typed dialog state (`dialogs.state.DialogState`, read from the row when the turn starts
and written back by `store_state()` before the row is saved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.knowledge import Knowledge
from dialogs.ports import AssessmentRecord, Transaction, UserRecord
from dialogs.state import DialogState
from dialogs.types import Reply


@dataclass(slots=True)
class Turn:
    knowledge: Knowledge
    tx: Transaction
    user: UserRecord
    now: datetime
    finished: list[AssessmentRecord] = field(default_factory=list)  # written at the end
    misses: list[tuple[str, str]] = field(default_factory=list)  # (question, text): unplaced
    followup_planned: bool = False  # the check-in's reminder row is written at the end
    deleted: bool = False
    state: DialogState = field(init=False)

    def __post_init__(self) -> None:
        self.state = DialogState.from_stored(self.user.state)

    def store_state(self) -> None:
        """Put the dialog state into the user's row (its JSON form), ready to be saved."""
        self.user.state = self.state.to_stored()

    def say(self, key: str, **values: Any) -> str:
        return self.knowledge.messages(key, **values)

    def reply(self, text: str, **fields: Any) -> Reply:
        return Reply(self.user.user_id, text, **fields)
