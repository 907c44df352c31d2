"""The one exception hierarchy of the library; messages name the document and the reason."""

from __future__ import annotations


class ExtractError(Exception):
    """Base class of every error this library raises on purpose."""


class UnsupportedFormatError(ExtractError, ValueError):
    """The bytes are not a format we can extract (or not the format they claim)."""


class ExtractionError(ExtractError):
    """A document of a supported format could not be read (broken, encrypted, undecodable)."""


class ConfigError(ExtractError, ValueError):
    """A settings or sources file is invalid; the message names the key."""


class FetchError(ExtractError):
    """A document could not be downloaded."""


class FolderBusyError(ExtractError):
    """Another process holds the output folder (a compaction is running there)."""


class OutputError(ExtractError):
    """The output folder cannot take what is to be written (a folder in the way)."""
