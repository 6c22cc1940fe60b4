"""`--write`: apply the planned proposals to the provider files (Methodology 2 format).

Only claims that change are re-written (in the files' own YAML style, see `yamlout`); the
rest of each file stays byte for byte. After writing, the whole tree is validated; if any
problem appears the original files are restored and the problems are reported.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from .. import rules
from ..check import Dataset, check_tree
from ..load import Document, load_file
from ..model import Criterion, Provider
from ..problems import DataError, Problem
from . import yamlout
from .checks import requirement_ids
from .run import COLLECTED_FIELD, HASH_FIELD, M2, Proposal, ProviderResult, official

APPLIED = ("new-claim", "fill", "refresh")


def _source(p: Proposal, provider: Provider, today: dt.date, supports: list[str], archived: dict[str, str]) -> dict[str, Any]:
    response = p.finding.response
    assert response is not None  # proposals come from fetched responses
    src = {
        "url": response.final_url,
        "title": p.finding.title,
        "publisher": p.publisher,
        "kind": "primary" if official(response.final_url, provider) else "secondary",
        "supports": supports,
        "seen_current": today.isoformat(),
        "accessed": today.isoformat(),
    }
    if archived.get(p.finding.url):
        src["archive_url"] = archived[p.finding.url]
    if HASH_FIELD:
        src[HASH_FIELD] = response.sha256
    return src


def _sentence(changes: list[tuple[str, str, str]]) -> str:
    """ "security-txt met (security-txt: served); dedicated-contact met (matrix-support, security-insights)"."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for requirement, status, check in changes:
        grouped.setdefault((requirement, status), [])
        if check not in grouped[(requirement, status)]:
            grouped[(requirement, status)].append(check)
    return "; ".join(f"{r} {s} ({', '.join(c)})" for (r, s), c in grouped.items())


def apply_claim(
    claim: dict[str, Any] | None, criterion: Criterion, provider: Provider, proposals: list[Proposal], today: dt.date, archived: dict[str, str]
) -> dict[str, Any]:
    """The claim (plain YAML data) after applying this criterion's proposals."""
    provenance = proposals[0].provenance
    new = claim is None
    claim = {"criterion": criterion.id} if claim is None else copy.deepcopy(claim)
    reqs = dict(claim.get("requirements") or dict.fromkeys(requirement_ids(criterion), "not-found"))
    sources = [dict(s) for s in claim.get("sources") or []]
    changed_status = []
    by_finding: dict[int, list[Proposal]] = {}
    for p in proposals:
        by_finding.setdefault(id(p.finding), []).append(p)
    for group in by_finding.values():
        first = group[0].finding.response
        assert first is not None
        url = first.final_url
        proven = sorted({p.requirement for p in group})
        existing = next((s for s in sources if s.get("url") == url), None)
        for p in group:
            if p.action in ("new-claim", "fill"):
                reqs[p.requirement] = p.status
                changed_status.append((p.requirement, p.status, p.finding.kind))
        if existing is None:
            sources.append(_source(group[0], provider, today, proven, archived))
            if not new:  # a new dated source changes the claim's evidence date: a person confirms it
                changed_status.extend((p.requirement, p.status, p.finding.kind) for p in group if p.action == "refresh")
            continue
        existing["supports"] = list(dict.fromkeys([*(existing.get("supports") or []), *proven]))
        unchanged = not existing.get(HASH_FIELD) or existing.get(HASH_FIELD) == first.sha256
        if set(existing["supports"]) <= set(proven) and unchanged and "seen_current" in existing:
            existing["seen_current"] = today.isoformat()
            existing["accessed"] = today.isoformat()
            if HASH_FIELD:
                existing[HASH_FIELD] = first.sha256
            if archived.get(group[0].finding.url):
                existing["archive_url"] = archived[group[0].finding.url]
    claim["requirements"] = reqs
    claim["sources"] = sources
    if new:
        claim["summary"] = (
            f"Collected by scorecard collect on {today.isoformat()} from machine-readable sources, "
            f"not yet reviewed by a person: {_sentence(changed_status)}. Other requirements were not checked."
        )
        claim["reviewed"] = today.isoformat()
        claim["provenance"] = provenance
    elif changed_status:
        addition = f" Collected on {today.isoformat()}, to be reviewed: {_sentence(changed_status)}."
        summary = str(claim.get("summary") or "").rstrip()
        if len(summary) + len(addition) <= rules.TEXT_MAX:
            claim["summary"] = (summary + addition).strip()
    if changed_status:
        claim.pop("level", None)  # optional and computed: a stated level could now disagree with the statuses
        if COLLECTED_FIELD:
            claim["collected"] = True
    order = [
        "criterion",
        "requirements",
        "outcome",
        "reason",
        "level",
        "summary",
        "sources",
        "reviewed",
        "second_review",
        "provenance",
        "vendor_response",
        "collected",
    ]
    return {k: claim[k] for k in sorted(claim, key=lambda k: order.index(k) if k in order else len(order))}


