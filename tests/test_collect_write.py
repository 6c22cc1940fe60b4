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


# --- yamlout: the exact form of what the collector writes -----------------------------------


def test_scalars_are_written_plain_when_they_read_back_and_quoted_otherwise():
    from generator.collect import yamlout

    assert yamlout.scalar(True, 0) == ["true"] and yamlout.scalar(False, 0) == ["false"] and yamlout.scalar(7, 0) == ["7"]
    assert yamlout.scalar("plain text (with brackets)", 0) == ["plain text (with brackets)"]
    assert yamlout.scalar("/path_x", 0) == ["/path_x"] and yamlout.scalar("_x", 0) == ["_x"]
    assert yamlout.scalar("true", 0) == ['"true"'] and yamlout.scalar("a: b", 0) == ['"a: b"']
    assert yamlout.scalar("-x", 0) == ['"-x"'] and yamlout.scalar("éa", 0) == ['"éa"'] and yamlout.scalar("", 0) == ['""']
    assert yamlout.scalar("a\nb", 0) == ['"a\\nb"']


def test_long_prose_is_folded_at_110_columns():
    from generator.collect import yamlout
    from generator.load import load_text

    words = [f"word{i:02d}" for i in range(30)]  # 6 letters each
    text = " ".join(words)
    lines = yamlout.mapping({"summary": text}, 4)
    # at indent 6, fifteen 6-letter words and their spaces fill 6 + 15 * 7 - 1 = 110 columns
    assert lines == ["    summary: >-", "      " + " ".join(words[:15]), "      " + " ".join(words[15:])]
    assert max(len(line) for line in lines) == 110
    doc, _ = load_text("x.yaml", ("\n".join(lines) + "\n").encode())
    assert doc.data == {"summary": text}
    eighty = "a" * 39 + " " + "b" * 40
    assert yamlout.scalar(eighty, 0) == [eighty]  # up to 80 characters: one plain line
    assert yamlout.scalar(eighty + "c", 0) == [">-", "  " + eighty + "c"]
    assert yamlout.scalar("x" * 100, 0) == ["x" * 100]  # no space: nothing to fold
    for unfoldable in ("a  b " * 20, "a\tb " * 20):
        assert not yamlout.scalar(unfoldable.strip(), 0)[0].startswith(">-")


def test_fold_refuses_double_spaces_newlines_and_tabs():
    from generator.collect import yamlout

    assert yamlout._fold("a b c", 0) == ["a b c"]
    assert yamlout._fold("a  b", 0) is None and yamlout._fold("a b\nc", 0) is None and yamlout._fold("a\tb c", 0) is None
    assert yamlout._fold("aaaa bbbb cccc", 102) == ["aaaa", "bbbb", "cccc"]  # 102 + 4 + 1 + 4 = 111 columns: too wide
    assert yamlout._fold("aaaa bbbb cccc", 101) == ["aaaa bbbb", "cccc"]  # 101 + 4 + 1 + 4 = 110: fits
    assert yamlout._fold("aaaa bbbb cccc", 96) == ["aaaa bbbb cccc"]  # 96 + 9 + 1 + 4 = 110: fits
    assert yamlout._fold("aaaa bbbb cccc", 97) == ["aaaa bbbb", "cccc"]


def test_mappings_and_sequences_in_the_files_own_style():
    from generator.collect import yamlout

    data = {
        "criterion": "id-security-contact",
        "requirements": {"security-txt": "met", "dedicated-contact": "not-found"},
        "empty": {},
        "none": None,
        "sources": [{"url": "https://example.net/x", "supports": ["security-txt", "dedicated-contact"]}],
        "words": ["Has Space", "x"],
        "flags": [],
    }
    assert yamlout.mapping(data, 4) == [
        "    criterion: id-security-contact",
        "    requirements:",
        "      security-txt: met",
        "      dedicated-contact: not-found",
        "    empty: {}",
        "    none:",
        "    sources:",
        "      - url: https://example.net/x",
        "        supports: [security-txt, dedicated-contact]",
        "    words:",
        "      - Has Space",
        "      - x",
        "    flags: []",
    ]
    assert yamlout.sequence([{"a": 1, "b": "c"}, "d", True], 2) == ["  - a: 1", "    b: c", "  - d", "  - true"]
    long = " ".join(["word"] * 30)
    # folded at indent 4: 21 four-letter words and their spaces take 4 + 21 * 5 - 1 = 108 columns, 22 would take 113
    assert yamlout.sequence([long], 0) == ["- >-", "    " + " ".join(["word"] * 21), "    " + " ".join(["word"] * 9)]
    assert yamlout._flow(["a-1", "b"]) == "[a-1, b]" and yamlout._flow(["A"]) is None and yamlout._flow(["-a"]) is None and yamlout._flow([1]) is None


