"""The contributor path (issue 14): from "I know one fact" to a merged pull request without a programmer's help."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator import build
from generator.check import check_tree

from .conftest import AS_OF, ROOT, run

SERVICE = "data/providers/fixture-service.yaml"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


# --- Coverage is a publication rule, not a gate ----------------------------------------------


def test_coverage_report_says_how_each_provider_is_published_and_never_fails(project):
    code, out, _ = run("coverage", "--markdown", "--as-of", str(AS_OF), root=project)
    assert code == 0
    assert out.startswith("### Coverage\n")
    assert re.search(r"^\| `fixture-service` \| service \| 5 \| 6 \| 83% \| published with scores \|$", out, re.M), out
    assert re.search(r"^\| `fixture-software` \| software \| 2 \| 3 \| 67% \| published as insufficient coverage \|$", out, re.M), out
    edit(project, SERVICE, "kind: service", "kind: service\ndraft: true")
    code, out, _ = run("coverage", "--markdown", "--as-of", str(AS_OF), root=project)
    assert code == 0 and re.search(r"^\| `fixture-service` .* draft: not published \|$", out, re.M), out
    assert "not a failure" in out


def test_ci_shows_the_coverage_report_in_the_pull_request_summary():
    ci = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    runs = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    coverage = [r for r in runs if "scorecard coverage" in r]
    assert coverage and all("--markdown" in r and '>> "$GITHUB_STEP_SUMMARY"' in r for r in coverage)
    # No test or step turns coverage into a failure.
    assert "coverage.TARGET" not in (ROOT / "tests/test_data.py").read_text()


def test_a_provider_below_the_gate_is_published_as_insufficient_coverage_and_a_draft_is_not_published(project):
    edit(project, SERVICE, "kind: service", "kind: service\ndraft: true")
    assert check_tree(project, AS_OF)[1] == []
    files = build.generate(build.Settings(project, AS_OF))
    page = files["providers/fixture-software.md"].decode()
    assert "insufficient coverage" in page.split("## Headline")[1].split("##")[0]
    assert not [f for f in files if "fixture-service" in f], "a draft provider must not be published"
    assert b"fixture-service" not in files["api/v1/index.json"]
