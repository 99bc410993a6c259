"""Text out of uploaded files (PDF, OOXML, OpenDocument, text), in a capped child process.

Parsing files that strangers upload is where a library's worst bugs live (a PDF whose pages
loop, a zip bomb in a .docx). So the parsing never happens in the worker itself: it runs in a
child Python process (`python -m resources.extraction KIND PATH`) that first limits its own
address space (RLIMIT_AS) and CPU time (RLIMIT_CPU), and the parent kills it after a wall-clock
timeout. On top, the work is capped: at most MAX_PAGES pages and MAX_CHARS characters. Any
failure (damaged file, scan without a text layer, limit hit) means "no text", never an error.

This module imports nothing from Django at the top, so the child starts fast and small.
"""

import os
import re
import resource as os_resource
import subprocess
import sys
import tempfile
import zipfile
from xml.etree.ElementTree import iterparse

MAX_PAGES = 500
# About 150,000 words: more than any report we expect; the search vector uses less still.
MAX_CHARS = 1_000_000
MEMORY_LIMIT_MB = 768
CPU_SECONDS = 60
WALL_SECONDS = 90
# Uncompressed XML read from one Office/OpenDocument member (zip bombs stop here).
MAX_XML_BYTES = 64 * 1024 * 1024

_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


# ---------------------------------------------------------------- in the child process


def _tidy(text: str) -> str:
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()[:MAX_CHARS]


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    parts, total = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or total >= MAX_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
    return "\n\n".join(parts)


class _Limited:
    """A read-only stream that stops (raises) after a number of bytes."""

    def __init__(self, stream, limit: int):
        self.stream, self.left = stream, limit

    def read(self, size=-1):
        if self.left <= 0:
            raise ValueError("XML member too large")
        data = self.stream.read(min(size, self.left) if size and size > 0 else self.left)
        self.left -= len(data)
        return data


# Members holding a document's text, per kind; paragraph-like elements end a line.
_MEMBERS = {
    "docx": re.compile(r"^word/(document|footnotes|endnotes)\.xml$"),
    "pptx": re.compile(r"^ppt/slides/slide\d+\.xml$"),
    "xlsx": re.compile(r"^xl/sharedStrings\.xml$"),
    "odt": re.compile(r"^content\.xml$"),
    "ods": re.compile(r"^content\.xml$"),
    "odp": re.compile(r"^content\.xml$"),
}
_BREAKS = {"p", "h", "tr", "si", "br", "tab", "line-break"}


def xml_zip_text(path: str, kind: str) -> str:
    pattern = _MEMBERS[kind]
    parts, total = [], 0
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if pattern.match(n)),
            key=lambda n: [int(d) if d.isdigit() else d for d in re.split(r"(\d+)", n)],
        )
        for name in names:
            with archive.open(name) as member:
                # expat resolves no external entities and (2.4.1+) stops entity expansion
                # bombs; the stream cap and the child's memory limit bound the rest.
                stream = _Limited(member, MAX_XML_BYTES)
                for _event, element in iterparse(stream, ("end",)):  # noqa: S314
                    local = element.tag.rsplit("}", 1)[-1]
                    if element.text and local in {"t", "span", "p", "h", "a", "s"}:
                        parts.append(element.text)
                        total += len(element.text)
                    if element.tail and local in {"span", "a", "s", "tab", "line-break"}:
                        parts.append(element.tail)
                    if local in _BREAKS:
                        parts.append("\n")
                    element.clear()
                    if total >= MAX_CHARS:
                        return "".join(parts)
    return "".join(parts)


def plain_text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(MAX_CHARS)


def extract(kind: str, path: str) -> str:
    if kind == "pdf":
        return _tidy(pdf_text(path))
    if kind in _MEMBERS:
        return _tidy(xml_zip_text(path, kind))
    if kind in {"txt", "csv"}:
        return _tidy(plain_text(path))
    return ""  # images: no text layer to read


def _limit_self(memory_mb: int, cpu_seconds: int) -> None:
    limit = memory_mb * 1024 * 1024
    os_resource.setrlimit(os_resource.RLIMIT_AS, (limit, limit))
    os_resource.setrlimit(os_resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def main(argv: list[str]) -> int:
    kind, path = argv[1], argv[2]
    memory_mb = int(argv[3]) if len(argv) > 3 else MEMORY_LIMIT_MB
    _limit_self(memory_mb, CPU_SECONDS)
    try:
        text = extract(kind, path)
    except Exception as error:  # noqa: BLE001 - any parser failure means "no text"
        sys.stderr.write(f"extraction failed: {type(error).__name__}: {error}\n")
        return 2
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    peak_kb = os_resource.getrusage(os_resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(f"peak_rss_kb={peak_kb}\n")
    return 0


# ---------------------------------------------------------------- in the worker


def extract_path(
    path: str, kind: str, *, memory_mb: int = MEMORY_LIMIT_MB, timeout: float = WALL_SECONDS
) -> tuple[str | None, int | None]:
    """(text or None on failure, the child's peak resident memory in KB)."""
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, arguments we built
            [sys.executable, "-m", "resources.extraction", kind, path, str(memory_mb)],
            capture_output=True,
            timeout=timeout,
            check=False,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    except subprocess.TimeoutExpired:
        return None, None
    peak = re.search(rb"peak_rss_kb=(\d+)", completed.stderr)
    peak_kb = int(peak.group(1)) if peak else None
    if completed.returncode != 0:
        return None, peak_kb
    return completed.stdout.decode("utf-8", "replace"), peak_kb


def extract_field_file(field_file, kind: str) -> str | None:
    """Copy a stored file (local disk or object storage) to a temporary path and extract."""
    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as copy:
        with field_file.open("rb") as source:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        text, _peak = extract_path(copy.name, kind)
    return text


if __name__ == "__main__":
    sys.exit(main(sys.argv))
