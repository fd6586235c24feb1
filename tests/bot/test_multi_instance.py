"""Several bot processes on one PostgreSQL database (issue 12).

Real processes (`python -m bot run` and `python -m bot chat --json`) against a fake Bot API
(tests/fake_bot_api.py): a burst of due reminders is sent once each within the rate limit by
two instances together; killing the dispatching instance mid-burst leaves the rest to the
other; two JSON-lines processes moving the clock past a due reminder send it once between them.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.stores import open_store
from dialogs.ports import ReminderRecord, UserRecord
from tests.fake_bot_api import FakeBotApi
from tests.helpers import (
    ROOT,
    free_port,
    healthy,
    http_get,
    message_update,
    metric,
    post_update,
    start_bot,
    start_webhook_bots,
    stop,
    wait_for,
)

RATE = 20.0  # reminders a second, for all instances together
SECRET = "s3cret-for-tests"


@pytest.fixture
def pg_url(postgres) -> str:
    url = postgres.new_database()
    yield url
    postgres.drop(url)


@pytest.fixture
def api():
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


async def seed_due_reminders(url: str, users: int, due: datetime) -> None:
    store = await open_store(url)
    created = due - timedelta(hours=1)
    async with store.transaction(created) as tx:
        for uid in range(1, users + 1):
            await tx.save_user(UserRecord(uid, created_at=created))
            schedule = {"zone": "UTC", "times": [due.strftime("%H:%M")]}
            await tx.set_reminder(ReminderRecord(uid, "water", schedule, due, created))
    await store.close()


def max_in_window(times: list[float], width: float = 1.0) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)), default=0)


def leader_of(logs: list[Path]) -> int | None:
    for number, log in enumerate(logs):
        if "now dispatches the reminders" in log.read_text(errors="replace"):
            return number
    return None


def test_two_instances_send_a_burst_once_each_within_the_rate(
    pg_url: str, api: FakeBotApi, tmp_path: Path
) -> None:
    users = 120
    due = datetime.now(UTC).replace(microsecond=0)
    asyncio.run(seed_due_reminders(pg_url, users, due))
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    ports = [free_port(), free_port()]  # polling mode: /metrics on BOT_METRICS_PORT
    bots = [
        start_bot(
            pg_url,
            api.url,
            log,
            BOT_REMINDER_RATE=str(RATE),
            BOT_METRICS_PORT=str(port),
            LOG_FORMAT="json",
        )
        for log, port in zip(logs, ports, strict=True)
    ]
    try:
        done = wait_for(lambda: len({m.chat_id for m in api.messages()}) >= users, timeout=60)
        time.sleep(1.0)  # anything sent twice would show now
        pages = [http_get(port, "/metrics")[1] for port in ports]
        health = [http_get(port, "/healthz")[0] for port in ports]
    finally:
        stop(*bots)
    sent_counted = sum(metric(page, "bot_reminders_sent_total") for page in pages)
    assert sent_counted == users and health == [200, 200]
    sent = api.messages()
    assert done, f"only {len({m.chat_id for m in sent})} of {users} reminders arrived"
    per_user = Counter(m.chat_id for m in sent)
    assert set(per_user) == set(range(1, users + 1))
    assert max(per_user.values()) == 1, "a reminder was sent twice"
    assert max_in_window([m.at for m in sent]) <= RATE + 1  # both instances together
    assert leader_of(logs) is not None
    for log in logs:  # LOG_FORMAT=json: every line one JSON object
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        assert lines and all({"time", "level", "logger", "message"} <= set(x) for x in lines)


def test_killing_the_dispatching_instance_mid_burst_leaves_the_rest_to_the_other(
    pg_url: str, api: FakeBotApi, tmp_path: Path
) -> None:
    users = 200  # 10 s at 20/s
    due = datetime.now(UTC).replace(microsecond=0)
    asyncio.run(seed_due_reminders(pg_url, users, due))
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    bots = [start_bot(pg_url, api.url, log, BOT_REMINDER_RATE=str(RATE)) for log in logs]
    try:
        assert wait_for(lambda: len(api.messages()) >= 40, timeout=60), "the burst never began"
        leader = leader_of(logs)
        assert leader is not None
        bots[leader].kill()  # SIGKILL: no goodbye, its database connections just drop
        bots[leader].wait()
        killed_at = len(api.messages())
        assert killed_at < users, "the burst was over before the kill"
        finished = wait_for(lambda: len({m.chat_id for m in api.messages()}) >= users, 60)
        time.sleep(1.0)
    finally:
        stop(*bots)
    sent = api.messages()
    per_user = Counter(m.chat_id for m in sent)
    other = logs[1 - leader].read_text(errors="replace")
    assert "now dispatches the reminders" in other, "the other instance never took over"
    assert max(per_user.values()) == 1, "a reminder was sent twice"
    # At most the few being sent at the very moment of the kill can be lost (at most once).
    assert finished or users - len(per_user) <= 3, f"{users - len(per_user)} never sent"


def test_two_json_processes_send_a_due_reminder_once_between_them(pg_url: str) -> None:
    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--json", "--db", pg_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def say(process: subprocess.Popen[str], message: dict) -> list[dict]:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())["replies"]

    first, second = start(), start()
    try:
        say(first, {"user_id": 7, "text": "/remind water 09:00", "now": "2026-05-04T08:00:00Z"})
        fired = []
        for step, process in enumerate([first, second, first, second]):
            now = f"2026-05-04T09:0{step + 1}:00Z"  # both move the clock past 09:00
            for reply in say(process, {"user_id": 100 + step, "text": "/help", "now": now}):
                if reply.get("reminder"):
                    fired.append(reply)
        assert [r["user_id"] for r in fired] == [7]
        assert fired[0]["reminder"] == "water"
    finally:
        for process in (first, second):
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()
            process.wait(timeout=20)
            process.stdout.close()


CONVERSATION = [
    "/start",
    "/check",
    "my left eyelid",
    "for about 3 weeks",
    "4 coffees a day",
    "I sleep 5 hours",
    "stress is 8 out of 10",
    "none",
    "I run 3 times a week",
    "no",
    "no",
    "how much water should I drink?",
    "/history",
]


def test_one_users_updates_alternately_to_two_webhook_instances_keep_their_order(
    pg_url: str, api: FakeBotApi, tmp_path: Path
) -> None:
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    bots, ports = start_webhook_bots(pg_url, api.url, logs, SECRET, BOT_REMINDER_RATE=str(RATE))
    try:
        assert wait_for(lambda: all(healthy(p) for p in ports), timeout=60), "no webhook server"
        number = 1
        for text in CONVERSATION:  # user 1: everything to the first instance
            assert post_update(ports[0], message_update(number, 1, text), SECRET) == 200
            number += 1
        for step, text in enumerate(CONVERSATION):  # user 2: alternately to both
            assert post_update(ports[step % 2], message_update(number, 2, text), SECRET) == 200
            number += 1
        wait_for(lambda: False, timeout=2.0)  # replies still being sent would arrive now
        status, metrics = http_get(ports[1], "/metrics")
    finally:
        stop(*bots)
    alone = [m.text for m in api.messages() if m.chat_id == 1]
    alternating = [m.text for m in api.messages() if m.chat_id == 2]
    assert len(alone) >= len(CONVERSATION)
    assert alternating == alone  # the same replies in the same order
    assert status == 200 and "bot_updates_handled_total" in metrics
    assert "bot_reply_latency_seconds_bucket" in metrics


def test_two_instances_share_the_chat_send_rate(
    pg_url: str, api: FakeBotApi, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    rate, users, window = 5.0, 60, 4.0
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    bots, ports = start_webhook_bots(
        pg_url, api.url, logs, SECRET, BOT_REMINDER_RATE=str(RATE), BOT_SEND_RATE=str(rate)
    )
    try:
        assert wait_for(lambda: all(healthy(p) for p in ports), timeout=60), "no webhook server"
        assert wait_for(
            lambda: all("2 instances alive" in log.read_text(errors="replace") for log in logs),
            timeout=20,
        ), "the instances did not see each other"
        before = len(api.messages())
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(
                pool.map(
                    lambda user: post_update(
                        ports[user % 2], message_update(1000 + user, 100 + user, "/help"), SECRET
                    ),
                    range(users),
                )
            )
        assert wait_for(
            lambda: len({m.chat_id for m in api.messages()[before:]}) >= users, timeout=60
        )
    finally:
        stop(*bots)
    times = [m.at for m in api.messages()[before:]]
    # together: at most the shared rate (plus each limiter's initial burst of rate / 2),
    # where two unshared limiters would send twice as much
    assert max_in_window(times, window) <= rate * window + rate + 1, max_in_window(times, window)
