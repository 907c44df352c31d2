"""Layouts: logical tables → project drafts, one reader per layout (SPEC §2).

Enters: a :class:`extract.locate.tables.LogicalTable`. Leaves: a
:class:`extract.layouts.drafts.TableDraft` (rows of projects, units and totals with their
amounts, goals and indicator drafts, still as printed text).

- :mod:`.dispatch` chooses the reader by the layout the header announced; :mod:`.rows` (one
  indicator per row), :mod:`.form` (one form per project) and the packed reader in
  :mod:`.dispatch`; :mod:`.rolecells` reads a cell by its column role.

May import: ``extract.locate``, ``extract.read`` (block types), ``extract.values`` and the
top-level foundation modules.
"""
