"""Text extraction: good PDFs, damaged ones, Office/OpenDocument files, all in a capped child."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from resources import extraction
from resources.models import ResourceFile
from resources.pdf import make_pdf
from resources.services import NewFile, resource_submit
from resources.tasks import extract_file_text
from tests.resources.conftest import PDF_WORD, docx_bytes, odt_bytes, pdf_bytes


def _path(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_pdf_text(tmp_path):
    text, peak_kb = extraction.extract_path(_path(tmp_path, "a.pdf", pdf_bytes()), "pdf")
    assert PDF_WORD in text
    assert "Gravity concentration in practice" in text
    assert peak_kb and peak_kb < extraction.MEMORY_LIMIT_MB * 1024


def test_accents_survive(tmp_path):
    content = make_pdf(title="Minería", paragraphs=["Niños y niñas en la minería aurífera."])
    text, _ = extraction.extract_path(_path(tmp_path, "es.pdf", content), "pdf")
    assert "Niños y niñas en la minería aurífera." in text


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\nthis is not really a pdf at all",
        pdf_bytes()[:200],  # truncated download
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",
    ],
)
def test_damaged_pdf_gives_no_text_without_error(tmp_path, content):
    text, _ = extraction.extract_path(_path(tmp_path, "bad.pdf", content), "pdf")
    assert not (text or "").strip()


def test_docx_and_odt_text(tmp_path):
    docx, _ = extraction.extract_path(
        _path(tmp_path, "a.docx", docx_bytes("Savings groups")), "docx"
    )
    odt, _ = extraction.extract_path(_path(tmp_path, "a.odt", odt_bytes("Formalización")), "odt")
    assert docx.strip() == "Savings groups"
    assert odt.strip() == "Formalización"


def test_wall_clock_timeout_means_no_text(tmp_path):
    text, _ = extraction.extract_path(_path(tmp_path, "a.pdf", pdf_bytes()), "pdf", timeout=0.001)
    assert text is None


def test_memory_limit_means_no_text(tmp_path):
    # 30 MB of address space is not even enough to start Python with pypdf: refused, not a crash.
    text, _ = extraction.extract_path(_path(tmp_path, "a.pdf", pdf_bytes()), "pdf", memory_mb=30)
    assert text is None


def test_page_and_character_caps(tmp_path, monkeypatch):
    content = make_pdf(title="Long", paragraphs=["word " * 200] * 30, min_pages=20)
    text = extraction.pdf_text(_path(tmp_path, "long.pdf", content))
    monkeypatch.setattr(extraction, "MAX_PAGES", 2)
    capped = extraction.pdf_text(_path(tmp_path, "long.pdf", content))
    assert 0 < len(capped) < len(text)


@pytest.mark.django_db
def test_task_stores_text_and_state(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resource = resource_submit(
            submitted_by=partner,
            data={"title": "Damaged and good", "summary": "s"},
            files=[
                NewFile(upload=SimpleUploadedFile("good.pdf", pdf_bytes())),
                NewFile(upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n" + b"0" * 99)),
                NewFile(upload=SimpleUploadedFile("notes.docx", docx_bytes("Cooperative"))),
            ],
        )
    good, scan, notes = resource.files.all()
    assert (good.extraction, scan.extraction, notes.extraction) == ("done", "no-text", "done")
    assert PDF_WORD in good.text and scan.text == ""
    resource.refresh_from_db()
    assert resource.search_vector is not None and PDF_WORD in str(resource.search_vector)


@pytest.mark.django_db
def test_task_for_a_deleted_file():
    assert extract_file_text.call(123456789) == "gone"
    assert not ResourceFile.objects.exists()
