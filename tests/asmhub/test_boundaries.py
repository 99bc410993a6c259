"""The house's floors (DESIGN.md) hold: the import-linter contracts in pyproject.toml pass.

`make lint` runs the same check (lint-imports); this test makes a plain `pytest` say so too.
It runs lint-imports in a process of its own: in-process, import-linter configures logging
with dictConfig (disable_existing_loggers on), which silenced every logger the hub had already
made for the rest of the test run.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 (our own venv's script, fixed arguments)
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
