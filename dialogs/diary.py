"""The twitch diary: /log, the daily diary prompt, /stats (a chart) and /report (a PDF).

/log records today's twitching (none / mild / strong, a button or words) and whatever else
the message says, read by the same understanding as the check (`nlu.interpret`): "strong
today, 4 coffees, slept 5h" -> strong, about 380 mg caffeine, 5 h of sleep. Water and bedtime
taps of the reminders (events) count in the diary too. /stats and /report return specs
(`dialogs.media`) that the transport draws; this module never touches a file.

Knowledge: the `diary` section of knowledge.yaml (levels, follow_up, stats, labels,
messages). Callback data: `log:<level>`. Awaited reply: `diary:log`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from dialogs import nlu, scoring
from dialogs.callbacks import LogLevel, ReminderStop
from dialogs.knowledge import Knowledge
from dialogs.knowledge.diary import DiaryKnowledge
from dialogs.knowledge.messages import Messages
from dialogs.media import ChartSpec, ReportSpec, Section
from dialogs.ports import AssessmentRecord, DiaryEntry, DueReminder
from dialogs.schedule import next_occurrence
from dialogs.timezones import zone_label, zone_of
from dialogs.turn import Turn
from dialogs.types import Button, Reply

AWAIT_LOG = "diary:log"
PROMPT_KIND = "diary"  # the reminder kind of the daily prompt (CONTRACT.md)


# --- reading --------------------------------------------------------------------------------
def read_level(knowledge: Knowledge, text: str) -> str | None:
    """The twitching level a message names ("strong today" -> "strong"), or None."""
    dk: DiaryKnowledge = knowledge.diary
    reading = knowledge.language.read(text)
    tokens = reading.tokens
    for hit in dk.level_phrases.find(reading):
        if hit.end < len(tokens) and tokens[hit.end] == "of":  # "a lot of coffee"
            continue
        if not hit.negated:
            return str(hit.value)
    return None


def read_extras(knowledge: Knowledge, text: str, now: datetime) -> dict[str, Any]:
    """Caffeine (mg), sleep (h), stress and exercise that a diary message names, read by the
    check's own understanding."""
    found: dict[str, Any] = {}
    limit = knowledge.diary.stats.max_caffeine_mg
    for item in nlu.interpret(knowledge, text, None, {}, now=now).answers:
        if item.question == "caffeine":
            mg = item.detail.get("mg")
            if isinstance(mg, int | float) and 0 <= mg <= limit:
                found["caffeine_mg"] = int(mg)
            elif item.value == "none":
                found["caffeine_mg"] = 0
        elif item.question == "sleep" and isinstance(item.detail.get("hours"), int | float):
            if 0 <= item.detail["hours"] <= 24:
                found["sleep_hours"] = float(item.detail["hours"])
        elif item.question in ("stress", "exercise") and isinstance(item.value, str):
            found[item.question] = item.value
    return found


# --- /log -----------------------------------------------------------------------------------
def ask(turn: Turn, intro: str = "") -> Reply:
    dk: DiaryKnowledge = turn.knowledge.diary
    turn.state.awaiting = AWAIT_LOG
    text = dk.texts("log_ask")
    return turn.reply(f"{intro}\n\n{text}" if intro else text, buttons=level_buttons(dk))


def level_buttons(dk: DiaryKnowledge) -> list[list[Button]]:
    return [[Button(level.label, LogLevel(level.id).pack()) for level in dk.levels.values()]]


async def log(turn: Turn, text: str) -> list[Reply]:
    """/log <text> or the reply to the /log question."""
    dk: DiaryKnowledge = turn.knowledge.diary
    if not text.strip():
        return [ask(turn)]
    level = read_level(turn.knowledge, text)
    extras = read_extras(turn.knowledge, text, turn.now)
    if level is None and not extras:
        return [ask(turn, dk.texts("log_not_understood"))]
    entry = await _record(turn, level, extras)
    replies = [turn.reply(_saved_text(turn, entry, level, extras))]
    if entry.level is None:
        replies.append(ask(turn))
    return replies


async def log_level(turn: Turn, level: str) -> list[Reply]:
    """A pressed level button (`log:<level>`), from /log or the daily prompt."""
    if level not in turn.knowledge.diary.levels:
        return [turn.reply(turn.say("stale_button"))]
    turn.state.awaiting = None
    entry = await _record(turn, level, {})
    return [turn.reply(_saved_text(turn, entry, level, {}))]


