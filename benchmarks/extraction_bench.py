"""Peak memory and time of extracting the text of a long PDF (the capped child process).

Usage: .venv/bin/python benchmarks/extraction_bench.py [--pages 300]
Generates a text PDF of that many full pages (~3,000 characters each, like a dense report),
runs resources.extraction in its child process exactly as the worker does, and prints the
child's peak resident memory (ru_maxrss), the wall time and how much text came out.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from resources import extraction, pdf  # noqa: E402

SENTENCE = (
    "Artisanal miners at the cooperative processing centre tested gravity concentration, "
    "sluices with rubber mats and a shaking table against whole-ore amalgamation. "
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    # 33 lines of ~90 characters: ~3,000 characters a page, so 300 pages (~0.9 M characters)
    # stay under the character cap and every page is really parsed.
    pdf.LINES_PER_PAGE = 33
    lines_needed = args.pages * pdf.LINES_PER_PAGE
    paragraph = SENTENCE * 10
    per_paragraph = len(pdf._wrap([paragraph]))
    paragraphs = [paragraph] * (lines_needed // per_paragraph)
    content = pdf.make_pdf(title="Extraction benchmark", paragraphs=paragraphs)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        started = time.perf_counter()
        text, peak_kb = extraction.extract_path(handle.name, "pdf")
        elapsed = time.perf_counter() - started
    from pypdf import PdfReader

    pages = len(PdfReader(__import__("io").BytesIO(content)).pages)
    print(f"pages in PDF            {pages}")
    print(f"PDF size                {len(content) / 1024 / 1024:.1f} MB")
    print(f"characters extracted    {len(text or ''):,} (cap {extraction.MAX_CHARS:,})")
    print(f"wall time               {elapsed:.2f} s (limit {extraction.WALL_SECONDS} s)")
    print(
        f"child peak RSS          {peak_kb / 1024:.1f} MB (limit {extraction.MEMORY_LIMIT_MB} MB)"
    )


if __name__ == "__main__":
    main()
