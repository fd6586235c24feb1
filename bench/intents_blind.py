"""Blind intent set runner: drives `python -m bot chat --json` and judges each case by what
the bot did (reminders and time zone in the database, the state, the replies' fields).

    python bench/intents_blind.py --cases /work/blind/understanding/tune-intents/intents.jsonl \
        [--repo .] [--cmd ".venv/bin/python -m bot chat --json"] [-v]

Each case gets its own user: its `setup` lines, then its text (then "yes" for a time-zone
case: a zone named in passing is confirmed with a Yes). Judged per intent:
remind_set/remind_change: the stored reminder of that kind has the expected times (or
every/from/to); remind_stop: none of that kind is stored and the reply is not a fallback;
reminders_list: the reminder listing; timezone_set: the stored zone; delete_data: the delete
confirmation (a del:yes button); check_start: a question of the check is asked;
check_cancel: no check in progress any more; history / help: their messages; thanks,
greeting, goodbye, ack: a small-talk reply of that kind; yes/no at /delete: deleted / kept;
none: nothing acted on (no reminder, zone, delete prompt, check, help, history, small talk).
Prints per-intent and overall figures.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

NOW = "2026-05-04T08:00:00+00:00"  # a Monday, 08:00 UTC
BASE_USER = 700000
SMALL_TALK = ("greeting", "thanks", "goodbye", "ack")
# In knowledge.yaml's faq.small_talk (no ids there): a phrase that tells which kind an item is.
FAQ_SMALL_TALK_MARK = {"greeting": "hello", "thanks": "thanks", "goodbye": "bye", "ack": "ok"}


def prefix(template: str) -> str:
    return template.split("{", 1)[0].strip()


class Judge:
    def __init__(self, repo: Path) -> None:
        data = yaml.safe_load((repo / "knowledge.yaml").read_text(encoding="utf-8"))
        messages = data.get("messages", {})
        rem = data.get("reminders", {}).get("messages", {})
        self.m = messages
        self.listing = [prefix(rem.get("list_header", "")), prefix(rem.get("list_empty", ""))]
        faq_texts = data.get("faq", {}).get("texts", {})
        self.fallbacks = [prefix(t) for t in faq_texts.values() if isinstance(t, str)]
        self.fallbacks.append(prefix(messages.get("not_understood", "")))
        self.fallbacks = [f for f in self.fallbacks if f]
        self.talk: dict[str, set[str]] = defaultdict(set)
        for item in data.get("faq", {}).get("small_talk", []) or []:
            for kind, mark in FAQ_SMALL_TALK_MARK.items():
                if mark in item.get("phrases", []):
                    self.talk[kind].add(item["reply"].strip())
        conv = data.get("conversation", {}) or {}
        for kind, replies in (conv.get("small_talk", {}) or {}).items():
            for reply in replies:
                self.talk[kind].add(prefix(reply))

    def starts(self, text: str, key: str) -> bool:
        p = prefix(self.m.get(key, "") or "")
        return bool(p) and text.strip().startswith(p)

    def is_fallback(self, text: str) -> bool:
        return any(text.strip().startswith(f) for f in self.fallbacks)

    def talk_kind(self, text: str) -> str | None:
        t = text.strip()
        for kind, replies in self.talk.items():
            if any(t.startswith(r) or (r.startswith(t) and t) for r in replies):
                return kind
        return None


def run(cmd: str, lines: list[dict[str, Any]], db: Path) -> list[dict[str, Any]]:
    payload = "".join(json.dumps(line) + "\n" for line in lines)
    proc = subprocess.run(
        [*shlex.split(cmd), "--db", str(db)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    out = [json.loads(row) for row in proc.stdout.splitlines() if row.strip()]
    if len(out) != len(lines):
        sys.exit(f"expected {len(lines)} output lines, got {len(out)}\n{proc.stderr[-2000:]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True)
    ap.add_argument("--repo", default=".")
    ap.add_argument("--cmd", default=".venv/bin/python -m bot chat --json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    repo = Path(args.repo).resolve()
    judge = Judge(repo)
    cases = [json.loads(x) for x in Path(args.cases).read_text().splitlines() if x.strip()]
    lines: list[dict[str, Any]] = [{"user_id": BASE_USER - 1, "text": "/help", "now": NOW}]
    spans = []  # (first index of the case text, its last index)
    for n, case in enumerate(cases):
        uid = BASE_USER + n
        for setup in case.get("setup", []):
            lines.append({"user_id": uid, "text": setup})
        first = len(lines)
        lines.append({"user_id": uid, "text": case["text"]})
        if case["expect"]["intent"] == "timezone_set":
            lines.append({"user_id": uid, "text": "yes"})
        spans.append((first, len(lines)))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "blind.db"
        out = run(args.cmd, lines, db)
        con = sqlite3.connect(db)
        users = {
            r[0]: (r[1], json.loads(r[2]))
            for r in con.execute("SELECT user_id, timezone, state FROM users")
        }
        rems: dict[int, dict[str, Any]] = defaultdict(dict)
        for uid, kind, schedule in con.execute("SELECT user_id, kind, schedule FROM reminders"):
            rems[uid][kind] = json.loads(schedule)
        con.close()
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for n, case in enumerate(cases):
        uid = BASE_USER + n
        first, _ = spans[n]
        replies = out[first].get("replies", [])
        ok, why = check(judge, case, replies, users.get(uid), rems.get(uid, {}))
        intent = case["expect"]["intent"]
        per[intent][1] += 1
        per[intent][0] += ok
        if not ok:
            failures.append((case, why, replies))
    total = sum(v[1] for v in per.values())
    good = sum(v[0] for v in per.values())
    for intent in sorted(per):
        print(f"{intent:15s} {per[intent][0]:3d}/{per[intent][1]:<3d}")
    print(f"{'ALL':15s} {good:3d}/{total:<3d} = {good / max(total, 1):.2f}")
    if args.verbose:
        for case, why, replies in failures:
            texts = " | ".join(r.get("text", "")[:90].replace("\n", " ") for r in replies)
            print(f"FAIL {case['id']}: {case['text']!r} -> {why}\n     {texts}")


def check(
    judge: Judge,
    case: dict[str, Any],
    replies: list[dict[str, Any]],
    user: tuple[str, dict[str, Any]] | None,
    rems: dict[str, Any],
) -> tuple[bool, str]:
    exp = case["expect"]
    intent = exp["intent"]
    texts = [r.get("text", "") for r in replies]
    zone, state = user if user else ("UTC", {})
    buttons = [b.get("data", "") for r in replies for row in r.get("buttons", []) for b in row]
    fallback = any(judge.is_fallback(t) for t in texts)
    if intent in ("remind_set", "remind_change"):
        got = rems.get(exp.get("kind", ""))
        if got is None:
            return False, f"no {exp.get('kind')} reminder ({sorted(rems)})"
        if "every" in exp:
            every = got.get("every") or {}
            want = {"minutes": round(exp["every"] * 60), "from": exp["from"], "to": exp["to"]}
            return every == want, f"every {every} != {want}"
        return sorted(got.get("times", [])) == sorted(exp["times"]), f"times {got.get('times')}"
    if intent == "remind_stop":
        if exp.get("kind") in rems:
            return False, "still on"
        return not fallback and not any(r.get("faq") for r in replies), "fallback/faq reply"
    if intent == "reminders_list":
        return any(t.startswith(p) for t in texts for p in judge.listing if p), "no listing"
    if intent == "timezone_set":
        return zone == exp["zone"], f"zone {zone}"
    if intent == "delete_data":
        return "del:yes" in buttons, "no delete confirmation"
    if intent == "check_start":
        asked = any(r.get("asks") for r in replies)
        return asked and "assessment" in state, "no check started"
    if intent == "check_cancel":
        return "assessment" not in state, "check still running"
    if intent == "history":
        return any(
            judge.starts(t, "history_header") or judge.starts(t, "history_empty") for t in texts
        ), "no history"
    if intent == "help":
        return any(judge.starts(t, "help") for t in texts), "no help"
    if intent in SMALL_TALK:
        kinds = [judge.talk_kind(t) for t in texts]
        return intent in kinds and len(replies) == 1, f"small talk {kinds}"
    if intent == "yes":
        return user is None or any(judge.starts(t, "deleted") for t in texts), "not deleted"
    if intent == "no":
        return any(judge.starts(t, "delete_kept") for t in texts) and user is not None, "not kept"
    if intent == "none":
        acted = []
        if rems:
            acted.append("reminder")
        if zone not in ("UTC", None):
            acted.append("zone")
        if "del:yes" in buttons:
            acted.append("delete")
        if any(r.get("asks") for r in replies) or "assessment" in state:
            acted.append("check")
        if any(
            judge.starts(t, k) for t in texts for k in ("help", "history_header", "history_empty")
        ):
            acted.append("help/history")
        if any(judge.talk_kind(t) for t in texts):
            acted.append("small talk")
        return not acted, f"acted: {acted}"
    return False, f"unknown intent {intent}"


if __name__ == "__main__":
    main()
