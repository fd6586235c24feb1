"""knowledge.yaml `faq`: the entries, their keywords and examples, small talk, the classifier.

Questions and keywords are compared as simple stems (`plain_words`, `stem`); the indexes that
keep matching fast as the section grows are built here, once, at load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from dialogs.classifier import Classifier, load_or_train
from dialogs.knowledge.files import Files
from dialogs.knowledge.node import Node, require_ids
from dialogs.training import TrainingDataError, load_examples

TEXT_KEYS = ("unknown", "out_of_scope")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str  # the topic's button label
    answer: str
    keywords: tuple[tuple[tuple[str, ...], float], ...]  # (stemmed phrase, weight)
    examples: tuple[str, ...]  # normalised content words, for rapidfuzz
    causes: tuple[str, ...] = ()  # the causes this entry is about


@dataclass(frozen=True, slots=True)
class SmallTalk:
    phrases: tuple[tuple[str, ...], ...]  # stemmed
    reply: str


@dataclass(frozen=True, slots=True)
class Matching:
    threshold: float
    example_weight: float
    min_similarity: float
    typo_ratio: float
    suggestions: int
    candidates: int = 15  # at most so many entries get the (costly) example comparison
    common: int = 20  # a word in more entries than this finds no candidates: too common


@dataclass(frozen=True, slots=True)
class FaqBook:
    entries: dict[str, Entry]
    matching: Matching
    stopwords: frozenset[str]
    domain: frozenset[str]  # stems that show a question is about the bot's field
    off_topic: frozenset[str]  # stems of subjects the bot doesn't cover
    small_talk: tuple[SmallTalk, ...]
    texts: dict[str, str]
    vocabulary: tuple[str, ...]  # every known stem, for typo correction
    small_talk_words: frozenset[str]
    default_topics: tuple[str, ...] = ()  # offered when nothing is close
    index: Index | None = None
    model: FaqModel | None = None


OUT_OF_SCOPE = "out_of_scope"  # the classifier's label for questions outside the field


@dataclass(frozen=True, slots=True)
class FaqModel:
    """The learned layer: a classifier over the entry ids and `out_of_scope`."""

    classifier: Classifier
    answer: float  # an entry answers when its support (probability + bonus) reaches this
    agree: float  # ... and the model alone gives it at least this probability
    rules_bonus: float  # support added to the entry the rules find best
    suggest: float  # entries at least this likely are offered as the closest topics
    decline: float  # out_of_scope at least this likely, no field word: a polite decline


@dataclass(frozen=True, slots=True)
class Index:
    """Built once at load: which entries a question may concern, and typo candidates."""

    phrases: dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]  # first stem -> ...
    by_word: dict[str, frozenset[str]]  # an example's content word -> entry ids
    deletes: dict[str, tuple[str, ...]]  # a word with one letter dropped -> vocabulary words
    order: dict[str, int]  # entry id -> its place in the file (ties keep the file's order)
    own: dict[str, dict[str, tuple[tuple[tuple[str, ...], float], ...]]]  # entry -> first stem

    @classmethod
    def build(cls, entries: dict[str, Entry], vocabulary: tuple[str, ...]) -> Index:
        phrases: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        by_word: dict[str, set[str]] = {}
        for entry in entries.values():
            for phrase, weight in entry.keywords:
                phrases.setdefault(phrase[0], []).append((phrase, entry.id, weight))
            for example in entry.examples:
                for word in example.split():
                    by_word.setdefault(word, set()).add(entry.id)
        deletes: dict[str, list[str]] = {}
        for word in vocabulary:
            for variant in {word, *drop_one(word)}:
                deletes.setdefault(variant, []).append(word)
        return cls(
            {k: tuple(v) for k, v in phrases.items()},
            {k: frozenset(v) for k, v in by_word.items()},
            {k: tuple(v) for k, v in deletes.items()},
            {entry_id: i for i, entry_id in enumerate(entries)},
            {
                entry.id: {
                    first: tuple((p, w) for p, w in entry.keywords if p[0] == first)
                    for first in {p[0] for p, _ in entry.keywords}
                }
                for entry in entries.values()
            },
        )


def drop_one(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# --- text handling ----------------------------------------------------------------------------
def plain_words(text: str) -> list[str]:
    """The text's words: lower case, without accents, apostrophes or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHES.sub("", plain)
    return [w for w in _NON_WORD.split(plain) if w]


