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
    """Line of the first occurrence of `needle` (which may span lines: its first line counts)."""
    text = (project / rel).read_text()
    assert needle in text, needle
    return text[: text.index(needle)].count("\n") + 1


def problems(project: Path) -> list[Problem]:
    dataset, found = check_tree(project, AS_OF)
    assert (dataset is None) == bool(found)
    return found


def test_fixture_project_is_valid(project):
    assert problems(project) == []


CONTACT = (
    "      - url: https://service.example.org/contact\n        title: Contact\n        publisher: Fixture Service\n"
    "        kind: primary\n        supports: [dedicated-contact]\n        published: 2025-12-01\n        accessed: 2026-01-10\n"
)

CASES = [
    # (description, old, new, needle on the reported line, column, the message, the hint): exact, as a contributor reads them
    (
        "unknown field",
        "    provenance: vendor-asserted\n  - criterion: id-security-contact",
        "    provenanse: vendor-asserted\n  - criterion: id-security-contact",
        "provenanse",
        5,
        "unknown field 'provenanse'",
        "did you mean 'provenance'?",
    ),
    (
        "old field verified",
        "    reviewed: 2026-01-10\n    second_review",
        "    verified: 2026-01-10\n    second_review",
        "verified:",
        5,
        "unknown field 'verified': renamed to `reviewed` in methodology 2.0",
        "see the data file reference",
    ),
    (
        "outcome written as a level",
        "    outcome: no-known-incidents\n",
        "    level: no-known-incidents\n",
        "level: no-known",
        12,
        "assessments #4 › level: no-known-incidents is an outcome, not a level",
        "write `outcome: no-known-incidents` with a `reason:`, and no `level:` or `requirements:`",
    ),
    (
        "unknown criterion",
        "criterion: de-monitoring",
        "criterion: de-monitorin",
        "de-monitorin",
        16,
        "unknown criterion 'de-monitorin'",
        "did you mean 'de-monitoring'?",
    ),
    (
        "javascript url",
        "url: https://service.example.org/contact",
        "url: javascript:alert(1)",
        "javascript:",
        14,
        "assessments #2 › sources #1 › url: URL must start with https:// (got javascript:)",
        "links must be https:// addresses with a host, copied exactly from the page",
    ),
    (
        "relative url",
        "url: https://service.example.org/contact",
        "url: /contact",
        "/contact",
        14,
        "assessments #2 › sources #1 › url: URL must start with https:// (got a relative address)",
        "links must be https:// addresses with a host, copied exactly from the page",
    ),
    (
        "url with whitespace",
        "url: https://service.example.org/contact",
        "url: 'https://service.example.org/con tact'",
        "con tact",
        14,
        "assessments #2 › sources #1 › url: URL contains whitespace",
        "links must be https:// addresses with a host, copied exactly from the page",
    ),
    (
        "future accessed date",
        "published: 2025-12-01\n        accessed: 2026-01-10",
        "published: 2025-12-01\n        accessed: 2027-01-10",
        "2027-01-10",
        19,
        "accessed date 2027-01-10 is after the as-of date 2026-11-27",
        "use the date you actually read or checked it",
    ),
    (
        "future reviewed date",
        "    reviewed: 2026-01-10\n    second_review",
        "    reviewed: 2027-01-10\n    second_review",
        "2027-01-10",
        15,
        "reviewed date 2027-01-10 is after the as-of date 2026-11-27",
        "use the date you actually read or checked it",
    ),
    (
        "future second review",
        "second_review: 2026-01-12",
        "second_review: 2027-01-12",
        "2027-01-12",
        20,
        "second review date 2027-01-12 is after the as-of date 2026-11-27",
        "use the date you actually read or checked it",
    ),
    (
        "bad date",
        "    reviewed: 2026-01-10\n    second_review",
        "    reviewed: 2026-13-45\n    second_review",
        "2026-13-45",
        15,
        "assessments #1 › reviewed: not a valid date",
        "write dates as YYYY-MM-DD, e.g. 2026-01-31",
    ),
    (
        "bad status",
        "security-txt: not-found",
        "security-txt: notfound",
        "notfound",
        21,
        "assessments #2 › requirements › security-txt: Input should be 'met', 'not-found' or 'contradicted'",
        "use one of the listed values exactly",
    ),
    (
        "bad stated level",
        "    level: full\n",
        "    level: complete\n",
        "complete",
        12,
        "assessments #5 › level: Input should be 'full', 'partial', 'not-disclosed' or 'no'",
        "use one of the listed values exactly",
    ),
    (
        "bad language tag",
        "        language: de\n",
        "        language: German\n",
        "German",
        19,
        "assessments #2 › sources #1 › language: 'German' is not a BCP 47 language tag",
        "write e.g. de, fr or pt-BR; omit it for English",
    ),
    (
        "published after accessed",
        "published: 2025-12-01",
        "published: 2026-02-01",
        "2026-02-01",
        20,
        "published 2026-02-01 is after accessed 2026-01-10",
        "check both dates",
    ),
    (
        "seen_current after accessed",
        "seen_current: 2020-01-10\n        accessed: 2020-01-10",
        "seen_current: 2020-02-10\n        accessed: 2020-01-10",
        "2020-02-10",
        23,
        "seen_current 2020-02-10 is after accessed 2020-01-10",
        "check both dates",
    ),
    (
        "source without a date",
        "        published: 2025-12-01\n",
        "",
        "url: https://service.example.org/contact",
        14,
        "source has no date: give one of published, seen_current or undated: true",
        "published: the date the page states; seen_current: a living page, the day you saw it current; undated: true otherwise",
    ),
    (
        "source with two dates",
        "        published: 2025-12-01\n",
        "        published: 2025-12-01\n        undated: true\n",
        "undated: true",
        9,
        "source has both published and undated; give exactly one",
        "published if the page states a date, else seen_current for a living page, else undated: true",
    ),
    (
        "missing status",
        "      security-txt: not-found\n",
        "",
        "    requirements:\n      dedicated-contact",
        5,
        "requirement 'security-txt' of id-security-contact has no status",
        "add `security-txt: met | not-found | contradicted`",
    ),
    (
        "unknown requirement",
        "security-txt: not-found",
        "security-txt: not-found\n      securitytxt: met",
        "securitytxt",
        7,
        "id-security-contact has no requirement 'securitytxt'",
        "did you mean 'security-txt'?",
    ),
    (
        "met without a source",
        "      security-txt: not-found\n",
        "      security-txt: met\n",
        "security-txt: met",
        21,
        "requirement 'security-txt' is met but no source supports it",
        "list 'security-txt' in `supports:` of the source that shows it",
    ),
    (
        "contradicted without a source",
        "      security-txt: not-found\n",
        "      security-txt: contradicted\n",
        "security-txt: contradicted",
        21,
        "requirement 'security-txt' is contradicted but no source supports it",
        "list 'security-txt' in `supports:` of the source that shows it",
    ),
    (
        "supports an unknown requirement",
        "supports: [dedicated-contact]",
        "supports: [dedicated-contact, security-text]",
        "security-text",
        39,
        "id-security-contact has no requirement 'security-text'",
        "did you mean 'security-txt'?",
    ),
    (
        "source supporting nothing on a partial claim",
        "        supports: [dedicated-contact]\n        published: 2025-12-01",
        "        supports: [dedicated-contact]\n        published: 2025-12-01\n        accessed: 2026-01-10\n      - url: https://service.example.org/about\n        title: About\n        publisher: Fixture Service\n        kind: primary\n        seen_current: 2026-01-10",
        "service.example.org/about",
        14,
        "this source supports no requirement, on a partial claim",
        "add `supports: [...]` with the requirements it shows, or drop it (only a not-disclosed claim keeps sources that document where you looked)",
    ),
    (
        "stated level disagrees",
        "    summary: >-\n      A contact address, no security.txt.",
        "    level: full\n    summary: >-\n      A contact address, no security.txt.",
        "level: full",
        12,
        "level full needs every requirement met, but 'security-txt' is not-found (the computed level is partial)",
        "remove `level:` (it is computed), or correct the statuses",
    ),
    (
        "outcome without reason",
        "    reason: >-\n      No incident found in the fixture's blog.\n",
        "",
        "outcome: no-known",
        14,
        "outcome no-known-incidents needs a reason",
        "add `reason:` saying why",
    ),
    (
        "no-known-incidents on wrong criterion",
        "    requirements:\n      scope: not-found\n      intrusion-detection: not-found\n      on-call: not-found\n    summary: >-\n      Looked at the fixture's security page; nothing about monitoring.",
        "    outcome: no-known-incidents\n    reason: >-\n      Looked at the fixture's security page; nothing about monitoring.",
        "outcome: no-known-incidents",
        14,
        "outcome no-known-incidents is only for incident-based criteria, not 'de-monitoring'",
        "assess the requirements instead (not-found where nothing was found)",
    ),
    (
        "outcome with requirements",
        "    outcome: no-known-incidents\n",
        "    outcome: no-known-incidents\n    requirements:\n      published: not-found\n      content: not-found\n",
        "    requirements:\n      published",
        5,
        "outcome no-known-incidents has no requirements",
        "remove `requirements:`, or remove `outcome:`",
    ),
    (
        "outcome with a level",
        "    outcome: no-known-incidents\n",
        "    outcome: no-known-incidents\n    level: not-disclosed\n",
        "level: not-disclosed",
        5,
        "outcome no-known-incidents has no level",
        "remove `level:`",
    ),
    (
        "claim without requirements or outcome",
        "    requirements:\n      scope: not-found\n      intrusion-detection: not-found\n      on-call: not-found\n",
        "",
        "criterion: de-monitoring",
        16,
        "missing `requirements:` for de-monitoring",
        "add every requirement with met | not-found | contradicted: scope, intrusion-detection, on-call; or give an `outcome:` with a `reason:`",
    ),
    (
        "claim without summary",
        "    summary: >-\n      A contact address, no security.txt.\n",
        "",
        "criterion: id-security-contact",
        16,
        "missing `summary:`",
        "say in your own words what is met and what was not found (and where you looked)",
    ),
    (
        "reason without outcome",
        "    summary: >-\n      A contact address, no security.txt.\n",
        "    summary: >-\n      A contact address, no security.txt.\n    reason: >-\n      Because.\n",
        "reason:",
        5,
        "`reason:` is only for an outcome (n/a, no-known-incidents)",
        "move the text into `summary:`",
    ),
    (
        "unknown criterion",
        "criterion: de-monitoring",
        "criterion: de-monitorng",
        "de-monitorng",
        16,
        "unknown criterion 'de-monitorng'",
        "did you mean 'de-monitoring'?",
    ),
    (
        "id differs from file",
        "id: fixture-service",
        "id: fixture-servic",
        "id: fixture-servic",
        5,
        "id 'fixture-servic' does not match the file name 'fixture-service'",
        "rename the file to fixture-servic.yaml or set id: fixture-service",
    ),
    (
        "lookalike primary",
        "url: https://service.example.org/contact",
        "url: https://service-example.org/contact",
        "service-example",
        14,
        "source marked primary is not on an official site of Fixture Service: service-example.org",
        "mark it `kind: secondary`, or add the site to `official_sites` if it really is the provider's own (check the spelling of the domain: lookalike domains exist)",
    ),
    (
        "blocked host",
        "url: https://service.example.org/contact",
        "url: https://docslib.org/doc/1",
        "docslib",
        14,
        "sources on docslib.org are not accepted (re-hosted copy of a document)",
        "cite the original page on the publisher's own site, or drop this source",
    ),
    (
        "bidi character",
        "A contact address, no security.txt.",
        "A contact \u202eaddress",
        "A contact",
        17,
        "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
        "delete it; retype the text around it if unsure",
    ),
    (
        "title cut by a comment",
        "title: Contact\n",
        "title: Contact #1 form\n",
        "#1 form",
        24,
        "assessments #2 › sources #1 › title: text after ' #' is read as a YAML comment, so the value ends at 'Contact'",
        'put the whole value in quotes ("...") or use a block scalar (>-)',
    ),
]


