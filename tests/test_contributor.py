"""The contributor path (issue 14): from "I know one fact" to a merged pull request without a programmer's help."""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import pytest
import yaml

from generator import build
from generator.check import check_tree

from .conftest import AS_OF, FIXTURES, ROOT, run

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


# --- One pass: every problem of every file, sorted, 1-based --------------------------------------


def _problems(project: Path):
    dataset, found = check_tree(project, AS_OF)
    assert (dataset is None) == bool(found)
    return found


def test_a_schema_problem_does_not_hide_cross_file_problems_in_the_same_assessment(project):
    # The issue's example: a misspelled criterion plus a provenance typo in one assessment.
    edit(project, SERVICE, "criterion: de-monitoring\n    requirements:", "criterion: de-monitorin\n    requirements:")
    edit(
        project,
        SERVICE,
        "    provenance: vendor-asserted\n  - criterion: rs-postmortems",
        "    provenance: vendor-asserte\n  - criterion: rs-postmortems",
    )
    messages = [p.message for p in _problems(project)]
    assert any("unknown criterion 'de-monitorin'" in m for m in messages), messages
    assert any("provenance" in m for m in messages), messages


def test_schema_problems_do_not_hide_rules_on_the_rest_of_the_file(project):
    # A kind typo (top-level, required) and a blocked-host source in another assessment, plus an
    # alias clash across files: all reported in one run.
    edit(project, SERVICE, "kind: service", "kind: servise")
    edit(project, SERVICE, "url: https://service.example.org/contact", "url: https://docslib.org/doc/1")
    edit(project, "data/providers/fixture-software.yaml", "aliases: []", "aliases:\n  - old-fixture-service")
    edit(project, "data/providers/fixture-software.yaml", "kind: software", "kind: software\nwebsite2: x")
    messages = [p.message for p in _problems(project)]
    assert any(m.startswith("kind:") for m in messages), messages
    assert any("docslib.org are not accepted" in m for m in messages), messages
    assert any("unknown field 'website2'" in m for m in messages), messages
    assert any("alias 'old-fixture-service' is already used" in m for m in messages), messages


def test_problems_are_sorted_by_file_and_line_with_1_based_positions(project):
    edit(project, SERVICE, "    summary: >-\n      A contact address", "    level: partly\n    summary: >-\n      A contact address")
    edit(project, SERVICE, "criterion: de-monitoring", "criterion: de-monitorin")
    edit(project, SERVICE, "    reviewed: 2026-01-10\n    second_review: 2026-01-12", "    reviewed: 2026-13-10\n    second_review: 2026-01-12")
    edit(project, "data/providers/fixture-software.yaml", "kind: software", "kind: sofware")
    found = _problems(project)
    assert [(p.path, p.line, p.col) for p in found] == sorted((p.path, p.line, p.col) for p in found)
    assert all(p.line >= 1 and p.col >= 1 for p in found)
    text = (project / SERVICE).read_text().splitlines()
    level = next(p for p in found if "partly" in p.message or ("level" in p.message and p.path == SERVICE))
    assert "assessments #2 › level" in level.message  # the second assessment, counted from 1
    assert text[level.line - 1].strip() == "level: partly" and text[level.line - 1].index("partly") + 1 == level.col
    reviewed = next(p for p in found if "reviewed" in p.message)
    assert "assessments #1 › reviewed" in reviewed.message
    assert not any("[0]" in p.message or "#0" in p.message for p in found)


def test_duplicate_criterion_names_the_first_item_counted_from_1(project):
    edit(project, SERVICE, "criterion: de-monitoring", "criterion: gv-security-ownership")
    found = [p for p in _problems(project) if "assessed twice" in p.message]
    assert found and "first at assessments #1" in found[0].message


# --- Hints that say the right thing --------------------------------------------------------------


def test_official_site_written_as_url_gets_a_site_hint_and_no_misleading_primary_error(project):
    edit(project, SERVICE, "official_sites: []", "official_sites:\n  - https://github.com/fixture-org/")
    edit(project, SERVICE, "url: https://service.example.org/contact", "url: https://github.com/fixture-org/app/blob/main/SECURITY.md")
    found = _problems(project)
    site = [p for p in found if "official_sites #1" in p.message]
    assert site and "not a valid id" not in site[0].message and "not a site name" in site[0].message
    assert "without https://" in site[0].hint and site[0].hint.endswith(": github.com/fixture-org")
    assert not [p for p in found if "not on an official site" in p.message], [p.format() for p in found]


def test_unknown_notes_on_an_assessment_says_where_notes_belongs(project):
    edit(
        project,
        SERVICE,
        "    provenance: vendor-asserted\n  - criterion: id-security-contact",
        "    provenance: vendor-asserted\n    notes: extra\n  - criterion: id-security-contact",
    )
    p = next(p for p in _problems(project) if "unknown field 'notes'" in p.message)
    assert "did you mean 'notes'" not in p.hint
    assert "context.notes" in p.hint


def test_unknown_field_suggests_a_field_of_the_same_place(project):
    edit(
        project,
        SERVICE,
        "    provenance: vendor-asserted\n  - criterion: id-security-contact",
        "    provenanse: vendor-asserted\n  - criterion: id-security-contact",
    )
    p = next(p for p in _problems(project) if "unknown field 'provenanse'" in p.message)
    assert p.hint == "did you mean 'provenance'?"


def test_too_long_summary_states_the_limit(project):
    from generator import rules

    edit(project, SERVICE, "  A test fixture standing for a hosted messaging service.", "  " + "x" * (rules.TEXT_MAX + 1))
    p = next(p for p in _problems(project) if p.message.startswith("summary:"))
    assert f"{rules.TEXT_MAX + 1} characters; the limit is {rules.TEXT_MAX}" in p.message
    assert f"at most {rules.TEXT_MAX} characters" in p.hint
    assert f"{rules.TEXT_MAX}" in (ROOT / "CONTRIBUTING.md").read_text()


# --- CONTRIBUTING states every limit, generated from the model -------------------------------------


def test_contributing_lists_every_limit_generated_from_the_code():
    from generator import limits, rules
    from generator.model import Provider

    text = (ROOT / "CONTRIBUTING.md").read_text()
    assert not limits.stale(ROOT), "run `scorecard schema` and commit CONTRIBUTING.md"
    for number in (rules.TEXT_MAX, rules.SHORT_TEXT_MAX, rules.SLUG_MAX, f"{rules.MAX_FILE_BYTES:,}"):
        assert str(number) in text
    for name in Provider.model_fields:
        assert f"| Provider | `{name}` |" in text or name in ("context", "assessments", "draft", "machine_sources", "discontinued"), (
            name
        )  # nested models: their own rows


def test_the_limits_fragment_drifts_when_the_model_changes(monkeypatch):
    from generator import limits, rules

    before = limits.fragment()
    monkeypatch.setattr(rules, "MAX_FILE_BYTES", rules.MAX_FILE_BYTES + 1)
    assert limits.fragment() != before
    assert limits.stale(ROOT)
    code, _, err = run("schema", "--check", root=ROOT)
    assert code == 1 and "CONTRIBUTING.md:1:1: error: the generated list of limits is out of date" in err


# --- Scaffolding that always works -----------------------------------------------------------------


