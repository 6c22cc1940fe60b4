"""Shared fixtures: a small project tree built from real files plus test providers."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator import cli, workspace

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2026, 11, 27)
# One criterion per function, covering both scopes: test copies in tests/fixtures/criteria/ (the real
# catalogue changes; the tests must not).
CRITERIA = ["gv-security-ownership", "id-security-contact", "pr-e2ee-default", "de-monitoring", "rs-postmortems", "rc-status-page"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's config, docs and framework with six fixture criteria and two fixture providers."""
    return copy_project(tmp_path)


def copy_project(folder: Path, providers: Path = FIXTURES / "providers") -> Path:
    """The fixture project in `folder` (generator/workspace.py: the one copy helper, also used by the benchmarks)."""
    return workspace.copy_project(ROOT, folder, criteria=FIXTURES / "criteria", providers=providers)


def git(repo: Path, *args: str, date: str = "2026-01-10T10:00:00+00:00", message: bytes | None = None) -> None:
    """Run git in a test repository with a fixed identity and date (no user config, reproducible commits)."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "HOME": str(repo),
    }
    cmd = ["git", "-C", str(repo), *args] + (["-F", "-"] if message is not None else [])
    subprocess.run(cmd, check=True, capture_output=True, env=env, input=message)


def git_repo(project: Path) -> Path:
    """Turn the project copy into a git repository with one commit of everything ("Add fixtures")."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Add fixtures")
    return project


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite tests/golden/ from the generator's current output (review with git diff)"
    )
