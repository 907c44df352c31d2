"""The presentation dimensions, the variants they make, and the plan of a run.

Each family has dimensions; each dimension lists its options, the original first. A
variant changes one dimension (``single``), several (``combined``) or none (``base``), and
is written in one format. Everything random is drawn from a ``random.Random`` seeded by the
variant's name, so a name always gives the same document.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FORMATS = ("docx", "xlsx", "pdf")  # the default run
EXTRA_FORMATS = ("doc",)  # on request (--formats doc): Word 97, read by the word97 reader
_LABELS = ("base", "synonyms")
_ORDER = ("base", "shuffled")
_OPTIONAL = ("kept", "dropped")
_ORIENTATION = ("portrait", "landscape")
_VALUES = ("joined", "bracket", "unit_col", "split")
_AMOUNTS = ("line", "header", "in_cell", "thousands", "rescaled")

DIMS: dict[str, dict[str, tuple[str, ...]]] = {
    "rows": {
        "labels": _LABELS, "order": _ORDER, "optional": _OPTIONAL, "levels": ("three", "two"),
        "values": _VALUES, "amounts": _AMOUNTS,
        "pagebreak": ("none", "repeat_header", "split_repeat", "split_bare"),
        "merge": ("merged", "repeated"), "orientation": _ORIENTATION,
    },
    "packed": {
        "labels": _LABELS, "order": _ORDER, "optional": _OPTIONAL, "levels": ("codes", "plain"),
        "values": ("joined", "bracket"), "amounts": _AMOUNTS,
        "pagebreak": ("none", "repeat_header", "split_repeat", "split_bare"),
        "orientation": _ORIENTATION,
    },
    "form": {
        "labels": _LABELS, "order": _ORDER, "optional": _OPTIONAL, "levels": ("three", "two"),
        "values": _VALUES, "amounts": ("header", "line", "in_cell", "thousands", "rescaled"),
        "pagebreak": ("none", "split_repeat", "split_bare"), "merge": ("merged", "repeated"),
        "caption": ("field", "caption"), "orientation": _ORIENTATION,
    },
}  # fmt: skip
FAMILY_NAMES = tuple(DIMS)


@dataclass(frozen=True)
class Variant:
    """One presentation of a family's content in one format."""

    family: str
    fmt: str
    options: tuple[tuple[str, str], ...] = ()  # (dimension, option) that differ from base
    seed: int = 0

    def opt(self, dim: str) -> str:
        return dict(self.options).get(dim, DIMS[self.family][dim][0])

    @property
    def kind(self) -> str:
        return "base" if not self.options else "single" if len(self.options) == 1 else "combined"

    @property
    def dims_label(self) -> str:
        return "+".join(f"{d}={o}" for d, o in self.options) or "base"

    @property
    def name(self) -> str:
        return f"{self.family}.{self.dims_label}.s{self.seed}.{self.fmt}"

    def rng(self, purpose: str) -> random.Random:
        """A generator for one purpose (labels, order …): changing one dimension does not
        change the draws of another."""
        return random.Random(f"{self.family}.{self.seed}.{purpose}")


def variant(family: str, fmt: str, seed: int = 0, **options: str) -> Variant:
    """``variant("rows", "docx", levels="two")``; options in the family's dimension order."""
    dims = DIMS[family]
    for dim, opt in options.items():
        if opt not in dims[dim]:
            raise ValueError(f"{family}: {dim} has no option {opt!r} ({dims[dim]})")
    ordered = tuple((d, options[d]) for d in dims if d in options and options[d] != dims[d][0])
    return Variant(family, fmt, ordered, seed)


def singles(families: tuple[str, ...], formats: tuple[str, ...], seed: int) -> list[Variant]:
    """The originals and every option of every dimension alone, in every format."""
    out = [variant(f, fmt, seed) for f in families for fmt in formats]
    out += [variant(f, fmt, seed, **{dim: opt})
            for f in families for dim, opts in DIMS[f].items() for opt in opts[1:]
            for fmt in formats]  # fmt: skip
    return out


def combined(family: str, fmt: str, rng: random.Random, allowed: set[str] | None = None) -> Variant:
    """A variant changing each dimension with probability 1/2 (to ``allowed`` options, given
    as ``dim=option``, when given)."""
    options: dict[str, str] = {}
    for dim, opts in DIMS[family].items():
        choices = [o for o in opts[1:] if allowed is None or f"{dim}={o}" in allowed]
        if choices and rng.random() < 0.5:
            options[dim] = rng.choice(choices)
    return variant(family, fmt, rng.randrange(1, 10**6), **options)


def plan(count: int, seed: int, formats: tuple[str, ...] = FORMATS,
         families: tuple[str, ...] = FAMILY_NAMES) -> list[Variant]:  # fmt: skip
    """``count`` variants: every single-dimension variant first (a seeded sample of them when
    ``count`` is smaller), then seeded combinations."""
    rng = random.Random(seed)
    out = singles(families, formats, seed)
    if count < len(out):
        return sorted(rng.sample(out, count), key=out.index)
    seen = {v.name for v in out}
    while len(out) < count:
        v = combined(rng.choice(families), rng.choice(formats), rng)
        if v.kind == "combined" and v.name not in seen:
            seen.add(v.name)
            out.append(v)
    return out
