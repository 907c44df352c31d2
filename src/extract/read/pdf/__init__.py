"""The PDF reader's internals: a PDF → text lines and raw tables of its table pages.

Enters: a file path and the settings. Leaves: an :class:`extract.read.base.ExtractedDocument`.

- :mod:`.reader` scans every page's text layer (pypdfium2), picks the table pages and reads
  them, in page workers when it pays; :mod:`.readers` holds the two table readers;
- :mod:`.fast` (with :mod:`.fonts`, :mod:`.paths`, :mod:`.pages`, :mod:`.clip`) rebuilds
  pdfplumber's page objects from pypdfium2, :mod:`.page`, :mod:`.grid` and :mod:`.words`
  turn a page's objects into cells (docs/pdf.md tells the whole story).

May import: ``extract.read.base``, ``extract.values`` and the top-level foundation modules;
the next-page rules of the locate stage come in as a parameter, never as an import.
"""
