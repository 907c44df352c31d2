"""Word 97-2003 binary documents (.doc, WPS .wps), read by this package without LibreOffice:
:func:`read_word_binary` gives their paragraphs and tables (see :mod:`.reader`)."""

from extract.read.word97.reader import read_word_binary

__all__ = ["read_word_binary"]