async def _record(turn: Turn, level: str | None, extras: dict[str, Any]) -> DiaryEntry:
    today = local_date(turn)
    existing = [e for e in await turn.tx.list_diary(turn.user.user_id, today) if e.day == today]
    entry = existing[0] if existing else DiaryEntry(turn.user.user_id, today)
    if level is not None:
        entry.level = level
    for key, value in extras.items():
        setattr(entry, key, value)
    entry.updated_at = turn.now
    await turn.tx.save_user(turn.user)  # the diary row refers to the user's row
    await turn.tx.save_diary(entry)
    return entry


def _saved_text(turn: Turn, entry: DiaryEntry, level: str | None, extras: dict[str, Any]) -> str:
    dk: DiaryKnowledge = turn.knowledge.diary
    items = []
    if level is not None:
        items.append(dk.texts("log_item_level", level=dk.levels[level].name))
    if "caffeine_mg" in extras:
        items.append(dk.texts("log_item_caffeine", mg=extras["caffeine_mg"]))
    if "sleep_hours" in extras:
        items.append(dk.texts("log_item_sleep", hours=_number(extras["sleep_hours"])))
    if "stress" in extras:
        items.append(
            dk.texts("log_item_stress", value=_option_label(turn, "stress", extras["stress"]))
        )
    if "exercise" in extras:
        value = _option_label(turn, "exercise", extras["exercise"])
        items.append(dk.texts("log_item_exercise", value=value))
    return dk.texts(
        "log_saved", date=entry.day.strftime("%d.%m."), items=dk.texts("log_list_and").join(items)
    )


async def prompt_answer(turn: Turn, text: str) -> list[Reply] | None:
    """A typed answer to the daily prompt ("mild today, 2 coffees"): logged when the prompt
    went out within `prompt_open_hours`, the message names a level, is not a question, and
    today has no level yet. None: not such an answer."""
    if PROMPT_KIND not in turn.state.reminders or text.rstrip().endswith("?"):
        return None
    level = read_level(turn.knowledge, text)
    if level is None:
        return None
    hours = turn.knowledge.diary.stats.prompt_open_hours
    records = await turn.tx.list_reminders(turn.user.user_id)
    record = next((r for r in records if r.kind == PROMPT_KIND), None)
    if record is None:
        return None
    sent = next_occurrence(record.schedule, turn.now - timedelta(hours=hours))
    if sent is None or sent > turn.now:
        return None
    today = local_date(turn)
    if any(e.day == today and e.level for e in await turn.tx.list_diary(turn.user.user_id, today)):
        return None
    return await log(turn, text)


def render_prompt(knowledge: Knowledge, due: DueReminder) -> Reply:
    """The fired daily diary prompt: its text, the level buttons and Stop."""
    dk: DiaryKnowledge = knowledge.diary
    rk = knowledge.reminders
    kind = rk.kinds.get(PROMPT_KIND)
    local = due.due.astimezone(zone_of(due.timezone)).strftime("%H:%M")
    text = kind.texts[0].format(time=local) if kind and kind.texts else dk.texts("log_ask")
    rows = level_buttons(dk)
    rows.append([Button(rk.labels("stop"), ReminderStop(PROMPT_KIND).pack())])
    return Reply(due.user_id, text, buttons=rows, reminder=PROMPT_KIND)


# --- /stats ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Day:
    day: date
    level: int | None
    strong: bool
    caffeine_mg: int | None
    sleep_hours: float | None
    water: int
    bedtimes: int


async def stats(turn: Turn) -> list[Reply]:
    dk: DiaryKnowledge = turn.knowledge.diary
    days = await diary_days(turn)
    if not any(d.level is not None or d.caffeine_mg is not None or d.water for d in days):
        return [turn.reply(dk.texts("stats_empty"))]
    chart = chart_spec(turn.knowledge, days)
    text = dk.texts("stats_sent", days=dk.stats.days) + "\n" + "\n".join(chart.caption)
    return [turn.reply(text, media=chart)]


