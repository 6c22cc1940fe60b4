"""Shared fixtures: a small project tree built from real files plus test providers."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2026, 11, 27)
# One criterion per function, covering both scopes: test copies in tests/fixtures/criteria/ (the real
# catalogue changes; the tests must not).
CRITERIA = ["gv-security-ownership", "id-security-contact", "pr-e2ee-default", "de-monitoring", "rs-postmortems", "rc-status-page"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's config, docs and framework with six fixture criteria and two fixture providers."""
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("docs", "overrides", "data/schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in ("framework.yaml", "source-policy.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    shutil.copytree(FIXTURES / "criteria", tmp_path / "data" / "criteria")
    shutil.copytree(FIXTURES / "providers", tmp_path / "data" / "providers")
    return tmp_path


def run(*args: str, root: Path | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = ([f"--root={root}"] if root else []) + list(args)
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