@pytest.mark.parametrize("name, old, new, needle, col, message, hint", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_at_its_line(project, name, old, new, needle, col, message, hint):
    edit(project, SERVICE, old, new)
    found = problems(project)
    ours = [p for p in found if p.message == message]
    assert ours, [p.format() for p in found]
    assert [(p.path, p.line, p.col, p.hint) for p in ours[:1]] == [(SERVICE, line_of(project, SERVICE, needle), col, hint)]


def test_not_applicable_criterion(project):
    edit(project, "data/providers/fixture-software.yaml", "criterion: gv-security-ownership", "criterion: rc-status-page")
    found = [p for p in problems(project) if "applies to service, not to kind 'software'" in p.message]
    assert [(p.path, p.line) for p in found] == [
        ("data/providers/fixture-software.yaml", line_of(project, "data/providers/fixture-software.yaml", "criterion: rc-status-page"))
    ]
    assert "change the provider's kind" in found[0].hint


def test_duplicate_assessment_and_alias_clash(project):
    edit(project, SERVICE, "criterion: de-monitoring", "criterion: id-security-contact")
    edit(project, "data/providers/fixture-software.yaml", "aliases: []", "aliases:\n  - old-fixture-service")
    messages = [p.message for p in problems(project)]
    assert any("assessed twice" in m for m in messages)
    assert any("alias 'old-fixture-service' is already used" in m for m in messages)


def test_a_provider_id_used_twice_is_reported_at_the_second_files_id(project):
    original = (project / "data/providers/fixture-service.yaml").read_text()
    (project / "data/providers/zz-copy.yaml").write_text(original)
    found = [p for p in check_tree(project, AS_OF)[1] if "duplicate" in p.message]
    assert [(Path(p.path).name, p.line, p.message) for p in found] == [
        ("zz-copy.yaml", original.splitlines().index("id: fixture-service") + 1, "duplicate provider id 'fixture-service'")
    ]


def test_all_problems_of_all_files_in_one_run(project):
    edit(project, SERVICE, "security-txt: not-found", "security-txt: nope")
    edit(project, "data/providers/fixture-software.yaml", "kind: software", "kind: sofware")
    (project / "data/providers/empty.yaml").write_text("")
    paths = {p.path for p in problems(project)}
    assert paths == {SERVICE, "data/providers/fixture-software.yaml", "data/providers/empty.yaml"}


def test_missing_modeline(project):
    edit(project, SERVICE, "# yaml-language-server: $schema=../schema/provider.schema.json\n", "")
    p = problems(project)[0]
    assert (p.line, p.col) == (1, 1) and "modeline" in p.message and "$schema=../schema/provider.schema.json" in p.hint


def test_validate_command_output_and_github_annotations(project, monkeypatch):
    edit(project, SERVICE, "security-txt: not-found", "security-txt: partly")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 1
    line = line_of(project, SERVICE, "partly")
    assert re.search(rf"^{re.escape(SERVICE)}:{line}:\d+: error: .*security-txt", err, re.M)
    assert "  hint: " in err
    assert re.search(rf"^::error file={re.escape(SERVICE)},line={line},col=\d+::", err, re.M)


def test_bad_data_never_prints_a_traceback(project):
    (project / "data/providers/broken.yaml").write_bytes(b"\xff\xfe not utf8 \x00")
    edit(project, SERVICE, "id: fixture-service", "id: [a, b")
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "validate"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "data/providers/broken.yaml:1:1: error: file is not valid UTF-8" in result.stderr


CRITERION = "data/criteria/id-security-contact.yaml"


def test_criterion_requirement_ids_are_unique(project):
    edit(project, CRITERION, "  - id: security-txt\n", "  - id: dedicated-contact\n")
    edit(project, SERVICE, "      security-txt: not-found\n", "")  # keep the provider consistent with the edited criterion
    found = [p for p in problems(project) if p.path == CRITERION]
    assert [p.message for p in found] == ["requirement id 'dedicated-contact' is used twice (first at item 1)"]
    assert found[0].line == line_of(project, CRITERION, "  - id: dedicated-contact\n    text: >-\n      An RFC")


@pytest.mark.parametrize("count, ok", [(1, False), (2, True), (6, True), (7, False)])
def test_criterion_has_two_to_six_requirements(project, count, ok):
    block = "requirements:\n" + "".join(f"  - id: r{i}\n    text: Requirement {i}.\n" for i in range(count))
    path = project / CRITERION
    text = path.read_text()
    start, end = text.index("requirements:\n"), text.index("no: >-")
    path.write_text(text[:start] + block + text[end:])
    path = project / SERVICE
    path.write_text(
        path.read_text()
        .replace("      dedicated-contact: met\n      security-txt: not-found\n", "".join(f"      r{i}: not-found\n" for i in range(count)))
        .replace("supports: [dedicated-contact]", "supports: []")
    )
    found = problems(project)
    assert (found == []) == ok, [p.format() for p in found]
    if not ok:
        assert found[0].path == CRITERION and "requirements" in found[0].message


def test_old_levels_block_gets_a_hint(project):
    edit(project, CRITERION, "no: >-", "levels:\n  full: x\nno: >-")
    found = problems(project)
    assert any("replaced by `requirements:`" in p.message and p.line == line_of(project, CRITERION, "levels:") for p in found)


def test_comment_after_a_plain_value_is_fine_outside_text_fields(project):
    edit(
        project,
        SERVICE,
        "        kind: primary\n        supports: [dedicated-contact]",
        "        kind: primary   # the provider's own page\n        supports: [dedicated-contact]",
    )
    edit(project, SERVICE, "  open_source: none", "  open_source: null   # not recorded")
    edit(project, SERVICE, "  jurisdiction: Nowhere", "  jurisdiction: null   # not recorded")  # a text field, but nothing was cut
    edit(project, SERVICE, "title: Contact\n", "title: 'Contact #1 form' # quoted: kept whole\n")
    assert problems(project) == []


def test_comment_cutting_a_title_in_a_criterion_file(project):
    edit(
        project,
        CRITERION,
        '  - title: "RFC 9116',
        '  - title: RFC 9116 #security.txt\n    url: https://www.rfc-editor.org/info/rfc9116\n  - title: "RFC 9116',
    )
    found = problems(project)
    assert [p.message for p in found] == ["references #1 › title: text after ' #' is read as a YAML comment, so the value ends at 'RFC 9116'"]
    assert (found[0].line, found[0].col) == (line_of(project, CRITERION, "#security.txt"), len("  - title: RFC 9116 ") + 1)


def test_source_of_an_outcome_supports_nothing(project):
    edit(
        project,
        SERVICE,
        "    reason: >-\n      No incident found in the fixture's blog.\n",
        "    reason: >-\n      No incident found in the fixture's blog.\n    sources:\n      - url: https://service.example.org/blog\n        title: Blog\n"
        "        publisher: Fixture Service\n        kind: primary\n        supports: [published]\n        seen_current: 2026-01-10\n        accessed: 2026-01-10\n",
    )
    found = problems(project)
    assert [p.message for p in found] == ["a source of an outcome supports no requirement"]
    assert found[0].line == line_of(project, SERVICE, "supports: [published]")


def test_where_we_looked_source_is_allowed_on_not_disclosed(project):
    # de-monitoring in the fixture: all not-found, one source supporting nothing.
    assert "scope: not-found\n      intrusion-detection: not-found" in (project / SERVICE).read_text()
    assert problems(project) == []


def test_a_mistyped_status_is_reported_once(project):
    edit(project, SERVICE, "security-txt: not-found", "security-txt: notfound")
    assert len(problems(project)) == 1


def test_every_claim_problem_in_one_run(project):
    edit(project, SERVICE, "security-txt: not-found", "security-txt: met")  # met without a source
    edit(project, SERVICE, "      remit: met\n", "")  # missing status
    edit(project, SERVICE, "    reason: >-\n      No incident found in the fixture's blog.\n", "")  # outcome without reason
    edit(project, SERVICE, "published: 2025-12-01", "published: 2026-03-01")  # published after accessed
    messages = sorted(p.message for p in problems(project))
    assert len(messages) == 4, messages


def test_renamed_field_is_reported_once(project):
    edit(project, SERVICE, "    reviewed: 2026-01-10\n    second_review", "    verified: 2026-01-10\n    second_review")
    assert [p.message for p in problems(project)] == ["unknown field 'verified': renamed to `reviewed` in methodology 2.0"]


def test_provider_files_are_released_once_checked_and_later_problems_keep_their_line(project):
    # A rule that needs every provider (aliases) runs after the others have released the files'
    # data and positions (memory at 1,000 providers); its problem still points at the alias's line.
    edit(project, "data/providers/fixture-software.yaml", "aliases: []", "aliases:\n  - old-fixture-service")
    found = [p for p in problems(project) if "alias 'old-fixture-service' is already used" in p.message]
    line = line_of(project, "data/providers/fixture-software.yaml", "  - old-fixture-service")
    assert [(p.path, p.line, p.col) for p in found] == [("data/providers/fixture-software.yaml", line, 5)]


def test_checked_provider_files_hold_no_data_or_positions(project):
    dataset, found = check_tree(project, AS_OF)
    assert not found
    docs = [doc for key, doc in dataset.docs.items() if key.startswith("provider:")]
    assert docs and all(doc.data is None and not doc.values and not doc.keys for doc in docs)
    assert docs[0].where(("name",))[0] > 1  # read again on demand


def test_a_rule_that_reads_other_providers_while_they_are_being_read_fails_loudly():
    # Provider rules run as each file is read; one that compares providers must say so
    # (needs_every_provider=True), else it would silently see no providers.
    from generator.check import _NotAllRead

    with pytest.raises(RuntimeError, match="needs_every_provider"):
        _NotAllRead().get("signal")


def test_comment_cutting_a_text_field_found_only_inside_nested_models(project):
    """`publisher` exists only in a source, inside an assessment, inside the provider: the rule
    finds text fields at any depth of the models."""
    lines = (project / SERVICE).read_text(encoding="utf-8").splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip() == "publisher: Fixture Service")
    lines[first] = lines[first].replace("Fixture Service", "Fixture Service #security team")
    (project / SERVICE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(project)
    assert [(p.line, p.message.split(": ", 1)[1]) for p in found] == [
        (first + 1, "text after ' #' is read as a YAML comment, so the value ends at 'Fixture Service'")
    ]


def test_an_unknown_field_where_no_fields_are_defined_points_to_the_field_list():
    from generator import check, model

    hint = check._unknown_field_hint(model.Provider, ("name", "extra"), "extra")
    assert hint == "remove it, or check the field list in CONTRIBUTING.md"


def test_a_criterion_id_must_start_with_its_functions_code(project):
    rel = "data/criteria/id-security-contact.yaml"
    edit(project, rel, "function: identify", "function: protect")
    found = [p for p in problems(project) if "must have an id starting" in p.message]
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in found] == [
        (rel, 2, 5, "criterion of function 'protect' must have an id starting with 'pr-'", "rename to pr-security-contact")
    ]


