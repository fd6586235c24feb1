"""Text mechanics for understanding answers: normalising, tokens, typo repair, phrases, negation.

Nothing here knows the domain: the words come from knowledge.yaml (`language`, `questions`,
`red_flags`) and are compiled once at load into a `Lexicon` (the known words, for typo
repair) and `PhraseSet`s (phrases -> values, indexed by their first word).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

BOUNDARY = ","  # the token that separates clauses
GAP = "*"  # in a phrase: up to `MAX_GAP` words of anything (inside one clause)
MAX_GAP = 3
MAX_TEXT = 2000  # a message longer than this is read only up to here (the reply says so)

_TOKEN = re.compile(r"\d+(?:[.:]\d+)?|[^\W\d_]+|[,;.!?()\[\]\n]|[-/~+]")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])[-‐‑–—](?=[^\W\d_])")
_DASHES = re.compile(r"[‐‑‒–—−]")
_APOSTROPHES = re.compile(r"['’‘`´]")
_PUNCT_BOUNDARY = frozenset(",;.!?()[]\n")


def folded(text: str) -> str:
    """The text folded for matching: lower-case, NFKC, no control characters, no apostrophes
    ("don't" -> "dont"), hyphens between words as spaces; at most `MAX_TEXT` characters."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).casefold()
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _APOSTROPHES.sub("", text)
    text = _WORD_HYPHEN.sub(" ", text)  # "pre-workout" -> "pre workout"
    return _DASHES.sub("-", text)  # "6–7" -> "6-7"


def tokenize(text: str, boundary_words: frozenset[str] = frozenset()) -> list[str]:
    """Words, numbers ("6.5", "6:30") and a few symbols; punctuation and the given words
    ("but", "though") become `BOUNDARY`; runs of boundaries collapse into one."""
    return tokenize_marked(text, boundary_words)[0]


def tokenize_marked(
    text: str,
    boundary_words: frozenset[str] = frozenset(),
    spellings: dict[str, str] | None = None,
) -> tuple[list[str], list[bool]]:
    """`tokenize`, with short spellings replaced first ("ovr" -> "over") and, per token,
    whether it is a soft boundary: only a comma, which may continue a list."""
    out: list[str] = []
    soft: list[bool] = []
    for token in _TOKEN.findall(folded(text)):
        if spellings:
            token = spellings.get(token, token)
        if token in _PUNCT_BOUNDARY or token in boundary_words:
            if out and out[-1] == BOUNDARY:
                soft[-1] = soft[-1] and token == ","
            else:
                out.append(BOUNDARY)
                soft.append(token == ",")
            continue
        out.append(token)
        soft.append(False)
    while out and out[-1] == BOUNDARY:
        out.pop()
        soft.pop()
    if out and out[0] == BOUNDARY:
        out.pop(0)
        soft.pop(0)
    return out, soft


@dataclass(slots=True)
class Lexicon:
    """Every word the knowledge base uses. Unknown words are repaired towards them: a plural
    ("calfs" -> "calf") or a typo within a small edit distance ("cofees" -> "coffees")."""

    words: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)  # real words that must never be "repaired"
    # common English words: never repaired into another word, only stemmed ("wants" -> "want",
    # "exercised" -> "exercise")
    english: frozenset[str] = frozenset()
    min_length: int = 4
    long_from: int = 8  # from this length two edits are allowed, below it one
    _by_initial: dict[str, list[str]] = field(default_factory=dict)

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            if word in self.words or not word.isalpha():
                self.words.add(word)
                continue
            self.words.add(word)
            self._by_initial.setdefault(word[0], []).append(word)

    def known(self, token: str) -> bool:
        return token in self.words or token in self.keep

    def real(self, token: str) -> bool:
        """A word of ours or a common English word: never a typo of another."""
        return self.known(token) or token in self.english

    def repair(self, token: str) -> str:
        if len(token) < self.min_length or not token.isalpha() or self.known(token):
            return token
        if token.endswith("z") and token[:-1] + "s" in self.words:  # "dayz", "cupz"
            return token[:-1] + "s"
        for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
            stem = token[: -len(suffix)] + replacement
            if token.endswith(suffix) and len(stem) >= 3 and stem in self.words:
                return stem
        english = token in self.english  # a real word: only its own stem ("exercised")
        choices = self._by_initial.get(token[0])
        if not choices:
            return token
        limit = 2 if len(token) >= self.long_from else 1
        for word, _, _ in process.extract(
            token, choices, scorer=OSA.distance, score_cutoff=limit, limit=8
        ):
            if english and not (token.startswith(word) or word.startswith(token)):
                continue  # "waiting" is no slip of "wasting"; "tackle" may be "tackled"
            if len(word) >= self.min_length and self._is_typo(token, word):
                return word
        return token

    def _is_typo(self, token: str, word: str) -> bool:
        """A slip, not another real word: four letters only swap ("fiev"); short words lose,
        gain or swap a letter ("cofees"), never into a word under five letters; long words may
        have a letter replaced ("diabetis", "vyvance"), longer ones two letters missing or extra."""
        edits = OSA.distance(token, word)
        swapped = edits == 1 and sorted(token) == sorted(word)
        if len(token) <= self.min_length:
            return swapped
        if len(word) <= self.min_length:
            return False
        if len(token) < self.long_from:
            return swapped or Indel.distance(token, word) == 1 or _sound_alike(token, word)
        return edits == 1 or (len(token) >= self.long_from + 2 and Indel.distance(token, word) <= 2)