# --- write: claims, the file text, and putting back ------------------------------------------


def _fetched(kind, url, final=None, body=b"body", title=None):
    from generator.collect.base import Finding
    from generator.collect.fetch import Request, Response

    finding = Finding(kind, url, title or f"{kind} of example.net")
    finding.response = Response(Request(url), final or url, 200, "text/plain", body, AS_OF)
    return finding


def _prop(requirement, action, finding, status="met", provenance="vendor-asserted", publisher="Example Talk"):
    return run.Proposal("id-security-contact", requirement, status, "signal", finding, provenance, publisher, action)


def _criterion():
    from types import SimpleNamespace

    return SimpleNamespace(
        id="id-security-contact",
        requirements=[SimpleNamespace(id=r) for r in ("dedicated-contact", "security-txt", "security-txt-contact", "security-txt-expires")],
    )


def _provider():
    from types import SimpleNamespace

    return SimpleNamespace(id="example-talk", name="Example Talk", website="https://example.net/", official_sites=["github.com/example-talk"])


SHA_BODY = "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5"  # SHA-256("body")


def test_a_new_claim_from_two_sources():
    import hashlib

    assert hashlib.sha256(b"body").hexdigest() == SHA_BODY
    txt = _fetched("security-txt", "https://example.net/.well-known/security.txt", title="security.txt of example.net")
    gh = _fetched("github-advisories", "https://api.github.com/repos/example-talk/server/security-advisories", title="advisories")
    proposals = [
        _prop("security-txt-contact", "new-claim", txt),
        _prop("security-txt", "new-claim", txt),
        _prop("dedicated-contact", "new-claim", gh, publisher="GitHub"),
        _prop("dedicated-contact", "new-claim", txt),
    ]
    archived = {
        "https://example.net/.well-known/security.txt": "https://web.archive.org/web/20261127101500/https://example.net/.well-known/security.txt"
    }
    claim = write.apply_claim(None, _criterion(), _provider(), proposals, AS_OF, archived)
    assert list(claim) == ["criterion", "requirements", "summary", "sources", "reviewed", "provenance", "collected"] if run.COLLECTED_FIELD else True
    assert claim["criterion"] == "id-security-contact"
    assert claim["requirements"] == {
        "dedicated-contact": "met",
        "security-txt": "met",
        "security-txt-contact": "met",
        "security-txt-expires": "not-found",
    }
    assert claim["summary"] == (
        "Collected by scorecard collect on 2026-11-27 from machine-readable sources, not yet reviewed by a person: "
        "security-txt-contact met (security-txt); security-txt met (security-txt); dedicated-contact met (security-txt, github-advisories). "
        "Other requirements were not checked."
    )
    assert claim["sources"] == [
        {
            "url": "https://example.net/.well-known/security.txt",
            "title": "security.txt of example.net",
            "publisher": "Example Talk",
            "kind": "primary",
            "supports": ["dedicated-contact", "security-txt", "security-txt-contact"],
            "seen_current": "2026-11-27",
            "accessed": "2026-11-27",
            "archive_url": archived["https://example.net/.well-known/security.txt"],
            **({run.HASH_FIELD: SHA_BODY} if run.HASH_FIELD else {}),
        },
        {
            "url": "https://api.github.com/repos/example-talk/server/security-advisories",
            "title": "advisories",
            "publisher": "GitHub",
            "kind": "secondary",
            "supports": ["dedicated-contact"],
            "seen_current": "2026-11-27",
            "accessed": "2026-11-27",
            **({run.HASH_FIELD: SHA_BODY} if run.HASH_FIELD else {}),
        },
    ]
    assert (
        claim["reviewed"] == "2026-11-27"
        and claim["provenance"] == "vendor-asserted"
        and claim.get("collected") is (True if run.COLLECTED_FIELD else None)
    )


