"""The house's floors (DESIGN.md) hold: the import-linter contracts in pyproject.toml pass.

`make lint` runs the same check (lint-imports); this test makes a plain `pytest` say so too.
"""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