# Letters people swap by sound ("eyelit", "weaks", "cramb"): one such swap in a word of five
# letters or more is a slip; any other single replacement may be another real word.
_SOUND_ALIKE = frozenset(
    frozenset(pair)
    for pair in ("dt", "sz", "ck", "cs", "iy", "ei", "ae", "bp", "fv", "gj", "ou", "kq")
)


def _sound_alike(token: str, word: str) -> bool:
    if len(token) != len(word) or len(token) < 5:
        return False
    diffs = [(a, b) for a, b in zip(token, word, strict=True) if a != b]
    return len(diffs) == 1 and frozenset(diffs[0]) in _SOUND_ALIKE


@dataclass(frozen=True, slots=True)
class Negation:
    """How negation is read: a negator ("no", "dont", "never") negates what follows within
    `window` words of the same clause; a post-negator ("fine", "normal") negates what it
    follows closely ("breathing is fine")."""

    negators: frozenset[str]
    post: frozenset[str]
    window: int = 4
    post_window: int = 2
    lists: frozenset[str] = frozenset()  # "or", "nor": a denied list goes on ("no tea or cola")


@dataclass(slots=True)
class Reading:
    """One message, tokenised and repaired, with the negation scope of every token."""

    tokens: list[str]
    negated: list[bool]  # the token is inside a negator's scope (from the left)
    negation: Negation
    now: datetime | None = None  # when it was said (for "since january"), if known

    @classmethod
    def of(
        cls,
        tokens: list[str],
        negation: Negation,
        now: datetime | None = None,
        soft: list[bool] | None = None,
    ) -> Reading:
        """Negation scope: a negator covers the next `window` words of its clause; a list
        word ("or") renews it, and so does a comma that starts the rest of a list
        ("no coffee, tea or cola": a list word follows within a few words)."""
        negated = [False] * len(tokens)
        left = 0  # words left in the current negator's scope
        for i, token in enumerate(tokens):
            negated[i] = left > 0 and token != BOUNDARY
            if token == BOUNDARY:
                listed = left > 0 and soft is not None and soft[i]
                left = negation.window if listed and _list_goes_on(tokens, i, negation) else 0
            elif token in negation.negators or (
                (left or (i and negated[i - 1])) and token in negation.lists
            ):  # "i dont have a sore throat or a cold": the scope ran out on the list
                left = negation.window
            elif left:
                left -= 1
        return cls(tokens, negated, negation, now)

    def after(self, start: int) -> Reading:
        """The reading from token `start` on."""
        return Reading(self.tokens[start:], self.negated[start:], self.negation, self.now)

    def is_negated(self, start: int, end: int) -> bool:
        if self.negated[start]:
            return True
        for token in self.tokens[end : end + self.negation.post_window + 1]:
            if token == BOUNDARY:
                return False
            if token in self.negation.post:
                return True
        return False

    def clauses(self, splitters: frozenset[str], keep_after: frozenset[str]) -> list[range]:
        """Index ranges of the clauses: split at boundaries and at `splitters` ("and"),
        except when the next word is in `keep_after` ("six and a half")."""
        out: list[range] = []
        start = 0
        for i, token in enumerate(self.tokens):
            split = token == BOUNDARY or (
                token in splitters
                and not (i + 1 < len(self.tokens) and self.tokens[i + 1] in keep_after)
            )
            if split:
                if i > start:
                    out.append(range(start, i))
                start = i + 1
        if len(self.tokens) > start:
            out.append(range(start, len(self.tokens)))
        return out

    def part(self, spans: Iterable[range]) -> Reading:
        """The clauses given, in order, as a reading of their own."""
        tokens: list[str] = []
        negated: list[bool] = []
        for span in spans:
            if tokens:
                tokens.append(BOUNDARY)
                negated.append(False)
            tokens.extend(self.tokens[span.start : span.stop])
            negated.extend(self.negated[span.start : span.stop])
        return Reading(tokens, negated, self.negation, self.now)

    def without(self, hits: Iterable[Hit[object]]) -> Reading:
        """The reading with the hits' words replaced by boundaries (e.g. "not sure")."""
        tokens = list(self.tokens)
        negated = list(self.negated)
        for hit in hits:
            for i in range(hit.start, hit.end):
                tokens[i] = BOUNDARY
                negated[i] = False
        return Reading(tokens, negated, self.negation, self.now)