def _reviewed_claim(**over):
    claim = {
        "criterion": "id-security-contact",
        "requirements": {
            "dedicated-contact": "met",
            "security-txt": "not-found",
            "security-txt-contact": "not-found",
            "security-txt-expires": "contradicted",
        },
        "level": "partial",
        "summary": "Reviewed by a person.",
        "sources": [
            {
                "url": "https://example.net/.well-known/security.txt",
                "title": "security.txt",
                "publisher": "Example Talk",
                "kind": "primary",
                "supports": ["security-txt"],
                "seen_current": "2026-06-01",
                "accessed": "2026-06-01",
            }
        ],
        "reviewed": "2026-06-01",
        "provenance": "vendor-asserted",
        "note_key": "kept",
    }
    claim.update(over)
    return claim


def test_a_refresh_re_dates_an_unchanged_source_without_marking_the_claim():
    txt = _fetched("security-txt", "https://example.net/.well-known/security.txt")
    before = _reviewed_claim(
        requirements={"dedicated-contact": "met", "security-txt": "met", "security-txt-contact": "not-found", "security-txt-expires": "contradicted"}
    )
    archived = {txt.url: "https://web.archive.org/web/20261127000000/x"}
    claim = write.apply_claim(before, _criterion(), _provider(), [_prop("security-txt", "refresh", txt)], AS_OF, archived)
    assert before["sources"][0]["seen_current"] == "2026-06-01"  # the input is not changed
    source = claim["sources"][0]
    assert (source["seen_current"], source["accessed"], source["archive_url"]) == (
        "2026-11-27",
        "2026-11-27",
        "https://web.archive.org/web/20261127000000/x",
    )
    if run.HASH_FIELD:
        assert source[run.HASH_FIELD] == SHA_BODY
    assert claim["summary"] == "Reviewed by a person." and "collected" not in claim and claim["level"] == "partial"
    assert list(claim) == ["criterion", "requirements", "level", "summary", "sources", "reviewed", "provenance", "note_key"]


def test_a_source_supporting_more_than_was_proved_keeps_its_date():
    txt = _fetched("security-txt", "https://example.net/.well-known/security.txt")
    before = _reviewed_claim()
    before["sources"][0]["supports"] = ["security-txt", "dedicated-contact"]
    claim = write.apply_claim(before, _criterion(), _provider(), [_prop("security-txt", "fill", txt)], AS_OF, {})
    assert claim["sources"][0]["seen_current"] == "2026-06-01" and claim["sources"][0]["supports"] == ["security-txt", "dedicated-contact"]
    assert claim["requirements"]["security-txt"] == "met" and "level" not in claim
    assert claim["summary"] == "Reviewed by a person. Collected on 2026-11-27, to be reviewed: security-txt met (security-txt)."


def test_a_changed_or_undated_source_is_not_re_dated():
    txt = _fetched("security-txt", "https://example.net/.well-known/security.txt")
    if run.HASH_FIELD:
        before = _reviewed_claim()
        before["sources"][0][run.HASH_FIELD] = "0" * 64
        claim = write.apply_claim(before, _criterion(), _provider(), [_prop("security-txt", "refresh", txt)], AS_OF, {})
        assert claim["sources"][0]["seen_current"] == "2026-06-01" and claim["sources"][0][run.HASH_FIELD] == "0" * 64
    before = _reviewed_claim()
    del before["sources"][0]["seen_current"]
    claim = write.apply_claim(before, _criterion(), _provider(), [_prop("security-txt", "refresh", txt)], AS_OF, {})
    assert "seen_current" not in claim["sources"][0] and claim["sources"][0]["accessed"] == "2026-06-01"