def test_an_assessment_written_as_plain_text_is_a_problem_not_a_crash(project):
    edit(project, SERVICE, "assessments:\n", "assessments:\n  - just some text\n")
    found = problems(project)
    assert [p.hint for p in found if p.path == SERVICE and p.line == 16] == ["write the fields indented below this key"], [p.format() for p in found]


def test_a_link_that_is_not_https_gets_the_link_hint(project):
    edit(project, SERVICE, "website: https://service.example.org/", "website: http://service.example.org/")
    [found] = problems(project)
    assert (found.line, found.message) == (5, "website: URL must start with https:// (got http:)")
    assert found.hint == "links must be https:// addresses with a host, copied exactly from the page"


SITE_HINT = "write a host (example.org), or host/owner for a code forge (github.com/owner), without https:// or a path"
FIELDS_HERE = "id, name, kind, website, summary, aliases, official_sites, draft, discontinued, context, assessments, machine_sources"

# Schema problems, one per kind of mistake: (description, file, old, new, every problem of that file as
# (line, col, message, hint)). Positions: the value (or the key, for a field that should not be there).
SCHEMA_CASES = [
    (
        "a site written as a forge URL",
        SERVICE,
        "official_sites: []",
        "official_sites:\n  - https://github.com/deltachat/",
        [(11, 5, "official_sites #1: 'https://github.com/deltachat/' is not a site name", f"{SITE_HINT}: github.com/deltachat")],
    ),
    (
        "a site written as a URL with www",
        SERVICE,
        "official_sites: []",
        "official_sites:\n  - https://www.example.org/a",
        [(11, 5, "official_sites #1: 'https://www.example.org/a' is not a site name", f"{SITE_HINT}: example.org")],
    ),
    (
        "a site written with a path but no https://",
        SERVICE,
        "official_sites: []",
        "official_sites:\n  - github.com/deltachat/core",
        [(11, 5, "official_sites #1: 'github.com/deltachat/core' is not a site name", f"{SITE_HINT}: github.com/deltachat")],
    ),
    (
        "a site with no host to suggest",
        SERVICE,
        "official_sites: []",
        "official_sites:\n  - /",
        [(11, 5, "official_sites #1: '/' is not a site name", SITE_HINT)],
    ),
    (
        "an alias that is not an id",
        SERVICE,
        "  - old-fixture-service",
        "  - Old_Service",
        [(9, 5, "aliases #1: 'Old_Service' is not a valid id", "use lowercase letters, digits and single hyphens")],
    ),
    (
        "a value of the wrong form",
        SERVICE,
        "        language: de\n",
        "        language: de\n        content_sha256: abc\n",
        [
            (
                49,
                25,
                "assessments #2 › sources #1 › content_sha256: 'abc' does not have the expected form",
                "it must match ^[0-9a-f]{64}$; see the field reference",
            )
        ],
    ),
    (
        "a name over the limit",
        SERVICE,
        "name: Fixture Service",
        "name: " + "x" * 301,
        [(3, 7, "name: 301 characters; the limit is 300", "shorten it to at most 300 characters (CONTRIBUTING.md lists every limit)")],
    ),
    ("a required field left out", SERVICE, "name: Fixture Service\n", "", [(2, 1, "missing required field 'name'", "add `name:` here")]),
    (
        "a blank text",
        SERVICE,
        "summary: >-\n  A test fixture standing for a hosted messaging service.",
        "summary: ' '",
        [(6, 10, "summary: String should have at least 1 character", "write some text here")],
    ),
    (  # left out for the schema problem, and so not also reported as missing
        "a blank summary of a claim",
        SERVICE,
        "    summary: >-\n      A contact address, no security.txt.",
        "    summary: ' '",
        [(38, 14, "assessments #2 › summary: String should have at least 1 character", "write some text here")],
    ),
    ("a number for a text", SERVICE, "name: Fixture Service", "name: 12", [(3, 7, "name: Input should be a valid string", "put the text in quotes")]),
    (
        "a text for a list",
        SERVICE,
        "aliases:\n  - old-fixture-service",
        "aliases: old-fixture-service",
        [(8, 10, "aliases: Input should be a valid list", "write a list: one `- item` per line")],
    ),
    (
        "a text for a group of fields",
        SERVICE,
        "context:\n  jurisdiction: Nowhere\n  funding: Test data\n  open_source: none",
        "context: Nowhere",
        [(11, 10, "context: Input should be a valid dictionary or instance of Context", "write the fields indented below this key")],
    ),
    (
        "a text for the statuses",
        SERVICE,
        "    requirements:\n      dedicated-contact: met\n      security-txt: not-found\n",
        "    requirements: all met\n",
        [(35, 19, "assessments #2 › requirements: Input should be a valid dictionary", "write the fields indented below this key")],
    ),
    (
        "a link with a port",
        SERVICE,
        "website: https://service.example.org/",
        "website: https://service.example.org:8443/",
        [(5, 10, "website: URL has a port; source links use the default https port", "links must be https:// addresses with a host")],
    ),
    (
        "a name on two lines",  # the hint once was the link hint, for every value error
        SERVICE,
        "name: Fixture Service",
        'name: "Fixture\\nService"',
        [(3, 7, "name: must be one line (no line breaks or tabs)", "write it on one line, without line breaks or tabs")],
    ),
    (
        "a word for a yes/no field",
        SERVICE,
        "official_sites: []",
        "official_sites: []\ndraft: maybe",
        [(11, 8, "draft: Input should be a valid boolean, unable to interpret input", "see CONTRIBUTING.md for the expected shape")],
    ),
    (
        "a field of a nested model written at the top",
        SERVICE,
        "official_sites: []",
        "official_sites: []\nnotes: x",
        [(11, 1, "unknown field 'notes'", f"'notes' is not a field here; it belongs at context.notes. Fields here: {FIELDS_HERE}")],
    ),
    (
        "a field that exists nowhere",
        SERVICE,
        "  open_source: none",
        "  open_source: none\n  zzz: 1",
        [(15, 3, "unknown field 'zzz'", "remove it; the fields here are: jurisdiction, funding, open_source, notes")],
    ),
    (
        "an empty list that needs an entry",
        CRITERION,
        "csf_categories: [ID.RA]",
        "csf_categories: []",
        [(5, 17, "csf_categories: List should have at least 1 item after validation, not 0", "add at least one entry")],
    ),
    (
        "the old levels block instead of requirements",
        CRITERION,
        "requirements:\n  - id: dedicated",
        "levels:\n  - id: dedicated",
        # The renamed field is reported once: not also `requirements` as missing.
        [
            (
                26,
                1,
                "unknown field 'levels': replaced by `requirements:` in methodology 2.0 (see docs/methodology/changelog.md)",
                "see the data file reference",
            )
        ],
    ),
    (
        "a number below its minimum",
        CRITERION,
        "freshness_months: 12",
        "freshness_months: 0",
        [(43, 19, "freshness_months: Input should be greater than or equal to 1", "see CONTRIBUTING.md for the expected shape")],
    ),
]


