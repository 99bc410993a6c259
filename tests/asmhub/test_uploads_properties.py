"""Property-based tests of the upload checker: any bytes, markup at any offset, valid files."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asmhub.uploads import CheckedUpload, check_upload, download_filename
from resources.pdf import make_pdf
from tests.asmhub.zips import office_zip

# The machine is shared and slow: no per-example deadline; enough examples to matter.
checks = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MAGIC = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"PK\x05\x06", b""]
MARKUP = [
    b"<script>alert(1)</script>",
    b"<details open ontoggle=alert(1)>",
    b"<video src=x onerror=alert(1)>",
    b"<input autofocus onfocus=alert(1)>",
    b"<svg/onload=alert(1)>",
    b"<iframe src=//evil>",
    b"<object data=//evil>",
    b"<embed src=//evil>",
    b'<meta http-equiv="refresh" content="0">',
    b"<a href=javascript:alert(1)>x</a>",
    b"<zz onclick=alert(1)>",
    b"<!doctype html>",
]
# Text a person writes: any letter, digit, space or punctuation except "<" (the only way into
# a tag) and ":" (so no "javascript:" by chance).
PLAIN = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "Zs", "Po", "Pd", "Ps", "Pe"), blacklist_characters="<:"
    ),
    max_size=200,
)


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def _check_or_refuse(content: bytes, name: str = "file"):
    try:
        return check_upload(_upload(name, content))
    except ValidationError as error:
        return error


@checks
@given(
    magic=st.sampled_from(MAGIC),
    content=st.binary(max_size=4096),
    # Django refuses names without a base name ("", "..", "a/") before any check runs.
    name=st.text(max_size=40).map(lambda text: "f" + text.replace("/", "_")),
)
def test_arbitrary_bytes_are_accepted_or_refused_never_anything_else(magic, content, name):
    outcome = _check_or_refuse(magic + content, name)
    assert isinstance(outcome, CheckedUpload | ValidationError)


def _zip_bytes() -> bytes:
    return office_zip(empty_entries=3, mimetype="application/vnd.oasis.opendocument.text")


@checks
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_zip_bytes()) - 1), st.binary(max_size=4)),
        min_size=1,
        max_size=8,
    ),
    cut=st.integers(min_value=0, max_value=64),
)
def test_damaged_zips_are_accepted_or_refused_never_anything_else(flips, cut):
    content = bytearray(_zip_bytes())
    for position, replacement in flips:
        content[position : position + len(replacement)] = replacement
    content = bytes(content[: len(content) - cut] if cut else content)
    assert isinstance(_check_or_refuse(content, "r.odt"), CheckedUpload | ValidationError)


_PDF = make_pdf(title="Gravity concentration", paragraphs=["Recovery improved."] * 20)


@checks
@given(payload=st.sampled_from(MARKUP), offset=st.integers(min_value=0, max_value=len(_PDF)))
def test_markup_inserted_anywhere_in_a_pdf_is_refused(payload, offset):
    content = _PDF[:offset] + payload + _PDF[offset:]
    outcome = _check_or_refuse(content, "report.pdf")
    assert isinstance(outcome, ValidationError)


@checks
@given(title=PLAIN, paragraphs=st.lists(PLAIN, min_size=1, max_size=8))
def test_generated_pdfs_pass(title, paragraphs):
    checked = check_upload(_upload("r.pdf", make_pdf(title=title, paragraphs=paragraphs)))
    assert checked.extension == "pdf"


@checks
@given(rows=st.lists(st.lists(PLAIN.filter(lambda t: "\x00" not in t), max_size=5), min_size=1))
def test_generated_csv_files_pass(rows):
    content = "\n".join(",".join(row) for row in rows).encode() or b"x"
    checked = check_upload(_upload("data.csv", content + b"\n"))
    assert checked.extension == "csv"


@checks
@given(
    kind=st.sampled_from(
        [("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"), ("odt", "odt"), ("ods", "ods")]
    ),
    members=st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz/._", min_size=1, max_size=30),
        st.binary(max_size=500),
        max_size=10,
    ),
    compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_generated_office_files_pass(kind, members, compression):
    prefix, extension = kind
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        if prefix in {"odt", "ods"}:
            suffix = {"odt": "text", "ods": "spreadsheet"}[prefix]
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{suffix}")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"{prefix}document.xml", "<doc/>")
        for name, data in members.items():
            if name not in {"mimetype", "[Content_Types].xml"}:
                archive.writestr(f"extra/{name}", data)
    assert check_upload(_upload(f"f.{extension}", buffer.getvalue())).extension == extension


@checks
@given(title=st.text(max_size=300), extension=st.text(max_size=10))
def test_download_names_are_always_safe(title, extension):
    name = download_filename(title, extension)
    stem, dot, ext = name.rpartition(".")
    assert dot and stem and ext.isascii() and ext.isalnum()
    assert all(c.isprintable() and c not in '\\/:*?"<>|' for c in name)
    assert len(name) <= 80 + 1 + 10
