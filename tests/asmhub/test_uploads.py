"""Upload checks: type by content, bounded zip inspection, markup anywhere, safe download names."""

import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from asmhub import uploads
from asmhub.uploads import check_upload, content_disposition, download_filename
from tests.asmhub.zips import office_zip, write_bomb
from tests.resources.conftest import JPEG_BYTES, PNG_BYTES, docx_bytes, odt_bytes, pdf_bytes


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def _xlsx_pptx(prefix: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("r.pdf", pdf_bytes(), "pdf", "application/pdf"),
        ("r.bin", pdf_bytes(), "pdf", "application/pdf"),  # the name does not matter
        ("d.docx", docx_bytes(), "docx", None),
        ("s.xlsx", _xlsx_pptx("xl/"), "xlsx", None),
        ("p.pptx", _xlsx_pptx("ppt/"), "pptx", None),
        ("o.odt", odt_bytes(), "odt", "application/vnd.oasis.opendocument.text"),
        ("t.csv", b"country,year,tonnes\nTZ,2024,12\n", "csv", "text/csv"),
        ("t.txt", "Minería artesanal en Puno\n".encode(), "txt", "text/plain"),
        ("i.png", PNG_BYTES, "png", "image/png"),
        ("i.jpg", JPEG_BYTES, "jpg", "image/jpeg"),
    ],
)
def test_accepted_types(name, content, extension, content_type):
    checked = check_upload(_upload(name, content))
    assert checked.extension == extension
    if content_type:
        assert checked.content_type == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.7\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\x89PNG\r\n\x1a\n<html><img src=x onerror=alert(1)>",
        b"\x89PNG\r\n\x1a\n<?xml version='1.0'?><svg><script>alert(1)</script></svg>",
        b"\xff\xd8\xff\xe0<!DOCTYPE html><p>hi</p>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<!doctype html><title>x</title>",
        # markup hidden at the end of a binary file, past the first 64 KB
        b"%PDF-1.4\n" + b"\x00" * 100_000 + b"<script>alert(1)</script>",
        # markup deep inside a text file
        b"a,b\n" * 300_000 + b"<iframe src=//evil>",
    ],
)
def test_polyglots_and_markup_are_refused(content):
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("innocent.pdf", content))
    assert error.value.code in {"markup", "type"}


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01\x00\x00",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00",
        b"PK\x03\x04not really a zip",
        b"\x00\x01\x02binary",
    ],
)
def test_wrong_types_are_refused(content):
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("report.pdf", content))
    assert error.value.code == "type"


def test_zip_that_is_not_an_office_file_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", "<html>")
    with pytest.raises(ValidationError):
        check_upload(_upload("report.docx", buffer.getvalue()))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("r.pdf", b""))
    assert error.value.code == "empty"


@override_settings(ASMHUB_MAX_UPLOAD_MB=1)
def test_size_limit_comes_from_the_setting():
    check_upload(_upload("ok.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 20)))
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)))
    assert error.value.code == "too_large"
    assert "1 MB" in error.value.messages[0]


@pytest.mark.parametrize(
    ("title", "extension", "expected"),
    [
        ("Minutes of the March meeting", "txt", "Minutes of the March meeting.txt"),
        # a right-to-left override makes "fdp.exe" look like "exe.pdf"; it goes, and the
        # extension is always the checked type's
        ("Annual report\u202efdp.exe", "pdf", "Annual reportfdp.exe.pdf"),
        ("\u202e\u200b\x00\x1b", "pdf", "download.pdf"),
        ("../../etc/passwd", "txt", "etc passwd.txt"),
        ('a"b;c<d>e|f?g*h:i\\j', "pdf", "a b;c d e f g h i j.pdf"),
        ("", "png", "download.png"),
        ("Informe minería\u00a0artesanal", "PDF", "Informe minería artesanal.pdf"),
        ("...", "pdf", "download.pdf"),
        ("x" * 300, "pdf", "x" * 80 + ".pdf"),
    ],
)
def test_download_names_come_from_the_title_and_the_checked_type(title, extension, expected):
    assert download_filename(title, extension) == expected


def test_content_disposition_has_an_ascii_name_and_the_real_one():
    header = content_disposition("Informe minería.pdf")
    assert header == (
        "attachment; filename=\"Informe mineria.pdf\"; filename*=UTF-8''Informe%20miner%C3%ADa.pdf"
    )
    assert content_disposition("報告.pdf").startswith('attachment; filename="download.pdf"')
    assert "\\" not in content_disposition('a"b\\c.pdf').split(";")[1]


# ---------------------------------------------------------------- bounded zip inspection