@pytest.mark.parametrize("name, rel, old, new, expected", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_problems_say_what_is_wrong_and_how_to_fix_it(project, name, rel, old, new, expected):
    edit(project, rel, old, new)
    assert [(p.line, p.col, p.message, p.hint) for p in problems(project) if p.path == rel] == expected


VENDOR_RESPONSE = (
    "    vendor_response:\n      stance: agrees\n      url: https://service.example.org/reply\n      date: 2027-02-01\n      text: We agree.\n"
)
AS_OF_HINT = "use the date you actually read or checked it"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "official_sites: []",
            "official_sites: []\ndiscontinued:\n  since: 2027-03-01\n  note: Shut down.",
            [(12, 10, "discontinued since date 2027-03-01 is after the as-of date 2026-11-27", AS_OF_HINT)],
        ),
        (
            "published: 2025-12-01",
            "published: 2027-01-02",
            [
                (46, 20, "published 2027-01-02 is after accessed 2026-01-10", "check both dates"),
                (46, 20, "published date 2027-01-02 is after the as-of date 2026-11-27", AS_OF_HINT),
            ],
        ),
        (
            "seen_current: 2020-01-10\n        accessed: 2020-01-10",
            "seen_current: 2027-01-10\n        accessed: 2020-01-10",
            [
                (86, 23, "seen_current 2027-01-10 is after accessed 2020-01-10", "check both dates"),
                (86, 23, "seen_current date 2027-01-10 is after the as-of date 2026-11-27", AS_OF_HINT),
            ],
        ),
        (  # once "vendor response date date ..."
            "    reviewed: 2026-01-10\n    provenance: third-party\n",
            "    reviewed: 2026-01-10\n    provenance: third-party\n" + VENDOR_RESPONSE,
            [(93, 13, "vendor response date 2027-02-01 is after the as-of date 2026-11-27", AS_OF_HINT)],
        ),
    ],
    ids=["discontinued", "published", "seen-current", "vendor-response"],
)
def test_every_kind_of_date_is_checked_against_the_as_of_date(project, old, new, expected):
    edit(project, SERVICE, old, new)
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [(SERVICE, *e) for e in expected]


