"""Reading pages: decoding uploads, preprocessing, Tesseract and PDF text layers.

This package knows nothing of the service: it turns a file into
:class:`ocr.types.OcrPage` objects whose word boxes are in pixels of the page as
uploaded.
"""