def test_a_new_source_for_a_recorded_status_is_collected_for_a_person_to_confirm():
    other = _fetched("matrix-support", "https://example.net/.well-known/matrix/support")
    claim = write.apply_claim(_reviewed_claim(), _criterion(), _provider(), [_prop("dedicated-contact", "refresh", other)], AS_OF, {})
    assert claim["requirements"]["dedicated-contact"] == "met" and len(claim["sources"]) == 2
    assert claim["sources"][1]["supports"] == ["dedicated-contact"] and "archive_url" not in claim["sources"][1]
    assert claim["summary"] == "Reviewed by a person. Collected on 2026-11-27, to be reviewed: dedicated-contact met (matrix-support)."
    if run.COLLECTED_FIELD:
        assert claim["collected"] is True


def test_a_summary_that_would_grow_too_long_is_kept_as_it_was():
    from generator import rules

    txt = _fetched("security-txt", "https://example.net/.well-known/security.txt")
    addition = " Collected on 2026-11-27, to be reviewed: security-txt met (security-txt)."
    fits = "x" * (rules.TEXT_MAX - len(addition))
    claim = write.apply_claim(_reviewed_claim(summary=fits), _criterion(), _provider(), [_prop("security-txt", "fill", txt)], AS_OF, {})
    assert claim["summary"] == fits + addition
    claim = write.apply_claim(_reviewed_claim(summary=fits + "y"), _criterion(), _provider(), [_prop("security-txt", "fill", txt)], AS_OF, {})
    assert claim["summary"] == fits + "y"
    claim = write.apply_claim(_reviewed_claim(summary=None), _criterion(), _provider(), [_prop("security-txt", "fill", txt)], AS_OF, {})
    assert claim["summary"] == addition.strip()


def test_sentence_groups_checks_by_requirement_and_status():
    assert write._sentence([("a", "met", "x"), ("b", "contradicted", "y"), ("a", "met", "z"), ("a", "met", "x"), ("a", "contradicted", "x")]) == (
        "a met (x, z); b contradicted (y); a contradicted (x)"
    )
    assert write._sentence([]) == ""


REWRITE = """id: x
assessments:
  - criterion: a
    summary: s
  # trailing comment

  - criterion: b
    summary: t

context: {}
"""


def _doc(text):
    from generator.load import load_text

    doc, problems = load_text("data/providers/x.yaml", text.encode())
    assert doc is not None, problems
    return doc


def test_rewrite_replaces_a_claim_in_place_and_appends_new_ones_after_the_last():
    new = write.rewrite(_doc(REWRITE), REWRITE, {"b": {"criterion": "b", "summary": "u"}, "c": {"criterion": "c"}})
    assert new == REWRITE.replace("    summary: t\n", "    summary: u\n  - criterion: c\n")
    new = write.rewrite(_doc(REWRITE), REWRITE, {"a": {"criterion": "a", "summary": "v", "reviewed": "2026-11-27"}})
    assert new == REWRITE.replace("    summary: s\n", "    summary: v\n    reviewed: 2026-11-27\n")
    flat = "id: x\nassessments:\n- criterion: a\n  summary: s\n# end\n"
    assert (
        write.rewrite(_doc(flat), flat, {"a": {"criterion": "a"}, "b": {"criterion": "b"}})
        == "id: x\nassessments:\n- criterion: a\n- criterion: b\n# end\n"
    )


def test_a_rewrite_that_would_not_read_back_is_refused_at_the_files_path():
    # A flow-style list: the claim is rewritten at the column of the first "-" on its line (in "b-c"),
    # which the parser cannot read back; the refusal names the file, not a blank path.
    text = "id: x\nassessments: [\n  {criterion: a}, {criterion: b-c}\n  ]\n"
    with pytest.raises(DataError) as refused:
        write.rewrite(_doc(text), text, {"a": {"criterion": "a", "summary": "v"}, "z": {"criterion": "z"}})
    # Reported where the list's bracket was opened (line 2, after "assessments: ").
    assert [(p.path, p.line, p.col, p.message) for p in refused.value.problems] == [
        ("data/providers/x.yaml", 2, 14, "YAML syntax: a bracket opened here is never closed")
    ]