async def diary_days(turn: Turn) -> list[Day]:
    """The last `stats.days` local days, oldest first, with what was logged on each."""
    dk: DiaryKnowledge = turn.knowledge.diary
    zone = zone_of(turn.user.timezone)
    today = local_date(turn)
    first = today - timedelta(days=dk.stats.days - 1)
    entries = {e.day: e for e in await turn.tx.list_diary(turn.user.user_id, first)}
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    water: dict[date, int] = {}
    bedtimes: dict[date, int] = {}
    kinds = [dk.stats.water_event, dk.stats.bedtime_event]
    for kind, at in await turn.tx.list_events(turn.user.user_id, kinds, start):
        day = at.astimezone(zone).date()
        counter = water if kind == dk.stats.water_event else bedtimes
        counter[day] = counter.get(day, 0) + 1
    out = []
    for offset in range(dk.stats.days):
        day = first + timedelta(days=offset)
        entry = entries.get(day)
        level = dk.levels.get(entry.level) if entry and entry.level else None
        top = max(lv.score for lv in dk.levels.values())
        out.append(
            Day(
                day=day,
                level=level.score if level else None,
                strong=level is not None and level.score == top,
                caffeine_mg=entry.caffeine_mg if entry else None,
                sleep_hours=entry.sleep_hours if entry else None,
                water=water.get(day, 0),
                bedtimes=bedtimes.get(day, 0),
            )
        )
    return out


def chart_spec(knowledge: Knowledge, days: list[Day]) -> ChartSpec:
    dk: DiaryKnowledge = knowledge.diary
    t = dk.texts
    ordered = sorted(dk.levels.values(), key=lambda lv: lv.score)
    return ChartSpec(
        title=t("stats_title", days=dk.stats.days),
        days=tuple(d.day for d in days),
        twitching=tuple(d.level for d in days),
        level_names=tuple(lv.name for lv in ordered),
        caffeine_mg=tuple(d.caffeine_mg for d in days),
        sleep_hours=tuple(d.sleep_hours for d in days),
        water=tuple(d.water for d in days),
        bedtimes=tuple(d.bedtimes for d in days),
        labels={
            key: t(key)
            for key in (
                "axis_twitching",
                "axis_caffeine",
                "axis_sleep",
                "axis_water",
                "legend_bedtime",
                "no_entry",
            )
        },
        caption=tuple(patterns(dk, days)),
        sleep_target=dk.stats.sleep_target,
    )


def patterns(dk: DiaryKnowledge, days: list[Day]) -> list[str]:
    """Plain-words lines on what the log shows: counts only, and only with enough days on
    both sides of a comparison; never a cause."""
    t, s = dk.texts, dk.stats
    logged = [d for d in days if d.level is not None]
    if len(logged) < s.min_days:
        return [t("stats_too_little", count=len(logged))]
    # Glasses are counted from the first day the water reminder's Done was tapped: before
    # that the log says nothing about water (not "no water").
    water_from = next((d.day for d in days if d.water), None)
    # (the text's key, the day's measure if known, whether a measure counts as the factor)
    factors: list[tuple[str, Callable[[Day], float | None], Callable[[float], bool]]] = [
        ("factor_caffeine", lambda d: d.caffeine_mg, lambda v: v >= s.caffeine_high_mg),
        ("factor_sleep", lambda d: d.sleep_hours, lambda v: v < s.sleep_short_hours),
    ]
    if water_from is not None:
        factors.append(
            (
                "factor_water",
                lambda d: d.water if d.day >= water_from else None,
                lambda v: v < s.water_low_glasses,
            )
        )
    found: list[tuple[float, str]] = []
    compared = False
    for key, measure, applies in factors:
        known = [(d, value) for d in logged if (value := measure(d)) is not None]
        with_it = [d for d, value in known if applies(value)]
        without = [d for d, value in known if not applies(value)]
        if len(with_it) < s.min_group or len(without) < s.min_group:
            continue
        compared = True
        hit, other = sum(d.strong for d in with_it), sum(d.strong for d in without)
        difference = hit / len(with_it) - other / len(without)
        if difference > 0 and hit >= 2:
            line = t(
                "stats_pattern",
                factor=t(key),
                hit=hit,
                total=len(with_it),
                other_hit=other,
                other_total=len(without),
            )
            found.append((difference, line))
    if found:
        found.sort(key=lambda pair: -pair[0])
        return [line for _, line in found[:2]] + [t("stats_caution")]
    return [t("stats_no_pattern" if compared else "stats_no_factors")]


