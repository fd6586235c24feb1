"""The result as it fits a phone screen: what to do first (and why) when a doctor is needed,
one line per likely cause with its main "why", and buttons for the rest ("What helps",
"Why" per cause). The user's own word (cramps, spasms, twitching) is used throughout.
Scoring and urgency come from dialogs.scoring; wording from knowledge.yaml
(`conversation.result`, `urgency`).
"""

from __future__ import annotations

from dialogs import scoring
from dialogs.callbacks import CauseDetail
from dialogs.knowledge import Knowledge
from dialogs.scoring import Assessment
from dialogs.state import LastResult
from dialogs.types import Button


def render(
    knowledge: Knowledge, assessment: Assessment, word: str | None
) -> tuple[str, list[list[Button]]]:
    conv = knowledge.conversation
    texts = conv.result
    urgency = knowledge.urgency
    level = urgency.levels[assessment.urgency]
    safety = [
        texts["urgency_line"].format(label=level.label, text=level.text.strip()),
        *assessment.urgency_reasons,
    ]
    above = assessment.urgency != "self_care"
    shown = assessment.causes[: urgency.shown]
    noun = conv.word_forms.get(word or "", conv.word_forms.get("twitch", ""))
    causes: list[tuple[str, str]] = []  # (title line, why)
    for number, scored in enumerate(shown, start=1):
        cause = knowledge.causes[scored.id]
        why = scored.reasons[0] if scored.reasons else ""
        causes.append((texts["cause_line"].format(number=number, title=cause.title), why))
    facts = assessment.facts
    notes = knowledge.tailoring.notes_for(set(facts))

    def build(why_limit: int, also: bool) -> str:
        parts: list[str] = []
        if above:
            parts.append("\n".join(safety))
        if causes:
            lines = [texts["header"].format(word=noun)]
            for title, why in causes:
                short = _clip(why, why_limit)
                lines.append(f"{title}: {short}" if short else title)
            rest = assessment.causes[urgency.shown :]
            if rest and also:
                titles = ", ".join(knowledge.causes[c.id].title for c in rest)
                lines.append(texts["also_line"].format(titles=titles))
            parts.append("\n".join(lines))
            parts.append(texts["buttons_hint"])
        else:
            tips = scoring.no_cause_tips(knowledge, facts)
            parts.append("\n".join([texts["no_cause"].format(word=noun), *tips]))
        if not above:
            parts.append("\n".join(safety))
        parts.extend(notes)
        parts.append(texts["not_diagnosis"])
        return "\n\n".join(p.strip() for p in parts if p and p.strip())

    text = build(160, True)
    for limit, also in ((120, True), (90, False), (60, False), (0, False)):
        if len(text) <= conv.result_max:
            break
        text = build(limit, also)
    rows = [
        [
            Button(
                conv.texts("helps_label", title=_short_title(knowledge, s.id)),
                CauseDetail("help", s.id).pack(),
            ),
            Button(
                conv.texts("why_label", title=_short_title(knowledge, s.id)),
                CauseDetail("why", s.id).pack(),
            ),
        ]
        for s in shown
    ]
    return text, rows


def detail(knowledge: Knowledge, assessment: Assessment, action: str, cause_id: str) -> str | None:
    """The text behind a cause's button: what helps, or the whole why and explanation."""
    cause = knowledge.causes.get(cause_id)
    scored = next((c for c in assessment.causes if c.id == cause_id), None)
    if cause is None or scored is None:
        return None
    texts = knowledge.conversation.result
    if action == "help":
        advice = cause.advice_given(assessment.facts)
        return texts["helps_text"].format(title=cause.title, advice=advice.strip())
    if action == "why":
        reasons = "; ".join(scored.reasons) if scored.reasons else ""
        return texts["why_text"].format(
            title=cause.title, explanation=cause.explanation.strip(), reasons=reasons or "–"
        )
    return None


def reassess(knowledge: Knowledge, last: LastResult) -> Assessment:
    """The last result again, from the answers kept with it (for its buttons)."""
    return scoring.assess(knowledge, last.answers or {}, last.details or {}, last.red_flags or [])


def _clip(text: str, limit: int) -> str:
    text = text.strip().rstrip(".")
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _short_title(knowledge: Knowledge, cause_id: str) -> str:
    title = scoring.cause_title(knowledge, cause_id)
    return title if len(title) <= 28 else title[:27] + "…"
