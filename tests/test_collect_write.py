"""`scorecard collect --write` (Methodology 2): proposals become valid YAML, merge with what a
person reviewed without overruling it, leave untouched text byte for byte, flag link rot, and
roll everything back when the result would not validate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.check import check_tree
from generator.collect import run, write
from generator.load import load_file
from generator.problems import DataError

from .conftest import AS_OF, FIXTURES, ROOT, tree_bytes
from .conftest import run as cli

RECORDED = FIXTURES / "collect"


@pytest.fixture
def collect_project(project: Path) -> Path:
    for p in (project / "data" / "providers").glob("*.yaml"):
        p.unlink()
    for p in (RECORDED / "providers").glob("*.yaml"):
        shutil.copy(p, project / "data" / "providers" / p.name)
    shutil.copytree(ROOT / "data" / "criteria", project / "data" / "criteria", dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "collect", project / "data" / "collect")
    return project


def collect(project: Path, *extra: str) -> tuple[int, str, str]:
    return cli("collect", "--offline", "--fixtures", str(RECORDED), "--as-of", AS_OF.isoformat(), *extra, root=project)


def claims(project: Path, pid: str) -> dict:
    doc, problems = load_file(project / "data" / "providers" / f"{pid}.yaml", project)
    assert doc is not None, problems
    return {a["criterion"]: a for a in doc.data["assessments"]}


def test_write_yields_data_that_validates(collect_project):
    _, problems = check_tree(collect_project, AS_OF)
    assert not problems, problems
    code, out, err = collect(collect_project, "--write")
    assert code == 0, err
    assert "`scorecard validate` passed" in out
    _, problems = check_tree(collect_project, AS_OF)
    assert not problems, [p.format() for p in problems]
    chat = claims(collect_project, "example-chat")
    assert {
        "id-security-contact",
        "rc-status-page",
        "rs-security-advisories",
        "rs-fix-track-record",
        "gv-supported-versions",
        "id-bug-bounty",
        "id-vulnerability-disclosure",
    } <= set(chat)
    for claim in chat.values():
        assert claim["collected"] is True
        for source in claim["sources"]:
            assert source["seen_current"] == source["accessed"] == AS_OF.isoformat()
            assert source["supports"]
            if run.HASH_FIELD:
                assert len(source[run.HASH_FIELD]) == 64
    assert chat["id-security-contact"]["requirements"]["security-txt-expires"] == "met"
    broken = claims(collect_project, "example-broken")
    assert broken["id-security-contact"]["requirements"]["security-txt-expires"] == "contradicted"


def test_write_keeps_fetched_text_out_of_the_data(collect_project):
    collect(collect_project, "--write")
    text = (collect_project / "data" / "providers" / "example-broken.yaml").read_text()
    for marker in ("<script", "octocat", "javascript:", "\u202e", "Injected", "${{"):
        assert marker not in text


def test_write_is_idempotent(collect_project):
    collect(collect_project, "--write")
    once = tree_bytes(collect_project / "data")
    code, out, _ = collect(collect_project, "--write")
    assert code == 0 and tree_bytes(collect_project / "data") == once
    assert "new-claim" not in out.split("## ", 1)[0]


def test_write_fills_but_never_overrules_a_person(collect_project):
    path = collect_project / "data" / "providers" / "example-reviewed.yaml"
    before = path.read_text()
    code, out, _ = collect(collect_project, "--write", "--provider", "example-reviewed")
    assert code == 0
    after = claims(collect_project, "example-reviewed")
    contact = after["id-security-contact"]
    assert contact["requirements"] == {
        "dedicated-contact": "met",
        "security-txt": "met",
        "security-txt-contact": "met",
        "security-txt-expires": "contradicted",
    }  # the person's contradicted stays
    assert contact["collected"] is True and "to be reviewed" in contact["summary"]
    assert "needs a person: recorded as contradicted" in out
    assert "outcome" in after["gv-supported-versions"] and "recorded as n/a" in out
    # The human source that already supported the requirement keeps its own date (it supports more than we proved).
    assert contact["sources"][0]["seen_current"] == "2026-06-01"
    # A source the check proved unchanged is re-dated; the claim is not marked collected for that.
    record = after["rs-fix-track-record"]
    assert record["sources"][0]["seen_current"] == AS_OF.isoformat() and "collected" not in record
    # Text outside the changed claims stays byte for byte (comments included).
    text = path.read_text()
    head = before.split("  - criterion: id-security-contact")[0]
    assert text.startswith(head) and "# Reviewed by hand" in text
    outcome_block = before[before.index("  - criterion: gv-supported-versions") : before.index("  - criterion: rs-fix-track-record")]
    assert outcome_block in text


def test_a_stated_level_is_dropped_when_statuses_change(collect_project):
    path = collect_project / "data" / "providers" / "example-reviewed.yaml"
    text = path.read_text().replace("      security-txt-expires: contradicted\n", "      security-txt-expires: not-found\n    level: partial\n", 1)
    gone = text.index("      - url: https://gone.example.org/")
    text = text[:gone] + text[text.index("    reviewed: 2026-06-01", gone) :]  # drop the source of the contradiction
    path.write_text(text)
    _, problems = check_tree(collect_project, AS_OF)
    assert not problems
    code, out, err = collect(collect_project, "--write", "--provider", "example-reviewed")
    assert code == 0 and "Put back" not in out, err
    contact = claims(collect_project, "example-reviewed")["id-security-contact"]
    assert "level" not in contact and set(contact["requirements"].values()) == {"met"}  # now full, not partial


def test_gone_sources_are_flagged_for_re_review(collect_project):
    _, out, _ = collect(collect_project, "--provider", "example-reviewed")
    assert "## Flagged for re-review" in out
    assert "`example-reviewed` / `id-security-contact`: `https://gone.example.org/.well-known/security.txt` answers HTTP 410" in out


def test_changed_content_is_flagged_and_not_re_dated(collect_project):
    path = collect_project / "data" / "providers" / "example-reviewed.yaml"
    text = path.read_text().replace(
        "        supports: [fixes-documented]\n        seen_current: 2026-06-01\n",
        f"        supports: [fixes-documented]\n        {run.HASH_FIELD}: '{'0' * 64}'\n        seen_current: 2026-06-01\n",
    )
    path.write_text(text)
    code, out, _ = collect(collect_project, "--write", "--provider", "example-reviewed")
    assert code == 0 and "content changed since it was reviewed (2026-06-01)" in out
    assert claims(collect_project, "example-reviewed")["rs-fix-track-record"]["sources"][0]["seen_current"] == "2026-06-01"


def test_archive_records_a_capture_made_on_the_fetch_date(collect_project):
    code, out, _ = collect(collect_project, "--write", "--archive", "--provider", "example-chat")
    assert code == 0
    source = claims(collect_project, "example-chat")["id-security-contact"]["sources"][0]
    assert source["url"] == "https://example.com/.well-known/security.txt"
    assert source["archive_url"] == "https://web.archive.org/web/20261127101500/https://example.com/.well-known/security.txt"
    assert "capture request failed: not-recorded" in out  # the other sources have no recorded capture


def test_a_write_that_leaves_other_problems_is_rolled_back_entirely(collect_project, monkeypatch):
    from generator.problems import Problem

    before = tree_bytes(collect_project / "data")
    monkeypatch.setattr(write, "check_tree", lambda root, as_of: (None, [Problem("data/framework.yaml", 1, 1, "something else broke")]))
    code, _, err = collect(collect_project, "--write")
    assert code == 1 and "something else broke" in err
    assert tree_bytes(collect_project / "data") == before


def test_rewrite_appends_to_an_empty_assessment_list():
    from generator.load import load_text

    text = "# yaml-language-server: $schema=../schema/provider.schema.json\nid: x\nassessments: []\ncontext: {}\n"
    doc, _ = load_text("data/providers/x.yaml", text.encode())
    new = write.rewrite(doc, text, {"c": {"criterion": "c", "summary": "a: b # not a comment"}})
    reread, problems = load_text("x.yaml", new.encode())
    assert not problems and reread.data["assessments"] == [{"criterion": "c", "summary": "a: b # not a comment"}]
    assert reread.data["context"] == {}
    with pytest.raises(DataError):
        write._reparse("x.yaml", ["a: [unclosed"])


def test_only_the_file_that_would_not_validate_is_put_back(collect_project, monkeypatch):
    original = write.apply_claim

    def broken_for_one(claim, criterion, provider, *args, **kw):
        new = original(claim, criterion, provider, *args, **kw)
        if provider.id == "example-broken":
            new["requirements"] = {"no-such-requirement": "met"}
        return new

    before = (collect_project / "data" / "providers" / "example-broken.yaml").read_bytes()
    monkeypatch.setattr(write, "apply_claim", broken_for_one)
    code, out, err = collect(collect_project, "--write")
    assert code == 0, err
    assert (collect_project / "data" / "providers" / "example-broken.yaml").read_bytes() == before
    assert "Written: `data/providers/example-chat.yaml`" in out and "no-such-requirement" in out
    _, problems = check_tree(collect_project, AS_OF)
    assert not problems


def test_offline_without_recordings_is_a_usage_error(collect_project, tmp_path):
    code, _, err = cli("collect", "--offline", "--fixtures", str(tmp_path), root=collect_project)
    assert code == 2 and "no recorded responses" in err


def test_values_that_would_read_back_as_numbers_or_booleans_are_quoted():
    from generator.collect import yamlout
    from generator.load import load_text

    for value in ["0" * 64, "12e45", "true", "no", "null", "2026-11-27", "a: b", "x #y", "- item", "[x]", "'q'", "@at", "~"]:
        lines = yamlout.mapping({"k": value}, 0)
        doc, problems = load_text("x.yaml", ("\n".join(lines) + "\n").encode())
        assert doc is not None and doc.data == {"k": value}, (value, lines)
