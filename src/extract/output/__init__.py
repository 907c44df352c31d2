"""Output: records → files a reader can trust.

Enters: :class:`extract.models.DocumentResult` objects, or an output folder. Leaves:
per-document Parquet files (:mod:`.writer`), the compacted dataset and ``budget.duckdb``
(:mod:`.compact`), the review report (:mod:`.report`, :mod:`.report_html`), the schema
document (:mod:`.schema_doc`). Every file is written under a temporary name and renamed
(:mod:`.atomic`): a reader never sees half a file.

May import: ``extract.values`` and the top-level foundation modules; nothing that reads
documents.
"""