def test_new_provider_works_while_other_files_are_invalid(project):
    code, _, err = run("new", "provider", "First One", "--as-of", str(AS_OF), root=project)
    assert code == 0, err  # its `website: https://` is not filled in yet: an invalid file from now on
    edit(project, SERVICE, "kind: service", "kind: servise")
    (project / "data/providers/broken.yaml").write_text("id: broken\nsummary: a: b\n")
    code, out, err = run("new", "provider", "Second One", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert (project / "data/providers/second-one.yaml").exists()
    assert "did not stop the scaffold" in err and "scorecard validate" in err
    # Ids stay protected even when their file is invalid.
    code, _, err = run("new", "provider", "Fixture Service", root=project)
    assert code == 1 and "already used" in err


def test_new_provider_file_has_no_trailing_spaces_and_evidence_goes_into_a_file_without_assessments(project):
    code, _, err = run("new", "provider", "First One", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    text = (project / "data/providers/first-one.yaml").read_text()
    assert [line for line in text.splitlines() if line != line.rstrip()] == []
    # A provider file without an `assessments:` key gets one with the block.
    edit(project, "data/providers/fixture-software.yaml", "assessments:", "old_assessments:")
    path = project / "data/providers/fixture-software.yaml"
    path.write_text(path.read_text().split("old_assessments:")[0])
    code, _, err = run("new", "evidence", "fixture-software", "id-security-contact", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert "\nassessments:\n  - criterion: id-security-contact\n" in path.read_text()


def test_new_evidence_and_new_provider_refuse_an_unreadable_file_and_a_bad_id(project):
    (project / "data/providers/fixture-software.yaml").write_text("id: fixture-software\nname: [unclosed\n")
    code, _, err = run("new", "evidence", "fixture-software", "id-security-contact", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "data/providers/fixture-software.yaml:1:1: error: cannot add evidence: fix the problem above first" in err, err
    code, _, err = run("new", "provider", "Some Name", "--id", "Bad_Id", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "data/providers/Bad_Id.yaml:1:1: error: 'Bad_Id' is not a valid id" in err, err


def test_new_evidence_replaces_an_empty_assessments_list(project):
    path = project / "data/providers/fixture-software.yaml"
    path.write_text(path.read_text().split("assessments:")[0] + "assessments: []  # none yet\n")
    code, _, err = run("new", "evidence", "fixture-software", "id-security-contact", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert "\nassessments:\n  - criterion: id-security-contact\n" in path.read_text()


def test_new_provider_says_why_when_it_cannot_work(project):
    (project / "data/framework.yaml").write_text("functions: [\n")
    code, _, err = run("new", "provider", "Some One", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "data/framework.yaml" in err and "fix data/framework.yaml first" in err


def _with_context_after_assessments(project: Path) -> Path:
    """A hand-written file whose items sit at column 1 and whose `context:` comes after `assessments:`."""
    path = project / "data/providers/fixture-software.yaml"
    text = path.read_text()
    head, rest = text.split("assessments:\n", 1)
    items = "\n".join(line[2:] if line.startswith("  ") else line for line in rest.splitlines())
    context = re.search(r"^context:\n(?:  .*\n)+", head, re.M)
    head = head.replace(context.group(0), "") if context else head
    path.write_text(head + "assessments:\n" + items + "\n" + (context.group(0) if context else "context: {}\n"))
    assert check_tree(project, AS_OF)[1] == []
    return path


def test_new_evidence_appends_a_block_indented_like_the_file_that_fails_until_filled(project):
    path = _with_context_after_assessments(project)
    before = path.read_text()
    code, out, err = run("new", "evidence", "fixture-software", "id-security-contact", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    text = path.read_text()
    assert text.count("context:") == 1 and text.index("- criterion: id-security-contact") < text.index("context:")
    assert "\n- criterion: id-security-contact\n" in text  # the file's own indentation (column 1)
    assert before.split("context:")[0].rstrip("\n") in text
    found = [p for p in check_tree(project, AS_OF)[1] if p.path.endswith("fixture-software.yaml")]
    messages = " ".join(p.message for p in found)
    assert "summary" in messages and "url" in messages and "title" in messages  # placeholders never validate
    # All of them in one run: the unfilled source's missing date too, and no "missing summary" for the empty one.
    assert "source has no date" in messages and "publisher" in messages
    assert "missing `summary:`" not in messages
    # Filled in as a contributor would, it validates.
    filled = (
        text.replace('summary: ""', 'summary: "The page describes monitoring of the servers."')
        .replace("url: https://  #", "url: https://github.com/example-org/fixture/blob/main/SECURITY.md  #")
        .replace('title: ""', "title: Monitoring")
        .replace('publisher: ""', "publisher: Fixture Software")
    )
    # Mark what the source shows: one requirement met, supported by the source, which gets a date.
    filled = re.sub(
        r"(- criterion: id-security-contact\n(?:.*\n)*?\s+requirements:.*\n(?:\s+#.*\n)*\s+)([a-z0-9-]+): not-found", r"\1\2: met", filled, count=1
    )
    req = re.search(r"- criterion: id-security-contact\n(?:.*\n)*?\s+requirements:.*\n(?:\s+#.*\n)*\s+([a-z0-9-]+): met", filled).group(1)
    filled = filled.replace("supports: []", f"supports: [{req}]", 1)
    filled = re.sub(r"published:  #.*", "seen_current: 2026-11-27", filled, count=1)
    path.write_text(filled)
    found = check_tree(project, AS_OF)[1]
    assert found == [], [p.format() for p in found]


def test_new_evidence_appends_after_the_last_item_of_a_two_space_file(project):
    code, out, err = run("new", "evidence", "fixture-service", "pr-e2ee-default", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    text = (project / SERVICE).read_text()
    assert "\n  - criterion: pr-e2ee-default\n" in text
    line = int(re.search(r"at line (\d+)", out).group(1))
    assert text.splitlines()[line - 1] == "  - criterion: pr-e2ee-default"


def test_new_evidence_refuses_what_would_be_wrong(project):
    code, _, err = run("new", "evidence", "fixture-service", "de-monitorin", root=project)
    assert code == 1 and "did you mean 'de-monitoring'" in err
    code, _, err = run("new", "evidence", "fixture-service", "de-monitoring", root=project)
    assert code == 1 and "already assessed here (assessments #3)" in err
    code, _, err = run("new", "evidence", "fixture-servic", "de-monitoring", root=project)
    assert code == 1 and "did you mean 'fixture-service'" in err
    code, _, err = run("new", "evidence", "fixture-software", "rc-status-page", root=project)
    assert code == 1 and "not to kind 'software'" in err


def test_evidence_block_lists_every_requirement_as_a_not_found_checklist():
    """The block is the criterion's checklist."""
    import datetime as dt
    from types import SimpleNamespace

    from generator import scaffold
    from generator.load import load_text

    crit = SimpleNamespace(
        id="id-x",
        question="Is there a thing?",
        no="The provider says there is none.",
        requirements=[SimpleNamespace(id="alpha", text="The first testable statement."), SimpleNamespace(id="beta", text="The second one.")],
    )
    block = scaffold.assessment_block(crit, dt.date(2026, 11, 28))
    doc, found = load_text("x.yaml", ("assessments:\n" + "\n".join(block) + "\n").encode())
    assert found == [] and doc is not None
    item = doc.data["assessments"][0]
    assert item["requirements"] == {"alpha": "not-found", "beta": "not-found"}
    assert item["sources"][0]["supports"] == [] and item["reviewed"] == "2026-11-28"
    text = "\n".join(block)
    assert "# The first testable statement." in text and "# seen_current:" in text and "# undated: true" in text
    assert "# contradicted means: The provider says there is none." in text
    filled = scaffold.assessment_block(
        crit,
        dt.date(2026, 11, 28),
        2,
        scaffold.Evidence(
            summary="S", url="https://x.example/", title="T", publisher="P", supports=["beta"], date_kind="seen_current", date=dt.date(2026, 11, 27)
        ),
    )
    item = load_text("x.yaml", ("assessments:\n" + "\n".join(filled) + "\n").encode())[0].data["assessments"][0]
    assert item["requirements"] == {"alpha": "not-found", "beta": "met"}
    assert item["sources"][0]["supports"] == ["beta"] and item["sources"][0]["seen_current"] == "2026-11-27"


def test_a_filled_evidence_block_exactly():
    """Every line of a block made from evidence (what `scorecard from-issue` appends), at 4 spaces."""
    import datetime as dt
    from types import SimpleNamespace

    from generator import scaffold

    crit = SimpleNamespace(
        id="id-x",
        question="Is there a thing?",
        no="",
        requirements=[SimpleNamespace(id="alpha", text="First."), SimpleNamespace(id="beta", text="Second.")],
    )
    evidence = scaffold.Evidence(
        summary='Says "yes" # not a comment',
        url="https://x.example/page",
        title="T: a title",
        publisher="P",
        kind="secondary",
        supports=["alpha", "beta"],
        date_kind="undated",
        language="pt-BR",
        provenance="third-party",
        note="From somewhere.",
    )
    assert scaffold.assessment_block(crit, dt.date(2026, 11, 28), 4, evidence) == [
        "    # From somewhere.",
        "    - criterion: id-x",
        "      # Is there a thing?",
        "      requirements:  # met | not-found | contradicted; each met one needs a source that `supports` it",
        "        # First.",
        "        alpha: met",
        "        # Second.",
        "        beta: met",
        '      summary: "Says \\"yes\\" # not a comment"',
        "      sources:  # the pages you read; delete this list only if you found nothing",
        "        - url: https://x.example/page  # the exact address of the page",
        '          title: "T: a title"',
        "          # publisher: who published the page",
        '          publisher: "P"',
        "          kind: secondary  # primary: the provider's own site; secondary: anyone else",
        "          supports: [alpha, beta]  # ids of the requirements above that this page shows",
        "          undated: true  # an undated document that is not a living page",
        "          accessed: 2026-11-28  # when you read it",
        "          language: pt-BR",
        "      reviewed: 2026-11-28  # when you checked this claim against its sources",
        "      provenance: third-party  # vendor-asserted | third-party | independently-verified",
    ]
    published = scaffold.assessment_block(crit, "YYYY-MM-DD", 0, scaffold.Evidence(date=dt.date(2026, 1, 2)))
    assert "      published: 2026-01-02" in published and "      accessed: YYYY-MM-DD  # when you read it" in published
    assert not any("language" in line or "# From" in line for line in published)


# --- The "Add evidence" issue form and its workflow --------------------------------------------------


def test_add_evidence_form_is_generated_from_the_criteria_and_in_sync():
    from generator import issue

    form = yaml.safe_load((ROOT / issue.FORM_PATH).read_text())
    blocks = {b.get("id"): b for b in form["body"]}
    criteria = sorted(p.stem for p in (ROOT / "data/criteria").glob("*.yaml"))
    options = [o.split(":", 1)[0] for o in blocks["criterion"]["attributes"]["options"]]
    assert sorted(options) == criteria
    assert blocks["criterion"]["type"] == "dropdown"
    for fid in ("provider", "criterion", "requirements", "url", "title", "publisher", "date_kind", "date", "summary", "coi"):
        assert fid in blocks, fid
    assert set(blocks["date_kind"]["attributes"]["options"]) == set(issue.DATE_KINDS)
    assert sorted(issue.DATE_KINDS.values()) == ["published", "seen_current", "undated"]
    code, _, err = run("schema", "--check", root=ROOT)
    assert code == 0, err


def test_the_form_drifts_when_a_criterion_is_added(project):
    from generator import issue

    run("schema", "--as-of", str(AS_OF), root=project)
    assert (project / issue.FORM_PATH).exists()
    code, _, _ = run("schema", "--check", "--as-of", str(AS_OF), root=project)
    assert code == 0
    (project / "data/criteria/rc-status-page.yaml").unlink()
    code, _, err = run("schema", "--check", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "add-evidence.yml:1:1: error: out of date with data/criteria" in err
    assert "data/templates/provider.yaml:1:1: error: out of date" in err


def issue_body(**overrides: str) -> str:
    """An issue body as GitHub renders a submitted Add evidence form."""
    from generator import issue

    values = {
        "Provider": "fixture-service",
        "Criterion": "pr-e2ee-default: End-to-end encryption on by default (baseline)",
        "Requirements the source shows": "",
        "Source URL": "https://service.example.org/encryption",
        "Source title": 'Encryption: how "we" protect chats #1',
        "Publisher": "Fixture Service",
        "Whose page is it": next(iter(issue.SOURCE_KINDS)),
        "Date of the statement": next(iter(issue.DATE_KINDS)),
        "Date": "2026-03-02",
        "Language": "_No response_",
        "Summary": "The page says chats are end-to-end encrypted by default.\n\nGroups too.",
        "Conflicts of interest": "- [ ] I work for, am paid by, or compete with this provider.",
        "Conflict of interest details": "_No response_",
        "Your check": "- [X] I read this page myself, and the address is exactly as I found it.",
    }
    crit = yaml.safe_load((FIXTURES / "criteria/pr-e2ee-default.yaml").read_text())  # the `project` fixture's criteria
    values["Requirements the source shows"] = crit["requirements"][0]["id"]
    values.update(overrides)
    return "\n\n".join(f"### {k}\n\n{v}" for k, v in values.items() if v is not None) + "\n"


def test_from_issue_appends_a_valid_block_and_writes_the_pull_request_text(project, tmp_path):
    body = tmp_path / "body.md"
    body.write_text(issue_body())
    pr = tmp_path / "pr.md"
    code, out, err = run("from-issue", str(body), "--issue", "7", "--pr-body", str(pr), "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    found = check_tree(project, AS_OF)[1]
    assert found == [], [p.format() for p in found]
    from generator.load import load_file

    doc, _ = load_file(project / SERVICE, project)
    item = next(a for a in doc.data["assessments"] if a["criterion"] == "pr-e2ee-default")
    source = item["sources"][0]
    assert source["title"] == 'Encryption: how "we" protect chats #1'  # quoted safely, nothing cut at " #"
    assert source["url"] == "https://service.example.org/encryption" and source["kind"] == "primary"
    assert item["summary"] == "The page says chats are end-to-end encrypted by default. Groups too."
    assert "From an Add evidence issue" in (project / SERVICE).read_text()
    text = pr.read_text()
    assert "Closes #7" in text and "Reviewer checklist" in text and "declared no conflict" in text


def test_from_issue_writes_the_reviewer_checklist_and_the_declared_conflict(project, tmp_path):
    body, pr = tmp_path / "body.md", tmp_path / "pr.md"
    body.write_text(
        issue_body(
            **{
                "Conflicts of interest": "- [X] I work for, am paid by, or compete with this provider.",
                "Conflict of interest details": "I maintain its Android app.",
            }
        )
    )
    code, _, err = run("from-issue", str(body), "--issue", "7", "--pr-body", str(pr), "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    lines = pr.read_text().splitlines()
    assert lines[0].startswith("Evidence from #7, appended to `data/providers/fixture-service.yaml` at line ")
    assert lines[0].endswith(" by `scorecard from-issue`.")
    assert lines[1:] == [
        "",
        "## Reviewer checklist",
        "",
        "- [ ] The source exists at this exact address and says what the summary says.",
        "- [ ] The requirements marked as met are the ones the source shows; the date is the statement's date.",
        "- [ ] The summary is neutral and in the submitter's own words.",
        "",
        "## Conflict of interest",
        "",
        "- [x] The submitter declared a conflict of interest: I maintain its Android app. A reviewer without a conflict must approve.",
        "",
        "Closes #7",
    ]


@pytest.mark.parametrize(("heading", "label"), [("Source title", "Source title"), ("Publisher", "Publisher")])
def test_from_issue_names_the_field_that_is_too_long(project, tmp_path, heading, label):
    from generator import rules

    body = tmp_path / "body.md"
    body.write_text(issue_body(**{heading: "x" * (rules.SHORT_TEXT_MAX + 1)}))
    code, _, err = run("from-issue", str(body), "--issue", "8", "--as-of", str(AS_OF), root=project)
    assert code == 1
    assert f"{label}: longer than {rules.SHORT_TEXT_MAX} characters" in err and "Traceback" not in err, err


def test_from_issue_problems_name_the_field_and_the_fix(project, tmp_path):
    from generator import issue

    criteria = check_tree(project, AS_OF)[0].criteria
    _, [tab] = issue.parse(issue_body(Summary="Fine\twith a tab."), criteria)
    assert (tab.message, tab.hint) == ("a tab character in the issue", "delete it and submit again")
    _, found = issue.parse(issue_body(**{"Requirements the source shows": "no-such-requirement"}), criteria)
    assert [p.message for p in found] == ["Requirements the source shows: 'no-such-requirement' is not a requirement of pr-e2ee-default"]


def test_from_issue_keeps_the_language_and_refuses_a_body_that_is_not_utf8(project, tmp_path):
    from generator import issue

    criteria = check_tree(project, AS_OF)[0].criteria
    sub, found = issue.parse(issue_body(Language="pt-BR"), criteria)
    assert found == [] and sub is not None and sub.evidence.language == "pt-BR"
    _, [bad] = issue.parse(issue_body(Language="Portuguese"), criteria)
    assert bad.message == "Language: 'Portuguese' is not a language tag"
    body = tmp_path / "body.md"
    body.write_bytes(issue_body().encode() + b"\xff")
    code, _, err = run("from-issue", str(body), "--issue", "9", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "issue #9:1:1: error: the issue body is not UTF-8" in err, err


def test_from_issue_refuses_hostile_or_incomplete_issues(project, tmp_path):
    from generator import issue

    cases = {
        "injected heading": issue_body(Summary="Fine.\n\n### Source URL\n\nhttps://evil.example/"),
        "unknown heading": issue_body(Summary="Fine.\n\n### Level\n\nfull"),
        "javascript url": issue_body(**{"Source URL": "javascript:alert(1)"}),
        "bidi": issue_body(Summary="Looks \u202efine"),
        "bad date": issue_body(Date="02.03.2026"),
        "not read": issue_body(**{"Your check": "- [ ] I read this page myself, and the address is exactly as I found it."}),
        "unknown criterion": issue_body(Criterion="xx-nothing: Nothing"),
        "multi-line title": issue_body(**{"Source title": "A\nlevel: full"}),
        "too long": issue_body(Summary="x" * (issue.MAX_BODY + 1)),
    }
    before = (project / SERVICE).read_bytes()
    for name, text in cases.items():
        body = tmp_path / "body.md"
        body.write_text(text)
        code, _, err = run("from-issue", str(body), "--issue", "8", "--as-of", str(AS_OF), root=project)
        assert code == 1, name
        assert "hint:" in err and "Traceback" not in err, (name, err)
        assert (project / SERVICE).read_bytes() == before, name


def test_evidence_workflow_is_maintainer_triggered_least_privilege_and_never_interpolates_issue_text():
    path = ROOT / ".github/workflows/evidence-pr.yml"
    wf = yaml.safe_load(path.read_text())
    triggers = wf.get("on", wf.get(True))
    assert list(triggers) == ["workflow_dispatch"]  # only people with write access can run it
    assert wf["permissions"] == {}
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "write", "issues": "read", "pull-requests": "write"}
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert not any("${{" in r for r in runs), "no expression may be interpolated into a shell command"
    assert any("scorecard from-issue" in r for r in runs)
    assert any("gh issue view" in r and "--jq .body >" in r for r in runs)


# --- Right of reply: one path, fields of the data model, linked from every provider page -------------


def test_provider_response_form_fields_match_the_data_model_and_state_identity_and_turnaround():
    from typing import get_args

    from generator import reply
    from generator.model import VendorResponse

    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE" / reply.FORM).read_text())
    blocks = {b.get("id"): b for b in form["body"]}
    assert set(VendorResponse.model_fields) <= set(blocks)  # stance, url, date, text
    assert blocks["stance"]["attributes"]["options"] == list(get_args(VendorResponse.model_fields["stance"].annotation))
    assert blocks["date"]["validations"]["required"] is True
    assert not blocks["url"].get("validations", {}).get("required")  # no need to have published it already
    intro = " ".join(form["body"][0]["attributes"]["value"].split())
    contributing = " ".join((ROOT / "CONTRIBUTING.md").read_text().split())
    for sentence in (reply.IDENTITY, reply.TURNAROUND):
        assert sentence in intro and sentence in contributing


def test_the_contact_address_is_checked_and_the_form_linked_only_with_a_repository():
    from generator import reply

    assert reply.email_problem("") is None  # not configured: no address shown
    assert reply.email_problem("reply@example.org") is None
    longest = "a" * (254 - len("@example.org")) + "@example.org"
    assert len(longest) == 254 and reply.email_problem(longest) is None
    for bad in ("a" + longest, "reply@localhost", "reply example.org", "@example.org"):
        assert reply.email_problem(bad) == f"{bad!r} is not an email address (expected e.g. reply@example.org)"
    assert reply.form_url("") == ""
    assert reply.form_url("https://github.com/example/scorecard") == "https://github.com/example/scorecard/issues/new?template=provider-response.yml"


def test_every_provider_page_links_the_right_of_reply_with_the_configured_contact(project):
    settings = build.Settings(project, AS_OF, repository_url="https://github.com/example/scorecard", contact_email="reply@example.org")
    files = build.generate(settings)
    from generator import reply

    for pid in ("fixture-service", "fixture-software"):
        page = files[f"providers/{pid}.md"].decode()
        assert "## Right of reply" in page
        assert 'href="https://github.com/example/scorecard/issues/new?template=provider-response.yml"' in page
        assert 'href="mailto:reply@example.org"' in page
        assert 'href="https://github.com/example/scorecard/issues/new?template=add-evidence.yml"' in page
        assert 'href="https://github.com/example/scorecard/issues/new?template=correct-claim.yml"' in page
        assert reply.IDENTITY in html.unescape(page) and reply.TURNAROUND in html.unescape(page)
    assert "mailto:reply@example.org" in files["methodology/index.md"].decode()
    plain = build.generate(build.Settings(project, AS_OF))["providers/fixture-service.md"].decode()
    assert "## Right of reply" in plain and "mailto:" not in plain and "provider-response.yml" in plain


def test_contact_address_is_configured_like_the_site_url(project, monkeypatch):
    code, _, err = run("build", "--contact-email", "not an address", root=project)
    assert code == 2 and "not an email address" in err
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    build_env = next(s.get("env", {}) for s in deploy["jobs"]["build"]["steps"] if s.get("name") == "Build")
    assert build_env["SCORECARD_CONTACT_EMAIL"] == "${{ vars.SCORECARD_CONTACT_EMAIL }}"


# --- Done when: from a fresh clone, the scaffold plus five sourced claims pass `python3 dev.py test` ---


def _fresh_clone(tmp_path: Path) -> Path:
    """The project's files as a fresh clone has them (tracked plus new, not ignored), as a new git repository."""
    import os
    import shutil
    import subprocess

    listed = (
        subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    clone = tmp_path / "clone"
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(["git", *cmd], cwd=clone, check=True, env=env, capture_output=True)
    # The clone shares this checkout's installed environment (same lock file, so `dev.py` skips setup).
    (clone / ".venv").symlink_to(ROOT / ".venv")
    with open(clone / ".git/info/exclude", "a") as exclude:  # `.venv/` in .gitignore matches folders, not links
        exclude.write(".venv\n")
    return clone


@pytest.mark.timeout(1800)  # runs the whole fast suite again inside the clone
def test_fresh_clone_scaffold_plus_five_sourced_claims_pass_dev_py_test(tmp_path):
    import datetime as dt
    import os
    import subprocess
    import sys

    import pytest

    from generator import scaffold

    if os.environ.get("SCORECARD_CLONE_TEST"):
        pytest.skip("already inside the fresh-clone run")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    if not dev.stamp("test").exists():
        # The clone shares .venv/; set up for other files, `dev.py` in the clone would reinstall it from there.
        pytest.skip("the environment is not set up for the current lock file: run `python3 dev.py setup test` first")
    clone = _fresh_clone(tmp_path)
    today = dt.date.today()
    code, _, err = run("new", "provider", "Newcomer Chat", "--kind", "service", "--as-of", str(today), root=clone)
    assert code == 0, err
    path = clone / "data/providers/newcomer-chat.yaml"
    path.write_text(
        path.read_text()
        .replace("website: https://   #", "website: https://newcomer.example/   #")
        .replace("One or two neutral sentences: what it is and who runs it.", "A hosted messaging service used here to check the contributor path.")
    )
    dataset, _ = __import__("generator.check", fromlist=["load_tree"]).load_tree(clone, today)
    for crit in dataset.applicable_to("service")[:5]:
        reqs = [r.id for r in getattr(crit, "requirements", None) or []]
        ev = scaffold.Evidence(
            summary=f"The provider's page on {crit.title.lower()} describes part of what the criterion asks.",
            url=f"https://newcomer.example/{crit.id}",
            title=f"{crit.title} at Newcomer",
            publisher="Newcomer Chat",
            kind="primary",
            supports=reqs[:1],
            date_kind="seen_current",
            date=today,
        )
        scaffold.append_assessment(clone, "newcomer-chat", crit.id, today, ev)
    code, out, err = run("validate", "--as-of", str(today), root=clone)
    assert code == 0, err
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout.split("\n")
    assert [line for line in changed if line] == ["?? data/providers/newcomer-chat.yaml"]  # no other file touched
    env = {**os.environ, "SCORECARD_CLONE_TEST": "1", "NO_MKDOCS_2_WARNING": "1", "DEV_PY_NO_SETUP": "1"}
    result = subprocess.run(
        [sys.executable, "dev.py", "test", "-q", "-x", "-p", "no:cacheprovider", "-m", "not browser"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


# --- Editor and line endings ---------------------------------------------------------------------


def test_gitattributes_pins_lf_for_data_files():
    import subprocess

    import pytest

    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = ["data/providers/signal.yaml", "data/criteria/de-monitoring.yaml", "data/framework.yaml", "data/schema/provider.schema.json"]
    out = subprocess.run(["git", "check-attr", "eol", "text", "--", *files], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files:
        assert f"{name}: eol: lf" in out, out
        assert f"{name}: text: unspecified" not in out, out


def test_vscode_recommends_the_yaml_extension():
    import json

    recommendations = json.loads((ROOT / ".vscode/extensions.json").read_text())["recommendations"]
    assert "redhat.vscode-yaml" in recommendations


def test_crlf_data_file_is_reported_by_validate_with_a_hint(project):
    path = project / SERVICE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, _, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 1
    assert f"{SERVICE}:1:" in err and "CRLF" in err and "LF line endings" in err


def test_web_editor_template_has_every_criterion_and_works_when_used_as_told(project):
    """The route for GitHub's web editor: copy the template, rename, fill in; it validates."""
    from generator import scaffold

    run("schema", "--as-of", str(AS_OF), root=project)
    template = (project / scaffold.TEMPLATE_PATH).read_text()
    committed = (ROOT / scaffold.TEMPLATE_PATH).read_text()
    for cid in (p.stem for p in (ROOT / "data/criteria").glob("*.yaml")):
        assert f"# --- {cid}:" in committed
    text = (
        template.replace("id: provider-id", "id: web-chat")
        .replace('name: "Provider name"', 'name: "Web Chat"')
        .replace("website: https://   #", "website: https://web.example/   #")
        .replace("One or two neutral sentences: what it is and who runs it.", "A hosted service added in the web editor.")
    )
    (project / "data/providers/web-chat.yaml").write_text(text)
    found = check_tree(project, AS_OF)[1]
    assert found == [], [p.format() for p in found]


# --- Reading an Add evidence issue, field by field (exact problems: mutation testing) ---------------

PR_E2EE = "pr-e2ee-default"
TWO_REQUIREMENTS = "default-one-to-one, default-groups"  # the fixture criterion's requirement ids


def _parse(project: Path, **overrides: str | None):
    from generator import issue

    return issue.parse(issue_body(**overrides), check_tree(project, AS_OF)[0].criteria, "issue #5")


def _found(project: Path, **overrides: str | None) -> list[tuple[int, str, str]]:
    sub, problems = _parse(project, **overrides)
    assert (sub is None) == bool(problems)
    assert {p.path for p in problems} <= {"issue #5"}
    return [(p.line, p.message, p.hint) for p in problems]


def test_issue_fields_become_exactly_this_evidence(project):
    import datetime as dt

    from generator.scaffold import Evidence

    sub, problems = _parse(
        project,
        Provider="/providers/fixture-service/",
        **{
            "Requirements the source shows": f"- `{PR_E2EE}/default-one-to-one`\n* default-groups",
            "Whose page is it": "Someone else: press, researchers, auditors, platforms (secondary)",
            "Date of the statement": "A living page without a date of its own, seen current on the date below (seen current)",
            "Date": " 2026-03-02 ",
            "Conflicts of interest": "- [X] I work for, am paid by, or compete with this provider.",
            "Conflict of interest details": "I   maintain\n its app. " + "y" * 1200,
        },
    )
    assert problems == []
    assert (sub.provider, sub.criterion, sub.requirements, sub.conflict) == (
        "fixture-service",
        PR_E2EE,
        ["default-one-to-one", "default-groups"],
        True,
    )
    assert sub.conflict_details == ("I maintain its app. " + "y" * 1200)[:1000]
    assert sub.evidence == Evidence(
        summary="The page says chats are end-to-end encrypted by default. Groups too.",
        url="https://service.example.org/encryption",
        title='Encryption: how "we" protect chats #1',
        publisher="Fixture Service",
        kind="secondary",
        supports=["default-one-to-one", "default-groups"],
        date_kind="seen_current",
        date=dt.date(2026, 3, 2),
        language="",
        provenance="third-party",
        note="From an Add evidence issue: check every field against the source before merging.",
    )
    sub, problems = _parse(project, **{"Date of the statement": "An undated document that is not a living page (undated)", "Date": "_No response_"})
    assert problems == [] and (sub.evidence.date_kind, sub.evidence.date, sub.evidence.kind, sub.evidence.provenance) == (
        "undated",
        None,
        "primary",
        "vendor-asserted",
    )
    assert (sub.conflict, sub.conflict_details) == (False, "")
    sub, problems = _parse(project, **{"Requirements the source shows": TWO_REQUIREMENTS})
    assert problems == [] and sub.requirements == ["default-one-to-one", "default-groups"]
    sub, problems = _parse(project, **{"Requirements the source shows": "default-groups\n- default-one-to-one\n-\n"})
    assert problems == [] and sub.requirements == ["default-groups", "default-one-to-one"]


def test_issue_problems_name_each_field_exactly(project):
    fill, options = "fill in this field of the form", "choose one of the options"
    assert _found(project, Provider="_No response_", Summary="") == [(1, "Provider: missing", fill), (1, "Summary: missing", fill)]
    assert _found(project, **{"Your check": "- [ ] I read this page myself, and the address is exactly as I found it."}) == [
        (1, "Your check: the submitter did not confirm reading the page", "only pages the submitter read are accepted")
    ]
    assert _found(project, **{"Your check": None}) == [
        (1, "Your check: the submitter did not confirm reading the page", "only pages the submitter read are accepted")
    ]
    assert _found(project, Provider="fixture-service\nfixture-software", Date="2026-03-02\n2026-03-03") == [
        (1, "Provider: must be a single line", "put it on one line"),
        (1, "Date: must be a single line", "put it on one line"),
    ]
    # Two tags on two lines: reported as a line break, not as a tag that is not a language tag.
    assert _found(project, Language="de\nfr") == [(1, "Language: must be a single line", "put it on one line")]
    assert _found(project, Provider="Fixture Service", Criterion="xx-nothing: Nothing", **{"Source URL": "http://service.example.org/"}) == [
        (1, "Provider: 'Fixture Service' is not a provider id", "use the id from the provider's page address, e.g. signal"),
        (1, "Criterion: unknown criterion 'xx-nothing'", "choose it from the form's list"),
        (
            1,
            "Source URL: " + __import__("generator.rules", fromlist=["x"]).url_problem("http://service.example.org/", allow_mailto=False),
            "copy the https:// address exactly as it appears in the browser",
        ),
    ]
    assert _found(project, **{"Whose page is it": "Mine", "Date of the statement": "Today", "Date": "_No response_"}) == [
        (1, "Whose page is it: not one of the form's options", options),
        (1, "Date of the statement: not one of the form's options", options),
    ]
    assert _found(project, Date="02.03.2026") == [(1, "Date: 02.03.2026: not a date", "write it as YYYY-MM-DD, e.g. 2026-01-31")]
    assert _found(project, Date="_No response_") == [(1, "Date: empty: not a date", "write it as YYYY-MM-DD, e.g. 2026-01-31")]
    assert _found(project, **{"Date of the statement": "An undated document that is not a living page (undated)"}) == [
        (1, "Date: given for an undated document", "leave the date empty, or choose another kind of date")
    ]
    assert _found(project, Language="de-CH-1901") == [] and _found(project, Language="x") == [
        (1, "Language: 'x' is not a language tag", "write a tag such as de or pt-BR, or leave it empty")
    ]
    assert _found(project, **{"Requirements the source shows": "default-one-to-one, pr-e2ee-default/nope"}) == [
        (
            1,
            "Requirements the source shows: 'pr-e2ee-default/nope' is not a requirement of pr-e2ee-default",
            "use the ids on the criterion's page: default-one-to-one, default-groups",
        )
    ]
    assert [m for _, m, _ in _found(project, **{"Requirements the source shows": "`default-groupsX`"})] == [
        "Requirements the source shows: 'default-groupsX' is not a requirement of pr-e2ee-default"  # only the backticks go
    ]


def test_issue_text_limits_are_inclusive_and_counted_in_bytes(project):
    from generator import issue, rules

    assert _found(project, **{"Source title": "t" * rules.SHORT_TEXT_MAX, "Publisher": "p" * rules.SHORT_TEXT_MAX}) == []
    assert _found(project, **{"Source title": "t" * (rules.SHORT_TEXT_MAX + 1)}) == [
        (1, f"Source title: longer than {rules.SHORT_TEXT_MAX} characters", "shorten it")
    ]
    assert _found(project, Publisher="p" * (rules.SHORT_TEXT_MAX + 1)) == [
        (1, f"Publisher: longer than {rules.SHORT_TEXT_MAX} characters", "shorten it")
    ]
    assert _found(project, Summary="s " * (rules.TEXT_MAX // 2)) == []  # 3,999 characters once the spaces are collapsed
    assert _found(project, Summary="s" * (rules.TEXT_MAX + 1)) == [(1, f"Summary: longer than {rules.TEXT_MAX} characters", "shorten it")]
    assert _found(project, Summary="s" * rules.TEXT_MAX) == []
    body = issue_body(Summary="é" * (issue.MAX_BODY // 2))  # fewer characters than the limit, more bytes
    assert len(body) < issue.MAX_BODY < len(body.encode("utf-8"))
    sub, problems = issue.parse(body, {}, "issue #5")
    assert sub is None and [(p.path, p.line, p.col, p.message, p.hint) for p in problems] == [
        ("issue #5", 1, 1, f"the issue body is longer than {issue.MAX_BODY} bytes", "shorten the summary")
    ]


def test_issue_headings_may_not_repeat_or_be_added_and_are_located(project):
    body = issue_body()
    lines = body.split("\n")
    summary_at = lines.index("### Summary") + 1
    added = body.replace("### Summary\n", "### Level\n\nfull\n\n### Summary\n", 1)
    from generator import issue

    criteria = check_tree(project, AS_OF)[0].criteria
    _, problems = issue.parse(added, criteria, "issue #5")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (summary_at, 1, "heading 'Level' is not part of the Add evidence form", "edit the issue so that it has only the form's headings")
    ]
    twice = body + "\n### Publisher\n\nSomeone else\n"
    publisher_at = lines.index("### Publisher") + 1
    _, problems = issue.parse(twice, criteria, "issue #5")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (len(lines) + 1, 1, f"heading 'Publisher' appears twice (first at line {publisher_at})", "edit the issue so that each field appears once")
    ]
    # Every later field is still read after an added heading: only that one problem, nothing "missing".
    _, problems = issue.parse(body.replace("### Source URL\n", "### Extra\n\nx\n\n### Source URL\n", 1), criteria, "issue #5")
    assert [p.message for p in problems] == ["heading 'Extra' is not part of the Add evidence form"]


def test_issue_control_and_invisible_characters_are_located(project):
    from generator import issue

    body = issue_body(Summary="Fine.\nStill fine \u202e here.")
    line = body.split("\n").index("Still fine \u202e here.") + 1
    _, problems = issue.parse(body, {}, "issue #5")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (line, 1, "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) in the issue", "delete it and submit again")
    ]
    _, problems = issue.parse(issue_body(Summary="a\x07b"), {}, "issue #5")
    assert [p.message for p in problems] == ["control character U+0007 in the issue"]
    sub, problems = issue.parse(issue_body().replace("\n", "\r\n"), check_tree(project, AS_OF)[0].criteria, "issue #5")
    assert problems == [] and sub.evidence.summary == "The page says chats are end-to-end encrypted by default. Groups too."


def test_pull_request_text_without_an_issue_number_or_conflict_details(project):
    from generator import issue

    sub, _ = _parse(project, **{"Conflicts of interest": "- [x] I work for, am paid by, or compete with this provider."})
    text = issue.pull_request_body(sub, None, "data/providers/fixture-service.yaml", 42)
    assert text.startswith(
        "Evidence from an Add evidence issue, appended to `data/providers/fixture-service.yaml` at line 42 by `scorecard from-issue`.\n"
    )
    assert text.endswith(
        "## Conflict of interest\n\n- [x] The submitter declared a conflict of interest: (no details given). A reviewer without a conflict must approve.\n"
    )
    assert "Closes" not in text
    sub.conflict_details = "I work there."
    assert "conflict of interest: I work there. A reviewer" in issue.pull_request_body(sub, 3, "p.yaml", 1)


# --- Scaffolding refusals, exactly (mutation testing) ----------------------------------------------


def _refused(call) -> list[tuple[str, int, int, str, str]]:
    from generator.problems import DataError

    with pytest.raises(DataError) as info:
        call()
    return [(p.path, p.line, p.col, p.message, p.hint) for p in info.value.problems]


def test_new_provider_refusals_name_the_file_the_reason_and_the_fix(project):
    from generator import scaffold

    new = functools.partial(scaffold.new_provider, project, "Name", kind="service", as_of=AS_OF)
    assert _refused(lambda: new(pid="Bad_Id")) == [
        ("data/providers/Bad_Id.yaml", 1, 1, "'Bad_Id' is not a valid id", "use lowercase letters, digits and single hyphens, e.g. delta-chat")
    ]
    aliases = yaml.safe_load((project / SERVICE).read_text())["aliases"]
    assert _refused(lambda: new(pid=aliases[0])) == [
        (f"data/providers/{aliases[0]}.yaml", 1, 1, f"id {aliases[0]!r} is already used by provider 'fixture-service'", "choose another id with --id")
    ]
    (project / "data/providers/ghost.yaml").write_text("id: [\n")  # unreadable, so its id is not known: the file name still is
    assert _refused(lambda: new(pid="ghost")) == [
        ("data/providers/ghost.yaml", 1, 1, "id 'ghost' is already used by provider 'ghost'", "choose another id with --id")
    ]
    (project / "data/providers/ghost.yaml").unlink()
    for path in (project / "data/criteria").glob("*.yaml"):
        if "service" not in yaml.safe_load(path.read_text())["scope"]:
            continue
        path.write_text(path.read_text().replace("scope: [service, software]", "scope: [software]").replace("scope: [service]", "scope: [software]"))
    found = _refused(lambda: new(pid="new-one"))
    assert found[-1] == (
        "data/providers/new-one.yaml",
        1,
        1,
        "no readable criterion applies to kind 'service'",
        "fix the criteria files reported above",
    )
    assert not (project / "data/providers/new-one.yaml").exists()
    (project / "data/framework.yaml").write_text("functions: [\n")
    found = _refused(lambda: new(pid="new-one"))
    assert found[-1] == (
        "data/providers/new-one.yaml",
        1,
        1,
        "cannot scaffold: the framework file has the problems above",
        "fix data/framework.yaml first",
    )
    assert found[:-1] and {f[0] for f in found[:-1]} == {"data/framework.yaml"}


@pytest.mark.parametrize("broken", [3, 4])
def test_new_provider_notes_the_problems_of_other_files_and_names_three(project, broken, capsys):
    from generator import scaffold

    names = [f"broken-{n}" for n in range(1, broken + 1)]
    for name in names:
        (project / f"data/providers/{name}.yaml").write_text(f"id: {name}\nname: [\n")
    path = scaffold.new_provider(project, "Delta Chat", "delta-chat", "service", AS_OF)
    assert path == project / "data/providers/delta-chat.yaml" and path.read_text().startswith("# yaml-language-server:")
    shown = ", ".join(f"data/providers/{n}.yaml" for n in names[:3]) + ("…" if broken > 3 else "")
    assert capsys.readouterr().err == (
        f"note: {broken} problem(s) in other files ({shown}); they did not stop the scaffold. `scorecard validate` lists them.\n"
    )


def test_new_evidence_refusals_name_the_file_the_reason_and_the_fix(project):
    from generator import scaffold

    add = functools.partial(scaffold.append_assessment, project, as_of=AS_OF)
    assert _refused(lambda: add("fixture-servic", "de-monitoring")) == [
        ("data/providers/fixture-servic.yaml", 1, 1, "there is no provider 'fixture-servic'", "did you mean 'fixture-service'?")
    ]
    assert _refused(lambda: add("zzz", "de-monitoring")) == [
        ("data/providers/zzz.yaml", 1, 1, "there is no provider 'zzz'", 'create it first: scorecard new provider "Name"')
    ]
    assert _refused(lambda: add("fixture-service", "de-monitorin")) == [
        ("data/providers/fixture-service.yaml", 1, 1, "unknown criterion 'de-monitorin'", "did you mean 'de-monitoring'?")
    ]
    assert _refused(lambda: add("fixture-service", "zz")) == [
        ("data/providers/fixture-service.yaml", 1, 1, "unknown criterion 'zz'", "see data/criteria/")
    ]
    assert _refused(lambda: add("fixture-software", "rc-status-page")) == [
        (
            "data/providers/fixture-software.yaml",
            1,
            1,
            "criterion 'rc-status-page' applies to service, not to kind 'software'",
            "choose an applicable criterion",
        )
    ]
    lines = (project / SERVICE).read_text().splitlines()
    at = next(n for n, line in enumerate(lines, 1) if line.endswith("- criterion: de-monitoring"))
    assert _refused(lambda: add("fixture-service", "de-monitoring")) == [
        (
            SERVICE,
            at,
            lines[at - 1].index("criterion") + 1,
            "'de-monitoring' is already assessed here (assessments #3)",
            "edit that assessment instead",
        )
    ]
    (project / "data/providers/fixture-software.yaml").write_text("id: fixture-software\nname: [\n")
    found = _refused(lambda: add("fixture-software", "id-security-contact"))
    assert ("data/providers/fixture-software.yaml", 1, 1, "cannot add evidence: fix the problem above first", "") in found
    assert len(found) > 1


def test_new_evidence_keeps_the_end_of_the_file(project):
    from generator import scaffold

    path = project / "data/providers/fixture-software.yaml"
    text = path.read_text()
    assert text.endswith("\n") and not text.endswith("\n\n")
    path.write_text(text.rstrip("\n"))  # no final newline
    _, line = scaffold.append_assessment(project, "fixture-software", "id-security-contact", AS_OF)
    new = path.read_text()
    assert new.startswith(text) and new.endswith("  provenance: vendor-asserted  # vendor-asserted | third-party | independently-verified\n")
    assert new.splitlines()[line - 1] == "  - criterion: id-security-contact" and line == len(text.splitlines()) + 1
    path.write_text(text + "\n\n")  # blank lines after the last item stay after the new block
    _, line = scaffold.append_assessment(project, "fixture-software", "id-security-contact", AS_OF)
    new = path.read_text()
    assert new.startswith(text) and new.endswith("independently-verified\n\n\n") and line == len(text.splitlines()) + 1


def test_new_evidence_reads_and_writes_the_provider_file_as_utf8_whatever_the_locale(project):
    import os
    import subprocess
    import sys

    path = project / "data/providers/fixture-software.yaml"
    text = path.read_text(encoding="utf-8") + "# Geprüft – Zürich\n"
    path.write_text(text, encoding="utf-8")
    script = (
        "import sys, datetime; from pathlib import Path; from generator import scaffold; "
        "_, line = scaffold.append_assessment(Path(sys.argv[1]), 'fixture-software', 'id-security-contact', datetime.date.fromisoformat(sys.argv[2])); "
        "print(line)"
    )
    ascii_locale = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}  # open() would default to ASCII
    result = subprocess.run(
        [sys.executable, "-c", script, str(project), AS_OF.isoformat()], cwd=ROOT, env=ascii_locale, capture_output=True, text=True, encoding="utf-8"
    )
    line = len(text.splitlines()) + 1  # the block follows the last line, the comment
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{line}\n", "")
    new = path.read_text(encoding="utf-8")
    assert new.startswith(text) and new.splitlines()[line - 1] == "  - criterion: id-security-contact"


def test_wrapped_comment_lines_fill_up_to_88_characters():
    from generator import scaffold

    assert scaffold._wrap("") == [] and scaffold._wrap("  one   two\n three ") == ["one two three"]
    exact = "a" * 40 + " " + "b" * 47
    assert scaffold._wrap(exact) == [exact]
    assert scaffold._wrap(exact + "b") == ["a" * 40, "b" * 48]
    assert scaffold._wrap("x " * 3, width=3) == ["x x", "x"]


def test_coverage_table_and_markdown_exactly_with_a_draft(project):
    from generator import coverage, score

    edit(project, "data/providers/fixture-software.yaml", "kind: software", "kind: software\ndraft: true")
    dataset, problems = check_tree(project, AS_OF)
    assert problems == []
    footer = (
        "2 providers: 0 below the 80% coverage gate (published without scores), 1 draft(s). "
        "This is a report, not a failure: scores appear once 80% of the applicable criteria are assessed."
    )
    assert score.COVERAGE_GATE == 0.8  # the 80 % in the expected texts
    assert coverage.table(dataset, AS_OF) == "\n".join(
        [
            "provider               kind      assessed   of  coverage  status",
            "fixture-service        service          5    6       83%  published with scores",
            "fixture-software       software         2    3       67%  draft: not published",
            footer,
        ]
    )
    assert coverage.markdown(dataset, AS_OF, ["fixture-service"]) == "\n".join(
        [
            "### Coverage",
            "",
            "| Provider | Kind | Assessed | Applicable | Coverage | Publication |",
            "|---|---|--:|--:|--:|---|",
            "| `fixture-service` | service | 5 | 6 | 83% | published with scores |",
            "",
            footer.replace("2 providers", "1 providers").replace("1 draft(s)", "0 draft(s)"),
        ]
    )


def test_the_coverage_gate_itself_is_enough_to_be_scored():
    from generator import coverage, score

    at_gate = coverage.Row("a", "service", 4, 5, score.COVERAGE_GATE, False)
    below = coverage.Row("b", "service", 3, 5, score.COVERAGE_GATE - 0.01, False)
    draft = coverage.Row("c", "service", 0, 5, 0.0, True)
    assert (at_gate.status, below.status, draft.status) == ("published with scores", "published as insufficient coverage", "draft: not published")
    assert coverage._footer([at_gate, below, draft, below]).startswith(
        "4 providers: 2 below the 80% coverage gate (published without scores), 1 draft(s). "
    )


def test_a_block_that_would_not_parse_is_never_written(project, monkeypatch):
    """The guard behind every append: if the file with the new block would not load, nothing is written."""
    from generator import scaffold
    from generator.problems import Problem

    path = project / "data/providers/fixture-software.yaml"
    before = path.read_bytes()
    lines = before.decode().splitlines()
    found = Problem("data/providers/fixture-software.yaml", 3, 1, "parser says no", "")
    monkeypatch.setattr(scaffold, "load_file_text", lambda where, text: (None, [found]))
    assert _refused(lambda: scaffold.append_assessment(project, "fixture-software", "id-security-contact", AS_OF)) == [
        ("data/providers/fixture-software.yaml", 3, 1, "parser says no", ""),
        (
            "data/providers/fixture-software.yaml",
            len(lines) + 1,
            1,
            "the block could not be appended cleanly",
            "add it by hand; see CONTRIBUTING.md",
        ),
    ]
    assert path.read_bytes() == before


def test_the_append_guard_names_only_the_parse_problem_of_a_crlf_text():
    """The append guard's problems leave out the CRLF one: the file is read and written with LF anyway."""
    from generator.scaffold import load_file_text

    doc, found = load_file_text("data/providers/x.yaml", "id: x\r\nname: 'open\r\n")
    assert doc is None
    assert [(p.line, p.col, p.message) for p in found] == [(2, 7, "YAML syntax: a quote opened here is never closed")]


def test_issue_problems_say_issue_when_no_place_is_given():
    from generator import issue

    _, problems = issue.parse("### Provider\n\nx\n", {})
    assert problems and {p.path for p in problems} == {"issue"}


def test_issue_without_its_optional_sections_is_read(project):
    sub, problems = _parse(
        project,
        Language=None,
        Date=None,
        **{
            "Date of the statement": "An undated document that is not a living page (undated)",
            "Conflicts of interest": None,
            "Conflict of interest details": None,
        },
    )
    assert problems == []
    assert (sub.evidence.language, sub.evidence.date, sub.conflict, sub.conflict_details) == ("", None, False, "")
