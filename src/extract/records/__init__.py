"""Records: drafts → checked records (the pydantic models of :mod:`extract.models`).

Enters: what a reader read (:class:`extract.read.base.ExtractedDocument`). Leaves: a
:class:`extract.models.DocumentResult` (document, projects, indicators, issues).

- :mod:`.assemble` runs locate and layouts over a read document and gives its result;
- :mod:`.build` turns drafts into projects and indicators, :mod:`.targets` a value cell into
  a :class:`extract.models.TargetValue`; :mod:`.validate` checks amounts and levels and
  records what it finds as issues.

May import: ``extract.layouts``, ``extract.locate``, ``extract.read``, ``extract.values`` and
the top-level foundation modules.
"""
