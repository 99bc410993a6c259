"""Upload safety for every app that takes files: type by content, size, random names, downloads.

A file is accepted only when its bytes say what it is (never its name or the browser's
Content-Type), and is always served back as an attachment with `nosniff` and a sandboxing CSP,
so that even a polyglot (HTML or SVG behind PDF/PNG magic bytes, the CKAN stored-XSS trick)
can never be rendered by a browser on our origin.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

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
    b"<img",
    b"<style",
    b"<link",
    b"<form",
    b"<base",
    b"<math",
    b"<frame",
    b"<applet",
    b"<xss",
    b"<x:script",
    b"<html:",
)
_SNIFF_BYTES = 64 * 1024
# Markup is looked for at both ends of binary files (where browsers and parsers look) and all
# through text files (which a browser that ignored the content type would render as a page).
_SCAN_CHUNK = 1024 * 1024
# An ODF "mimetype" member is a few dozen bytes; anything bigger is not one (or is a bomb).
_MAX_MIMETYPE_BYTES = 200

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
            if "mimetype" in names and archive.getinfo("mimetype").file_size < _MAX_MIMETYPE_BYTES:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF:
                    return _ODF[mimetype], mimetype
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
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
    if _contains_markup(upload, whole=kind[0] in {"txt", "csv"}):
        raise ValidationError(
            _("The file contains web page or script content and cannot be accepted."),
            code="markup",
        )
    return CheckedUpload(extension=kind[0], content_type=kind[1], size=size)


def _contains_markup(upload, *, whole: bool) -> bool:
    """Whether HTML/SVG/script markup appears at the start, the end or (whole) anywhere."""
    overlap = max(len(marker) for marker in _MARKUP_MARKERS)
    try:
        if whole:
            upload.seek(0)
            previous = b""
            while chunk := upload.read(_SCAN_CHUNK):
                window = (previous + chunk).lower()
                if any(marker in window for marker in _MARKUP_MARKERS):
                    return True
                previous = chunk[-overlap:]
            return False
        head = _head(upload, _SNIFF_BYTES)
        upload.seek(max(upload.size - _SNIFF_BYTES, 0))
        tail = upload.read(_SNIFF_BYTES)
        return any(marker in part.lower() for part in (head, tail) for marker in _MARKUP_MARKERS)
    finally:
        upload.seek(0)


def download_filename(original_name: str, extension: str) -> str:
    """The name a download is saved under: the person's name, the checked extension.

    Whatever the uploader called it ("report.html"), the file is saved as what its content
    is ("report.pdf"), so opening the download locally never hands it to a browser either.
    """
    stem = PurePath(original_name or "").name.rsplit(".", 1)[0]
    stem = "".join(c for c in stem if c.isalnum() or c in " -_()").strip()[:80] or "download"
    return f"{stem}.{extension}"


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
    # Set here, so django-csp leaves it alone: no scripts, no same origin, nothing loads.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
