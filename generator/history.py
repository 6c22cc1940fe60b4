"""History: per-provider change logs from the git history of each data file.

For every commit that touched `data/providers/<id>.yaml` (following renames), the file at
that commit is loaded and its levels compared with the previous version: which criteria were
added, removed or changed level. The result depends only on the repository's commits, so it
is deterministic; outside git, or in a shallow clone, it says so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .load import load_text


PROVIDERS = "data/providers"


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


def _levels(path: str, content: bytes) -> dict[str, str] | None:
    doc, _ = load_text(path, content)
    if doc is None or not isinstance(doc.data.get("assessments"), list):
        return None
    return {str(a.get("criterion")): str(a.get("level")) for a in doc.data["assessments"] if isinstance(a, dict)}


def _read_blobs(root: Path, specs: list[str]) -> dict[str, bytes]:
    """Contents of many "commit:path" objects from one `git cat-file --batch` process."""
    if not specs:
        return {}
    try:
        result = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(specs).encode() + b"\n",
                                capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    out, pos, blobs = result.stdout, 0, {}
    for spec in specs:  # answers come back in request order
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        blobs[spec] = out[pos:pos + size]
        pos += size + 1
    return blobs


def _commits_by_file(log: str) -> dict[str, list[tuple[str, dt.datetime, str, str]]]:
    """Per current file path, its commits newest first as (sha, date, subject, path at that commit);
    renames are followed, so a renamed provider keeps its history."""
    by_file: dict[str, list[tuple[str, dt.datetime, str, str]]] = {}
    current: dict[str, str] = {}  # path at an older commit -> path today
    for record in log.split("\x1e")[1:]:
        header, _, changes = record.partition("\n")
        sha, iso, subject = header.split("\x1f", 2)
        when = dt.datetime.fromisoformat(iso)
        for line in filter(None, changes.splitlines()):
            status, *paths = line.split("\t")
            if status.startswith("D"):
                continue
            path = paths[-1]
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
        levels = _levels(path, content) if content is not None else None
        if levels is None:
            continue
        keys = sorted(set(levels) | set(previous or {}))
        changes = tuple(LevelChange(k, (previous or {}).get(k), levels.get(k)) for k in keys
                        if (previous or {}).get(k) != levels.get(k))
        entries.append(Entry(sha[:12], when, subject, changes, previous is None))
        previous = levels
    return History(list(reversed(entries)), note)


def collect(root: Path, provider_ids: list[str]) -> dict[str, History]:
    """Histories of all providers from one `git log` and one `git cat-file` call (not one per file:
    `serve` regenerates on every save, and 1,000 providers would mean thousands of processes)."""
    note = repository_note(root)
    if note.startswith("No git"):
        return {pid: History(note=note) for pid in provider_ids}
    log = _git(root, "log", "-M", "--name-status", "--format=%x1e%H%x1f%cI%x1f%s", "--", PROVIDERS) or ""
    by_file = _commits_by_file(log)
    wanted = {pid: by_file.get(f"{PROVIDERS}/{pid}.yaml", []) for pid in provider_ids}
    blobs = _read_blobs(root, [f"{sha}:{path}" for commits in wanted.values() for sha, _, _, path in commits])
    return {pid: _history(commits, blobs, note) if commits else History(note=note or "This file has no committed history yet.")
            for pid, commits in wanted.items()}
