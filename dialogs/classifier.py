"""A small learned text classifier: labelled examples in, ranked (label, probability) out.

The model is scikit-learn's classic intent pipeline (as Rasa's): word uni- and bigrams plus
character n-grams inside words, TF-IDF weighted, and a linear SVM (one-vs-rest) whose scores are
calibrated into probabilities (Platt's sigmoid per label, fitted on cross-validated scores, then
normalised). scikit-learn is needed only to train: the trained model is exported to plain Python
data (feature -> row of weights), so using it costs no numpy import and a few hundred additions
per message. (Measured on the blind tune set against a logistic regression: as accurate, more
off-topic questions declined, and 5-10x faster to train.)

    model = train([("how much coffee is too much", "caffeine_limit"), ...])
    model.rank("is 5 espressos a lot")   # [("caffeine_limit", 0.91), ("sleep_tips", 0.02), ...]

`dialogs.training` reads labelled examples from YAML; `load_or_train` keeps a trained model in a
cache directory keyed by a hash of the examples and the settings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import lzma
import math
import operator
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

FORMAT = 2  # bump when the exported form or the features change
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")
_REPEATS = re.compile(r"(.)\1{2,}")


@dataclass(frozen=True, slots=True)
class Settings:
    """How a model is trained (part of the cache key)."""

    c: float = 1.0  # inverse regularisation strength of the linear SVM
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True
    balanced: bool = False  # weight classes inversely to their size
    folds: int = 5  # cross-validation folds for the calibration


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str


@dataclass(slots=True)
class Classifier:
    """A trained model: rank(text) -> [(label, probability)], most likely first."""

    labels: tuple[str, ...]
    features: dict[str, int]  # feature -> column
    idf: array[float]  # per column
    weights: array[float]  # columns x labels, row-major
    bias: tuple[float, ...]
    calibration: tuple[tuple[float, float], ...]  # per label: p = 1 / (1 + exp(a * score + b))
    settings: Settings = field(default_factory=Settings)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every label with its probability, most likely first (ties: the labels' order)."""
        n = len(self.labels)
        vector = self._vector(text)
        weights = self.weights
        # each feature's row of weights (one slice each), then per label a sum of products:
        # the loops run inside zip/map/sum rather than in Python bytecode
        rows = [weights[column * n : column * n + n] for column, _ in vector]
        values = [value for _, value in vector]
        if rows:
            scores = [
                bias + sum(map(operator.mul, column, values))
                for bias, column in zip(self.bias, zip(*rows, strict=True), strict=True)
            ]
        else:
            scores = list(self.bias)
        probs = [_sigmoid(-(a * s + b)) for s, (a, b) in zip(scores, self.calibration, strict=True)]
        if n == 2:  # a binary model calibrates the second label only
            probs[0] = 1.0 - probs[1]
        total = sum(probs)
        probs = [p / total for p in probs] if total > 0 else [1.0 / n] * n
        ranked = sorted(range(n), key=lambda k: -probs[k])
        return [(self.labels[k], probs[k]) for k in ranked]

    def predict(self, text: str) -> tuple[str, float]:
        """The most likely label and its probability."""
        return self.rank(text)[0]

    def _vector(self, text: str) -> list[tuple[int, float]]:
        counts: dict[int, int] = {}
        for feature in analyse(text, self.settings):
            column = self.features.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        values = [(c, (1.0 + math.log(k)) * self.idf[c]) for c, k in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in values)) or 1.0
        return [(c, v / norm) for c, v in values]

    # --- the exported form ------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return pickle.dumps(
            {
                "format": FORMAT,
                "labels": self.labels,
                "features": self.features,
                "idf": self.idf.tobytes(),
                "weights": self.weights.tobytes(),
                "bias": self.bias,
                "calibration": self.calibration,
                "settings": self.settings,
                "trained_with": _sklearn_version(),
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Classifier:
        raw = pickle.loads(data)  # our own cache file, written by to_bytes
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError("not a classifier of this version")
        idf, weights = array("d"), array("f")
        idf.frombytes(raw["idf"])
        weights.frombytes(raw["weights"])
        return cls(
            tuple(raw["labels"]), raw["features"], idf, weights, tuple(raw["bias"]),
            tuple(raw["calibration"]), raw["settings"],
        )  # fmt: skip


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation; letters said 3+ times said twice."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _REPEATS.sub(r"\1\1", _APOSTROPHES.sub("", plain))
    return [w for w in _NON_WORD.split(plain) if w]


def analyse(text: str, settings: Settings) -> list[str]:
    """The features of a text: words, word bigrams, character n-grams inside words."""
    tokens = words(text)[:200]  # a very long message is judged on its start
    out = [f"w:{w}" for w in tokens]
    if settings.word_bigrams:
        out += [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    for word in tokens:
        padded = f" {word} "
        for size in range(settings.char_min, settings.char_max + 1):
            if size > len(padded):
                break
            out += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return out


def train(examples: Sequence[Example], settings: Settings | None = None) -> Classifier:
    """Fit a model on the examples (needs scikit-learn; about a second for two thousand)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    settings = settings or Settings()
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.label] = counts.get(example.label, 0) + 1
    if len(counts) < 2:
        raise ValueError("training needs examples of at least two labels")
    vectorizer = TfidfVectorizer(
        analyzer=lambda t: analyse(t, settings), sublinear_tf=True, norm="l2"
    )
    matrix = vectorizer.fit_transform([e.text for e in examples])
    svm = LinearSVC(
        C=settings.c, class_weight="balanced" if settings.balanced else None, random_state=0
    )
    folds = max(2, min(settings.folds, min(counts.values())))
    model = CalibratedClassifierCV(svm, method="sigmoid", cv=folds, ensemble=False)
    model.fit(matrix, [e.label for e in examples])
    fitted = model.calibrated_classifiers_[0]
    labels = tuple(str(label) for label in model.classes_)
    coef, intercept = fitted.estimator.coef_, fitted.estimator.intercept_
    calibrators = [(float(c.a_), float(c.b_)) for c in fitted.calibrators]
    if len(labels) == 2:  # one score (the second label's); the first label's is its negative
        coef = [-coef[0], coef[0]]
        intercept = [-intercept[0], intercept[0]]
        calibrators = [(0.0, 0.0), calibrators[0]]
    features = {str(f): int(i) for f, i in vectorizer.vocabulary_.items()}
    columns, n = len(features), len(labels)
    weights = array("f", bytes(4 * columns * n))  # single precision: half the file
    for k in range(n):
        row = coef[k]
        for column in range(columns):
            weights[column * n + k] = float(row[column])
    return Classifier(
        labels,
        features,
        array("d", (float(x) for x in vectorizer.idf_)),
        weights,
        tuple(float(b) for b in intercept),
        tuple(calibrators),
        settings,
    )


def _sklearn_version() -> str:
    try:
        return metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def cache_key(examples: Sequence[Example], settings: Settings) -> str:
    """A hash of everything the trained model depends on: the examples, the settings and the
    exported form. (Not the scikit-learn version: the exported model is plain data that any
    version reads alike, and looking the version up would cost ~70 ms of every start-up; the
    version that trained it is recorded inside the file.)"""
    payload = json.dumps(
        [FORMAT, repr(settings), [(e.text, e.label) for e in examples]], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def shipped_path(shipped: Path, name: str, key: str) -> Path:
    """Where a prebuilt model ships with the project for the examples and settings whose
    `cache_key` is `key` (`scripts/ship_models.py` writes it; lzma-compressed)."""
    return shipped / f"{name}-{key}.pickle.xz"


def load_or_train(
    examples: Sequence[Example],
    cache_dir: Path | None,
    name: str = "model",
    settings: Settings | None = None,
    shipped: Path | None = None,
    key: str | None = None,
) -> Classifier:
    """The model for these examples: the one shipped prebuilt in `shipped` when it was built
    from exactly these examples, else the one in `cache_dir` when trained before, else trained
    now and written there (atomically, so processes starting together never read half a
    file). An unwritable or missing cache directory only means training each time. `key`:
    the examples' `cache_key` when the caller has it already."""
    settings = settings or Settings()
    key = key or cache_key(examples, settings)
    if shipped is not None:
        try:
            data = lzma.decompress(shipped_path(shipped, name, key).read_bytes())
            return Classifier.from_bytes(data)
        except (OSError, lzma.LZMAError, ValueError, EOFError, pickle.UnpicklingError, KeyError):
            pass  # not shipped for this data, or unreadable: the cache, else training
    path = cache_dir / f"{name}-{key}.pickle" if cache_dir is not None else None
    if path is not None:
        try:
            return Classifier.from_bytes(path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, KeyError, TypeError):
            pass
    model = train(examples, settings)
    if path is not None:
        _write_atomically(path, model.to_bytes())
    return model


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def cross_validate(
    examples: Sequence[Example], folds: int = 5, settings: Settings | None = None, seed: int = 0
) -> dict[str, tuple[int, int]]:
    """Stratified k-fold cross-validation: per label, (examples predicted right, examples)."""
    from sklearn.model_selection import StratifiedKFold

    labels = [e.label for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    right: dict[str, int] = dict.fromkeys(labels, 0)
    total: dict[str, int] = dict.fromkeys(labels, 0)
    for train_rows, test_rows in splitter.split(labels, labels):
        model = train([examples[i] for i in train_rows], settings)
        for i in test_rows:
            total[labels[i]] += 1
            right[labels[i]] += model.predict(examples[i].text)[0] == labels[i]
    return {label: (right[label], total[label]) for label in total}
