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
