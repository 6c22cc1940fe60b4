"""Scaffold: starting files and blocks for contributors.

- `scorecard new provider NAME` writes a provider file with every applicable criterion as a
  commented stub. It works whatever state the other files are in (it needs only the framework,
  the criteria it can read, and the ids already taken).
- `scorecard new evidence PROVIDER CRITERION` appends one assessment block, indented like the
  file's other items, with the criterion's requirements as a checklist.
- `scorecard from-issue` (see `issue.py`) fills the same block from an "Add evidence" issue.

An unfilled block never validates (empty summary, empty title, `https://` without a host, no
date), so a stub cannot be merged by accident. The block is the criterion's checklist: every
requirement with its text, `not-found` until the contributor marks what a source shows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import render, rules
from .check import did_you_mean, load_tree
from .load import Document, load_file
from .model import Criterion
from .problems import DataError, Problem


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML 1.2)."""
    return json.dumps(text, ensure_ascii=False)


def _wrap(text: str, width: int = 88) -> list[str]:
    words, lines, line = " ".join(str(text).split()).split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


@dataclass
class Evidence:
    """What one contributor knows: a source and what it shows. Empty fields become placeholders."""

    summary: str = ""
    url: str = ""
    title: str = ""
    publisher: str = ""
    kind: str = "primary"
    supports: list[str] = field(default_factory=list)  # requirement ids the source shows
    date_kind: str = "published"  # published | seen_current | undated
    date: dt.date | None = None
    language: str = ""
    provenance: str = "vendor-asserted"
    note: str = ""  # a comment line above the block (e.g. where it came from)


def assessment_block(crit: Criterion, today: dt.date | str, indent: int = 2, ev: Evidence | None = None) -> list[str]:
    """One assessment as YAML lines (no trailing newline), list marker at `indent` spaces.
    `today` may be a text such as "YYYY-MM-DD" for a template that is not filled in on a given day."""
    ev = ev or Evidence()
    day = today if isinstance(today, str) else today.isoformat()
    pad = " " * indent
    inner = pad + "  "
    out = [f"{pad}# {line}" for line in ([ev.note] if ev.note else [])]
    out.append(f"{pad}- criterion: {crit.id}")
    out += [f"{inner}# {line}" for line in _wrap(crit.question)]
    if crit.no:
        out += [f"{inner}# {line}" for line in _wrap("contradicted means: " + crit.no)]
    out.append(f"{inner}requirements:  # met | not-found | contradicted; each met one needs a source that `supports` it")
    for r in crit.requirements:
        status = "met" if r.id in ev.supports else "not-found"
        out += [f"{inner}  # {line}" for line in _wrap(r.text)]
        out.append(f"{inner}  {r.id}: {status}")
    if ev.summary:
        out.append(f"{inner}summary: {_q(ev.summary)}")
    else:
        # Help for free-text fields goes on the line above: after an unquoted value, " #" would cut it (check.py).
        out.append(f"{inner}# summary: your own neutral words: what the source shows and what was not found (for nothing found: where you looked)")
        out.append(f'{inner}summary: ""')
    out.append(f"{inner}sources:  # the pages you read; delete this list only if you found nothing")
    out.append(f"{inner}  - url: {ev.url or 'https://'}  # the exact address of the page")
    out.append(f"{inner}    title: {_q(ev.title)}")
    out.append(f"{inner}    # publisher: who published the page")
    out.append(f"{inner}    publisher: {_q(ev.publisher)}")
    out.append(f"{inner}    kind: {ev.kind}  # primary: the provider's own site; secondary: anyone else")
    out.append(f"{inner}    supports: [{', '.join(ev.supports)}]  # ids of the requirements above that this page shows")
    if ev.date_kind == "undated":
        out.append(f"{inner}    undated: true  # an undated document that is not a living page")
    elif ev.date is not None:
        out.append(f"{inner}    {ev.date_kind}: {ev.date.isoformat()}")
    else:
        out.append(f"{inner}    published:  # the date OF THE STATEMENT if the page states one; otherwise one of:")
        out.append(f"{inner}    # seen_current: {day}  # a living page (policy, help page): the day you saw it current")
        out.append(f"{inner}    # undated: true  # an undated document that is not a living page (never borrow a date)")
    out.append(f"{inner}    accessed: {day}  # when you read it")
    if ev.language:
        out.append(f"{inner}    language: {ev.language}")
    out.append(f"{inner}reviewed: {day}  # when you checked this claim against its sources")
    out.append(f"{inner}provenance: {ev.provenance}  # vendor-asserted | third-party | independently-verified")
    return out