def test_a_missing_framework_is_the_one_problem_and_leaves_no_dataset(project):
    (project / "data/framework.yaml").unlink()
    assert check_tree(project, AS_OF) == (None, [Problem("data/framework.yaml", 1, 1, "file is missing", "restore data/framework.yaml from git")])


def test_an_unreadable_framework_is_reported_as_it_is_not_as_missing(project):
    (project / "data/framework.yaml").write_text("functions: [detect, protect\n")  # the bracket at column 12
    assert check_tree(project, AS_OF) == (
        None,
        [
            Problem(
                "data/framework.yaml",
                1,
                12,
                "YAML syntax: a bracket opened here is never closed",
                "close it with ] or } on the same line, or write a list as one `- item` per line",
            )
        ],
    )


def test_a_criterion_id_used_twice_is_reported_at_the_second_files_id(project):
    (project / "data/criteria/zz-copy.yaml").write_text((project / CRITERION).read_text())
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [
        ("data/criteria/zz-copy.yaml", 2, 5, "duplicate criterion id 'id-security-contact'", "ids must be unique"),
        (
            "data/criteria/zz-copy.yaml",
            2,
            5,
            "id 'id-security-contact' does not match the file name 'zz-copy'",
            "rename the file to id-security-contact.yaml or set id: zz-copy",
        ),
    ]


