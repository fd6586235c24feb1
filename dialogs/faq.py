"""The FAQ: free questions matched to entries, small talk, and questions outside the field.

All wording and vocabulary live in the `faq` section of knowledge.yaml. A question is
normalised (lower case, accents and punctuation dropped, typos corrected against the
section's own vocabulary, words reduced to a simple stem) and the entries it may be about get a
score: the weights of their keywords found in the question plus how close the question is
(rapidfuzz) to their example phrasings. A keyword phrase counts as a unit: the words inside a
matched phrase ("water tablets") do not also count for other entries ("water"). Indexes built
at load (keyword first word -> phrases, example word -> entries, spelling variants -> words)
keep the cost of a question nearly flat as the section grows.

Beside these rules a learned classifier (`dialogs.classifier`, trained on the labelled examples
that `classifier.training` names, with an explicit `out_of_scope` label) ranks the entries. The
model's best entry answers when its probability reaches `classifier.answer`; an entry the rules
found answers when the model gives it at least `classifier.agree`. Otherwise the bot says
honestly that it doesn't know and offers the closest topics, or, when nothing in the question
belongs to its field, declines politely: never a confident wrong answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dialogs.knowledge import Knowledge
from dialogs.knowledge.faq import (
    OUT_OF_SCOPE,
    FaqBook,
    FaqModel,
    SmallTalk,
    content_words,
    drop_one,
    stems_of,
)


@dataclass(slots=True)
class FaqAnswer:
    faq_id: str | None  # None: no entry matched well enough (or out of scope, or small talk)
    text: str
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (faq id, button label)
    missed: bool = False  # no entry answered a real question (not small talk): worth a look


# --- matching -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Score:
    entry_id: str
    keywords: float
    similarity: float  # 0..100
    total: float


def _correct(stems: tuple[str, ...], book: FaqBook) -> tuple[str, ...]:
    """Replace unknown words by the closest known one (typos: 'potasium')."""
    assert book.index is not None
    deletes = book.index.deletes
    out = []
    for word in stems:
        # 4..30 letters: no real word is longer, and the delete variants grow as len**3
        plain = 4 <= len(word) <= 30 and not any(c.isdigit() for c in word)
        known = word in book.stopwords or word in deletes.get(word, ())
        if plain and not known:
            word = _closest(word, deletes, book.matching.typo_ratio) or word
        out.append(word)
    return tuple(out)


def _closest(word: str, deletes: dict[str, tuple[str, ...]], cutoff: float) -> str | None:
    """The known word most like `word` (fuzz.ratio >= cutoff), among those a few letters
    dropped on either side make equal (a symmetric-delete index: no scan of the vocabulary)."""
    variants = {word, *drop_one(word)}
    if len(word) >= 9:  # long words may differ by more
        variants |= {v for d in list(variants) for v in drop_one(d)}
    candidates = {c for v in variants for c in deletes.get(v, ())}
    best, best_score = None, cutoff
    for candidate in sorted(candidates):
        ratio = fuzz.ratio(word, candidate)
        if ratio > best_score or (ratio == best_score and best is None):
            best, best_score = candidate, ratio
    return best


def _contains(stems: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(stems[i : i + size] == phrase for i in range(len(stems) - size + 1))


def _keywords(
    book: FaqBook, stems: tuple[str, ...], common: float, shared: dict[str, float]
) -> dict[str, float]:
    """Keyword weight per entry. A matched phrase is a unit: a shorter keyword of another
    entry lying inside it ("water" in "water tablet") does not count. A word that starts
    keywords of very many entries is only looked up in the entries found otherwise."""
    assert book.index is not None
    index = book.index
    found: list[tuple[int, int, str, float, tuple[str, ...]]] = []
    deferred: list[tuple[int, str]] = []
    for i, word in enumerate(stems):
        phrases = index.phrases.get(word, ())
        if len(phrases) > common:
            deferred.append((i, word))
            continue
        for phrase, entry_id, weight in phrases:
            if stems[i : i + len(phrase)] == phrase:
                found.append((i, i + len(phrase), entry_id, weight, phrase))
    if deferred:
        known = {f[2] for f in found} | set(shared)
        if not known:  # only very common words: the first entries that have them
            known = {e for _, w in deferred for _, e, _ in index.phrases[w]}
            known = set(sorted(known, key=index.order.__getitem__)[: book.matching.candidates])
        for i, word in deferred:
            for entry_id in known:
                for phrase, weight in index.own[entry_id].get(word, ()):
                    if stems[i : i + len(phrase)] == phrase:
                        found.append((i, i + len(phrase), entry_id, weight, phrase))
    spans: dict[tuple[int, int], set[str]] = {}
    for start, end, entry_id, _, phrase in found:
        if len(phrase) > 1:
            spans.setdefault((start, end), set()).add(entry_id)
    totals: dict[str, float] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for start, end, entry_id, weight, phrase in found:
        inside = any(
            s <= start and end <= e and (e - s) > (end - start) and owners - {entry_id}
            for (s, e), owners in spans.items()
        )
        if inside or (entry_id, phrase) in seen:
            continue
        seen.add((entry_id, phrase))
        totals[entry_id] = totals.get(entry_id, 0.0) + weight
    return totals


def score(book: FaqBook, stems: tuple[str, ...]) -> list[Score]:
    """The scores of the entries the question may concern, best first: those with a keyword
    found or a content word shared with an example (words in very many entries excepted), at
    most `candidates` of them, the most promising first; the other entries score nothing."""
    assert book.index is not None
    index = book.index
    content = content_words(stems, book.stopwords)
    m = book.matching
    common = m.common
    shared: dict[str, float] = {}
    for word in set(content.split()):
        holders = index.by_word.get(word, frozenset())
        if len(holders) > common:
            continue
        rarity = 1.0 / len(holders) if holders else 0.0
        for entry_id in holders:
            shared[entry_id] = shared.get(entry_id, 0.0) + rarity
    keywords = _keywords(book, stems, common, shared)
    for entry_id in keywords:
        shared.setdefault(entry_id, 0.0)
    ranked = sorted(shared, key=lambda e: (-keywords.get(e, 0.0) - shared[e], index.order[e]))
    scores = []
    for entry_id in sorted(ranked[: m.candidates], key=index.order.__getitem__):
        entry = book.entries[entry_id]
        similarity = 0.0
        if content:
            best = process.extractOne(content, entry.examples, scorer=fuzz.token_sort_ratio)
            similarity = best[1] if best else 0.0
        closeness = max(0.0, (similarity - m.min_similarity) / (100 - m.min_similarity))
        weight = keywords.get(entry_id, 0.0)
        scores.append(Score(entry.id, weight, similarity, weight + m.example_weight * closeness))
    scores.sort(key=lambda s: -s.total)
    return scores


def _small_talk(book: FaqBook, stems: tuple[str, ...]) -> SmallTalk | None:
    """A message made only of greetings/thanks words (hi, thanks a lot, how are you)."""
    if not stems or not set(stems) <= (book.small_talk_words | book.stopwords):
        return None
    if not set(stems) & book.small_talk_words:
        return None
    best, best_size = None, 0
    for talk in book.small_talk:
        size = max((len(p) for p in talk.phrases if _contains(stems, p)), default=0)
        if size > best_size:
            best, best_size = talk, size
    return best


def answer(knowledge: Knowledge, question: str) -> FaqAnswer:
    """Answer a free question, or say honestly that it is not known, offering close topics."""
    book: FaqBook = knowledge.faq
    stems = _correct(stems_of(question), book)
    talk = _small_talk(book, stems)
    if talk is not None:
        return FaqAnswer(None, talk.reply)
    scores = score(book, stems)
    words = set(stems)
    in_field = bool(words & book.domain)
    off_topic = bool(words & book.off_topic) and not in_field
    best = scores[0] if scores else None
    if book.model is not None:
        return _answer_with_model(knowledge, book, book.model, question, scores, in_field)
    if (
        best is not None
        and not off_topic
        and best.keywords > 0
        and best.total >= book.matching.threshold
    ):
        return answer_by_id(knowledge, best.entry_id) or FaqAnswer(None, book.texts["unknown"])
    if in_field or (best is not None and best.keywords > 0 and not off_topic):
        return FaqAnswer(None, book.texts["unknown"], _suggestions(book, scores), missed=True)
    return FaqAnswer(None, book.texts["out_of_scope"], missed=True)


def _answer_with_model(
    knowledge: Knowledge,
    book: FaqBook,
    model: FaqModel,
    question: str,
    scores: list[Score],
    in_field: bool,
) -> FaqAnswer:
    """The learned layer decides, the rules lend weight: each entry's probability, plus
    `rules_bonus` for the entry the rules find best; the highest answers when it reaches
    `answer` and the model itself gives it at least `agree`. Otherwise no entry answers."""
    ranked = model.classifier.rank(question)
    chance = dict(ranked)
    best = scores[0] if scores else None
    ruled = (
        best.entry_id
        if best is not None and best.keywords > 0 and best.total >= book.matching.threshold
        else None
    )
    support = {
        entry_id: p + (model.rules_bonus if entry_id == ruled else 0.0)
        for entry_id, p in ranked
        if entry_id in book.entries
    }
    chosen = max(support, key=lambda e: support[e], default=None)
    if (
        chosen is not None
        and support[chosen] >= model.answer
        and chance[chosen] >= model.agree
        and chance[chosen] > chance.get(OUT_OF_SCOPE, 0.0)
    ):
        found = answer_by_id(knowledge, chosen)
        if found is not None:
            return found
    label, probability = ranked[0]
    if label == OUT_OF_SCOPE and probability >= model.decline and not in_field:
        return FaqAnswer(None, book.texts["out_of_scope"], missed=True)
    close = [e for e, p in ranked if e in book.entries and p >= model.suggest]
    topics = list(dict.fromkeys([*close, *book.default_topics]))
    return FaqAnswer(
        None,
        book.texts["unknown"],
        [(i, book.entries[i].title) for i in topics[: book.matching.suggestions]],
        missed=True,
    )


def _suggestions(book: FaqBook, scores: list[Score]) -> list[tuple[str, str]]:
    """The closest topics (some keyword, or a fairly close example), then the defaults."""
    m = book.matching
    near = (100 + m.min_similarity) / 2
    close = [s.entry_id for s in scores if s.keywords > 0 or s.similarity >= near]
    for entry_id in book.default_topics:
        if entry_id not in close:
            close.append(entry_id)
    return [(i, book.entries[i].title) for i in close[: m.suggestions]]


def answer_by_id(knowledge: Knowledge, faq_id: str) -> FaqAnswer | None:
    """The answer of one entry (a pressed topic button); None for an unknown id."""
    entry = knowledge.faq.entries.get(faq_id)
    if entry is None:
        return None
    return FaqAnswer(entry.id, entry.answer)


def topics_for_causes(knowledge: Knowledge, cause_ids: list[str]) -> list[tuple[str, str]]:
    """(faq id, title) of the entries about these causes, e.g. to offer after a result."""
    wanted = set(cause_ids)
    return [(e.id, e.title) for e in knowledge.faq.entries.values() if wanted & set(e.causes)]