def stem(word: str) -> str:
    """A deliberately simple English stem: twitching/twitches/twitched -> twitch."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in plain_words(text))


# --- parsing --------------------------------------------------------------------------------
def parse_faq(node: Node, cause_ids: Collection[str], files: Files | None) -> FaqBook:
    node.only_keys(
        "matching",
        "stopwords",
        "domain",
        "off_topic",
        "texts",
        "small_talk",
        "entries",
        "default_topics",
        "classifier",
    )
    m = node.get("matching")
    m.only_keys(
        "threshold", "example_weight", "min_similarity", "typo_ratio", "suggestions",
        "candidates", "common",
    )  # fmt: skip
    matching = Matching(
        threshold=m.get("threshold").number(low=0),
        example_weight=m.get("example_weight").number(low=0),
        min_similarity=m.get("min_similarity").number(low=0, high=99),
        typo_ratio=m.get("typo_ratio").number(low=50, high=100),
        suggestions=int(m.get("suggestions").number(low=0, high=10)),
        candidates=int(m.get("candidates", 15).number(low=1, high=1000)),
        common=int(m.get("common", 20).number(low=1)),
    )
    stopwords = frozenset(stem(w) for w in node.get("stopwords").strs())
    domain = frozenset(stem(w) for w in node.get("domain").strs())
    off_topic = frozenset(stem(w) for w in node.get("off_topic", []).strs(allow_empty=True))
    texts_node = node.get("texts")
    texts = {key: child.str() for key, child in texts_node.items()}
    for key in TEXT_KEYS:
        if key not in texts:
            raise texts_node.get(key).fail("missing")
    small_talk = []
    for item in node.get("small_talk").list(allow_empty=True):
        item.only_keys("phrases", "reply")
        phrases = tuple(stems_of(p) for p in item.get("phrases").strs())
        small_talk.append(SmallTalk(phrases, item.get("reply").str()))
    entries: dict[str, Entry] = {}
    for item in node.get("entries").list():
        item.only_keys("id", "title", "answer", "keywords", "examples", "causes")
        entry_id = item.get("id").str()
        if entry_id in entries:
            raise item.get("id").fail(f"duplicate faq id {entry_id!r}")
        keywords: dict[tuple[str, ...], float] = {}  # spellings of one stem count once
        for raw in item.get("keywords").mapping():
            if not isinstance(raw, str):  # YAML reads bare on/off/yes/no as true/false
                raise item.get("keywords").fail(f"keyword {raw!r} is not text; quote it")
        for phrase, weight in item.get("keywords").items():
            stems = stems_of(phrase)
            if not stems:
                raise weight.fail("a keyword needs at least one word")
            value = weight.number(low=-10, high=10)
            keywords[stems] = max(value, keywords.get(stems, value))
        if not keywords:
            raise item.get("keywords").fail("expected at least one keyword")
        related = item.get("causes", []).list(allow_empty=True)
        require_ids(related, set(cause_ids), "cause id")
        entries[entry_id] = Entry(
            id=entry_id,
            title=item.get("title").str(),
            answer=item.get("answer").str(),
            keywords=tuple(keywords.items()),
            examples=tuple(
                content_words(stems_of(e), stopwords) for e in item.get("examples").strs()
            ),
            causes=tuple(n.str() for n in related),
        )
    vocabulary: set[str] = set(domain) | set(off_topic)
    for entry in entries.values():
        for stemmed, _ in entry.keywords:
            vocabulary.update(stemmed)
        for example in entry.examples:
            vocabulary.update(example.split())
    small_talk_words = frozenset(w for talk in small_talk for p in talk.phrases for w in p)
    vocabulary.update(small_talk_words)
    defaults = node.get("default_topics", []).list(allow_empty=True)
    require_ids(defaults, set(entries), "faq id")
    known = tuple(sorted(w for w in vocabulary if len(w) >= 4))
    model = None
    if node.has("classifier"):
        model = _parse_model(node.get("classifier"), set(entries), files)
    return FaqBook(
        entries=entries,
        matching=matching,
        stopwords=stopwords,
        domain=domain,
        off_topic=off_topic,
        small_talk=tuple(small_talk),
        texts=texts,
        vocabulary=known,
        small_talk_words=small_talk_words,
        default_topics=tuple(n.str() for n in defaults),
        index=Index.build(entries, known),
        model=model,
    )


def _parse_model(node: Node, entry_ids: set[str], files: Files | None) -> FaqModel:
    """Load the training examples the section names and the model trained on them (cached)."""
    node.only_keys("training", "answer", "agree", "rules_bonus", "suggest", "decline")
    training = node.get("training")
    if files is None:
        raise training.fail("no directory to read the training files from")
    examples = []
    for item in training.list() if isinstance(training.value, list) else [training]:
        try:
            examples += load_examples(files.find(item.str()), entry_ids | {OUT_OF_SCOPE})
        except TrainingDataError as error:
            raise item.fail(str(error)) from None
    missing = sorted(entry_ids - {e.label for e in examples})
    if missing:
        raise training.fail(f"no training examples for {', '.join(missing)}")
    classifier = load_or_train(examples, files.cache, name="faq")
    return FaqModel(
        classifier,
        answer=node.get("answer").number(low=0, high=1),
        agree=node.get("agree").number(low=0, high=1),
        rules_bonus=node.get("rules_bonus").number(low=0, high=1),
        suggest=node.get("suggest").number(low=0, high=1),
        decline=node.get("decline").number(low=0, high=1),
    )


def content_words(stems: tuple[str, ...], stopwords: frozenset[str]) -> str:
    return " ".join(w for w in stems if w not in stopwords)