@pytest.mark.parametrize(
    "name, suggestion",
    [("!!!.yaml", "its-id.yaml"), ("Fixture Service.yaml", "fixture-service.yaml"), ("fixture-service.yml", "fixture-service.yaml")],
)
def test_a_misnamed_file_gets_a_name_to_rename_it_to(project, name, suggestion):
    (project / "data/providers" / name).write_text((project / SERVICE).read_text())
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [
        (
            f"data/providers/{name}",
            1,
            1,
            f"file name {name!r} is not a lowercase id followed by .yaml",
            f"rename it to {suggestion} (the id inside must match)",
        )
    ]


def test_problems_are_printed_in_file_order_with_hints_and_counted_by_file(monkeypatch):
    import io

    from generator.problems import DataError, report

    found = [
        Problem("b.yaml", 2, 3, "second", "fix b"),
        Problem("a.yaml", 10, 1, "100% wrong\r\nreally"),
        Problem("a.yaml", 9, 4, "first", "fix: a, 50%"),
    ]
    printed = "a.yaml:9:4: error: first\n  hint: fix: a, 50%\na.yaml:10:1: error: 100% wrong\r\nreally\nb.yaml:2:3: error: second\n  hint: fix b\n"
    for value in (None, "1", "false"):  # only GitHub's own "true" adds the workflow annotations
        if value is None:
            monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        else:
            monkeypatch.setenv("GITHUB_ACTIONS", value)
        out = io.StringIO()
        report(found, out)
        assert out.getvalue() == printed + "3 problem(s) in 2 file(s).\n"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    out = io.StringIO()
    report(found, out)
    assert out.getvalue() == printed + (
        "::error file=a.yaml,line=9,col=4::first (hint: fix: a, 50%25)\n"
        "::error file=a.yaml,line=10,col=1::100%25 wrong%0D%0Areally\n"
        "::error file=b.yaml,line=2,col=3::second (hint: fix b)\n"
        "3 problem(s) in 2 file(s).\n"
    )
    assert Problem("x%\r\n.yaml", 1, 2, "m").annotation() == "::error file=x%25%0D%0A.yaml,line=1,col=2::m"
    error = DataError(found)
    assert str(error) == "3 problem(s) in the data" and error.problems == sorted(found) == [found[2], found[1], found[0]]


