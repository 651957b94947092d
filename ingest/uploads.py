"""Receiving uploaded files: streamed to disk with a size limit, hashed, checked by their bytes.

No OCR here: only what must be decided before an upload is acknowledged (is it a
file we accept, can it be decoded, how big is it). The type is decided by magic
bytes against the allowlist in :mod:`ocr.decode`, never by the name or the header.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import re
import tempfile
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ocr.decode import SUPPORTED, sniff_media_type

log = logging.getLogger(__name__)

MB = 1024 * 1024
IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "TIFF", "WEBP", "HEIF"})
MAX_PART_HEADER = 16 * 1024
"""Bytes of one multipart header (name and value)."""
MAX_FORM_FIELDS = 50
"""Non-file parts of one upload request (they are ignored, but held while parsing)."""


class UploadRejected(Exception):
    """A file (or the request) cannot be accepted; carries the HTTP answer."""

    def __init__(
        self, status_code: int, code: str, detail: str, message_vi: str, filename: str | None = None
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.code = code
        self.detail = detail
        self.message_vi = message_vi
        self.filename = filename

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "detail": self.detail,
            "code": self.code,
            "message_vi": self.message_vi,
        }
        if self.filename is not None:
            out["filename"] = self.filename
        return out


def too_large(limit: int, filename: str | None = None) -> UploadRejected:
    mb = limit / MB
    shown = f"{mb:g} MB" if mb >= 1 else f"{limit} bytes"
    return UploadRejected(
        413,
        "file_too_large",
        f"file is larger than the limit of {shown}",
        f"Tệp quá lớn (tối đa {shown})",
        filename,
    )


@dataclass(slots=True)
class ReceivedFile:
    """One uploaded file, on local disk, with its hash; removed by :meth:`cleanup`."""

    path: Path
    filename: str | None
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    media_type: str | None = None
    page_count: int | None = None
    quality: dict[str, Any] | None = None
    _hasher: Any = field(default_factory=hashlib.sha256, repr=False)
    _fh: IO[bytes] | None = field(default=None, repr=False)

    def cleanup(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.path.unlink(missing_ok=True)


class StreamingReceiver:
    """Writes multipart file parts to temporary files as they arrive, enforcing the limit.

    Fed by :class:`python_multipart.MultipartParser` callbacks; the API feeds the
    parser from ``request.stream()``, so an oversize file is refused while it is
    still arriving and never held whole in memory.
    """

    def __init__(self, *, tmp_dir: Path, max_bytes: int, max_files: int) -> None:
        self.tmp_dir = tmp_dir
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files: list[ReceivedFile] = []
        self.fields: dict[str, str] = {}
        self._current: ReceivedFile | None = None
        self._field_name: str | None = None
        self._field_value = bytearray()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""

    # python-multipart callbacks ------------------------------------------------------

    def on_part_begin(self) -> None:
        self._current = None
        self._field_name = None
        self._field_value.clear()
        self._disposition = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]
        self._check_header()

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        self._check_header()

    def _check_header(self) -> None:
        # A part's headers arrive without a length; bound them (the body may be chunked).
        if len(self._header_name) + len(self._header_value) > MAX_PART_HEADER:
            raise UploadRejected(
                400,
                "bad_multipart",
                f"a multipart header is longer than {MAX_PART_HEADER} bytes",
                "Dữ liệu gửi lên bị lỗi, hãy thử lại",
            )

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if len(self.files) >= self.max_files:
                raise UploadRejected(
                    413,
                    "too_many_files",
                    f"at most {self.max_files} files per request",
                    f"Mỗi lần gửi tối đa {self.max_files} tệp",
                )
            filename = _clean_filename(options[b"filename"].decode("utf-8", "replace"))
            fh = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in on_part_end/cleanup
                dir=self.tmp_dir, prefix="upload-", delete=False
            )
            rf = ReceivedFile(path=Path(fh.name), filename=filename)
            rf._fh = fh
            self.files.append(rf)
            self._current = rf
        else:
            if len(self.fields) >= MAX_FORM_FIELDS:
                raise UploadRejected(
                    413,
                    "too_many_fields",
                    f"at most {MAX_FORM_FIELDS} form fields per request",
                    "Dữ liệu gửi lên có quá nhiều trường",
                )
            self._field_name = name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        rf = self._current
        if rf is None:
            if len(self._field_value) + len(chunk) > 64 * 1024:
                raise UploadRejected(
                    413, "field_too_large", "form field too large", "Trường dữ liệu quá lớn"
                )
            self._field_value.extend(chunk)
            return
        if rf.size + len(chunk) > self.max_bytes:
            raise too_large(self.max_bytes, rf.filename)
        if len(rf.head) < 64:
            rf.head += chunk[: 64 - len(rf.head)]
        rf.size += len(chunk)
        rf._hasher.update(chunk)
        assert rf._fh is not None
        rf._fh.write(chunk)

    def on_part_end(self) -> None:
        rf = self._current
        if rf is not None:
            assert rf._fh is not None
            rf._fh.flush()
            rf._fh.close()
            rf._fh = None
            rf.sha256 = rf._hasher.hexdigest()
        elif self._field_name:
            self.fields[self._field_name] = self._field_value.decode("utf-8", "replace")
        self._current = None

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def cleanup(self) -> None:
        for rf in self.files:
            rf.cleanup()


def _clean_filename(name: str) -> str | None:
    """Display name only: last path component, no control characters, bounded length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or None