def _list_goes_on(tokens: list[str], comma: int, negation: Negation) -> bool:
    """After a comma: a list word comes within the next few words of the same clause."""
    for token in tokens[comma + 1 : comma + 1 + negation.window]:
        if token == BOUNDARY:
            return False
        if token in negation.lists:
            return True
    return False


V = TypeVar("V")  # what a phrase stands for (a float, an answer value, a flag id...)
V_co = TypeVar("V_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Hit(Generic[V_co]):
    value: V_co
    start: int
    end: int
    negated: bool
    text: str  # the words matched


@dataclass(frozen=True, slots=True)
class _Phrase(Generic[V_co]):
    parts: tuple[frozenset[str] | None, ...]  # None: a gap
    value: V_co


def phrase_words(phrase: str) -> list[str]:
    """The words of a phrase as written in knowledge.yaml ("cant * breathe|breath")."""
    return [w for part in tokenize(phrase) for w in part.split("|") if w != GAP]


class PhraseSet(Generic[V]):
    """Phrases mapped to values, found in a `Reading`. A phrase is words, where a word may
    be alternatives ("swallow|swallowing") and `*` stands for up to three words."""

    def __init__(self, entries: Iterable[tuple[str, V]], lexicon: Lexicon) -> None:
        self._index: dict[str, list[_Phrase[V]]] = {}
        self.values: list[V] = []
        for text, value in entries:
            parts = self._compile(text)
            if not parts:
                continue
            lexicon.add(w for part in parts if part for w in part)
            phrase = _Phrase(parts, value)
            first = parts[0]
            assert first is not None
            for word in first:
                self._index.setdefault(word, []).append(phrase)
            if value not in self.values:
                self.values.append(value)

    @staticmethod
    def _compile(text: str) -> tuple[frozenset[str] | None, ...]:
        parts: list[frozenset[str] | None] = []
        for token in re.split(r"\s+", folded(text).strip()):
            if not token:
                continue
            if token == GAP:
                if parts and parts[-1] is not None:
                    parts.append(None)
                continue
            words = frozenset(w for alt in token.split("|") for w in tokenize(alt))
            if len(words) == 1 or "|" in token:
                parts.append(words)
            else:  # "pre-workout" or "8h" written as one: several words in a row
                parts.extend(frozenset([w]) for w in tokenize(token))
        while parts and parts[-1] is None:
            parts.pop()
        return tuple(parts)

    def __bool__(self) -> bool:
        return bool(self._index)

    def find(self, reading: Reading, longest: bool = True) -> list[Hit[V]]:
        """Every phrase found, in text order; with `longest`, a hit inside a longer hit
        (starting at the same place or overlapping it) is dropped."""
        tokens = reading.tokens
        hits: list[Hit[V]] = []
        for i, token in enumerate(tokens):
            for phrase in self._index.get(token, ()):
                end = _match(phrase.parts, tokens, i)
                if end is not None:
                    negated = reading.is_negated(i, end)
                    text = " ".join(t for t in tokens[i:end])
                    hits.append(Hit(phrase.value, i, end, negated, text))
        if longest and len(hits) > 1:
            hits = _drop_overlapped(hits)
        return hits

    def first(self, reading: Reading) -> Hit[V] | None:
        hits = self.find(reading)
        return hits[0] if hits else None


def _match(parts: tuple[frozenset[str] | None, ...], tokens: list[str], i: int) -> int | None:
    """The end of the phrase matched at `i`, or None (gaps are filled lazily)."""
    k = 0
    pos = i
    while k < len(parts):
        part = parts[k]
        if part is None:
            nxt = parts[k + 1]
            assert nxt is not None
            for skip in range(MAX_GAP + 1):
                j = pos + skip
                if j >= len(tokens) or (skip and tokens[j - 1] == BOUNDARY):
                    return None
                if tokens[j] in nxt:
                    end = _match(parts[k + 1 :], tokens, j)
                    if end is not None:
                        return end
            return None
        if pos >= len(tokens) or tokens[pos] not in part:
            return None
        pos += 1
        k += 1
    return pos


def _drop_overlapped(hits: list[Hit[V]]) -> list[Hit[V]]:
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), h.start))
    taken: list[Hit[V]] = []
    for hit in ordered:
        if any(hit.start < t.end and t.start < hit.end for t in taken):
            continue
        taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def positive(hits: Iterable[Hit[V]]) -> Iterator[Hit[V]]:
    return (h for h in hits if not h.negated)
