"""Golden files: generated pages, API documents, CSV, badge, stylesheet and a preview image of the
fixture project at a fixed as-of date, compared byte for byte with tests/golden/.

After an intended change, regenerate them with
    .venv/bin/python -m pytest tests/test_golden.py --update-golden
and review the result as a diff (`git diff tests/golden`) before committing it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from generator import build

from .conftest import AS_OF, copy_project

GOLDEN = Path(__file__).resolve().parent / "golden"
# Where exact output matters: what readers and API clients see, one of each kind of generated file.
FILES = [
    "index.md",
    "methodology/index.md",
    "validation-rules.md",
    "criteria/id-security-contact.md",
    "criteria/rs-postmortems.md",
    "providers/fixture-service.md",
    "providers/fixture-software.md",
    "api/v1/index.json",
    "api/v1/providers/fixture-service.json",
    "api/v1/criteria.json",
    "api/v1/schema.json",
    "downloads/scorecard.csv",
    "downloads/requirements.csv",
    "badges/fixture-service.svg",
    "feeds/providers/fixture-service.xml",
    "feeds/changes.xml",
    "providers/old-fixture-service/index.html",
    ".well-known/security.txt",
    "assets/registry.css",
    "assets/registry.js",
    "previews/fixture-service.png",
    "previews/site.png",
    "search/data_index.json",
]


def test_generated_files_match_their_golden_copies(tmp_path, request):
    """One test over all files (mutation testing maps a test to the code it runs; a shared fixture
    would credit only the first case), reporting every file that differs."""
    project = copy_project(tmp_path)
    settings = build.Settings(project, AS_OF, repository_url="https://github.com/example/scorecard", site_url="https://scorecard.example.org/")
    generated = build.generate(settings, background=False)
    update = request.config.getoption("--update-golden")
    failures = []
    for rel in FILES:
        actual, path = generated[rel], GOLDEN / rel
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual)
            continue
        if not path.is_file():
            failures.append(f"{rel}: no golden copy")
            continue
        expected = path.read_bytes()
        if actual == expected:
            continue
        if rel.endswith(".png"):
            failures.append(f"{rel}: the image differs from its golden copy")
            continue
        diff = "".join(
            difflib.unified_diff(expected.decode().splitlines(True), actual.decode().splitlines(True), f"golden/{rel}", f"generated/{rel}", n=2)
        )
        failures.append(f"{rel} differs:\n{diff[:4000]}")
    assert not failures, (
        "generated output differs from tests/golden/ (intended? run "
        "pytest tests/test_golden.py --update-golden and review git diff tests/golden):\n\n" + "\n".join(failures)
    )


def test_every_golden_file_is_still_generated():
    on_disk = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    checked_elsewhere = ["cli/parser.json", "collect/offline-report.md"]  # tests/test_cli.py, tests/test_collect.py
    assert on_disk == sorted(FILES + checked_elsewhere)  # no stale golden copy of a file that is no longer checked
