"""Upload safety for every app that takes files: type by content, bounded checks, safe downloads.

A file is accepted only when its bytes say what it is (never its name or the browser's
Content-Type), and is always served back as an attachment with `nosniff`, a sandboxing CSP and
a name made from its title and checked type, so that even a polyglot (HTML or SVG behind
PDF/PNG magic bytes, the CKAN stored-XSS trick) can never be rendered by a browser on our origin.

Every check is bounded, because it runs inside a web request: an Office/OpenDocument zip is read
through its end record and central directory only (once, with limits on the number of entries,
their declared unpacked size and the time taken); markup is looked for in the whole file in
fixed-size chunks. Reading the text out of documents is heavier and happens in a background
task (resources.extraction), never here.
"""

import re
import struct
import time
import unicodedata
import uuid
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_SNIFF_BYTES = 64 * 1024

# ---------------------------------------------------------------- what we take

_OOXML = {
    b"word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    b"xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    b"ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Content type -> extension, for everything check_upload can answer (download names use it).
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "text/csv": "csv",
    "text/plain": "txt",
    **{content_type: extension for extension, content_type in _OOXML.values()},
    **_ODF,
}

# ---------------------------------------------------------------- zip limits
# Word, Excel, PowerPoint and OpenDocument files hold tens to a few thousand parts; 480,000
# empty entries (the reported attack) only serve to make the reader build a huge directory.
MAX_ZIP_ENTRIES = 10_000
# The central directory of 10,000 entries with long names; read into memory in one piece.
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
# What all members together claim to unpack to (XML compresses ~10-20x; a 50 MB spreadsheet
# stays well under this). Extraction enforces its own per-member cap as well.
MAX_ZIP_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
# A backstop: the limits above already keep the directory walk to milliseconds.
MAX_ZIP_SECONDS = 2.0
# An ODF "mimetype" member is a few dozen bytes; anything bigger is not one (or is a bomb).
_MAX_MIMETYPE_BYTES = 200

_END = struct.Struct("<4s4H2IH")
_END64 = struct.Struct("<4sQ2H2I4Q")
_LOCATOR64 = struct.Struct("<4sIQI")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_LOCAL = struct.Struct("<4s5H3I2H")
_MAX_COMMENT = 0xFFFF

# ---------------------------------------------------------------- markup
# Structural rules rather than a list of known attacks: (1) an element that runs script or
# loads active content, with or without a namespace prefix (`<svg`, `<html:script`, `<embed`…),
# or one that makes the file an HTML document (`<html`, `<meta http-equiv`, `<!doctype`…);
# (2) ANY tag carrying an event-handler attribute (`<details ontoggle=`, `<video onerror=`,
# `<x onfocus=`…); (3) a script URL (`javascript:`, also with the tabs and newlines browsers
# ignore). Tag names follow the HTML tokenizer (anything up to whitespace, "/" or ">"); every
# repetition is bounded, so the scan stays linear and no match is longer than _MARKUP_SPAN.
# They run on lower-cased bytes (cheaper than IGNORECASE); the tag pattern starts with "<",
# which lets the regex engine skip from one "<" to the next at C speed.
_ACTIVE_ELEMENTS = b"script|iframe|frame|frameset|object|embed|applet|portal|svg|math"
_DOCUMENT_ELEMENTS = b"html|head|body|meta|link|base|form|style|template"
_MARKUP_TAG = re.compile(
    rb"<(?=[a-z!?])(?:"
    rb"(?:[a-z][a-z0-9_.-]{0,30}:)?(?:" + _ACTIVE_ELEMENTS + rb")(?=[\s/>])"
    rb"|(?:" + _DOCUMENT_ELEMENTS + rb")(?=[\s/>])"
    rb"|!doctype|\?xml-stylesheet"
    rb"|[a-z][^\s/<>]{0,64}[\s/][^<>]{0,1024}?(?<=[\s/\"'])on[a-z]{3,30}\s{0,16}="
    rb")"
)
_SCRIPT_URL = re.compile(rb"(?:java|vb)script\s{0,16}:")  # on bytes without tabs and newlines
_MARKUP_SPAN = 2048  # longer than any match of the patterns: the overlap between chunks
_SCAN_CHUNK = 1024 * 1024


def markup_in(data: bytes) -> bool:
    """Whether these bytes hold markup a browser would act on (see the rules above)."""
    lowered = data.lower()
    return bool(
        _MARKUP_TAG.search(lowered) or _SCRIPT_URL.search(lowered.translate(None, b"\t\n\r"))
    )


@dataclass(frozen=True)
class CheckedUpload:
    """What an accepted file really is, and which upload object was checked."""

    extension: str
    content_type: str
    size: int
    upload: object = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return self.extension.upper()

    def is_for(self, upload) -> bool:
        """Whether this result belongs to that very upload (so it need not be checked again)."""
        return self.upload is not None and self.upload is upload


def max_upload_bytes() -> int:
    return settings.ASMHUB_MAX_UPLOAD_MB * 1024 * 1024