class _CountingFile(io.FileIO):
    """A file that counts the bytes read from it (to prove a check reads only a little)."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """The reported attack: a ~41 MB .docx of 480,000 empty entries (built, never committed)."""
    return write_bomb(tmp_path_factory.mktemp("bomb"))


def test_zip_with_480000_entries_is_refused_from_its_end_record(bomb):
    """Before: zipfile built all 480,000 entries (10 s, 224 MB) and accepted it as a .docx."""
    assert bomb.stat().st_size > 41_000_000
    with _CountingFile(bomb) as handle:
        with pytest.raises(ValidationError) as error:
            check_upload(File(handle, name="report.docx"))
        # Bounded: the end records only, never the 24 MB central directory.
        assert handle.read_bytes < 256 * 1024
    assert error.value.code == "zip_entries"
    assert "more than 10,000 parts" in error.value.messages[0]


def test_zip_whose_end_record_understates_its_entries_is_refused():
    content = office_zip(empty_entries=uploads.MAX_ZIP_ENTRIES, declared_entries=3)
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("report.docx", content))
    assert error.value.code == "zip_entries"


def test_zip_declaring_a_huge_unpacked_size_is_refused():
    content = office_zip(empty_entries=3, declared_size=0x7FFFFFFF)
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("report.docx", content))
    assert error.value.code == "zip_size"
    assert "2 GB" in error.value.messages[0]


def test_zip_inspection_has_a_time_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_SECONDS", -1)
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("report.docx", office_zip()))
    assert error.value.code == "zip_time"


def test_zip_within_the_limits_is_accepted():
    content = office_zip(empty_entries=uploads.MAX_ZIP_ENTRIES - 10, prefix="ppt/")
    assert check_upload(_upload("deck.pptx", content)).extension == "pptx"


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_opendocument_mimetype_member_is_read_stored_or_deflated(compression):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    checked = check_upload(_upload("sheet.ods", buffer.getvalue()))
    assert (checked.extension, checked.content_type) == (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
    )


def test_zip_with_bytes_before_it_is_still_read():
    # Some writers leave bytes before the archive; every offset inside is then shifted.
    content = office_zip()
    shifted = b"PK\x03\x04" + b"\x00" * 26 + content  # still starts like a zip
    assert check_upload(_upload("r.docx", shifted)).extension == "docx"


# ---------------------------------------------------------------- markup anywhere


def _pdf_with(payload: bytes, *, at: int) -> bytes:
    body = bytearray(b"%PDF-1.7\n" + os.urandom(6 * 1024 * 1024).replace(b"<", b"("))
    body[at:at] = payload
    return bytes(body)


@pytest.mark.parametrize(
    "payload",
    [
        b"<details open ontoggle=alert(1)>",
        b"<video><source onerror=alert(1)>",
        b"<video src=x onerror=alert(1)>",
        b"<input autofocus onfocus=alert(1)>",
        b"<x contenteditable onbeforeinput=alert(1)>",
        b'<img src="x"onerror=alert(1)>',
        b"<svg/onload=alert(1)>",
        b"<svg><a>x</a></svg>",
        b"<iframe src=//evil>",
        b"<object data=//evil>",
        b"<embed src=//evil>",
        b'<meta http-equiv="refresh" content="0;url=//evil">',
        b"<html:script>alert(1)</html:script>",
        b"<a href='java\tscript:alert(1)'>x</a>",
        b"<A HREF=JAVASCRIPT:alert(1)>x</A>",
        b"<!DOCTYPE html>",
    ],
)
def test_markup_in_the_middle_of_a_pdf_is_refused(payload):
    """Before: only the first and last 64 KB were looked at, and the list missed most of these."""
    content = _pdf_with(payload, at=3 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        check_upload(_upload("report.pdf", content))
    assert error.value.code == "markup"


def test_markup_cut_by_a_chunk_edge_is_found():
    payload = b"<details open ontoggle=alert(1)>"
    for offset in range(-len(payload), 1):
        content = _pdf_with(payload, at=uploads._SCAN_CHUNK + offset)
        with pytest.raises(ValidationError):
            check_upload(_upload("report.pdf", content))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<< /Type /Page >> <a1b2 c3d4> [1 0 R] (x < y, on average=2)",
        b"%PDF-1.7\n<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description "
        b"rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:format>"
        b"application/pdf</dc:format><xmp:BaseURL/></rdf:Description></rdf:RDF></x:xmpmeta>",
        b"tonnes,price\n12,<5\n3,>9\n",
        "Minería: if output < target, one=2 on average\n".encode(),
    ],
)
def test_ordinary_content_is_not_mistaken_for_markup(content):
    check_upload(_upload("r.pdf" if content.startswith(b"%PDF") else "r.csv", content))


def test_random_binary_is_not_mistaken_for_markup():
    # Compressed PDF streams look like random bytes; 20 MB of them must pass.
    check_upload(_upload("r.pdf", b"%PDF-1.7\n" + os.urandom(20 * 1024 * 1024)))
