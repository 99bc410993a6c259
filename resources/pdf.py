"""A small writer of valid text-only PDFs (demo documents, tests, the extraction benchmark).

Helvetica, A4, WinAnsi encoding (so Spanish and French accents come through), lines wrapped
to the page. pypdf and every PDF reader read what it writes; nothing else is needed for it.
"""

import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LINES_PER_PAGE = 52
CHARS_PER_LINE = 90


def _escape(line: str) -> bytes:
    data = line.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _page_stream(title: str | None, lines: list[str]) -> bytes:
    out = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
    if title:
        out += [b"/F1 16 Tf", b"(" + _escape(title) + b") Tj", b"T* T*", b"/F1 11 Tf"]
    out += [b"(" + _escape(line) + b") Tj T*" for line in lines]
    out.append(b"ET")
    return b"\n".join(out)


def _wrap(paragraphs: list[str]) -> list[str]:
    lines = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, CHARS_PER_LINE) or [""]
        lines.append("")
    return lines


def make_pdf(*, title: str, paragraphs: list[str], min_pages: int = 1) -> bytes:
    """A PDF whose first page starts with the title and whose text is the paragraphs."""
    lines = _wrap(paragraphs)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    while len(pages) < min_pages:
        pages.append(lines[:LINES_PER_PAGE])
    objects: list[bytes] = []  # object n is objects[n - 1]
    page_ids = [4 + 2 * n for n in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for number, (page_lines, page_id) in enumerate(zip(pages, page_ids, strict=True)):
        stream = _page_stream(title if number == 0 else None, page_lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (PAGE_WIDTH, PAGE_HEIGHT)
            + b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
