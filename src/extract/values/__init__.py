"""Values: cell text → typed values. The grammar of the printed words, with no notion of
pages, tables or documents.

Enters: a string (a cell, a label, a packed indicator cell). Leaves: numbers, operators,
units, dates, amounts in yuan, canonical indicator levels, normalised text.

- :mod:`.textnorm` normalises text (NFKC, white space, placeholders);
- :mod:`.amounts` reads amounts in their unit; :mod:`.framework` the 一级/二级 indicator levels
  (``data/framework.toml``); :mod:`.packed` splits a packed 绩效指标 cell into its items;
- :mod:`.parse` reads a target value (operator, value, unit), with :mod:`.quantities` and
  :mod:`.deadlines`.

May import: the standard library and the top-level ``extract.enums``, ``extract.errors`` and
``extract.models``; no other stage. Every stage above may import it.
"""
