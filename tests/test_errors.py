"""Honest errors: failures are reported as what they are, tracebacks are one flag away, builds leave no trace in the environment."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator import build, history, mkbuild, parallel

from .conftest import AS_OF, git, git_repo, run


def test_a_failing_git_log_is_reported_as_a_failure(project, monkeypatch):
    git_repo(project)
    real = subprocess.run

    def failing_log(cmd, *args, **kwargs):
        if "log" in cmd:
            return subprocess.CompletedProcess(cmd, 128, b"", b"fatal: bad object HEAD\nmore\n")
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", failing_log)
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.entries == []
    assert h.note == "The change history could not be read (git exited with status 128: fatal: bad object HEAD)."


def test_a_failing_cat_file_is_reported_as_a_failure(project, monkeypatch):
    git_repo(project)
    real = subprocess.run

    def failing(cmd, *args, **kwargs):
        if "cat-file" in cmd:
            raise OSError("no such program")
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", failing)
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.note == "The change history could not be read (git cat-file could not run: no such program)."


def test_a_repository_without_commits_says_so(project):
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert (h.entries, h.note) == ([], "No git history is available for this build.")  # not a repository at all
    git(project, "init", "-q", "-b", "main")
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert (h.entries, h.note) == ([], "This file has no committed history yet.")
    assert history.repository_note(project) == ""  # not shallow: nothing to say about the repository
    # A file named HEAD in the project: `git rev-parse HEAD` without --verify would take it for a path and succeed.
    (project / "HEAD").write_text("a contributor's notes\n")
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert (h.entries, h.note) == ([], "This file has no committed history yet.")


def test_a_build_restores_the_environment(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "kept")
    seen = {}

    original = mkbuild.build

    def spy(config, workers, *args, **kwargs):
        seen["epoch"] = os.environ.get("SOURCE_DATE_EPOCH")
        return original(config, workers, *args, **kwargs)

    monkeypatch.setattr(mkbuild, "build", spy)
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert seen["epoch"] == build.source_date_epoch(AS_OF)  # set while MkDocs runs
    assert "SOURCE_DATE_EPOCH" not in os.environ and os.environ["NO_MKDOCS_2_WARNING"] == "kept"  # and restored after


def test_an_unexpected_build_error_offers_the_traceback_behind_debug(project, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build, "mkdocs_build", boom)
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 1
    assert "build failed: disk on fire" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError, match="disk on fire"):
        run("--debug", "build", "--as-of", str(AS_OF), root=project)


def test_a_worker_failure_keeps_its_traceback():
    def fails():
        raise ValueError("bad export")

    job = parallel.Background(fails, enabled=True)
    with pytest.raises(ValueError, match="bad export") as info:
        job.result()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "in the build worker" in notes and "in fails" in notes and 'raise ValueError("bad export")' in notes


def test_a_worker_failure_that_cannot_be_pickled_arrives_as_its_type_and_text():
    class Unsendable(Exception):
        def __reduce__(self):
            raise TypeError("not through a pipe")

    def fails():
        raise Unsendable("bad export")

    job = parallel.Background(fails, enabled=True)
    with pytest.raises(RuntimeError) as info:
        job.result()
    assert str(info.value) == "Unsendable: bad export (not through a pipe)"
