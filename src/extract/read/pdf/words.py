"""A table cell's text from its glyphs: pdfplumber's ``extract_text`` with its defaults, without
its general machinery (a word extractor, a text map of one tuple per character), for upright
text. Cell text is a fifth of a dense table page's time in pdfplumber's version.

The steps are pdfplumber's (``WordExtractor.iter_extract_tuples``, then ``extract_text``):
glyphs clustered into lines by their top (3 pt: a glyph joins the line when its top is within
3 pt of the previous top in sorted order), each line ordered by ``x0``; a word ends at a blank
glyph (dropped), where the next glyph starts left of the previous one's start or more than 3 pt
after its end, or its top moves by more than 3 pt; the words are clustered into lines again by
their top and joined with a space, the lines with a newline. Anything else (rotated glyphs,
ligatures pdfplumber expands, glyphs without text) is left to pdfplumber itself.
tests/test_pdfwords.py holds the two to the same text, on generated glyphs and real cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES, extract_text

__all__ = ["cell_text"]

Char = dict[str, Any]


def cell_text(chars: list[Char]) -> str:
    """``pdfplumber.utils.extract_text(chars)``, the same text."""
    if not chars:
        return ""
    if not all(c["upright"] and c["text"] and c["text"] not in LIGATURES for c in chars):
        return extract_text(chars)
    words: list[tuple[str, float]] = []  # (text, top)
    for line in _clusters(chars, _top, DEFAULT_Y_TOLERANCE):
        words += _words(sorted(line, key=_x0))
    lines = _clusters(words, _word_top, DEFAULT_Y_TOLERANCE)
    return "\n".join(" ".join(text for text, _ in line) for line in lines)


def _words(line: list[Char]) -> list[tuple[str, float]]:
    words: list[tuple[str, float]] = []
    word: list[Char] = []
    for char in line:
        if char["text"].isspace():
            _flush(word, words)
            word = []
        elif word and _begins_word(word[-1], char):
            _flush(word, words)
            word = [char]
        else:
            word.append(char)
    _flush(word, words)
    return words


def _begins_word(prev: Char, curr: Char) -> bool:
    return bool(
        curr["x0"] < prev["x0"]
        or curr["x0"] > prev["x1"] + DEFAULT_X_TOLERANCE
        or abs(curr["top"] - prev["top"]) > DEFAULT_Y_TOLERANCE
    )


def _flush(word: list[Char], words: list[tuple[str, float]]) -> None:
    if word:
        words.append(("".join(c["text"] for c in word), min(c["top"] for c in word)))


def _clusters(items: list[Any], key: Callable[[Any], float], tolerance: float) -> list[list[Any]]:
    """pdfplumber's ``cluster_objects``: values chained within ``tolerance`` in sorted order
    form a cluster; the items in cluster order, each cluster in the items' order."""
    if not items:
        return []
    values = sorted(set(map(key, items)))
    index: dict[float, int] = {}
    cluster, last = 0, values[0]
    for value in values:
        if value > last + tolerance:
            cluster += 1
        index[value] = cluster
        last = value
    ordered = sorted(items, key=lambda item: index[key(item)])
    return [list(group) for _, group in itertools.groupby(ordered, key=lambda i: index[key(i)])]


def _top(char: Char) -> float:
    return float(char["top"])


def _x0(char: Char) -> float:
    return float(char["x0"])


def _word_top(word: tuple[str, float]) -> float:
    return word[1]
