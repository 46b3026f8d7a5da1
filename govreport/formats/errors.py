"""The errors of reading files: a file govreport cannot read, or a reader
whose optional dependencies are not installed. Both are
:class:`~govreport.GovReportError` subclasses and pickle like it."""

from __future__ import annotations

from typing import Any

from ..errors import GovReportError

__all__ = ["UnsupportedFormatError", "NoTextLayerError", "DecodingError", "MissingExtraError"]


class _FileError(GovReportError):
    """An error about a file of one format; ``format`` names it, and is kept
    when the error is pickled."""

    def __init__(
        self,
        message: str,
        *,
        format: str | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        super().__init__(message, line=line, column=column, excerpt=excerpt)
        self.format = format

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "format": self.format}


class UnsupportedFormatError(_FileError):
    """The file is not one govreport can read: a legacy ``.doc``, an
    encrypted, damaged or truncated file, an image, text in an encoding that
    cannot be told. ``format`` names what the file was taken for (``"pdf"``,
    ``"docx"``, ``"doc"``, ``"text"``, …)."""


class NoTextLayerError(UnsupportedFormatError):
    """A PDF with no text layer (a scan): OCR is needed before it can be read."""


class DecodingError(UnsupportedFormatError):
    """Bytes of a text file or HTML page that its encoding cannot decode,
    with ``encoding_errors="strict"`` (the default). ``encoding`` names the
    encoding, ``offset`` the byte offset of the first such bytes in the file
    (``line`` and ``column`` where they fall in the text), ``path`` the file
    when it is known; the message says all of them."""

    def __init__(
        self,
        message: str,
        *,
        format: str | None = None,
        encoding: str | None = None,
        offset: int | None = None,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        super().__init__(message, format=format, line=line, column=column, excerpt=excerpt)
        self.encoding = encoding
        self.offset = offset
        self.path = path

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "encoding": self.encoding, "offset": self.offset, "path": self.path}


class MissingExtraError(_FileError):
    """Reading this format needs an optional dependency that is not
    installed. ``extra`` (the same as ``format``) names the extra
    (``"html"``, ``"docx"``, ``"pdf"``); the message, the command that
    installs it."""

    @property
    def extra(self) -> str | None:
        """The extra to install (``"html"``, ``"docx"``, ``"pdf"``)."""
        return self.format


def missing_extra(extra: str, what: str, error: ImportError) -> MissingExtraError:
    """The error for a reader whose dependencies failed to import."""
    return MissingExtraError(
        f"reading {what} needs the optional dependencies of govreport[{extra}] "
        f"({error.name or error}): install them with pip install 'govreport[{extra}]'",
        format=extra,
    )
