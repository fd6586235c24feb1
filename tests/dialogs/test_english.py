"""Common English words (dialogs/english.py), read offline from pyspellchecker's list."""

from __future__ import annotations

from dialogs.english import common_words


def test_common_words_are_lowercase_letters_and_leave_out_rare_ones() -> None:
    common = common_words(1000)
    assert {"waiting", "wasting", "chest", "neck"} <= common
    assert not {"wasitng", "nexk", "don't"} & common
    assert all(w.isalpha() and w == w.lower() for w in list(common)[:2000])
    assert len(common_words(100_000)) < len(common) < len(common_words(10))
