"""The follow-up check-in: a week after a result, "How is the twitching now?".

A result plans one (reminder kind `followup`) `follow_up.days` later at the same local time,
moved to the next `earliest` (09:00) when that falls at or after `latest` (21:00) or before
`earliest`. It is an ordinary reminder row whose schedule holds one instant (`snoozes`), so
the reminder machinery delivers it: grace window, never twice, restart-safe.

Answers (a button `fu:<value>:<due>` or typed words while it is open):
- gone / better: encouragement; no more check-ins for that check;
- same: another check-in a week later; once the twitching has lasted `doctor_after_days`
  (the NHS: see a GP if it lasts more than 2 weeks) the reply says so, urgency doctor_routine;
- worse: urgency at least doctor_routine, and the warning signs are asked again (a short
  check over the last one's answers, when the `ask_again` questions exist).

The user's state keeps `followup: {due, check, base_days, answered}` so an answer needs no
extra read. `/remind followup off|on` stops or allows them (`followup_off` in the state).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from dialogs import nlu
from dialogs.callbacks import FollowUpAnswer, FollowUpOff
from dialogs.knowledge import Knowledge
from dialogs.knowledge.diary import DiaryKnowledge, FollowUp, plain_word
from dialogs.knowledge.questions import UNKNOWN
from dialogs.ports import DueReminder, ReminderRecord
from dialogs.schedule import local_instant
from dialogs.scoring import Assessment
from dialogs.state import CheckState, FollowUpPlan
from dialogs.timezones import zone_of
from dialogs.turn import Turn
from dialogs.types import Button, Reply

KIND = "followup"  # the reminder kind (CONTRACT.md)
ROUTINE = "doctor_routine"


@dataclass(slots=True)
class Outcome:
    """What an answer leads to: replies, and a short check to start (Worse)."""

    replies: list[Reply] = field(default_factory=list)
    assessment: CheckState | None = None


def due_after(fu: FollowUp, start: datetime, zone_name: str) -> datetime:
    """`fu.days` after `start` at the same local time, kept between earliest and latest."""
    local = start.astimezone(zone_of(zone_name))
    day = local.date() + timedelta(days=fu.days)
    minutes = local.hour * 60 + local.minute
    clock = time(local.hour, local.minute, local.second)
    if minutes >= fu.latest:
        day += timedelta(days=1)
        clock = time(fu.earliest // 60, fu.earliest % 60)
    elif minutes < fu.earliest:
        clock = time(fu.earliest // 60, fu.earliest % 60)
    return local_instant(day, clock, zone_name)


# --- planning ---------------------------------------------------------------------------------
def plan(
    turn: Turn, answers: dict[str, Any], details: dict[str, Any], urgency: str
) -> Reply | None:
    """After a result: plan the check-in (written by `save`) and say when it will come."""
    if turn.state.followup_off or urgency == "emergency":
        return None
    fu = _fu(turn)
    due = due_after(fu, turn.now, _zone(turn))
    turn.state.followup = FollowUpPlan(
        due=due.isoformat(),
        check=turn.now.astimezone(UTC).isoformat(),
        base_days=_duration_days(fu, answers, details),
    )
    turn.followup_planned = True
    return turn.reply(
        _dk(turn).texts("fu_note", when=_when(turn, due)),
        buttons=[[Button(_dk(turn).labels("stop"), FollowUpOff().pack())]],
    )


async def save(turn: Turn) -> None:
    """Write the check-in planned in this turn as its reminder row (after the user's row is
    saved). Only the turn knows it is planned: the stored state never asks for a write, so a
    later message cannot re-arm a check-in that has fired."""
    state = turn.state.followup
    if state is None or not turn.followup_planned:
        return
    turn.followup_planned = False
    due = datetime.fromisoformat(state.due)
    schedule = {"zone": _zone(turn), "times": [], "snoozes": [due.astimezone(UTC).isoformat()]}
    await turn.tx.set_reminder(ReminderRecord(turn.user.user_id, KIND, schedule, due, turn.now))


def render_due(knowledge: Knowledge, due: DueReminder) -> Reply:
    """The fired check-in: the question and the Gone / Better / Same / Worse buttons."""
    dk: DiaryKnowledge = knowledge.diary
    stamp = int(due.due.timestamp())
    labels = dict(dk.follow_up.answers)
    buttons = [
        Button(labels[v], FollowUpAnswer(v, str(stamp)).pack()) for v in dk.follow_up.buttons
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([Button(dk.labels("stop"), FollowUpOff().pack())])
    return Reply(
        due.user_id, dk.texts("fu_due", days=dk.follow_up.days), buttons=rows, reminder=KIND
    )


# --- answers --------------------------------------------------------------------------------
def is_open(turn: Turn) -> bool:
    """A check-in was sent (its time has come) and not answered yet, within `open_days`."""
    state = turn.state.followup
    if state is None or state.answered:
        return False
    due = datetime.fromisoformat(state.due)
    return due <= turn.now <= due + timedelta(days=_fu(turn).open_days)


def read(knowledge: Knowledge, text: str) -> str | None:
    """The answer a message gives ("pretty much gone" -> gone), or None. The most serious
    answer named wins; only denied ones ("not better") mean no change."""
    fu: FollowUp = knowledge.diary.follow_up
    hits = fu.phrases.find(knowledge.language.read(text))
    named = {h.value for h in hits if not h.negated}
    for value, _ in fu.answers:
        if value in named:
            return value
    return fu.denied if any(h.negated for h in hits) else None


def stamp_matches(turn: Turn, stamp: str) -> bool:
    state = turn.state.followup
    if state is None or state.answered:
        return False
    return stamp == str(int(datetime.fromisoformat(state.due).timestamp()))


async def answer(turn: Turn, value: str, flags: list[str], text: str = "") -> Outcome:
    """Handle the answer `value` (gone / better / same / worse) to the open check-in."""
    dk = _dk(turn)
    fu = dk.follow_up
    state = turn.state.followup
    assert state is not None  # the engine answers only an open check-in
    await turn.tx.log_event(turn.user.user_id, f"followup_{value}", turn.now)
    if value in ("gone", "better"):
        await turn.tx.remove_reminder(turn.user.user_id, KIND)
        turn.state.followup = None
        return Outcome([turn.reply(dk.texts(f"fu_{value}"))])
    check = datetime.fromisoformat(state.check or state.due)
    lasted = (state.base_days or 0.0) + (turn.now - check).total_seconds() / 86400
    due = datetime.fromisoformat(state.due)
    start = due if due_after(fu, due, _zone(turn)) > turn.now else turn.now
    next_due = due_after(fu, start, _zone(turn))
    state.due, state.answered = next_due.isoformat(), False
    turn.followup_planned = True
    await save(turn)
    when = _when(turn, next_due)
    if value == "same":
        if lasted >= fu.doctor_after_days:
            text_out = dk.texts("fu_same_doctor", days=int(lasted), when=when)
            return Outcome([turn.reply(text_out, urgency=ROUTINE)])
        return Outcome([turn.reply(dk.texts("fu_same", when=when))])
    # worse
    urgency = _at_least(turn.knowledge, ROUTINE, flags)
    reply = turn.reply(dk.texts("fu_worse"), urgency=urgency)
    if not fu.ask_again:
        reply.text += "\n\n" + dk.texts("fu_worse_signs", when=when)
        return Outcome([reply])
    assessment = await _recheck(turn, fu, lasted, flags, text)
    return Outcome([reply], assessment)


async def _recheck(
    turn: Turn, fu: FollowUp, lasted: float, flags: list[str], text: str
) -> CheckState:
    """A short check: the last check's answers, the duration brought up to date, what the
    message adds, and the `ask_again` questions left open (the engine asks them)."""
    records = await turn.tx.list_assessments(turn.user.user_id, 1)
    answers: dict[str, Any] = dict(records[0].answers) if records else {}
    for question_id in fu.ask_again:
        answers.pop(question_id, None)
    if "duration" in answers and fu.duration_days:
        bounds = sorted(fu.duration_days.items(), key=lambda pair: pair[1])
        answers["duration"] = [v for v, low in bounds if low <= lasted][-1] if bounds else UNKNOWN
    if text:
        for item in nlu.interpret(turn.knowledge, text, None, {}, now=turn.now).answers:
            old = answers.get(item.question)
            if isinstance(item.value, list) and isinstance(old, list):
                merged = [v for v in old if v not in ("none", UNKNOWN)]
                merged += [v for v in item.value if v not in merged]
                answers[item.question] = merged or item.value
            elif item.question not in ("duration",):
                answers[item.question] = item.value
    return CheckState(
        answers=answers,
        red_flags=list(flags),
        started=turn.now.isoformat(),
        urgency_floor={"level": ROUTINE, "why": _dk(turn).texts("fu_worse_reason")},
    )


def apply_floor(knowledge: Knowledge, result: Assessment, assessment: CheckState) -> Assessment:
    """A re-check after "worse" ends at `doctor_routine` or above, saying why."""
    floor = assessment.urgency_floor
    if not isinstance(floor, dict) or floor.get("level") not in knowledge.urgency.levels:
        return result
    urgency = knowledge.urgency
    if urgency.rank(floor["level"]) > urgency.rank(result.urgency):
        return replace(result, urgency=floor["level"], urgency_reasons=[floor.get("why", "")])
    if floor["level"] == result.urgency and floor.get("why"):
        return replace(result, urgency_reasons=[*result.urgency_reasons, floor["why"]])
    return result


# --- /remind followup, /reminders ------------------------------------------------------------
def names_kind(knowledge: Knowledge, args: str) -> bool:
    """`/remind followup ...`: the first word names the check-in."""
    words = args.split()
    if not words:
        return False
    plain = plain_word(words[0])
    return plain in knowledge.diary.follow_up.names


async def remind(turn: Turn, args: str) -> list[Reply]:
    """`/remind followup off` stops check-ins (and plans none); `on` allows them again."""
    dk = _dk(turn)
    rest = " ".join(args.split()[1:])
    off_words = turn.knowledge.reminders.off_words
    if rest and all(plain_word(w) in off_words for w in rest.split()):
        await turn.tx.remove_reminder(turn.user.user_id, KIND)
        turn.state.followup = None
        turn.state.followup_off = True
        return [turn.reply(dk.texts("fu_off"))]
    turn.state.followup_off = False
    return [turn.reply(dk.texts("fu_on"))]


async def turn_off(turn: Turn) -> list[Reply]:
    return await remind(turn, f"{KIND} off")


def annotate_listing(turn: Turn, replies: list[Reply]) -> None:
    """/reminders: add the planned check-in, if any, to the listing."""
    state = turn.state.followup
    if not replies or state is None:
        return
    due = datetime.fromisoformat(state.due)
    if due <= turn.now:
        return
    replies[0].text += "\n" + _dk(turn).texts("fu_listing", when=_when(turn, due))


# --- helpers --------------------------------------------------------------------------------
def _dk(turn: Turn) -> DiaryKnowledge:
    return turn.knowledge.diary


def _fu(turn: Turn) -> FollowUp:
    return turn.knowledge.diary.follow_up


def _zone(turn: Turn) -> str:
    return turn.user.timezone or "UTC"


def _when(turn: Turn, moment: datetime) -> str:
    local = moment.astimezone(zone_of(_zone(turn)))
    rk = turn.knowledge.reminders
    return f"{rk.weekdays[local.weekday()]} {local.strftime('%d.%m.')} {local.strftime('%H:%M')}"


def _duration_days(fu: FollowUp, answers: dict[str, Any], details: dict[str, Any]) -> float:
    """How long the twitching had lasted when the check finished, in days."""
    detail = details.get("duration") or {}
    days = detail.get("days") if isinstance(detail, dict) else None
    if isinstance(days, int | float) and not isinstance(days, bool):
        return float(days)
    value = answers.get("duration")
    return float(fu.duration_days.get(value, 0)) if isinstance(value, str) else 0.0


def _at_least(knowledge: Knowledge, level: str, flags: list[str]) -> str:
    urgency = knowledge.urgency
    best = level
    for flag_id in flags:
        flag = knowledge.red_flags.get(flag_id)
        candidate = flag.urgency if flag is not None else None
        if (
            candidate is not None
            and candidate in urgency.levels
            and urgency.rank(candidate) > urgency.rank(best)
        ):
            best = candidate
    return best