def test_item_ranges_leave_out_trailing_blank_and_comment_lines():
    lines = REWRITE.split("\n")
    assert write._item_ranges(_doc(REWRITE), lines) == [(2, 4), (6, 8)]
    text = "assessments:\n  - criterion: a\n\n"
    assert write._item_ranges(_doc(text), text.split("\n")) == [(1, 2)]
    text = "assessments:\n  - criterion: a\n  - criterion: b\n    summary: c\n"
    assert write._item_ranges(_doc(text), text.split("\n")) == [(1, 2), (2, 4)]


def test_rewrite_starts_an_assessment_list_where_there_is_none():
    text = "id: x\nassessments:\ncontext: {}\n"
    assert write.rewrite(_doc(text), text, {"c": {"criterion": "c"}}) == "id: x\nassessments:\n  - criterion: c\ncontext: {}\n"
    text = "id: x\n\n\n"
    assert write.rewrite(_doc(text), text, {"c": {"criterion": "c"}}) == "id: x\nassessments:\n  - criterion: c\n"


def test_a_put_back_that_still_leaves_problems_undoes_the_whole_run(collect_project, monkeypatch):
    from generator.problems import Problem

    before = tree_bytes(collect_project / "data")
    answers = iter(
        [
            (None, [Problem("data/providers/example-chat.yaml", 3, 1, "first problem")]),
            (None, [Problem("data/providers/example-broken.yaml", 4, 1, "second problem")]),
        ]
    )
    monkeypatch.setattr(write, "check_tree", lambda root, as_of: next(answers))
    code, _, err = collect(collect_project, "--write")
    assert code == 1 and "second problem" in err and "first problem" not in err
    assert tree_bytes(collect_project / "data") == before


def test_the_put_back_section_of_the_report(collect_project, monkeypatch):
    from generator.problems import Problem

    answers = iter([(None, [Problem("data/providers/example-chat.yaml", 3, 1, "first problem", "a hint")]), (None, [])])
    monkeypatch.setattr(write, "check_tree", lambda root, as_of: next(answers))
    code, out, err = collect(collect_project, "--write", "--provider", "example-chat")
    assert code == 0, err
    assert (
        "Written: nothing. `scorecard validate` passed.\n\n"
        "Put back because the result would not validate (a person should look):\n\n"
        "- `data/providers/example-chat.yaml:3:1: error: first problem hint: a hint`\n\n"  # the problem on one line
        "- providers with machine sources: 1\n"
    ) in out


def test_write_refuses_data_without_requirement_level_assessments(monkeypatch, tmp_path):
    monkeypatch.setattr(write, "M2", False)
    with pytest.raises(DataError) as exc:
        write.write(tmp_path, [], None, AS_OF, {})  # refused before anything is read
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in exc.value.problems] == [
        ("data/providers", 1, 1, "--write needs requirement-level assessments (Methodology 2)", "run without --write to see the proposals")
    ]


def test_write_reads_and_writes_provider_files_as_utf8_whatever_the_locale(collect_project):
    import os
    import subprocess
    import sys

    path = collect_project / "data" / "providers" / "example-chat.yaml"
    comment = "# Geprüft – Zürich\n"
    path.write_text(path.read_text(encoding="utf-8").replace("id: example-chat\n", "id: example-chat\n" + comment, 1), encoding="utf-8")
    # open() would default to ASCII; the report itself is printed as UTF-8.
    ascii_locale = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}
    args = ["--root", str(collect_project), "collect", "--offline", "--fixtures", str(RECORDED), "--as-of", AS_OF.isoformat(), "--write"]
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=ascii_locale, capture_output=True, text=True, encoding="utf-8")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    written = "`data/providers/example-broken.yaml`, `data/providers/example-chat.yaml`, `data/providers/example-reviewed.yaml`"
    assert f"\nWritten: {written}. `scorecard validate` passed.\n" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/provider.schema.json\nid: example-chat\n" + comment)
    assert "- criterion: id-security-contact" in text
