"""Text clean-up shared by every extractor: NFKC, wrapped-line joining, cell text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# NFKC would turn these into something else ("㎡" → "m2"); they are kept as printed.
_NFKC_KEEP = frozenset("㎡≥≤")
_NFKC_KEEP_RE = re.compile(f"([{''.join(sorted(_NFKC_KEEP))}])")
# Cell text that stands for "no value" (无, —, /, 不适用 …), in the squashed form.
PLACEHOLDERS = frozenset({"无", "空", "—", "——", "-", "--", "/", "／", "XX", "xx", "不适用", "N/A"})
_EXTRA_MAP = str.maketrans({"≧": "≥", "≦": "≤", "\u3000": " ", "\xa0": " "})

_CJK = (
    r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
# Cell texts and labels recur (header words, 一级指标 names, units): the short ones are
# normalised once per process.
SHORT, CACHED = 120, 1 << 14
_LINEBREAK_RE = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
_SPACE_RUN_RE = re.compile(r"[ \t\u3000\xa0]+")
# PDF text of justified (分散对齐) cells comes with spaces between CJK characters; a space
# next to a CJK character never carries meaning in Chinese text.
# A space after Latin punctuation ("1. 区…") was typed, not inferred: it stays.
_CJK_SPACE_RE = re.compile(
    f"(?<=[{_CJK}])[ \t\u3000\xa0]+|(?<![.,:;!?)\\]])[ \t\u3000\xa0]+(?=[{_CJK}])"
)


def nfkc(text: str) -> str:
    """NFKC-normalise ``text`` except for the characters the value grammar needs intact."""
    text = text.translate(_EXTRA_MAP)
    if unicodedata.is_normalized("NFKC", text):  # a fast check; much text already is
        return text
    # split() with a group: the kept characters sit at the odd positions (none: one part)
    parts = _NFKC_KEEP_RE.split(text)
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell: nothing between CJK, one space between Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and _needs_space(out[-1], part[0]):
            out += " "
        out += part
    return out


def clean_cell(text: str | None) -> str | None:
    """Normalise one cell: join its wrapped lines and fold runs of spaces.

    ``None`` (a position covered by a merged span) stays ``None``; an empty cell is ``""``.
    """
    if text is None:
        return None
    return _clean_short(text) if len(text) <= SHORT else _clean(text)


@lru_cache(maxsize=CACHED)
def _clean_short(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    joined = join_wrapped(_LINEBREAK_RE.split(text.replace("\u200b", "")))
    return _CJK_SPACE_RE.sub("", fold_spaces(joined))


def squash(text: str) -> str:
    """Remove all white space: the form used to compare header words and labels."""
    return _squash_short(text) if len(text) <= SHORT else "".join(nfkc(text).split())


@lru_cache(maxsize=CACHED)
def _squash_short(text: str) -> str:
    return "".join(nfkc(text).split())


def _needs_space(left: str, right: str) -> bool:
    """Only Latin words get a space: ``4,100,000.`` + ``00`` and CJK lines join with nothing."""
    if not (right.isascii() and right.isalpha()):
        return False
    return left.isascii() and (left.isalpha() or left in ",;:")


def fold_spaces(text: str) -> str:
    """Collapse runs of spaces to one and strip the ends."""
    return _SPACE_RUN_RE.sub(" ", text).strip()
