"""The hostile-input corpus, rejected: each case is refused with file:line:col and a hint, never a
traceback (issue 10, findings 5-9 and 11). Built outputs of accepted payloads: test_hostile.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator import build, rules
from generator.check import check_tree
from generator.load import load_file, load_text
from generator.problems import DataError

from .conftest import AS_OF, run


def located(problems, path: str | None = None, words: str = ""):
    """Exactly the problems mentioning `words` (in `path`); each has a line, a column and a hint."""
    hits = [p for p in problems if words in p.message and (path is None or p.path == path)]
    assert hits, [p.format() for p in problems]
    for p in hits:
        assert p.line >= 1 and p.col >= 1 and p.hint, p
    return hits


def set_field(project: Path, rel: str, old: str, new: str) -> Path:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


SERVICE = "data/providers/fixture-service.yaml"


# --- Finding 5: URLs read differently by Python and by browsers ---------------------------------


@pytest.mark.parametrize(
    "url, words",
    [
        ("https://scribd.com\\@signal.org/security", "backslash"),
        ("https://scribd.com\\\\signal.org/", "backslash"),
        ("https://user@service.example.org/security", "user info"),
        ("https://service.example.org:8443/security", "port"),
        ("https://service.example.org:443/security", "port"),
        ("https://127.0.0.1/security", "IP address"),
        ("https://0x7f.1/security", "IP address"),
        ("https://2130706433/security", "host"),
        ("https://[::1]/security", "host"),
        ("https://scribd\uff0ecom/security", "host"),
        ("https://serv%69ce.example.org/security", "host"),
        ('https://service.example.org/a"onmouseover="x', "percent-encoded"),
        ("https://service.example.org/)[forged](https://evil.example/", None),
        ("https://service.example.org/<b>", "percent-encoded"),
    ],
)
def test_source_urls_browsers_would_read_differently_are_rejected(project, url, words):
    quoted = "'" + url.replace("'", "''") + "'"
    set_field(project, SERVICE, "https://service.example.org/security", quoted)
    dataset, problems = check_tree(project, AS_OF)
    if words is None:  # accepted (a valid URL), but it must not add Markdown to the weekly report
        from generator import report

        text = report.markdown(dataset, AS_OF, {url: "HTTP 404"})
        assert f"- <{url}> — HTTP 404" in text
        return
    hit = located(problems, SERVICE, words)[0]
    assert (hit.line, hit.col) > (1, 1)


def test_backslash_url_no_longer_counts_as_an_official_primary_source():
    assert rules.url_problem("https://scribd.com\\@signal.org/security", allow_mailto=False)
    assert rules.url_problem("https://signal.org/security", allow_mailto=False) is None


# --- Finding 6: ids that collide with generated paths -----------------------------------------


@pytest.mark.parametrize("pid", ["index", "site"])  # providers/index.md, previews/site.png
def test_reserved_provider_ids_are_rejected(project, pid):
    src = project / SERVICE
    text = src.read_text(encoding="utf-8").replace("id: fixture-service", f"id: {pid}")
    (project / f"data/providers/{pid}.yaml").write_text(text, encoding="utf-8")
    src.unlink()
    _, problems = check_tree(project, AS_OF)
    hit = located(problems, f"data/providers/{pid}.yaml", "reserved")[0]
    assert (hit.line, hit.col) == (2, 5)


def test_reserved_alias_is_rejected(project):
    set_field(project, SERVICE, "  - old-fixture-service", "  - old-fixture-service\n  - index")
    _, problems = check_tree(project, AS_OF)
    assert located(problems, SERVICE, "reserved")[0].line == 10


# --- Finding 7: forbidden characters written as YAML escapes -----------------------------------


@pytest.mark.parametrize(
    "escape, words",
    [
        ("\\u202e", "U+202E"),
        ("\\x00", "U+0000"),
        ("\\u200b", "U+200B"),
        ("\\x1b", "U+001B"),
        ("\\U0001F600\\ud800", "U+D800"),
        ("\\uffff", "U+FFFF"),
        ("\\u2028", "U+2028"),
        ("\\x85", "U+0085"),
    ],
)
def test_escaped_forbidden_characters_are_rejected_in_values(escape, words):
    doc, problems = load_text("data/providers/x.yaml", f'id: x\nname: "Acme{escape}Chat"\n'.encode())
    assert doc is None
    assert problems[0].line == 2 and problems[0].hint
    assert words in problems[0].message or "YAML syntax" in problems[0].message  # libyaml may refuse the escape itself


def test_escaped_forbidden_characters_are_rejected_in_keys():
    doc, problems = load_text("data/providers/x.yaml", b'id: x\n"na\\u202eme": y\n')
    assert doc is None and (problems[0].line, problems[0].col) == (2, 1)


def test_escaped_bidi_in_a_provider_name_fails_validation(project):
    set_field(project, SERVICE, "name: Fixture Service", 'name: "Fixture \\u202eService"')
    _, problems = check_tree(project, AS_OF)
    assert located(problems, SERVICE, "U+202E")[0].line == 3


# --- Finding 8: files that are not regular files inside the checkout ---------------------------


def test_symlinked_data_file_is_rejected(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "evil.yaml"
    outside.write_bytes((project / SERVICE).read_bytes().replace(b"fixture-service", b"evil"))
    os.symlink(outside, project / "data/providers/evil.yaml")
    _, problems = check_tree(project, AS_OF)
    assert located(problems, "data/providers/evil.yaml", "symbolic link")


def test_dangling_symlink_and_folder_named_yaml_are_problems_not_crashes(project):
    os.symlink("/nonexistent/target.yaml", project / "data/providers/dangling.yaml")
    (project / "data/providers/folder.yaml").mkdir()
    _, problems = check_tree(project, AS_OF)
    assert located(problems, "data/providers/dangling.yaml", "symbolic link")
    assert located(problems, "data/providers/folder.yaml", "not a regular file")


def test_symlinked_framework_is_rejected_not_missing(project):
    fw = project / "data/framework.yaml"
    target = project.parent / (project.name + "-fw.yaml")
    fw.rename(target)
    os.symlink(target, fw)
    _, problems = check_tree(project, AS_OF)
    assert located(problems, "data/framework.yaml", "symbolic link")


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
def test_docs_symlinks_are_never_published_or_read(project, target):
    os.symlink(target, project / "docs" / "leak.md")
    with pytest.raises(DataError) as exc:
        build.hand_written(project)
    assert located(exc.value.problems, "docs/leak.md", "symbolic link")


def test_docs_symlinked_folder_is_rejected(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside-docs")
    (outside / "secret.md").write_text("# secret\n")
    os.symlink(outside, project / "docs" / "linked")
    with pytest.raises(DataError) as exc:
        build.hand_written(project)
    assert located(exc.value.problems, "docs/linked", "symbolic link")


def test_reads_are_bounded_by_the_size_limit(project):
    big = project / "data/providers/big.yaml"
    big.write_bytes(b"# x\n" + b"a" * (rules.MAX_FILE_BYTES * 4))
    doc, problems = load_file(big, project)
    assert doc is None and "limit" in problems[0].message


def test_fifo_in_data_is_not_read(project):
    os.mkfifo(project / "data/providers/pipe.yaml")  # reading it would block forever
    _, problems = check_tree(project, AS_OF)
    assert located(problems, "data/providers/pipe.yaml", "not a regular file")


# --- Finding 9: parser bombs -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"a: " + b"[" * 500 + b"]" * 500 + b"\n", "nesting"),
        (b"a: " + b"{b: " * 500 + b"}" * 500 + b"\n", "nesting"),
        (b"".join(b" " * i + b"k:\n" for i in range(100)) + b" " * 100 + b"v\n", "nesting"),
        (b"a:\n  " + b"- " * 400 + b"x\n", "nesting"),
        (b"a: " + b"9" * 5000 + b"\n", "number"),
        (b"a: -" + b"1" * 5000 + b".5e3\n", "number"),
    ],
)
def test_parser_bombs_become_located_problems(raw, words):
    assert len(raw) < 20_000
    doc, problems = load_text("data/providers/x.yaml", raw)
    assert doc is None and len(problems) == 1
    assert words in problems[0].message and problems[0].hint and problems[0].line >= 1


def test_parser_bomb_through_the_cli(project):
    (project / "data/providers/bomb.yaml").write_bytes(
        b"# yaml-language-server: $schema=../schema/provider.schema.json\nid: " + b"[" * 600 + b"]" * 600 + b"\n"
    )
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "Traceback" not in err
    assert re.search(r"data/providers/bomb\.yaml:2:\d+: error: nesting", err)


# --- Finding 11: smaller ones ----------------------------------------------------------------


def test_newline_in_name_is_rejected_with_a_location(project):
    set_field(project, SERVICE, "name: Fixture Service", 'name: "Fixture\\nService"')
    _, problems = check_tree(project, AS_OF)
    assert located(problems, SERVICE, "one line")[0].line == 3


def test_aliases_are_capped(project):
    many = "\n".join(f"  - old-{i}" for i in range(21))  # rules.MAX_ALIASES + 1
    set_field(project, SERVICE, "  - old-fixture-service", many)
    _, problems = check_tree(project, AS_OF)
    assert located(problems, SERVICE, "at most")[0].line == 9


@pytest.mark.parametrize("name", ["Fixture-Service.yaml", "fixture-service.yml", "Fixture Service.yaml"])
def test_a_misnamed_copy_is_blamed_not_the_existing_file(project, name):
    (project / "data/providers" / name).write_bytes((project / SERVICE).read_bytes())
    _, problems = check_tree(project, AS_OF)
    assert [p.path for p in problems] == [f"data/providers/{name}"]
    assert "lowercase id" in problems[0].message and problems[0].hint


@pytest.mark.parametrize("site_dir", ["docs", ".", "data", "..", "docs/sub"])
def test_build_refuses_to_replace_a_folder_it_did_not_make(project, site_dir):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    code, out, err = run("build", "--as-of", str(AS_OF), "--site-dir", site_dir, root=project)
    assert code == 1 and ("was not made by" in err or "project" in err)
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


def test_build_refuses_a_foreign_non_empty_folder_but_replaces_its_own(project, tmp_path_factory):
    foreign = tmp_path_factory.mktemp("foreign")
    (foreign / "notes.txt").write_text("mine")
    code, _, err = run("build", "--as-of", str(AS_OF), "--site-dir", str(foreign), root=project)
    assert code == 1 and "not made by" in err and (foreign / "notes.txt").read_text() == "mine"
    for _ in range(2):  # a fresh folder, then the same folder again (now marked as a build's)
        code, _, err = run("build", "--as-of", str(AS_OF), "--site-dir", "out", root=project)
        assert code == 0, err
    assert (project / "out" / ".scorecard-site").is_file()  # build.MARKER


@pytest.mark.parametrize(
    "flag, value",
    [
        ("--site-url", 'https://x.example/"><script>alert(1)</script>'),
        ("--site-url", "javascript:alert(1)//"),
        ("--repository-url", "https://github.com\\@evil.example/"),
    ],
)
def test_site_and_repository_urls_are_checked_before_they_reach_every_page(project, flag, value):
    code, _, err = run("build", "--as-of", str(AS_OF), flag, value, root=project)
    assert code == 1 and f"{flag}:1:1: error:" in err and not (project / "site").exists()


def test_markup_in_site_name_is_refused_because_the_theme_prints_it_raw(project):
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_name: Messenger Defense Scorecard", "site_name: Scorecard<script>alert(1)</script>"),
        encoding="utf-8",
    )
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "mkdocs.yml:1:1: error: site_name" in err


def test_threat_model_is_published_with_every_entry_point():
    from .conftest import ROOT

    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for heading in ("## Threat model", "### What is protected", "### Who attacks", "### Entry points and controls"):
        assert heading in page
    for entry in (
        "data/framework.yaml",
        "docs/",
        "Git metadata",
        "Workflow inputs",
        "Fetched pages",
        "Dependencies",
        "generator/safe.py",
        "Content-Security-Policy",
    ):
        assert entry in page, entry


@pytest.mark.parametrize(
    "text, line, col",
    [
        ('---\ntitle: About"><img src=x onerror=alert(1)>\n---\n# About\n', 2, 13),
        ("---\ndescription: <script>alert(1)</script>\n---\n# About\n", 2, 14),
        ("# About <svg onload=alert(1)>\n\nBody text may use <abbr>HTML</abbr>.\n", 1, 9),
    ],
)
def test_markup_in_hand_written_page_titles_is_refused(project, text, line, col):
    (project / "docs" / "hostile.md").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        build.hand_written(project)
    [problem] = exc.value.problems
    assert (problem.path, problem.line, problem.col) == ("docs/hostile.md", line, col)
    assert problem.message == f"markup character {text.split(chr(10))[line - 1][col - 1]!r} in the page title or description"
    assert problem.hint == "the theme prints titles and descriptions without escaping: write plain words"


def test_a_hand_written_page_that_is_not_utf8_is_still_checked_for_markup_in_its_title(project):
    """Bytes that are not UTF-8 (a page saved in Latin-1) do not stop the title check: it reads them as U+FFFD."""
    (project / "docs" / "latin.md").write_bytes(b"# Caf\xe9 <b>menu</b>\n\nCaf\xe9.\n")
    with pytest.raises(DataError) as exc:
        build.hand_written(project)
    [problem] = exc.value.problems
    assert (problem.path, problem.line, problem.col, problem.message) == (
        "docs/latin.md",
        1,
        8,
        "markup character '<' in the page title or description",
    )


def test_an_oversized_hand_written_page_is_refused_at_its_first_line(project):
    (project / "docs" / "huge.md").write_bytes(b"x" * (build.MAX_DOC_BYTES + 1))
    with pytest.raises(DataError) as exc:
        build.hand_written(project)
    [problem] = exc.value.problems
    assert (problem.path, problem.line, problem.col) == ("docs/huge.md", 1, 1)
    assert problem.message == f"file is larger than {build.MAX_DOC_BYTES} bytes" and problem.hint == "keep large files out of docs/"
