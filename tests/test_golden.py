"""Golden files: generated pages, API documents, CSV, badge, stylesheet and a preview image of the
fixture project at a fixed as-of date, compared byte for byte with tests/golden/.

After an intended change, regenerate them with
    .venv/bin/python -m pytest tests/test_golden.py --update-golden
and review the result as a diff (`git diff tests/golden`) before committing it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator import build

from .conftest import AS_OF

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
    "downloads/scorecard.csv",
    "badges/fixture-service.svg",
    "feeds/providers/fixture-service.xml",
    "assets/registry.css",
    "assets/registry.js",
    "previews/fixture-service.png",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, bytes]:
    from .conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("golden"))
    settings = build.Settings(project, AS_OF, repository_url="https://github.com/example/scorecard",
                              site_url="https://scorecard.example.org/")
    return build.generate(settings, background=False)


@pytest.mark.parametrize("rel", FILES)
def test_generated_file_matches_its_golden_copy(generated, rel, request):
    actual = generated[rel]
    path = GOLDEN / rel
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    assert path.is_file(), f"{rel}: no golden copy; run pytest tests/test_golden.py --update-golden and review the diff"
    expected = path.read_bytes()
    if actual == expected:
        return
    if rel.endswith(".png"):
        pytest.fail(f"{rel}: the image differs from its golden copy (run with --update-golden and look at it)")
    diff = "".join(difflib.unified_diff(expected.decode().splitlines(True), actual.decode().splitlines(True),
                                        f"golden/{rel}", f"generated/{rel}", n=2))
    pytest.fail(f"{rel} differs from its golden copy (intended? run with --update-golden and review the diff):\n{diff[:6000]}")


def test_every_golden_file_is_still_generated():
    on_disk = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    assert on_disk == sorted(FILES)  # no stale golden copy of a file that is no longer checked