def new_provider(root: Path, name: str, pid: str, kind: str, as_of: dt.date) -> Path:
    """Write data/providers/<pid>.yaml. Other invalid files do not stop it; only what it needs does
    (the framework and at least one applicable criterion), and then it says which file to fix."""
    path = root / "data" / "providers" / f"{pid}.yaml"
    where = f"data/providers/{pid}.yaml"
    if not rules.is_slug(pid):
        raise DataError([Problem(where, 1, 1, f"{pid!r} is not a valid id", "use lowercase letters, digits and single hyphens, e.g. delta-chat")])
    dataset, problems = load_tree(root, as_of)
    if dataset is None:
        raise DataError(
            problems + [Problem(where, 1, 1, "cannot scaffold: the framework file has the problems above", "fix data/framework.yaml first")]
        )
    taken = {alias: p.id for p in dataset.providers.values() for alias in [p.id, *p.aliases]}
    if path.exists() or pid in taken:
        owner = taken.get(pid, pid)
        raise DataError([Problem(where, 1, 1, f"id {pid!r} is already used by provider {owner!r}", "choose another id with --id")])
    criteria = dataset.applicable_to(kind)
    if not criteria:
        raise DataError(problems + [Problem(where, 1, 1, f"no readable criterion applies to kind {kind!r}", "fix the criteria files reported above")])
    path.write_text(provider_text(name, pid, kind, criteria, as_of), encoding="utf-8")
    if problems:
        files = sorted({p.path for p in problems})
        print(  # noqa: T201 - a note for the person running `scorecard new`
            f"note: {len(problems)} problem(s) in other files ({', '.join(files[:3])}{'…' if len(files) > 3 else ''}); "
            "they did not stop the scaffold. `scorecard validate` lists them.",
            file=sys.stderr,
        )
    return path


def provider_text(name: str, pid: str, kind: str, criteria: list[Criterion], today: dt.date | str, web_template: bool = False) -> str:
    """A new provider file: header fields to fill in, then every criterion as a commented stub."""
    stubs = [[f"# {line}" if line.strip() else "#" for line in assessment_block(c, today)] for c in criteria]
    return (
        render.environment()
        .get_template("provider_stub.yaml.j2")
        .render(name=name, pid=pid, kind=kind, criteria=list(zip(criteria, stubs, strict=True)), web_template=web_template)
    )


TEMPLATE_PATH = "data/templates/provider.yaml"


def web_template(criteria: list[Criterion]) -> str:
    """The provider file for contributors who use GitHub's web editor (no command to run): every
    criterion, dates left as YYYY-MM-DD. `scorecard schema` writes it; a test keeps it current."""
    return provider_text("Provider name", "provider-id", "service", criteria, "YYYY-MM-DD", web_template=True)


# --- Appending one assessment ---------------------------------------------------------------------


def _assessments_span(lines: list[str]) -> tuple[int | None, int]:
    """(index of the `assessments:` line or None, index where a new item goes: the end of that block)."""
    start = next((i for i, ln in enumerate(lines) if re.match(r"^assessments\s*:", ln)), None)
    if start is None:
        return None, len(lines)
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if re.match(r"^[A-Za-z_][\w-]*\s*:", lines[i]):  # the next top-level field ends the block
            end = i
            break
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def append_assessment(root: Path, pid: str, cid: str, as_of: dt.date, ev: Evidence | None = None) -> tuple[Path, int]:
    """Append an assessment of `cid` to provider `pid`; returns the file and the line the block starts at."""
    path = root / "data" / "providers" / f"{pid}.yaml"
    where = f"data/providers/{pid}.yaml"
    dataset, _ = load_tree(root, as_of)
    if not path.exists():
        known = sorted(p.stem for p in (root / "data" / "providers").glob("*.yaml"))
        raise DataError(
            [Problem(where, 1, 1, f"there is no provider {pid!r}", did_you_mean(pid, known) or 'create it first: scorecard new provider "Name"')]
        )
    doc, problems = load_file(path, root)
    if doc is None:
        raise DataError(problems + [Problem(where, 1, 1, "cannot add evidence: fix the problem above first", "")])
    criteria = dataset.criteria if dataset else {}
    crit = criteria.get(cid)
    if crit is None:
        raise DataError([Problem(where, 1, 1, f"unknown criterion {cid!r}", did_you_mean(cid, list(criteria)) or "see data/criteria/")])
    kind = doc.data.get("kind")
    if kind in ("service", "software") and kind not in crit.scope:
        raise DataError(
            [Problem(where, 1, 1, f"criterion {cid!r} applies to {', '.join(crit.scope)}, not to kind {kind!r}", "choose an applicable criterion")]
        )
    items = doc.data.get("assessments") or []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("criterion") == cid:
            line, col = doc.where(("assessments", i, "criterion"))
            raise DataError([Problem(where, line, col, f"{cid!r} is already assessed here (assessments #{i + 1})", "edit that assessment instead")])
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start, end = _assessments_span(lines)
    if start is None:
        lines.append("assessments:")
        start, end = len(lines) - 1, len(lines)
    elif re.match(r"^assessments\s*:\s*\[\s*\]\s*(#.*)?$", lines[start]):
        lines[start] = "assessments:"
    items_at = [len(ln) - len(ln.lstrip(" ")) for ln in lines[start + 1 : end] if re.match(r"^ *- ", ln)]
    indent = items_at[0] if items_at else 2
    block = assessment_block(crit, as_of, indent, ev)
    new_lines = lines[:end] + block + lines[end:]
    new_text = "\n".join(new_lines) + "\n"
    check, found = load_file_text(where, new_text)
    if check is None:  # never leave a file the parser cannot read
        raise DataError(found + [Problem(where, end + 1, 1, "the block could not be appended cleanly", "add it by hand; see CONTRIBUTING.md")])
    path.write_text(new_text, encoding="utf-8")
    return path, end + 1


def load_file_text(where: str, text: str) -> tuple[Document | None, list[Problem]]:
    from .load import load_text

    doc, found = load_text(where, text.encode("utf-8"))
    return doc, [p for p in found if "line endings" not in p.message]
