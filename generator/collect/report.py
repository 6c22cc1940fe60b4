"""The Markdown report of a collect run (also the weekly pull request's body).

Fetched text appears only through `text.code()`; everything else is our own wording or
values from the validated data files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..safe import md
from .run import ProviderResult
from .text import code

ACTIONS = {
    "new-claim": "new claim (collected)",
    "fill": "set (collected)",
    "refresh": "already recorded; source re-dated if unchanged",
    "conflict": "needs a person",
    "skip": "not applied",
}
MAX_CHARS = 60000  # GitHub rejects pull-request bodies over 65,536 characters


def markdown(
    results: list[ProviderResult],
    today: dt.date,
    mode: str,
    written: list[str] | None,
    archived: dict[str, str] | None,
    notes: Sequence[str] = (),
    rolled_back: Sequence[str] = (),
) -> str:
    proposals = [p for r in results for p in r.proposals]
    flags = [f for r in results for f in r.flags]
    errors = [f for r in results for f in r.findings if f.error is not None]
    lines = [
        f"# Collected evidence, {today.isoformat()}",
        "",
        f"Mode: {mode}. Proposals come from machine checks listed in `data/collect/checks.yaml`; "
        "every proposed claim is marked `collected: true` until a person confirms it. "
        "Fetched text is shown in code spans, shortened, and was not interpreted.",
        "",
    ]
    if written is None:
        lines += ["Nothing under `data/` was changed (run with `--write` to apply).", ""]
    else:
        lines += [f"Written: {', '.join(f'`{w}`' for w in written) or 'nothing'}. `scorecard validate` passed.", ""]
        if rolled_back:
            lines += ["Put back because the result would not validate (a person should look):", ""]
            lines += [f"- {code(problem, 400)}" for problem in rolled_back] + [""]
    counts = {a: sum(1 for p in proposals if p.action == a) for a in ACTIONS}
    lines += [
        f"- providers with machine sources: {len(results)}",
        f"- sources fetched: {sum(len(r.findings) for r in results)} ({len(errors)} failed)",
        f"- proposals: {len(proposals)} ({', '.join(f'{n} {a}' for a, n in counts.items() if n) or 'none'})",
        f"- flagged for re-review: {len(flags)}",
        "",
    ]
    conflicts = [(r.provider.id, p) for r in results for p in r.proposals if p.action == "conflict"]
    if conflicts:
        lines += ["## Needs a person", ""]
        lines += [f"- `{pid}` / `{p.criterion}/{p.requirement}`: {p.note} ({p.finding.kind})" for pid, p in conflicts] + [""]
    if notes:
        lines += ["## Archive", ""] + [f"- {code(n, 300)}" for n in notes] + [""]
    if flags:
        lines += ["## Flagged for re-review", ""]
        for r in results:
            for f in r.flags:
                lines.append(f"- `{r.provider.id}` / `{f.criterion}`: {code(f.url, 200)} {f.reason}")
        lines.append("")
    for r in results:
        lines += [f"## {md(r.provider.name)} (`{r.provider.id}`)", ""]
        for note in r.notes:
            lines.append(f"- {note}")
        for finding in r.findings:
            lines += ["", f"### {finding.kind}: {code(finding.url, 200)}", ""]
            if finding.error is not None:
                lines.append(f"- not fetched: {finding.error.reason} ({code(finding.error.message)})")
            elif finding.response is not None:
                resp = finding.response
                lines.append(f"- HTTP {resp.status}, {len(resp.body)} bytes, sha256 `{resp.sha256}`, fetched {resp.fetched.isoformat()}")
                if resp.redirects:
                    lines.append(f"- redirected to {code(resp.final_url, 200)}")
                if finding.gone:
                    lines.append("- **gone (404/410)**: claims citing it are flagged above")
            if archived and finding.url in archived:
                lines.append(f"- archived copy: {code(archived[finding.url], 200)}")
            for label, value in finding.facts[:40]:
                lines.append(f"- {label}: {code(value)}")
            for message, detail in finding.problems[:20]:
                lines.append(f"- problem: {message}" + (f" {code(detail)}" if detail not in ("", None) else ""))
            if finding.signals:
                lines.append(f"- signals: {', '.join(f'`{s}`' for s in sorted(finding.signals))}")
            for p in r.proposals:
                if p.finding is finding:
                    line = f"- proposes `{p.criterion}/{p.requirement}`: **{p.status}** ({p.signal}) → {ACTIONS[p.action] if p.action else 'planned'}"
                    lines.append(line + (f": {p.note}" if p.note else ""))
        lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n(report shortened; the full report is in the workflow artifact)\n"
    return text
