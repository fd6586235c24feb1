"""Common English words, from pyspellchecker's word-frequency list (shipped in its wheel, read
offline). Typo repair must leave a real word alone: "waiting" is no slip of "wasting", nor
"tiered" of "tired" once it is common enough to be meant."""

from __future__ import annotations

import gzip
import json
from importlib.resources import files

_PACKAGE = "spellchecker"
_RESOURCE = "resources/en.json.gz"


def common_words(min_count: int) -> frozenset[str]:
    """The English words seen at least `min_count` times in the list's corpus (lowercase,
    letters only)."""
    data = files(_PACKAGE).joinpath(_RESOURCE).read_bytes()
    counts: dict[str, int] = json.loads(gzip.decompress(data))
    return frozenset(w for w, n in counts.items() if n >= min_count and w.isalpha())
