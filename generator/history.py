"""History: per-provider change logs from the git history of each data file.

For every commit that touched `data/providers/<id>.yaml` (following renames), the file at
that commit is loaded and its levels compared with the previous version: which criteria were
added, removed or changed level. Files from before methodology 2.0 state their levels; newer
files give requirement statuses, from which the level is computed by the scoring rule. The
result depends only on the repository's commits, so it is deterministic; outside git, or in a shallow clone, it says so instead of guessing.

Git history is input from strangers too (commit subjects, dates and old file versions come from
pull requests): git's output is split on NUL bytes (which no subject or path can contain) and
decoded leniently; subjects are cleaned of control and bidirectional characters and shortened;
commits dated after the as-of date are dropped; an old file version that no longer loads is
skipped on its own, and a malformed record never stops the build.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules
from .load import load_text
from .model import Status
from .score import derive_level

PROVIDERS = "data/providers"
NO_COMMITS = "This file has no committed history yet."
SUBJECT_MAX = 200
_SHA = re.compile(r"[0-9a-f]{40}")
_STATUS = re.compile(r"[ACDMRTUXB][0-9]{0,3}")
_PROVIDER_PATH = re.compile(r"data/providers/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml")
# `scorecard --debug` shows this logger's records (cli.main): here, the traceback of an old file version that was skipped.
log = logging.getLogger("scorecard.history")


@dataclass(frozen=True)
class LevelChange:
    criterion: str
    old: str | None  # None: newly assessed
    new: str | None  # None: assessment removed


@dataclass(frozen=True)
class Entry:
    commit: str
    date: dt.datetime
    subject: str
    changes: tuple[LevelChange, ...]
    created: bool


@dataclass
class History:
    entries: list[Entry] = field(default_factory=list)  # newest first
    note: str = ""


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _levels(path: str, content: bytes, commit: str = "") -> dict[str, str] | None:
    """Levels per criterion in one old version of a file, or None if that version cannot be read.
    Any failure stays with this version: the rest of the history is still shown (with `--debug`,
    an unexpected error's traceback is printed too)."""
    try:
        doc, _ = load_text(path, content)
        if doc is None or not isinstance(doc.data.get("assessments"), list):
            return None
        return {str(a.get("criterion")): _level(a) for a in doc.data["assessments"] if isinstance(a, dict)}
    except Exception:
        log.debug("history: skipped %s at commit %s, which could not be read", path, commit[:12] or "?", exc_info=True)
        return None


def clean_subject(raw: str) -> str:
    """A commit subject as plain, short, printable text."""
    text = " ".join(rules.BAD_CHARACTERS.sub(" ", raw).split())
    return text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…"


def _level(assessment: dict[str, Any]) -> str:
    """The level of one raw assessment: its outcome, the level computed from its statuses, or (before 2.0) its stated level."""
    if assessment.get("outcome"):
        return str(assessment["outcome"])
    statuses = assessment.get("requirements")
    if isinstance(statuses, dict) and statuses:
        known = {s.value: s for s in Status}
        return derive_level(known.get(str(v), Status.not_found) for v in statuses.values()).value
    return str(assessment.get("level"))


def _read_blobs(root: Path, specs: list[str]) -> dict[str, bytes]:
    """Contents of many "commit:path" objects from one `git cat-file --batch` process."""
    if not specs:
        return {}
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(specs).encode() + b"\n", capture_output=True, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitFailed(f"git cat-file could not run: {exc}") from exc
    if result.returncode != 0:
        raise GitFailed(f"git cat-file exited with status {result.returncode}")
    out, pos, blobs = result.stdout, 0, {}
    try:
        for spec in specs:  # answers come back in request order
            header_end = out.index(b"\n", pos)
            header = out[pos:header_end].split()
            pos = header_end + 1
            if not header or header[-1] == b"missing" or len(header) < 3:
                continue
            size = int(header[2])
            blobs[spec] = out[pos : pos + size]
            pos += size + 1
    except ValueError:  # truncated or unexpected output: keep what was read
        pass
    return blobs


def parse_log(raw: bytes) -> list[tuple[str, dt.datetime, str, list[tuple[str, list[str]]]]]:
    """Commits from `git log -z --name-status --format=%H%x00%cI%x00%s`: (sha, date, subject, changes).
    Every field is NUL-separated, so nothing in a subject or a path can forge a record; a record
    with an impossible sha or date is skipped."""
    tokens = raw.split(b"\0")
    commits = []
    i = 0
    while i + 2 < len(tokens):
        sha = tokens[i].strip().decode("ascii", "replace")
        if not _SHA.fullmatch(sha):
            i += 1
            continue
        iso, subject = tokens[i + 1].decode("ascii", "replace"), tokens[i + 2].decode("utf-8", "replace")
        i += 3
        changes = []
        while i < len(tokens):
            status = tokens[i].lstrip(b"\n").decode("ascii", "replace")
            if not _STATUS.fullmatch(status):
                break
            count = 2 if status[0] in "RC" else 1
            paths = [t.decode("utf-8", "replace") for t in tokens[i + 1 : i + 1 + count]]
            i += 1 + count
            if len(paths) == count:
                changes.append((status, paths))
        try:
            when = dt.datetime.fromisoformat(iso)
        except ValueError:
            continue
        commits.append((sha, when, clean_subject(subject), changes))
    return commits


def _commits_by_file(log: bytes) -> dict[str, list[tuple[str, dt.datetime, str, str]]]:
    """Per current file path, its commits newest first as (sha, date, subject, path at that commit);
    renames are followed, so a renamed provider keeps its history."""
    by_file: dict[str, list[tuple[str, dt.datetime, str, str]]] = {}
    current: dict[str, str] = {}  # path at an older commit -> path today
    for sha, when, subject, changes in parse_log(log):
        for status, paths in changes:
            if status.startswith("D"):
                continue
            path = paths[-1]
            if not _PROVIDER_PATH.fullmatch(path):
                continue
            today = current.get(path, path)
            by_file.setdefault(today, []).append((sha, when, subject, path))
            if status.startswith("R"):
                current[paths[0]] = today
    return by_file


def repository_note(root: Path) -> str:
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return "No git history is available for this build."
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return "This build ran on a shallow clone: changes before its oldest commit are not shown."
    return ""


def _history(commits: list[tuple[str, dt.datetime, str, str]], blobs: dict[str, bytes], note: str) -> History:
    entries: list[Entry] = []
    previous: dict[str, str] | None = None
    for sha, when, subject, path in reversed(commits):  # oldest first
        content = blobs.get(f"{sha}:{path}")
        levels = _levels(path, content, sha) if content is not None else None
        if levels is None:
            continue
        keys = sorted(set(levels) | set(previous or {}))
        changes = tuple(LevelChange(k, (previous or {}).get(k), levels.get(k)) for k in keys if (previous or {}).get(k) != levels.get(k))
        entries.append(Entry(sha[:12], when, subject, changes, previous is None))
        previous = levels
    return History(list(reversed(entries)), note)


class GitFailed(Exception):
    """A git command that should have worked did not (not: no repository, or no commits yet)."""


def _git_bytes(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitFailed(f"git could not run: {exc}") from exc
    if result.returncode != 0:
        first = clean_subject(result.stderr.decode("utf-8", "replace").strip().splitlines()[0] if result.stderr.strip() else "")
        raise GitFailed(f"git exited with status {result.returncode}" + (f": {first}" if first else ""))
    return result.stdout


def collect(root: Path, provider_ids: list[str], as_of: dt.date | None = None) -> dict[str, History]:
    """Histories of all providers from one `git log` and one `git cat-file` call (not one per file:
    `serve` regenerates on every save, and 1,000 providers would mean thousands of processes).
    With `as_of`, commits dated after it are left out (a commit's date is whatever its author set)."""
    note = repository_note(root)
    if note.startswith("No git"):
        return {pid: History(note=note) for pid in provider_ids}
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return {pid: History(note=NO_COMMITS) for pid in provider_ids}
    try:
        log = _git_bytes(root, "-c", "core.quotePath=false", "log", "-z", "-M", "--name-status", "--format=%H%x00%cI%x00%s", "--", PROVIDERS)
        by_file = _commits_by_file(log)
        if as_of is not None:
            by_file = {path: [c for c in commits if c[1].astimezone(dt.UTC).date() <= as_of] for path, commits in by_file.items()}
        wanted = {pid: by_file.get(f"{PROVIDERS}/{pid}.yaml", []) for pid in provider_ids}
        blobs = _read_blobs(root, [f"{sha}:{path}" for commits in wanted.values() for sha, _, _, path in commits])
    except GitFailed as exc:  # reported as what it is, never as "no committed history yet"
        return {pid: History(note=f"The change history could not be read ({exc}).") for pid in provider_ids}
    return {pid: _history(commits, blobs, note) if commits else History(note=note or NO_COMMITS) for pid, commits in wanted.items()}
