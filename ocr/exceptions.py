"""Errors raised by the OCR layer. One root class; each subclass says what went wrong."""

from __future__ import annotations


class OcrError(Exception):
    """Root of every error this package raises."""


class MissingDependencyError(OcrError):
    """An external program or its data is not installed (the message says how to install it)."""


class OcrTimeoutError(OcrError):
    """Tesseract did not finish within its time limit."""


class UnsupportedInputError(OcrError):
    """The file is not of a type we accept (decided by its bytes, not its name)."""


class CorruptInputError(OcrError):
    """The file claims a supported type but cannot be decoded."""


class InputTooLargeError(OcrError):
    """Too many pixels or pages: refused before it can exhaust memory."""


class EncryptedInputError(OcrError):
    """A password-protected PDF."""
