"""Locate: blocks → logical tables and document facts.

Enters: the blocks of a read document (text lines, raw tables with their pages and boxes).
Leaves: :class:`extract.locate.tables.LogicalTable` (a table stitched across pages, its header
mapped to column roles, its layout named) and :class:`extract.locate.metadata.Metadata`
(department, year, amount unit, scope).

- :mod:`.headers` maps header cells to roles by the words of ``data/headers.toml``;
- :mod:`.tables` finds the target tables and stitches their pages; :mod:`.forms` recognises a
  per-project form by its parts; :mod:`.formgrid` reads a form's grid; :mod:`.pages` finds the
  PDF pages a table goes on to; :mod:`.metadata` reads the document's facts.

May import: ``extract.read`` (the block types), ``extract.values`` and the top-level
foundation modules.
"""
