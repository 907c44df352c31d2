"""Run: one document end to end, in this process or in worker processes.

Enters: a path (or a source name) and the settings. Leaves: a
:class:`extract.models.DocumentResult`, written by the output stage when asked.

- :mod:`.pipeline` is the entry (:func:`extract.run.pipeline.extract_document`,
  :func:`extract.run.pipeline.run_document`); :mod:`.reading` holds its two halves (read,
  then assemble); :mod:`.isolation` runs them in two workers with a time and memory limit;
  :mod:`.progress` draws the progress line; :mod:`.pdfdiff` compares the two PDF readers.

May import: every stage below it (records, layouts, locate, read, values, output) and the
top-level foundation modules; never ``extract.harvest`` or ``extract.cli``.
"""