def _read_at(upload, offset: int, length: int) -> bytes:
    upload.seek(offset)
    return upload.read(length)


# ---------------------------------------------------------------- zip, bounded


class _Refused(Exception):
    """A zip refused for a reason worth telling the person (code, message, params)."""

    def __init__(self, code: str, message, params=None):
        super().__init__(code)
        self.error = ValidationError(message, code=code, params=params or {})


def _too_many_entries():
    return _Refused(
        "zip_entries",
        _(
            "The file is an archive of more than %(limit)s parts, far more than any Word, "
            "Excel, PowerPoint or OpenDocument file holds, so it cannot be accepted."
        ),
        {"limit": f"{MAX_ZIP_ENTRIES:,}"},
    )


def _zip_directory_location(upload, size: int) -> tuple[int, int, int]:
    """(directory start, directory size, shift) from the end record(s); raises ValueError.

    The shift is the number of bytes before the archive proper (zipfile calls it "concat"):
    every offset recorded inside the archive is off by it.
    """
    tail_length = min(size, _END.size + _MAX_COMMENT)
    tail_start = size - tail_length
    tail = _read_at(upload, tail_start, tail_length)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or position + _END.size > len(tail):
        raise ValueError("no end of central directory")
    _sig, disk, directory_disk, _here, count, directory_size, directory_offset, _comment = (
        _END.unpack_from(tail, position)
    )
    if disk or directory_disk:
        raise ValueError("multi-disk archive")
    end_offset = tail_start + position
    if count == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        # zip64: the real figures are in the zip64 end record the locator points to.
        if end_offset < _LOCATOR64.size:
            raise ValueError("zip64 locator missing")
        locator = _read_at(upload, end_offset - _LOCATOR64.size, _LOCATOR64.size)
        signature, _disk, end64_offset, _disks = _LOCATOR64.unpack(locator)
        if signature != b"PK\x06\x07" or end64_offset + _END64.size > end_offset:
            raise ValueError("zip64 locator damaged")
        record = _read_at(upload, end64_offset, _END64.size)
        signature, *_fields, count, directory_size, directory_offset = _END64.unpack(record)
        if signature != b"PK\x06\x06":
            raise ValueError("zip64 end record damaged")
        end_offset = end64_offset
    if count > MAX_ZIP_ENTRIES or directory_size > MAX_ZIP_DIRECTORY_BYTES:
        raise _too_many_entries()
    shift = end_offset - directory_size - directory_offset
    if shift < 0:
        raise ValueError("central directory overlaps the end record")
    return directory_offset + shift, directory_size, shift


