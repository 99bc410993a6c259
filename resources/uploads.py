"""Upload safety for every app that takes files: type by content, size, random names, downloads.

A file is accepted only when its bytes say what it is (never its name or the browser's
Content-Type), and is always served back as an attachment with `nosniff` and a sandboxing CSP,
so that even a polyglot (HTML or SVG behind PDF/PNG magic bytes, the CKAN stored-XSS trick)
can never be rendered by a browser on our origin.
"""

import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Markup that has no business in a document we accept; a browser would render it if it
# ever got the chance, so a file carrying it near its start is refused outright.
_MARKUP_MARKERS = (
    b"<html",
    b"<!doctype",
    b"<script",
    b"<svg",
    b"<body",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<?xml-stylesheet",
)
_SNIFF_BYTES = 64 * 1024

_OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


@dataclass(frozen=True)
class CheckedUpload:
    """What an accepted file really is."""

    extension: str
    content_type: str
    size: int

    @property
    def label(self) -> str:
        return self.extension.upper()


def max_upload_bytes() -> int:
    return settings.ASMHUB_MAX_UPLOAD_MB * 1024 * 1024


def _head(upload, length: int) -> bytes:
    upload.seek(0)
    data = upload.read(length)
    upload.seek(0)
    return data


def _zip_kind(upload) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF:
                    return _ODF[mimetype], mimetype
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def _text_kind(head: bytes, name: str) -> tuple[str, str] | None:
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed block is still UTF-8.
        if error.start < len(head) - 4:
            return None
    if name.lower().endswith(".csv"):
        return "csv", "text/csv"
    return "txt", "text/plain"


def detect_kind(upload) -> tuple[str, str] | None:
    """(extension, content type) from the file's own bytes, or None if it is not one we take."""
    head = _head(upload, _SNIFF_BYTES)
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return _text_kind(head, getattr(upload, "name", "") or "")


def check_upload(upload) -> CheckedUpload:
    """Accept a file only if its content is an allowed type within the size limit.

    Raises ValidationError with a message a person can act on.
    """
    size = upload.size
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(size / 1024 / 1024, 1), "limit": settings.ASMHUB_MAX_UPLOAD_MB},
        )
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This type of file is not accepted. Upload a PDF, Word, Excel or PowerPoint "
                "file, an OpenDocument file, CSV, plain text, PNG or JPEG."
            ),
            code="type",
        )
    lowered = _head(upload, _SNIFF_BYTES).lower()
    if any(marker in lowered for marker in _MARKUP_MARKERS):
        raise ValidationError(
            _("The file contains web page or script content and cannot be accepted."),
            code="markup",
        )
    return CheckedUpload(extension=kind[0], content_type=kind[1], size=size)


def random_upload_name(instance, filename: str) -> str:
    """A random, unguessable storage name; the extension comes from the checked content."""
    extension = getattr(instance, "checked_extension", "") or "bin"
    return f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def download_response(*, field_file, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file so that no browser ever renders it on our origin."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