SECOND_SOURCE = (
    "        language: de\n",
    "        language: de\n      - url: https://service.example.org/second\n        title: Second\n        publisher: Fixture Service\n"
    "        kind: primary\n        supports: [dedicated-contact]\n        published: 2026-02-01\n        accessed: 2026-01-10\n",
)
BAD_LINK = ("url: https://service.example.org/contact", "url: javascript:alert(1)")
JS_PROBLEM = (
    "assessments #2 › sources #1 › url: URL must start with https:// (got javascript:)",
    "links must be https:// addresses with a host, copied exactly from the page",
)


@pytest.mark.parametrize(
    "edits, expected, left_out",
    [
        (  # the bad source is left out; the next one moves up, and its problem keeps its own line
            [SECOND_SOURCE, BAD_LINK],
            [(41, 14, *JS_PROBLEM), (54, 20, "published 2026-02-01 is after accessed 2026-01-10", "check both dates")],
            {"assessments"},
        ),
        (  # without the bad source, nothing supports what it supported
            [BAD_LINK],
            [
                (
                    36,
                    26,
                    "requirement 'dedicated-contact' is met but no source supports it",
                    "list 'dedicated-contact' in `supports:` of the source that shows it",
                ),
                (41, 14, *JS_PROBLEM),
            ],
            {"assessments"},
        ),
        (  # an optional field with a bad value is left out, not its whole assessment
            [
                ("    second_review: 2026-01-12\n", "    second_review: 2026-13-12\n"),
                ("accessed: 2026-01-10\n        language", "accessed: 2027-01-10\n        language"),
            ],
            [
                (32, 20, "assessments #1 › second_review: not a valid date", "write dates as YYYY-MM-DD, e.g. 2026-01-31"),
                (47, 19, "accessed date 2027-01-10 is after the as-of date 2026-11-27", "use the date you actually read or checked it"),
            ],
            {"assessments"},
        ),
        (  # a required top-level field gets a stand-in, and the rest of the file is still checked
            [("kind: service", "kind: sofware"), ("accessed: 2026-01-10\n        language", "accessed: 2027-01-10\n        language")],
            [
                (4, 7, "kind: Input should be 'service', 'software' or 'both'", "use one of the listed values exactly"),
                (47, 19, "accessed date 2027-01-10 is after the as-of date 2026-11-27", "use the date you actually read or checked it"),
            ],
            {"kind"},
        ),
        (  # a replaced website would make every primary source look unofficial: that rule is skipped
            [
                ("website: https://service.example.org/", "website: http://service.example.org/"),
                ("url: https://service.example.org/contact", "url: https://service-example.org/contact"),
            ],
            [
                (
                    5,
                    10,
                    "website: URL must start with https:// (got http:)",
                    "links must be https:// addresses with a host, copied exactly from the page",
                )
            ],
            {"website"},
        ),
        (
            [("id: fixture-service", "id: Fixture_Service")],
            [(2, 5, "id: 'Fixture_Service' is not a valid id", "use lowercase letters, digits and single hyphens")],
            {"id"},
        ),
    ],
    ids=[
        "source-left-out-moves-the-next-up",
        "source-left-out-unsupports",
        "optional-field-left-out",
        "kind-replaced",
        "website-replaced",
        "id-replaced",
    ],
)
def test_a_file_with_schema_problems_is_checked_without_its_invalid_parts(project, edits, expected, left_out):
    from generator.check import load_tree

    for old, new in edits:
        edit(project, SERVICE, old, new)
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [(SERVICE, *e) for e in expected]
    dataset, _ = load_tree(project, AS_OF)
    assert dataset.incomplete == {"provider:fixture-service": left_out}
    assert sorted(dataset.providers) == ["fixture-service", "fixture-software"]  # an invalid id is replaced by the file's name