def _zip_entries(upload, size: int, deadline: float) -> tuple[dict, int]:
    """({name: (method, flags, compressed, unpacked, local offset)}, the archive's shift).

    Reads the central directory once, as one bounded block, and walks it with the limits.
    """
    directory_start, directory_size, shift = _zip_directory_location(upload, size)
    directory = _read_at(upload, directory_start, directory_size)
    if len(directory) != directory_size:
        raise ValueError("central directory truncated")
    entries, position, unpacked = {}, 0, 0
    while position < len(directory):
        if len(entries) >= MAX_ZIP_ENTRIES:  # the end record may understate the count
            raise _too_many_entries()
        if len(entries) % 256 == 0 and time.monotonic() > deadline:
            raise _Refused(
                "zip_time", _("The file took too long to inspect, so it cannot be accepted.")
            )
        if position + _CENTRAL.size > len(directory):
            raise ValueError("central directory entry truncated")
        (signature, _made, _needed, flags, method, _time, _date, _crc, compressed, size_, name_len,
         extra_len, comment_len, _disk, _internal, _external, offset) = _CENTRAL.unpack_from(
            directory, position
        )  # fmt: skip
        if signature != b"PK\x01\x02":
            raise ValueError("bad central directory entry")
        name = directory[position + _CENTRAL.size : position + _CENTRAL.size + name_len]
        position += _CENTRAL.size + name_len + extra_len + comment_len
        # 0xFFFFFFFF means "see the zip64 extra field": 4 GB or more, beyond any limit here.
        unpacked += size_
        if size_ == 0xFFFFFFFF or unpacked > MAX_ZIP_UNPACKED_BYTES:
            raise _Refused(
                "zip_size",
                _(
                    "The file would unpack to more than %(limit)s GB, more than any document "
                    "needs, so it cannot be accepted."
                ),
                {"limit": MAX_ZIP_UNPACKED_BYTES // 1024**3},
            )
        entries.setdefault(name, (method, flags, compressed, size_, offset))
    return entries, shift


def _member_bytes(upload, entry: tuple, shift: int, limit: int) -> bytes | None:
    """A small member's content (stored or deflated), at most `limit` bytes; None if unreadable."""
    method, flags, compressed, size, offset = entry
    if flags & 0x1 or size > limit or compressed > limit + 64:  # encrypted, or too big
        return None
    header = _read_at(upload, offset + shift, _LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = _LOCAL.unpack(header)[-2:]
    data = _read_at(upload, offset + shift + _LOCAL.size + name_len + extra_len, compressed)
    if method == 0:
        return data[:limit]
    if method == 8:
        try:
            return zlib.decompressobj(-15).decompress(data, limit)
        except zlib.error:
            return None
    return None


def _zip_kind(upload, size: int) -> tuple[str, str] | None:
    """OOXML or ODF from the zip's directory (and its tiny "mimetype" member); bounded."""
    deadline = time.monotonic() + MAX_ZIP_SECONDS
    try:
        entries, shift = _zip_entries(upload, size, deadline)
        mimetype_entry = entries.get(b"mimetype")
        if mimetype_entry is not None:
            raw = _member_bytes(upload, mimetype_entry, shift, _MAX_MIMETYPE_BYTES)
            mimetype = (raw or b"").decode("ascii", "replace").strip()
            if mimetype in _ODF:
                return _ODF[mimetype], mimetype
        if b"[Content_Types].xml" in entries:
            for prefix, kind in _OOXML.items():
                if any(name.startswith(prefix) for name in entries):
                    return kind
    except _Refused as refused:
        raise refused.error from None
    except (ValueError, struct.error, OSError):
        return None
    finally:
        upload.seek(0)
    return None


# ---------------------------------------------------------------- type by content


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
    """(extension, content type) from the file's own bytes, or None if it is not one we take.

    Raises ValidationError for a zip that breaks the limits (the message says which).
    """
    head = _read_at(upload, 0, _SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload, upload.size)
    return _text_kind(head, getattr(upload, "name", "") or "")


def contains_markup(upload) -> bool:
    """Whether HTML/SVG/script markup appears anywhere in the file.

    Streams the whole file in fixed chunks (memory stays at a few MB whatever the size); each
    window carries the previous one's last _MARKUP_SPAN bytes, longer than any match, so markup
    cut by a chunk edge is still found.
    """
    try:
        upload.seek(0)
        carried = b""
        while chunk := upload.read(_SCAN_CHUNK):
            if markup_in(carried + chunk):
                return True
            carried = (carried + chunk)[-_MARKUP_SPAN:]
        return False
    finally:
        upload.seek(0)


def check_upload(upload) -> CheckedUpload:
    """Accept a file only if its content is an allowed type within the size limit.

    Raises ValidationError with a message a person can act on. Call it once per file and pass
    the result along (CheckedUpload.is_for tells a later step it was this very upload).
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
    # Zip-based files are compressed (their XML is Office's own markup, read by Office, never
    # a browser); every other type is something a browser could be talked into rendering.
    if kind[1] not in _ZIP_TYPES and contains_markup(upload):
        raise ValidationError(
            _("The file contains web page or script content and cannot be accepted."),
            code="markup",
        )
    return CheckedUpload(extension=kind[0], content_type=kind[1], size=size, upload=upload)


_ZIP_TYPES = frozenset({*(ct for _ext, ct in _OOXML.values()), *_ODF})

# ---------------------------------------------------------------- names and downloads

# Characters no file name should carry: path separators and what Windows forbids.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|]+')


def _clean_stem(text: str) -> str:
    # Control and format characters go first: U+202E (right-to-left override) turns
    # "fdp.exe" into what looks like "exe.pdf"; zero-width and bidi marks hide things too.
    text = "".join(
        " " if c.isspace() else c
        for c in unicodedata.normalize("NFC", text or "")
        if c.isspace() or c.isprintable()
    )
    text = _UNSAFE_IN_NAME.sub(" ", text)
    text = " ".join(text.split()).strip(" .-")
    return text[:80].rstrip(" .-")


def download_filename(title: str, extension: str) -> str:
    """The name a download is saved under: its title, then the extension of its checked type.

    Never the uploader's own file name ("minutes.hta"): opening the download locally hands it
    to the program for what its content is, nothing else.
    """
    extension = re.sub(r"[^a-z0-9]", "", (extension or "").lower()) or "bin"
    return f"{_clean_stem(title) or 'download'}.{extension}"


def extension_for(content_type: str) -> str:
    """The extension of a type check_upload answered (bin for anything else)."""
    return EXTENSIONS.get(content_type, "bin")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII-folded filename for old clients and the real one (RFC 6266)."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^\x20-\x7e]|[\"\\%]", "", folded)
    stem, _dot, extension = folded.rpartition(".")
    if not stem.strip(" ._-"):
        folded = f"download.{extension or 'bin'}"
    return f"attachment; filename=\"{folded}\"; filename*=UTF-8''{quote(filename, safe='')}"


def random_upload_name(instance, filename: str) -> str:
    """A random, unguessable storage name; the extension comes from the checked content."""
    extension = getattr(instance, "checked_extension", "") or "bin"
    return f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def download_response(*, field_file, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file so that no browser ever renders it on our origin.

    `filename` should come from download_filename (a title and the checked type's extension).
    """
    response = FileResponse(field_file.open("rb"), as_attachment=True, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, so django-csp leaves it alone: no scripts, no same origin, nothing loads.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