# --- /report --------------------------------------------------------------------------------
async def report(turn: Turn, history: int = 10) -> list[Reply]:
    dk: DiaryKnowledge = turn.knowledge.diary
    t = dk.texts
    knowledge = turn.knowledge
    zone_name = turn.user.timezone or "UTC"
    zone = zone_of(zone_name)
    records = await turn.tx.list_assessments(turn.user.user_id, history)
    days = await diary_days(turn)
    sections: list[Section] = []
    if records:
        details = _details_for(turn, records[0])
        sections.extend(_check_sections(knowledge, records[0], zone, details))
    else:
        sections.append(Section(t("report_no_check"), ()))
    has_diary = any(d.level is not None or d.caffeine_mg is not None or d.water for d in days)
    chart = chart_spec(knowledge, days) if has_diary else None
    since = datetime.combine(
        local_date(turn) - timedelta(days=365), datetime.min.time(), tzinfo=zone
    )
    answers = [f"followup_{value}" for value, _ in dk.follow_up.answers]
    events = await turn.tx.list_events(turn.user.user_id, answers, since)
    timeline = _timeline(knowledge, records, events, days, zone)
    spec = ReportSpec(
        title=clean(t("report_title")),
        subtitle=clean(
            t(
                "report_made",
                date=turn.now.astimezone(zone).strftime("%Y-%m-%d"),
                zone=zone_label(zone_name),
            )
        ),
        sections=tuple(sections),
        chart=chart,
        chart_heading=clean(t("report_diary", days=dk.stats.days)),
        after_chart=(Section(clean(t("report_timeline")), tuple(timeline)),),
        footer=clean(t("report_footer")),
    )
    return [turn.reply(t("report_sent"), media=spec)]


def _check_sections(
    knowledge: Knowledge, record: AssessmentRecord, zone: tzinfo, details: Mapping[str, Any]
) -> list[Section]:
    t = knowledge.diary.texts
    answers = record.answers
    lines = []
    for question_id in knowledge.questions:
        if question_id not in answers:
            continue
        topic = knowledge.messages.get(f"topic_{question_id}") or question_id.replace("_", " ")
        shown = _answer_text(knowledge, question_id, answers)
        figures = _detail_text(t, question_id, details.get(question_id) or {})
        lines.append(f"{clean(topic).capitalize()}: {shown}" + (f" ({figures})" if figures else ""))
    causes = [scoring.cause_title(knowledge, c["id"]) for c in record.causes[:3]]
    assessed = scoring.assess(knowledge, answers, {}, list(record.red_flags))
    urgency = [t("report_urgency", label=scoring.urgency_label(knowledge, record.urgency))]
    urgency += [clean(reason).lstrip("• ").strip() for reason in assessed.urgency_reasons]
    signs = _signs(knowledge, record)
    urgency.append(t("report_signs", signs=signs))
    meds = answers.get("medications")
    meds_text = (
        _answer_text(knowledge, "medications", answers)
        if meds and meds not in ("none", ["none"])
        else t("report_medicines_none")
    )
    names = _detail_text(t, "medications", details.get("medications") or {})
    if names and meds_text != t("report_medicines_none"):
        meds_text += f" ({names})"
    when = record.finished_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return [
        Section(clean(t("report_check", date=when)), tuple(clean(x) for x in lines)),
        Section(
            clean(t("report_causes")), tuple(clean(c) for c in causes or [t("report_no_cause")])
        ),
        Section("", tuple(clean(u) for u in urgency)),
        Section(clean(t("report_medicines")), (clean(meds_text),)),
    ]


def _signs(knowledge: Knowledge, record: AssessmentRecord) -> str:
    t = knowledge.diary.texts
    flags = list(record.red_flags)
    answer = record.answers.get("warning_signs")
    if isinstance(answer, list):
        flags += [v for v in answer if v not in flags and v not in ("none", "unknown")]
    if flags:
        return ", ".join(_option(knowledge, "warning_signs", f) for f in flags)
    if answer in (["none"], "none"):
        return t("report_signs_none")
    if "warning_signs" in knowledge.questions:
        return t("report_signs_unknown")
    return t("report_signs_none")