def _item_ranges(doc: Document, text_lines: list[str]) -> list[tuple[int, int]]:
    """0-based [start, end) line ranges of each assessment item, trailing blank/comment lines excluded."""
    items = doc.data.get("assessments") or []
    starts = [doc.values[("assessments", i)][0] - 1 for i in range(len(items))]
    top_after = [line - 1 for key, (line, col) in doc.keys.items() if len(key) == 1 and col == 1 and starts and line - 1 > starts[-1]]
    block_end = min(top_after) if top_after else len(text_lines)
    ranges = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else block_end
        while end > start + 1 and (not text_lines[end - 1].strip() or text_lines[end - 1].lstrip().startswith("#")):
            end -= 1
        ranges.append((start, end))
    return ranges


def rewrite(doc: Document, text: str, new_claims: dict[str, dict[str, Any]]) -> str:
    """The file text with changed claims replaced and new ones appended to `assessments`."""
    lines = text.split("\n")
    items = doc.data.get("assessments") or []
    ranges = _item_ranges(doc, lines)
    replaced = {}
    for i, item in enumerate(items):
        if item.get("criterion") in new_claims:
            start, _ = ranges[i]
            dash_col = lines[start].index("-")
            replaced[i] = (ranges[i], yamlout.sequence([new_claims[item["criterion"]]], dash_col))
    appended = [c for cid, c in new_claims.items() if cid not in {it.get("criterion") for it in items}]
    for i in sorted(replaced, reverse=True):
        (start, end), new_lines = replaced[i]
        lines[start:end] = new_lines
    if appended:
        if ranges:
            dash_col = lines[ranges[0][0]].index("-") if not replaced.get(0) else replaced[0][1][0].index("-")
            insert_at = _item_ranges(*_reparse(doc.path, lines))[-1][1]
            lines[insert_at:insert_at] = yamlout.sequence(appended, dash_col)
        elif ("assessments",) in doc.keys:
            at = doc.keys[("assessments",)][0] - 1
            lines[at] = "assessments:"
            lines[at + 1 : at + 1] = yamlout.sequence(appended, 2)
        else:
            while lines and not lines[-1].strip():
                lines.pop()
            lines += ["assessments:", *yamlout.sequence(appended, 2), ""]
    return "\n".join(lines)


def _reparse(path: str, lines: list[str]) -> tuple[Document, list[str]]:
    from ..load import load_text

    doc, problems = load_text(path, "\n".join(lines).encode())
    if doc is None:
        raise DataError(problems)
    return doc, lines


def write(
    root: Path, results: list[ProviderResult], dataset: Dataset, today: dt.date, archived: dict[str, str], rolled_back: list[str] | None = None
) -> list[str]:
    """Apply the proposals; returns the files written. A file whose result would not validate is
    put back (its problems go to `rolled_back`); problems anywhere else undo the whole run."""
    rolled_back = [] if rolled_back is None else rolled_back
    if not M2:
        raise DataError(
            [
                Problem(
                    "data/providers", 1, 1, "--write needs requirement-level assessments (Methodology 2)", "run without --write to see the proposals"
                )
            ]
        )
    originals: dict[Path, bytes] = {}
    written = []
    for result in results:
        todo = [p for p in result.proposals if p.action in APPLIED]
        if not todo:
            continue
        provider = result.provider
        path = root / "data" / "providers" / f"{provider.id}.yaml"
        doc, problems = load_file(path, root)
        if doc is None:
            raise DataError(problems)
        text = path.read_text(encoding="utf-8")
        current = {item.get("criterion"): item for item in doc.data.get("assessments") or []}
        new_claims = {}
        for cid in dict.fromkeys(p.criterion for p in todo):
            group = [p for p in todo if p.criterion == cid]
            new_claims[cid] = apply_claim(current.get(cid), dataset.criteria[cid], provider, group, today, archived)
        new_text = rewrite(doc, text, {k: v for k, v in new_claims.items() if v != current.get(k)})
        if new_text != text:
            originals[path] = path.read_bytes()
            path.write_text(new_text, encoding="utf-8")
            written.append(path.relative_to(root).as_posix())
    if originals:
        _, problems = check_tree(root, today)
        bad = {root / p.path for p in problems}
        if problems and bad <= set(originals):
            # Only files this run wrote have problems: put those back, keep the others if all is valid then.
            for path in bad:
                path.write_bytes(originals[path])
            _, still = check_tree(root, today)
            if not still:
                written[:] = [w for w in written if root / w not in bad]
                rolled_back.extend(sorted(f"{p.format()}" for p in problems))
                return written
            problems = still
        if problems:
            for path, raw in originals.items():
                path.write_bytes(raw)
            raise DataError(problems)
    return written
