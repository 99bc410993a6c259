"""Time and peak memory of checking one upload, for the files an attacker or a person sends.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/upload_check_bench.py
Writes each file to a temp dir (nothing is committed): the reported zip bomb (a ~41 MB .docx
with 480,000 empty entries), a zip that declares a 4 GB member, a 45 MB PDF-like file of
random bytes (compressed streams look like that), a 45 MB PDF-like file made of "<a" (each "<"
starts a markup match attempt: the scan's worst case), 45 MB of plain text, a small .docx.
Each file is checked in a fresh child process, which prints the outcome, the wall and CPU time
of the check (CPU time is the figure to compare on a busy machine) and the growth of its
resident set (ru_maxrss), then checks it again under tracemalloc
for Python's own peak allocation (not timed: tracing slows it down).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")


def child(path: str) -> None:
    import tracemalloc

    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files import File

    from asmhub.uploads import check_upload

    def check(handle):
        try:
            return f"accepted as {check_upload(File(handle, name=Path(path).name)).extension}"
        except ValidationError as error:
            return f"refused ({error.code})"

    with open(path, "rb") as handle:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        outcome = check(handle)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
        grown = after.ru_maxrss - usage.ru_maxrss
        # A second check under tracemalloc (slower, so not the one timed) for Python's peak.
        tracemalloc.start()
        check(handle)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"{outcome}\t{elapsed:.3f}\t{cpu:.3f}\t{grown / 1024:.1f}\t{peak / 1024 / 1024:.1f}")


def files(folder: Path) -> list[tuple[str, Path]]:
    from tests.asmhub.zips import office_zip, write_bomb

    made = [("docx, 480,000 empty entries", write_bomb(folder))]
    declared = folder / "declared.docx"
    declared.write_bytes(office_zip(empty_entries=1, declared_size=0xFFFFFFFE))
    made.append(("docx declaring a 4 GB member", declared))
    random_pdf = folder / "random.pdf"
    with open(random_pdf, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        for _ in range(45):
            handle.write(os.urandom(1024 * 1024))
    made.append(("PDF, 45 MB of random bytes", random_pdf))
    worst = folder / "worst.pdf"
    worst.write_bytes(b"%PDF-1.7\n" + b"<a" * (45 * 1024 * 1024 // 2))
    made.append(("PDF, 45 MB of '<a<a…' (markup scan's worst case)", worst))
    text = folder / "notes.txt"
    line = b"Artisanal miners at the cooperative tested gravity concentration, 2024.\n"
    text.write_bytes(line * (45 * 1024 * 1024 // len(line)))
    made.append(("text, 45 MB", text))
    small = folder / "small.docx"
    small.write_bytes(office_zip())
    made.append(("docx, small and valid", small))
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for label, path in files(Path(folder)):
            size = path.stat().st_size / 1024 / 1024
            result = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            outcome, *figures = result.stdout.strip().splitlines()[-1].split("\t")
            rows.append((label, f"{size:.1f}", outcome, *figures))
    header = ("file", "MB", "outcome", "wall s", "CPU s", "RSS growth MB", "Python peak MB")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