def test_a_provider_whose_name_is_invalid_keeps_its_place_under_a_stand_in_name(project):
    from generator.check import load_tree

    edit(project, SERVICE, "name: Fixture Service", "name: " + "x" * 301)
    dataset, found = load_tree(project, AS_OF)
    assert [p.message for p in found] == ["name: 301 characters; the limit is 300"]
    provider = dataset.providers["fixture-service"]
    assert (provider.name, provider.kind.value, len(provider.assessments)) == ("(invalid name)", "service", 5)


@pytest.mark.parametrize("text, ok", [("a\nb", False), ("a\rb", False), ("a\tb", False), ("a b", True), ("  a b  ", True)])
def test_names_and_titles_are_one_line(text, ok):
    from pydantic import ValidationError

    from generator.model import Reference

    if ok:
        assert Reference.model_validate({"title": text}).title == text.strip()
        return
    with pytest.raises(ValidationError) as exc:
        Reference.model_validate({"title": text})
    assert [(e["loc"], e["type"], e["msg"]) for e in exc.value.errors()] == [(("title",), "one_line", "must be one line (no line breaks or tabs)")]


def test_criteria_apply_by_kind_in_catalogue_order(project):
    dataset, _ = check_tree(project, AS_OF)
    everything = ["gv-security-ownership", "id-security-contact", "pr-e2ee-default", "de-monitoring", "rs-postmortems", "rc-status-page"]
    assert [c.id for c in dataset.applicable_to("both")] == list(dataset.criteria) == everything
    assert [c.id for c in dataset.applicable_to("service")] == everything
    assert [c.id for c in dataset.applicable_to("software")] == ["gv-security-ownership", "id-security-contact", "pr-e2ee-default"]
    assert [c.id for c in dataset.applicable(dataset.providers["fixture-software"])] == everything[:3]


def test_the_published_dataset_leaves_drafts_out_and_keeps_everything_else(project):
    dataset, _ = check_tree(project, AS_OF)
    assert dataset.published() is dataset  # no draft: nothing to leave out
    edit(project, SERVICE, "kind: service", "kind: service\ndraft: true")
    dataset, found = check_tree(project, AS_OF)
    assert found == []
    published = dataset.published()
    assert list(published.providers) == ["fixture-software"] and list(dataset.providers) == ["fixture-service", "fixture-software"]
    assert published.providers["fixture-software"] is dataset.providers["fixture-software"]
    kept = ("framework", "criteria", "docs", "maintainers", "funders")
    assert all(getattr(published, name) is getattr(dataset, name) for name in kept)


DOCSLIB = ("url: https://service.example.org/contact", "url: https://docslib.org/doc/1")
NOT_OFFICIAL = (
    "data/providers/fixture-service.yaml",
    41,
    14,
    "source marked primary is not on an official site of Fixture Service: docslib.org",
    "mark it `kind: secondary`, or add the site to `official_sites` if it really is the provider's own "
    "(check the spelling of the domain: lookalike domains exist)",
)


def test_without_a_source_policy_no_host_is_blocked(project):
    edit(project, SERVICE, *DOCSLIB)
    (project / "data/source-policy.yaml").unlink()
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [NOT_OFFICIAL]


def test_a_source_policy_with_a_problem_is_reported_and_blocks_nothing(project):
    edit(project, SERVICE, *DOCSLIB)
    edit(
        project,
        "data/source-policy.yaml",
        "  - {host: docslib.org, reason: re-hosted copy of a document}",
        "  - {host: docslib.org, reason: re-hosted copy of a document, extra: 1}",
    )
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [
        NOT_OFFICIAL,
        ("data/source-policy.yaml", 14, 63, "unknown field 'extra'", "remove it; the fields here are: host, reason"),
    ]


@pytest.mark.parametrize(
    "rel, text, expected",
    [
        (
            "data/maintainers.yaml",
            "# yaml-language-server: $schema=schema/maintainers.schema.json\nmaintainers:\n"
            "  - name: A\n    role: r\n    since: 2026-01-01\n    interests: []\n    extra: 1\n",
            (7, 5, "unknown field 'extra'", "remove it; the fields here are: name, github, role, since, interests"),
        ),
        (
            "data/funders.yaml",
            "# yaml-language-server: $schema=schema/funders.schema.json\nfunders: 3\n",
            (2, 10, "funders: Input should be a valid list", "write a list: one `- item` per line"),
        ),
    ],
)
def test_problems_in_the_maintainers_and_funders_files_are_reported(project, rel, text, expected):
    (project / rel).write_text(text)
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [(rel, *expected)]


def test_a_problem_in_the_framework_is_reported_and_nothing_else_is_checked_against_it(project):
    edit(project, "data/framework.yaml", "groups:", "extra: 1\ngroups:")
    edit(project, SERVICE, "published: 2025-12-01", "published: 2026-02-01")  # a provider problem, not reached without a framework
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems(project)] == [
        ("data/framework.yaml", 63, 1, "unknown field 'extra'", "remove it; the fields here are: functions, asset_classes, groups")
    ]
