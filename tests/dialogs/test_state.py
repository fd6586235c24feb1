"""The typed dialog state reads and writes the stored JSON of older rows unchanged."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.engine import Engine
from dialogs.ports import UserRecord
from dialogs.state import CheckState, DialogState, PendingConfirm
from tests.helpers import T0, Chat

# A row as the engine wrote it before the state was typed: every key in use at once.
OLD_ROW: dict[str, Any] = {
    "awaiting": "reminder:times:water",
    "confirm": {
        "flag": "weakness",
        "queue": ["numbness"],
        "held": [{"question": "caffeine", "value": "high"}],
        "screen": ["weakness"],
        "in_check": True,
        "faq": None,
        "ask": True,
        "retried": False,
    },
    "assessment": {
        "answers": {"duration": "days", "location": ["eyelid"]},
        "details": {"duration": {"days": 3.0}},
        "red_flags": ["weakness"],
        "asking": "location",
        "misses": 1,
        "started": "2026-05-04T08:00:00+00:00",
        "selection": [],
        "urgency_floor": {"level": "doctor_routine", "why": "worse"},
    },
    "last_result": {
        "causes": ["caffeine"],
        "urgency": "self_care",
        "answers": {"caffeine": "high"},
        "details": {},
        "red_flags": [],
        "offer_instead": {"water": "Ask your doctor how much to drink."},
    },
    "known": {"sleep": "under_6"},
    "known_details": {"sleep": {"hours": 5}},
    "faq_seen": ["is_it_als"],
    "talk_n": 3,
    "own_word": "spasm",
    "followup": {
        "due": "2026-05-11T08:00:00+00:00",
        "check": "2026-05-04T08:00:00+00:00",
        "base_days": 3.0,
        "write": True,
        "answered": False,
    },
    "followup_off": True,
    "reminders": ["sleep", "water"],
    "reminder_presses": ["done:water:1777881600"],
    "last_details": {"at": "2026-05-04T08:00:00+00:00", "details": {}},
    "a_future_key": {"kept": [1, 2]},
}


def test_an_old_row_reads_and_writes_back_unchanged() -> None:
    state = DialogState.from_stored(json.loads(json.dumps(OLD_ROW)))
    assert state.assessment is not None and state.assessment.asking == "location"
    assert state.confirm is not None and state.confirm.queue == ["numbness"]
    assert state.followup is not None and state.followup.due == OLD_ROW["followup"]["due"]
    assert state.extra == {"a_future_key": {"kept": [1, 2]}}
    # all but the follow-up's "write" flag, which older rows kept by mistake (its reminder row
    # was written in the same transaction): dropped, so a later message never re-arms it
    followup = {k: v for k, v in OLD_ROW["followup"].items() if k != "write"}
    assert state.to_stored() == {**OLD_ROW, "followup": followup}


def test_minimal_rows_keep_their_keys_only() -> None:
    confirm = {"flag": "weakness", "queue": [], "held": [], "screen": None, "in_check": False}
    check = {"answers": {}, "details": {}, "red_flags": [], "asking": None, "misses": 0,
             "started": "2026-05-04T08:00:00+00:00"}  # fmt: skip
    row = {"confirm": confirm, "assessment": check, "last_result": {"causes": [], "urgency": "x"}}
    assert DialogState.from_stored(row).to_stored() == row
    assert DialogState.from_stored({}).to_stored() == {}


def test_damaged_values_read_as_absent_and_never_crash() -> None:
    row = {"assessment": "oops", "confirm": {"queue": []}, "followup": [], "talk_n": "x"}
    state = DialogState.from_stored(row)
    assert state.assessment is None and state.confirm is None and state.followup is None
    assert state.to_stored() == {}
    assert DialogState.from_stored(None).to_stored() == {}


def test_new_parts_write_the_old_shapes() -> None:
    state = DialogState(assessment=CheckState(started="t"), confirm=PendingConfirm("weakness"))
    stored = state.to_stored()
    assert stored["assessment"] == {"answers": {}, "details": {}, "red_flags": [],
                                    "asking": None, "misses": 0, "started": "t"}  # fmt: skip
    assert "faq" not in stored["confirm"] and "retried" not in stored["confirm"]
    state.clear()
    assert state.to_stored() == {}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*DialogState._KEYS, "other"]), JSON, max_size=6))
def test_any_json_loads_without_crashing(row: dict[str, Any]) -> None:
    state = DialogState.from_stored(row)
    again = DialogState.from_stored(state.to_stored())
    assert again.to_stored() == state.to_stored()


async def test_a_row_written_before_the_typed_state_carries_on(engine: Engine) -> None:
    """A user mid-check in an existing database (state as the old engine stored it, with a
    key this version does not know) goes on where they were, and the unknown key stays."""
    old = {
        "assessment": {
            "answers": {"duration": "days"},
            "details": {},
            "red_flags": [],
            "asking": "location",
            "misses": 0,
            "started": "2026-05-04T08:00:00+00:00",
            "selection": ["calf"],
        },
        "own_word": "spasm",
        "from_an_older_version": [1, "x"],
    }
    async with engine.store.transaction(T0) as tx:
        await tx.save_user(UserRecord(42, state=old, created_at=T0))
    chat = Chat(engine)
    [reply] = await chat.press("done:location")
    assert reply.answers == [{"question": "location", "value": ["calf"]}]
    assert reply.asks is not None and reply.asks != "location"
    async with engine.store.transaction(chat.now) as tx:
        user = await tx.get_user(42)
    assert user is not None
    assert user.state["from_an_older_version"] == [1, "x"]
    assert user.state["assessment"]["answers"]["location"] == ["calf"]
    assert "selection" not in user.state["assessment"]