def _timeline(
    knowledge: Knowledge,
    records: list[AssessmentRecord],
    events: list[tuple[str, datetime]],
    days: list[Day],
    zone: tzinfo,
) -> list[str]:
    dk: DiaryKnowledge = knowledge.diary
    t = dk.texts
    items: list[tuple[datetime, str]] = []
    for record in records:
        names = [scoring.cause_title(knowledge, c["id"]) for c in record.causes[:2]]
        items.append(
            (
                record.finished_at,
                t(
                    "report_timeline_check",
                    date=record.finished_at.astimezone(zone).strftime("%Y-%m-%d"),
                    causes=", ".join(names) or t("report_no_cause"),
                    urgency=scoring.urgency_label(knowledge, record.urgency),
                ),
            )
        )
    for kind, at in events:
        value = kind.removeprefix("followup_")
        answer = dk.follow_up.values.get(value, value)
        line = t(
            "report_timeline_followup", date=at.astimezone(zone).strftime("%Y-%m-%d"), answer=answer
        )
        items.append((at, line))
    items.sort(key=lambda pair: pair[0])
    lines = [clean(line) for _, line in items[-dk.stats.timeline_items :]]
    logged = [d for d in days if d.level is not None]
    if logged:
        lines.append(
            clean(
                t(
                    "report_timeline_diary",
                    first=logged[0].day.isoformat(),
                    last=logged[-1].day.isoformat(),
                    count=len(logged),
                    strong=sum(d.strong for d in logged),
                )
            )
        )
    return lines


# --- what a check's answers said in numbers and names, for the report -----------------------
def remember_details(turn: Turn, details: Mapping[str, Any]) -> None:
    """Keep the figures and names of the check just finished (the store keeps only the
    answers' values), so the report can show "about 570 mg a day: 6 coffees"."""
    kept = {
        question: dict(detail)
        for question, detail in details.items()
        if question in ("caffeine", "sleep", "duration", "stress", "medications")
        and isinstance(detail, Mapping)
    }
    turn.state.last_details = {"at": turn.now.astimezone(UTC).isoformat(), "details": kept}


def _details_for(turn: Turn, record: AssessmentRecord) -> dict[str, Any]:
    saved = turn.state.last_details
    if not isinstance(saved, dict) or not isinstance(saved.get("details"), dict):
        return {}
    try:
        at = datetime.fromisoformat(saved["at"])
    except (KeyError, TypeError, ValueError):
        return {}
    return saved["details"] if abs((at - record.finished_at).total_seconds()) < 1 else {}


def _detail_text(t: Messages, question: str, detail: Mapping[str, Any]) -> str:
    """The figures behind an answer ("about 570 mg a day: 6 coffees"), or ""."""
    number = (int, float)
    if question == "caffeine" and isinstance(detail.get("mg"), number):
        items = [str(i) for i in detail.get("items") or [] if str(i).strip()]
        if items:
            return t("report_detail_caffeine_items", mg=int(detail["mg"]), items=", ".join(items))
        return t("report_detail_caffeine", mg=int(detail["mg"]))
    if question == "sleep" and isinstance(detail.get("hours"), number):
        return t("report_detail_sleep", hours=_number(detail["hours"]))
    if question == "duration" and isinstance(detail.get("days"), number):
        return t("report_detail_duration", days=max(1, round(detail["days"])))
    if question == "stress" and isinstance(detail.get("scale"), number):
        return t("report_detail_stress", scale=_number(detail["scale"]))
    if question == "medications":
        names = [str(n) for n in detail.get("names") or [] if str(n).strip()]
        return t("report_detail_medications", names=", ".join(names)) if names else ""
    return ""


# --- helpers --------------------------------------------------------------------------------
def local_date(turn: Turn) -> date:
    return turn.now.astimezone(zone_of(turn.user.timezone)).date()


def clean(text: str) -> str:
    """Text for a file: without emoji and other pictographs (a PDF font may lack them)."""
    kept = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn") and ch not in "\ufe0f\u200d"
    )
    return " ".join(kept.split()) if "\n" not in kept else kept.strip()


def _answer_text(knowledge: Knowledge, question_id: str, answers: Mapping[str, Any]) -> str:
    value = answers.get(question_id)
    values = value if isinstance(value, list) else [value]
    return ", ".join(_option(knowledge, question_id, str(v)) for v in values)


def _option(knowledge: Knowledge, question_id: str, value: str) -> str:
    question = knowledge.questions.get(question_id)
    if question is not None:
        for option in question.options:
            if option.value == value:
                return clean(option.label)
    return value.replace("_", " ")


def _option_label(turn: Turn, question_id: str, value: str) -> str:
    return _option(turn.knowledge, question_id, value).lower()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
