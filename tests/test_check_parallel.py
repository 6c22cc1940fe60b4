"""Provider files are read by two processes when there are many (issue 15): the result is exactly what
one process reading them in order gives, problems (with their lines) and data alike."""

from __future__ import annotations

import shutil

import pytest

from generator import check, parallel
from generator.check import load_tree
from generator.workspace import synthetic_provider

from .conftest import AS_OF, FIXTURES, copy_project

MODELINE = "# yaml-language-server: $schema=../schema/provider.schema.json\n"


def many_providers(tmp_path):
    """40 valid providers and, spread over both halves of the sorted file list, files with problems
    of every kind: file, schema (salvaged), item, claim and the rules that compare providers."""
    project = copy_project(tmp_path / "p")
    folder = project / "data/providers"
    dataset, found = load_tree(project, AS_OF)
    assert not found
    criteria = list(dataset.criteria.values())
    for i in range(40):
        text = synthetic_provider(i, criteria, "software" if i % 4 == 0 else "service")
        if i in (3, 31):  # the same alias in both halves: found once all are read, on released files
            text = text.replace("assessments:", "aliases:\n  - shared-alias\nassessments:", 1)
        if i in (5, 33):
            text = text.replace("summary: A synthetic", "summary: A synthetic #cut", 1)
        if i in (7, 35):
            text = text.replace("\n", "\r\n")
        if i in (9, 37):
            text = text.replace("kind: service", "kind: servise", 1)  # salvaged: the other rules still run
        if i in (11, 38):
            text = text.replace(f"id: synthetic-{i:04d}", "id: synthetic-0001", 1)  # a duplicate id (and a misnamed one)
        if i == 13:
            text = text.replace("reviewed: 2026-01-01", "reviewed: 2999-01-01", 1)
        if i == 39:
            text += "discontinued:\n  since: 2026-01-01\n  note: Gone.\n  source: https://synthetic-0039.example.org/end\n  successor: nobody-here\n"
        (folder / f"synthetic-{i:04d}.yaml").write_text(text, encoding="utf-8", newline="")
    (folder / "synthetic-0015.yaml").write_text(MODELINE + "id: [unclosed\n", encoding="utf-8")
    (folder / "Synthetic-0016.yaml").write_text(MODELINE + "id: x\n", encoding="utf-8")
    (folder / "synthetic-0034.yaml").write_text(MODELINE + "id: synthetic-0034\nname: &a x\n", encoding="utf-8")
    shutil.copy(FIXTURES / "discontinued" / "fixture-retired.yaml", folder / "fixture-retired.yaml")
    return project


def read(project, monkeypatch, workers):
    monkeypatch.setenv("SCORECARD_WORKERS", str(workers))
    monkeypatch.setattr(check, "PARALLEL_FROM", 8)
    forks = []
    real = parallel.Stream

    def counted(*args, **kwargs):
        forks.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "Stream", counted)
    dataset, found = load_tree(project, AS_OF)
    return dataset, found, len(forks)


def test_two_processes_give_what_one_gives(tmp_path, monkeypatch):
    project = many_providers(tmp_path)
    one, found_one, forks_one = read(project, monkeypatch, 1)
    two, found_two, forks_two = read(project, monkeypatch, 2)
    assert (forks_one, forks_two) == (0, 1)
    assert found_two == found_one
    messages = "\n".join(f"{p.path}:{p.line}:{p.col} {p.message}" for p in found_one)
    for words in (
        "shared-alias",
        "' #'",
        "CRLF",
        "kind: Input",
        "duplicate provider id",
        "after the as-of date",
        "nobody-here",
        "never closed",
        "Synthetic-0016",
        "anchors",
    ):
        assert words in messages, words
    assert {p.path for p in found_one if "shared-alias" in p.message} == {"data/providers/synthetic-0031.yaml"}
    assert one.providers == two.providers and list(one.providers) == list(two.providers)
    assert list(one.docs) == list(two.docs) and one.incomplete == two.incomplete
    for key, doc in one.docs.items():
        again = two.docs[key]
        assert (doc.path, doc.data, doc.plain_then_comment) == (again.path, again.data, again.plain_then_comment)
        assert doc.where(("id",)) == again.where(("id",)) and doc.values == again.values, key


@pytest.mark.parametrize("workers, forks", [(1, 0), (2, 1)])
def test_a_second_process_only_for_many_files_and_two_workers(tmp_path, monkeypatch, workers, forks):
    project = copy_project(tmp_path / "p")
    assert read(project, monkeypatch, workers)[2] == 0  # two provider files: never worth a process
    for i in range(8):
        shutil.copy(FIXTURES / "providers" / "fixture-service.yaml", project / f"data/providers/copy-{i}.yaml")
    dataset, found, forked = read(project, monkeypatch, workers)
    assert forked == forks and len(found) > 8  # (the copies keep their id: each is misnamed and a duplicate)


def test_the_cycle_collector_runs_rarely_while_reading_and_as_before_after(tmp_path, monkeypatch):
    import gc

    project = copy_project(tmp_path / "p")
    seen = []
    real = check.load_file

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(check, "load_file", spy)
    before = gc.get_threshold()
    load_tree(project, AS_OF)
    assert seen and min(seen) >= check.GC_YOUNG > before[0] and gc.get_threshold() == before
    gc.set_threshold(0)  # automatic collection off: it stays off
    try:
        seen.clear()
        load_tree(project, AS_OF)
        assert set(seen) == {0} and gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
