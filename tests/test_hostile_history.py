"""Git history is input too (issue 10, finding 10): commit subjects, dates, encodings and old file
versions come from pull requests, and none of them may forge entries or stop the build."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

from generator import history

from .conftest import AS_OF, git, git_repo, run

SERVICE = "data/providers/fixture-service.yaml"
FAKE_SHA = "f" * 40


def touch(project: Path, text: str = "") -> None:
    path = project / SERVICE
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def entries(project: Path):
    return history.collect(project, ["fixture-service"], AS_OF)["fixture-service"].entries


def test_separator_characters_in_a_subject_cannot_forge_entries(project):
    git_repo(project)
    touch(project, "# change one\n")
    forged = f"Fix typo\x1e{FAKE_SHA}\x1f2031-01-01T00:00:00+00:00\x1fApproved by maintainers\n".encode()
    git(project, "commit", "-q", "-a", message=forged, date="2026-02-01T09:00:00+00:00")
    found = entries(project)
    assert [e.commit for e in found if e.commit.startswith("ffff")] == []
    assert all(e.date.year == 2026 for e in found) and len(found) == 2
    assert found[0].subject.startswith("Fix typo ") and "\x1e" not in found[0].subject and "\x1f" not in found[0].subject
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err


def test_lone_separator_subject_does_not_stop_the_build(project):
    git_repo(project)
    touch(project, "# change\n")
    git(project, "commit", "-q", "-a", message=b"\x1e\x1f\x1f\n", date="2026-02-01T09:00:00+00:00")
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err


def test_commits_dated_after_the_as_of_date_are_dropped(project):
    git_repo(project)
    touch(project, "# from the future\n")
    git(project, "commit", "-q", "-a", "-m", "Approved by maintainers", date="2031-01-01T00:00:00+00:00")
    found = entries(project)
    assert [e.subject for e in found] == ["Add fixtures"]


def test_bogus_encoding_header_and_invalid_bytes_are_decoded_leniently(project):
    git_repo(project)
    touch(project, "# latin-1\n")
    git(
        project,
        "-c",
        "i18n.commitEncoding=no-such-charset",
        "commit",
        "-q",
        "-a",
        message=b"Caf\xe9 \xff\xfe subject\n",
        date="2026-02-01T09:00:00+00:00",
    )
    found = entries(project)
    assert len(found) == 2 and found[0].subject.startswith("Caf")
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err


def test_an_old_version_that_no_longer_parses_is_skipped_on_its_own(project):
    git_repo(project)
    path = project / SERVICE
    good = path.read_bytes()
    path.write_bytes(b"id: [" + b"[" * 600 + b"\n")  # a parser bomb, then fixed in the next commit
    git(project, "commit", "-q", "-a", "-m", "Broken", date="2026-02-01T09:00:00+00:00")
    fixed = good.replace(b"security-txt: not-found", b"security-txt: met", 1).replace(
        b"supports: [dedicated-contact]", b"supports: [dedicated-contact, security-txt]", 1
    )
    assert fixed != good
    path.write_bytes(fixed)
    git(project, "commit", "-q", "-a", "-m", "Fixed", date="2026-03-01T09:00:00+00:00")
    found = entries(project)
    assert [e.subject for e in found] == ["Fixed", "Add fixtures"]
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err


def test_subjects_are_cleaned_and_bounded():
    assert history.clean_subject("a\u202eb\x00c\td " + "x" * 500).startswith("a b c d ")
    assert len(history.clean_subject("x" * 500)) == history.SUBJECT_MAX


def test_log_parser_ignores_garbage():
    assert history.parse_log(b"") == []
    assert history.parse_log(b"not a sha\x00nor a date\x00x\x00") == []
    ok = history.parse_log(FAKE_SHA.encode() + b"\x002026-01-01T00:00:00+00:00\x00s\x00\nM\x00data/providers/a.yaml\x00")
    assert ok[0][0] == FAKE_SHA and ok[0][3] == [("M", ["data/providers/a.yaml"])]


def test_an_unexpected_error_in_an_old_version_is_skipped_and_its_traceback_shown_with_debug(project, monkeypatch):
    git_repo(project)
    touch(project, "\n# second version\n")
    git(project, "commit", "-q", "-a", "-m", "Second", date="2026-02-01T09:00:00+00:00")
    real = history.load_text

    def fails_on_the_first_version(path, content):
        if b"# second version" not in content:
            raise RuntimeError("parser bug in an old version")
        return real(path, content)

    monkeypatch.setattr(history, "load_text", fails_on_the_first_version)
    monkeypatch.setenv("SCORECARD_WORKERS", "1")  # in this process, so the test sees what is printed
    assert [e.subject for e in entries(project)] == ["Second"]  # the failing version is skipped on its own
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert "parser bug" not in err and "Traceback" not in err
    code, _, err = run("--debug", "build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert f"debug: history: skipped {SERVICE} at commit" in err
    assert "Traceback" in err and "RuntimeError: parser bug in an old version" in err
    assert not logging.getLogger("scorecard").handlers  # --debug's handler does not outlive the command


def test_history_follows_a_renamed_file_and_reads_past_deletions_and_other_files(project):
    git_repo(project)
    gone = project / "data/providers/aaa-gone.yaml"  # sorts before the others in git's list of changed paths
    gone.write_bytes((project / SERVICE).read_bytes())
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Add gone", date="2026-01-15T09:00:00+00:00")
    git(project, "mv", SERVICE, "data/providers/renamed-service.yaml")
    git(project, "commit", "-q", "-m", "Rename", date="2026-01-20T09:00:00+00:00")
    path = project / "data/providers/renamed-service.yaml"
    path.write_bytes(
        path.read_bytes()
        .replace(b"security-txt: not-found", b"security-txt: met", 1)
        .replace(b"supports: [dedicated-contact]", b"supports: [dedicated-contact, security-txt]", 1)
    )
    gone.unlink()
    (project / "data/providers/NOTES.txt").write_text("not a provider file\n", encoding="utf-8")  # sorts first
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Change, delete, note", date="2026-02-01T09:00:00+00:00")
    found = history.collect(project, ["renamed-service"], AS_OF)["renamed-service"].entries
    assert [(e.subject, e.created) for e in found] == [("Change, delete, note", False), ("Rename", False), ("Add fixtures", True)]
    assert [(c.criterion, c.old, c.new) for c in found[0].changes] == [("id-security-contact", "partial", "full")]
    assert found[1].changes == ()  # a rename changes no level


def test_each_version_is_compared_with_the_one_before():
    path = "data/providers/p.yaml"
    versions = [  # oldest first
        b"assessments:\n  - criterion: a\n    outcome: n/a\n  - criterion: b\n    requirements: {x: met, y: met}\n"
        b"  - criterion: d\n    requirements: {}\n    level: partial\n",
        b"assessments:\n  - criterion: b\n    requirements: {x: met, y: bogus}\n  - criterion: c\n    level: 'no'\n"
        b"  - criterion: d\n    requirements: {}\n    level: partial\n",
        b"assessments: not a list\n",  # a version that cannot be read is skipped on its own
    ]
    shas = [str(n) * 40 for n in range(1, len(versions) + 1)]
    commits = [(sha, dt.datetime(2026, 1, n, tzinfo=dt.UTC), f"v{n}", path) for n, sha in enumerate(shas, 1)][::-1]  # newest first
    found = history._history(commits, {f"{sha}:{path}": v for sha, v in zip(shas, versions, strict=True)}, "a note")
    assert found.note == "a note"
    assert [(e.commit, e.subject, e.created) for e in found.entries] == [("2" * 12, "v2", False), ("1" * 12, "v1", True)]
    assert [(c.criterion, c.old, c.new) for c in found.entries[0].changes] == [("a", "n/a", None), ("b", "full", "partial"), ("c", None, "no")]
    assert [(c.criterion, c.old, c.new) for c in found.entries[1].changes] == [("a", None, "n/a"), ("b", None, "full"), ("d", None, "partial")]


def test_many_objects_are_read_back_exactly_from_one_git_process(project):
    git_repo(project)
    listed = subprocess.run(["git", "-C", str(project), "ls-files", "-z"], capture_output=True, check=True).stdout
    files = sorted(rel.decode() for rel in listed.split(b"\0") if rel)
    names = [f"{rev}:{rel}" for rev in ("HEAD", "HEAD~0") for rel in files]  # two names per object
    specs = names[:20] + ["HEAD:data/no-such-file.yaml"] + names[20:]
    blobs = history._read_blobs(project, specs)
    assert blobs == {name: (project / name.split(":", 1)[1]).read_bytes() for name in names}  # the missing one is left out, not the rest


def test_log_parser_skips_garbage_before_a_record_and_undecodable_bytes():
    record = b"a" * 40 + b"\x002026-01-10T10:00:00+00:00\x00Subject \xff\x00\nM\x00data/providers/x.yaml\x00"
    found = history.parse_log(b"junk \xff\xfe\x00" + record + b"b" * 40 + b"\x00\xff\xfe-01-10\x00bad date\x00")
    assert [(sha[:3], when.isoformat(), subject, changes) for sha, when, subject, changes in found] == [
        ("aaa", "2026-01-10T10:00:00+00:00", "Subject \ufffd", [("M", ["data/providers/x.yaml"])])
    ]


def test_a_shallow_clone_says_what_it_cannot_show(project, tmp_path):
    git_repo(project)
    touch(project, "# second\n")
    git(project, "commit", "-q", "-a", "-m", "Second", date="2026-02-01T09:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)], check=True, capture_output=True)
    found = history.collect(clone, ["fixture-service"], AS_OF)["fixture-service"]
    assert found.note == "This build ran on a shallow clone: changes before its oldest commit are not shown."
    assert [e.subject for e in found.entries] == ["Second"]
    assert history.repository_note(project) == ""


def test_a_provider_file_never_committed_has_no_history_yet(project):
    git_repo(project)
    (project / "data/providers/newcomer.yaml").write_bytes((project / SERVICE).read_bytes())
    found = history.collect(project, ["newcomer", "fixture-service"], AS_OF)
    assert (found["newcomer"].entries, found["newcomer"].note) == ([], history.NO_COMMITS)
    assert [e.subject for e in found["fixture-service"].entries] == ["Add fixtures"] and found["fixture-service"].note == ""


def test_the_as_of_day_is_included_in_utc(project):
    git_repo(project)
    touch(project, "# late on the day\n")
    git(project, "commit", "-q", "-a", "-m", "Late on the as-of day", date="2026-11-27T23:59:00+00:00")
    touch(project, "# next day in UTC\n")
    git(project, "commit", "-q", "-a", "-m", "Next day in UTC", date="2026-11-27T20:00:00-05:00")  # 01:00 UTC on the 28th
    assert [e.subject for e in entries(project)] == ["Late on the as-of day", "Add fixtures"]
    everything = history.collect(project, ["fixture-service"])["fixture-service"].entries  # no as-of date: all commits
    assert [e.subject for e in everything] == ["Next day in UTC", "Late on the as-of day", "Add fixtures"]
    assert [len(e.commit) for e in everything] == [12, 12, 12]


def test_log_parser_reads_renames_copies_and_consecutive_records():
    a, b = "a" * 40, "b" * 40
    raw = (
        a.encode() + b"\x002026-01-02T00:00:00+00:00\x00Second\x00\n"
        b"R087\x00data/providers/old.yaml\x00data/providers/new.yaml\x00"
        b"C100\x00data/providers/new.yaml\x00data/providers/copy.yaml\x00"
        b"D\x00data/providers/gone.yaml\x00"
        + b.encode()
        + b"\x002026-01-01T00:00:00+00:00\x00First\x00\nA\x00data/providers/old.yaml\x00M\x00data/providers/gone.yaml\x00"
    )
    found = history.parse_log(raw)
    assert [(sha[:1], when.day, subject, changes) for sha, when, subject, changes in found] == [
        (
            "a",
            2,
            "Second",
            [
                ("R087", ["data/providers/old.yaml", "data/providers/new.yaml"]),
                ("C100", ["data/providers/new.yaml", "data/providers/copy.yaml"]),
                ("D", ["data/providers/gone.yaml"]),
            ],
        ),
        ("b", 1, "First", [("A", ["data/providers/old.yaml"]), ("M", ["data/providers/gone.yaml"])]),
    ]
    by_file = history._commits_by_file(raw)
    assert {path: [(sha[:1], path_then) for sha, _, _, path_then in commits] for path, commits in by_file.items()} == {
        "data/providers/new.yaml": [("a", "data/providers/new.yaml"), ("b", "data/providers/old.yaml")],
        "data/providers/copy.yaml": [("a", "data/providers/copy.yaml")],
        "data/providers/gone.yaml": [("b", "data/providers/gone.yaml")],
    }
    cut = history.parse_log(raw[: raw.index(b"\x00data/providers/new.yaml")])  # a rename missing its new path is dropped
    assert [(sha[:1], changes) for sha, _, _, changes in cut] == [("a", [])]


def test_a_skipped_version_is_logged_with_its_short_commit_and_traceback(monkeypatch, caplog):
    def broken(path, content):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(history, "load_text", broken)
    with caplog.at_level(logging.DEBUG, logger="scorecard.history"):
        assert history._levels("data/providers/p.yaml", b"x", "0123456789abcdef0123") is None
        assert history._levels("data/providers/q.yaml", b"x") is None
    assert [(r.name, r.getMessage(), r.exc_info[0]) for r in caplog.records] == [
        ("scorecard.history", "history: skipped data/providers/p.yaml at commit 0123456789ab, which could not be read", RuntimeError),
        ("scorecard.history", "history: skipped data/providers/q.yaml at commit ?, which could not be read", RuntimeError),
    ]


def test_renames_are_followed_even_when_git_is_configured_not_to_detect_them(project, monkeypatch, tmp_path):
    git_repo(project)
    git(project, "mv", SERVICE, "data/providers/renamed-service.yaml")
    git(project, "commit", "-q", "-m", "Rename", date="2026-01-20T09:00:00+00:00")
    config = tmp_path / "gitconfig"
    config.write_text("[diff]\n\trenames = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))  # a contributor's or a CI runner's own git configuration
    found = history.collect(project, ["renamed-service"], AS_OF)["renamed-service"].entries
    assert [(e.subject, e.created) for e in found] == [("Rename", False), ("Add fixtures", True)]


def test_log_parser_reads_on_after_a_bad_date_a_bad_status_and_a_padded_status():
    good = b"c" * 40 + b"\x002026-01-03T00:00:00+00:00\x00Good\x00\nM\x00data/providers/c.yaml\x00"
    bad_date = b"a" * 40 + b"\x00yesterday\x00Bad date\x00\nM\x00data/providers/a.yaml\x00"
    bad_status = b"b" * 40 + b"\x002026-01-02T00:00:00+00:00\x00Bad status\x00\xff\xfe\x00data/providers/b.yaml\x00"
    padded = b"d" * 40 + b"\x002026-01-04T00:00:00+00:00\x00Padded\x00 M\x00data/providers/d.yaml\x00"
    found = history.parse_log(bad_date + bad_status + padded + good)
    assert [(subject, changes) for _, _, subject, changes in found] == [
        ("Bad status", []),  # a status git never writes ends the list of changes
        ("Padded", []),  # only git's own newline before a status is skipped
        ("Good", [("M", ["data/providers/c.yaml"])]),
    ]
