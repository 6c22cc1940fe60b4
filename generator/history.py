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


def _levels(root: Path, commit: str, path: str) -> dict[str, str] | None:
    raw = subprocess.run(["git", "-C", str(root), "show", f"{commit}:{path}"], capture_output=True, timeout=60)
    if raw.returncode != 0:
        return None
    doc, problems = load_text(path, raw.stdout)
    if doc is None or not isinstance(doc.data.get("assessments"), list):
        return None
    return {str(a.get("criterion")): str(a.get("level")) for a in doc.data["assessments"] if isinstance(a, dict)}


def repository_note(root: Path) -> str:
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return "No git history is available for this build."
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return "This build ran on a shallow clone: changes before its oldest commit are not shown."
    return ""


def provider_history(root: Path, rel_path: str, note: str) -> History:
    if note.startswith("No git"):
        return History(note=note)
    log = _git(root, "log", "--follow", "--name-only", "--format=%x1e%H%x1f%cI%x1f%s", "--", rel_path)
    if not log:
        return History(note=note or "This file has no committed history yet.")
    commits = []
    for record in log.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        sha, iso, subject = header.split("\x1f", 2)
        path = next((n for n in names.splitlines() if n.strip()), rel_path)
        commits.append((sha, dt.datetime.fromisoformat(iso), subject, path))
    entries: list[Entry] = []
    previous: dict[str, str] | None = None
    for sha, when, subject, path in reversed(commits):  # oldest first
        levels = _levels(root, sha, path)
        if levels is None:
            continue
        keys = sorted(set(levels) | set(previous or {}))
        changes = tuple(LevelChange(k, (previous or {}).get(k), levels.get(k)) for k in keys
                        if (previous or {}).get(k) != levels.get(k))
        entries.append(Entry(sha[:12], when, subject, changes, previous is None))
        previous = levels
    return History(list(reversed(entries)), note)


def collect(root: Path, provider_ids: list[str]) -> dict[str, History]:
    note = repository_note(root)
    return {pid: provider_history(root, f"data/providers/{pid}.yaml", note) for pid in provider_ids}
