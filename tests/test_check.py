"""check.py: schema and cross-file rules, each problem with file:line:col and a hint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import check_tree
from generator.problems import Problem

from .conftest import AS_OF, run

SERVICE = "data/providers/fixture-service.yaml"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def line_of(project: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((project / rel).read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(project: Path) -> list[Problem]:
    dataset, found = check_tree(project, AS_OF)
    assert (dataset is None) == bool(found)
    return found


def test_fixture_project_is_valid(project):
    assert problems(project) == []


CASES = [
    # (description, old, new, needle on the reported line, message fragment, hint fragment)
    ("unknown field", "    provenance: vendor-asserted\n  - criterion: id-security-contact", "    provenanse: vendor-asserted\n  - criterion: id-security-contact",
     "provenanse", "unknown field 'provenanse'", "did you mean 'provenance'"),
    ("unknown criterion", "criterion: de-monitoring", "criterion: de-monitorin", "de-monitorin", "unknown criterion 'de-monitorin'", "did you mean 'de-monitoring'"),
    ("javascript url", "url: https://service.example.org/contact", "url: javascript:alert(1)", "javascript:", "must start with https://", "https://"),
    ("relative url", "url: https://service.example.org/contact", "url: /contact", "/contact", "https://", "https://"),
    ("url with whitespace", "url: https://service.example.org/contact", "url: 'https://service.example.org/con tact'", "con tact", "whitespace", "https://"),
    ("future accessed date", "accessed: 2026-01-10\n        kind: primary\n    verified: 2026-01-10\n    provenance: vendor-asserted\n  - criterion: id-security-contact",
     "accessed: 2027-01-10\n        kind: primary\n    verified: 2026-01-10\n    provenance: vendor-asserted\n  - criterion: id-security-contact", "2027-01-10", "after the as-of date", "actually read"),
    ("bad date", "verified: 2026-01-10\n    provenance: vendor-asserted\n  - criterion: id-security-contact", "verified: 2026-13-45\n    provenance: vendor-asserted\n  - criterion: id-security-contact",
     "2026-13-45", "not a valid date", "YYYY-MM-DD"),
    ("bad level", "level: partial", "level: partly", "partly", "level", "listed values"),
    ("n/a without justification", "    level: not-disclosed\n    summary: >-\n      Looked at the fixture's security page; nothing about monitoring.\n",
     "    level: n/a\n", "level: n/a", "n/a needs a justification", "summary"),
    ("partial without summary", "    level: partial\n    summary: >-\n      A contact address, no security.txt.\n", "    level: partial\n", "level: partial", "needs a summary", "summary"),
    ("full without source", "    sources:\n      - url: https://service.example.org/security\n        title: Security\n        publisher: Fixture Service\n        accessed: 2026-01-10\n        kind: primary\n",
     "", "level: full", "needs at least one source", "sources"),
    ("criterion not applicable", "criterion: de-monitoring", "criterion: gv-supported-versions-x", "gv-supported", "unknown criterion", ""),
    ("id differs from file", "id: fixture-service", "id: fixture-servic", "id: fixture-servic", "does not match the file name", "rename"),
    ("lookalike primary", "url: https://service.example.org/contact", "url: https://service-example.org/contact", "service-example", "not on an official site", "lookalike"),
    ("blocked host", "url: https://service.example.org/contact", "url: https://docslib.org/doc/1", "docslib", "not accepted", "original page"),
    ("bidi character", "A contact address, no security.txt.", "A contact \u202eaddress", "A contact", "U+202E", "delete"),
    ("no-known-incidents on wrong criterion", "    level: not-disclosed\n    summary: >-\n      Looked at the fixture's", "    level: no-known-incidents\n    summary: >-\n      Looked at the fixture's",
     "no-known-incidents", "only for incident-based criteria", "not-disclosed"),
]


@pytest.mark.parametrize("name, old, new, needle, message, hint", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_at_its_line(project, name, old, new, needle, message, hint):
    edit(project, SERVICE, old, new)
    found = problems(project)
    assert found, "expected a problem"
    ours = [p for p in found if message in p.message]
    assert ours, [p.format() for p in found]
    p = ours[0]
    assert p.path == SERVICE
    assert p.line == line_of(project, SERVICE, needle), p.format()
    assert p.col >= 1
    assert hint in p.hint


def test_not_applicable_criterion(project):
    edit(project, "data/providers/fixture-software.yaml", "criterion: gv-security-ownership", "criterion: rc-status-page")
    found = problems(project)
    assert any("applies to service, not to kind 'software'" in p.message for p in found)


def test_duplicate_assessment_and_alias_clash(project):
    edit(project, SERVICE, "criterion: de-monitoring", "criterion: id-security-contact")
    edit(project, "data/providers/fixture-software.yaml", "aliases: []", "aliases:\n  - old-fixture-service")
    messages = [p.message for p in problems(project)]
    assert any("assessed twice" in m for m in messages)
    assert any("alias 'old-fixture-service' is already used" in m for m in messages)


def test_all_problems_of_all_files_in_one_run(project):
    edit(project, SERVICE, "level: partial", "level: partly")
    edit(project, "data/providers/fixture-software.yaml", "kind: software", "kind: sofware")
    (project / "data/providers/empty.yaml").write_text("")
    paths = {p.path for p in problems(project)}
    assert paths == {SERVICE, "data/providers/fixture-software.yaml", "data/providers/empty.yaml"}


def test_missing_modeline(project):
    edit(project, SERVICE, "# yaml-language-server: $schema=../schema/provider.schema.json\n", "")
    p = problems(project)[0]
    assert (p.line, p.col) == (1, 1) and "modeline" in p.message and "$schema=../schema/provider.schema.json" in p.hint


def test_validate_command_output_and_github_annotations(project, monkeypatch):
    edit(project, SERVICE, "level: partial", "level: partly")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 1
    line = line_of(project, SERVICE, "partly")
    assert re.search(rf"^{re.escape(SERVICE)}:{line}:\d+: error: .*level", err, re.M)
    assert "  hint: " in err
    assert re.search(rf"^::error file={re.escape(SERVICE)},line={line},col=\d+::", err, re.M)


def test_bad_data_never_prints_a_traceback(project):
    (project / "data/providers/broken.yaml").write_bytes(b"\xff\xfe not utf8 \x00")
    edit(project, SERVICE, "id: fixture-service", "id: [a, b")
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "validate"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "data/providers/broken.yaml:1:1: error: file is not valid UTF-8" in result.stderr
