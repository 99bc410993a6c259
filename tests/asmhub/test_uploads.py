"""Upload checks: type by content, polyglots refused, size limit, safe download headers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from asmhub.uploads import check_upload, download_filename
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
    ("original", "extension", "expected"),
    [
        ("report.html", "pdf", "report.pdf"),
        ("../../etc/passwd", "txt", "passwd.txt"),
        ('a"b;c.pdf', "pdf", "abc.pdf"),
        ("", "png", "download.png"),
        ("Informe minería.PDF", "pdf", "Informe minería.pdf"),
    ],
)
def test_download_names_take_the_checked_extension(original, extension, expected):
    assert download_filename(original, extension) == expected
