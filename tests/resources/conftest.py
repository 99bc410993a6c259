"""Fixtures for the library's tests: uploads in a throw-away media folder, sample files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources.pdf import make_pdf
from tests.factories import UserFactory

PDF_WORD = "quelviradox"  # a word no real document contains: found only inside the test PDF


@pytest.fixture(autouse=True)
def _search_log_buffer(monkeypatch):
    """Each test starts with an empty search log buffer (it is per process) that is written
    by count only (not by age), so no batch lands in the middle of a query-count test."""
    from resources import search_log

    monkeypatch.setattr(search_log, "FLUSH_SECONDS", 10**9)
    search_log._buffer.clear()
    yield
    search_log._buffer.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test stores uploads in its own folder, so stray files can be counted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(_media_root):
    """A callable listing every file under the media root (to prove none is left behind)."""

    def listing():
        if not _media_root.exists():
            return []
        return sorted(p for p in _media_root.rglob("*") if p.is_file())

    return listing


def pdf_bytes(word: str = PDF_WORD, *, title: str = "Gravity concentration in practice") -> bytes:
    return make_pdf(
        title=title,
        paragraphs=[
            f"Miners in the Lake Zone tested the {word} sluice against whole-ore amalgamation.",
            "Recovery improved and no mercury was used at the processing site.",
        ],
    )


def pdf_upload(name: str = "report.pdf", word: str = PDF_WORD) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(word), content_type="application/pdf")


def docx_bytes(text: str = "Cooperative savings groups for women miners") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f"{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes(text: str = "Formalización de la minería artesanal") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            f"<office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return buffer.getvalue()


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


@pytest.fixture
def partner(db):
    return UserFactory()


@pytest.fixture
def other_partner(db):
    return UserFactory()


@pytest.fixture
def unverified(db):
    return UserFactory(verified=False)