# Inspection --------------------------------------------------------------------------


MIN_RASTER_DPI = 150
"""A PDF page so large that, within the pixel limit, it would be read at a lower
resolution than this is refused: its text would be too small to read (a 20 000 pt
page would be rendered at 28 dpi after costing over a gigabyte and half a minute)."""


def check_path(
    path: Path,
    *,
    filename: str | None,
    max_pixels: int,
    max_pages: int,
    dpi: int = 300,
) -> ReceivedFile:
    """:func:`inspect_file` for a file already on disk (the worker, ``motcua extract``):
    type, page count, pixel and page-size limits from the headers, no trial decode
    (the reader decodes next and reports its own errors).

    The returned record points at ``path``; never call its ``cleanup`` (it deletes).
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(64)
    rf = ReceivedFile(path=path, filename=filename, size=size, head=head)
    inspect_file(rf, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi, decode=False)
    return rf


def inspect_file(
    rf: ReceivedFile, *, max_pixels: int, max_pages: int, dpi: int = 300, decode: bool = True
) -> None:
    """Decide the media type and check the file decodes; raise :class:`UploadRejected`.

    Cheap checks only: header and pixel count before any decoding (decompression
    bombs), then a reduced-size decode of the first image or a page count of a PDF.
    """
    name = rf.filename
    if rf.size == 0:
        raise UploadRejected(
            422, "empty_file", "the file is empty", "Tệp rỗng, không có nội dung", name
        )
    media_type = sniff_media_type(rf.head)
    if media_type is None:
        raise UploadRejected(
            415,
            "unsupported_type",
            f"not a {SUPPORTED} file (the type is decided by the file's content)",
            f"Định dạng tệp không được hỗ trợ (chỉ nhận {SUPPORTED.replace(' or ', ', ')})",
            name,
        )
    rf.media_type = media_type
    if media_type == "application/pdf":
        rf.page_count = _check_pdf(
            rf.path, max_pages=max_pages, max_pixels=max_pixels, dpi=dpi, name=name
        )
    else:
        rf.page_count = _check_image(
            rf.path, max_pixels=max_pixels, max_pages=max_pages, name=name, decode=decode
        )


def _undecodable(name: str | None, what: str) -> UploadRejected:
    return UploadRejected(
        422,
        "undecodable",
        f"the file cannot be decoded: {what}",
        "Tệp bị hỏng hoặc không đọc được, hãy gửi lại",
        name,
    )


def _check_image(
    path: Path, *, max_pixels: int, max_pages: int, name: str | None, decode: bool = True
) -> int:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Our own limit (below) is lower than Pillow's warning threshold.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.format not in IMAGE_FORMATS:
                    raise _undecodable(name, f"content is {im.format}, not the type it claims")
                w, h = im.size
                if w <= 0 or h <= 0:
                    raise _undecodable(name, "image has no pixels")
                if w * h > max_pixels:
                    raise UploadRejected(
                        422,
                        "image_too_large",
                        f"image is {w}x{h} pixels, more than the limit of {max_pixels:,}",
                        "Ảnh có kích thước quá lớn, hãy chụp với độ phân giải thấp hơn",
                        name,
                    )
                if im.format == "TIFF":
                    frames = _tiff_frames(im, max_pixels=max_pixels, max_pages=max_pages, name=name)
                else:
                    frames = getattr(im, "n_frames", 1) if im.format == "PNG" else 1
                if frames > max_pages:
                    raise UploadRejected(
                        422,
                        "too_many_pages",
                        f"{frames} pages, more than the limit of {max_pages}",
                        f"Tệp có quá nhiều trang (tối đa {max_pages})",
                        name,
                    )
                if decode:
                    if im.format == "JPEG":
                        im.draft("RGB", (max(1, w // 8), max(1, h // 8)))
                    im.load()
                return int(frames)
    except UploadRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRejected(
            422,
            "image_too_large",
            f"image has far more pixels than the limit of {max_pixels:,} ({exc})",
            "Ảnh có kích thước quá lớn, hãy chụp với độ phân giải thấp hơn",
            name,
        ) from exc
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise _undecodable(name, str(exc) or type(exc).__name__) from exc


def _tiff_frames(im: Any, *, max_pixels: int, max_pages: int, name: str | None) -> int:
    """Pages of a TIFF, walked one by one up to the limit, each page's size checked.

    Pillow's ``n_frames`` walks every page first: 20 000 one-pixel pages took 8 s.
    """
    count = 1
    while count <= max_pages:
        try:
            im.seek(count)
        except EOFError:
            break
        count += 1
        w, h = im.size
        if w * h > max_pixels:
            raise UploadRejected(
                422,
                "image_too_large",
                f"page {count} is {w}x{h} pixels, more than the limit of {max_pixels:,}",
                "Ảnh có kích thước quá lớn, hãy chụp với độ phân giải thấp hơn",
                name,
            )
    if count > max_pages:
        raise UploadRejected(
            422,
            "too_many_pages",
            f"more than {max_pages} pages (the limit)",
            f"Tệp có quá nhiều trang (tối đa {max_pages})",
            name,
        )
    im.seek(0)
    return count


def _check_pdf(path: Path, *, max_pages: int, max_pixels: int, dpi: int, name: str | None) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise UploadRejected(
                422,
                "encrypted_pdf",
                "the PDF is password-protected",
                "Tệp PDF có mật khẩu, hãy gửi bản không khóa",
                name,
            ) from exc
        raise _undecodable(name, msg) from exc
    try:
        pages = len(pdf)
        if pages == 0:
            raise _undecodable(name, "the PDF has no pages")
        if pages > max_pages:
            raise UploadRejected(
                422,
                "too_many_pages",
                f"{pages} pages, more than the limit of {max_pages}",
                f"Tệp có quá nhiều trang (tối đa {max_pages})",
                name,
            )
        for i in range(pages):
            try:
                w_pt, h_pt = pdf.get_page_size(i)
            except pdfium.PdfiumError as exc:
                raise _undecodable(name, f"page {i + 1}: {exc}") from exc
            _check_page_size(i + 1, w_pt, h_pt, max_pixels=max_pixels, dpi=dpi, name=name)
    finally:
        pdf.close()
    _check_pdf_streams(path, name=name)
    return pages


MAX_PDF_STREAM = 100 * MB
"""Inflated size of one compressed non-image stream (page content, fonts, object streams).
The renderer and the text-layer reader each hold a content stream whole, about twice
over: a 512 MB stream (0.5 MB in the file) cost over 1 GB."""
MAX_PDF_INFLATED = 400 * MB
"""All such streams together (bounds the time this check takes, too)."""
_STREAM = re.compile(rb">>\s*stream\r?\n")


def _check_pdf_streams(path: Path, *, name: str | None) -> None:
    """Refuse a PDF whose Flate streams inflate to absurd sizes (compression bombs).

    Images are left to the renderer (it decodes them downsampled, in bounded memory).
    Counting inflates in chunks and keeps nothing, so the check itself stays small.
    """
    total = 0
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _STREAM.finditer(data):  # type: ignore[call-overload]
            start = match.start()
            obj = data.rfind(b"obj", max(0, start - 4096), start)
            head = bytes(data[obj if obj >= 0 else max(0, start - 4096) : start])
            if b"FlateDecode" not in head or re.search(rb"/Subtype\s*/Image", head):
                continue
            size = _inflated_size(data, match.end(), MAX_PDF_STREAM + 1)
            total += size
            if size > MAX_PDF_STREAM or total > MAX_PDF_INFLATED:
                what = "one stream" if size > MAX_PDF_STREAM else "its streams together"
                limit = MAX_PDF_STREAM if size > MAX_PDF_STREAM else MAX_PDF_INFLATED
                raise UploadRejected(
                    422,
                    "pdf_too_large_inside",
                    f"the PDF expands to more than {limit // MB} MB ({what}): "
                    "a compression bomb or a drawing too complex to read",
                    "Tệp PDF có nội dung quá lớn, không đọc được",
                    name,
                )


def _inflated_size(data: mmap.mmap, offset: int, limit: int) -> int:
    """Bytes the zlib stream at ``offset`` inflates to, counting at most ``limit``."""
    d = zlib.decompressobj()
    size = 0
    pos = offset
    chunk = 64 * 1024
    try:
        while size < limit and not d.eof and pos < len(data):
            buf = data[pos : pos + chunk]
            pos += len(buf)
            out = d.decompress(buf, 1 << 20)
            size += len(out)
            while d.unconsumed_tail and size < limit:
                out = d.decompress(d.unconsumed_tail, 1 << 20)
                size += len(out)
    except zlib.error:
        pass  # a broken stream: the reader reports it (or renders what it can)
    return size


def _check_page_size(
    number: int, w_pt: float, h_pt: float, *, max_pixels: int, dpi: int, name: str | None
) -> None:
    if not (w_pt > 0 and h_pt > 0):
        raise _undecodable(name, f"page {number} has no size")
    # Read at ``dpi`` unless that exceeds the pixel limit; then at the dpi that fits.
    fit_dpi = 72.0 * (max_pixels / (w_pt * h_pt)) ** 0.5
    if min(float(dpi), fit_dpi) >= min(MIN_RASTER_DPI, dpi):
        return
    w_mm, h_mm = round(w_pt / 72 * 25.4), round(h_pt / 72 * 25.4)
    w_px, h_px = round(w_pt / 72 * dpi), round(h_pt / 72 * dpi)
    raise UploadRejected(
        422,
        "page_too_large",
        f"page {number} is {w_mm} x {h_mm} mm: at {dpi} dpi that is {w_px} x {h_px} pixels, "
        f"more than the limit of {max_pixels:,} (it could only be read at {fit_dpi:.0f} dpi)",
        f"Trang {number} có khổ giấy quá lớn ({w_mm} x {h_mm} mm), không đọc được",
        name,
    )


def assess_quality(rf: ReceivedFile) -> dict[str, Any] | None:
    """The fast quality check for the person who took the photo (advisory, never fatal)."""
    from ocr.quality import assess_file

    try:
        return assess_file(rf.path, media_type=rf.media_type or "").to_json()
    except Exception:  # noqa: BLE001 - quality is advice; an upload never fails on it
        log.warning("quality check failed for an upload", exc_info=True)
        return None
