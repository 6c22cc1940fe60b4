"""Coverage: how much of each provider's applicable catalogue has been assessed, and what that
means for publication. Coverage is a publication rule, not a check that fails: a provider below
the coverage gate (`score.COVERAGE_GATE`) is published with "insufficient coverage" instead of
scores; a provider marked `draft: true` is validated but not published at all. CI shows this
report in the pull request's summary (`scorecard coverage --markdown`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import score
from .check import Dataset


@dataclass(frozen=True)
class Row:
    provider: str
    kind: str
    assessed: int
    applicable: int
    coverage: float
    draft: bool

    @property
    def status(self) -> str:
        if self.draft:
            return "draft: not published"
        if self.coverage < score.COVERAGE_GATE:
            return "published as insufficient coverage"
        return "published with scores"


def rows(dataset: Dataset, as_of: dt.date, only: list[str] | None = None) -> list[Row]:
    out = []
    for pid, provider in dataset.providers.items():
        if only and pid not in only:
            continue
        s = score.score_provider(dataset, provider, as_of).overall
        assert s is not None  # score_provider always sets the overall score
        out.append(Row(pid, provider.kind.value, s.assessed, s.applicable, s.coverage or 0.0, provider.draft))
    return out


def _footer(data: list[Row]) -> str:
    gate = f"{score.COVERAGE_GATE:.0%}"
    gated = sum(1 for r in data if not r.draft and r.coverage < score.COVERAGE_GATE)
    drafts = sum(1 for r in data if r.draft)
    return (
        f"{len(data)} providers: {gated} below the {gate} coverage gate (published without scores), {drafts} draft(s). "
        f"This is a report, not a failure: scores appear once {gate} of the applicable criteria are assessed."
    )


def table(dataset: Dataset, as_of: dt.date, only: list[str] | None = None) -> str:
    data = rows(dataset, as_of, only)
    lines = [f"{'provider':<22} {'kind':<9} {'assessed':>8} {'of':>4} {'coverage':>9}  status"]
    for r in data:
        lines.append(f"{r.provider:<22} {r.kind:<9} {r.assessed:>8} {r.applicable:>4} {r.coverage:>9.0%}  {r.status}")
    lines.append(_footer(data))
    return "\n".join(lines)


def markdown(dataset: Dataset, as_of: dt.date, only: list[str] | None = None) -> str:
    """The same report as a Markdown table, for the pull request's summary ($GITHUB_STEP_SUMMARY)."""
    data = rows(dataset, as_of, only)
    lines = ["### Coverage", "", "| Provider | Kind | Assessed | Applicable | Coverage | Publication |", "|---|---|--:|--:|--:|---|"]
    for r in data:
        lines.append(f"| `{r.provider}` | {r.kind} | {r.assessed} | {r.applicable} | {r.coverage:.0%} | {r.status} |")
    lines += ["", _footer(data)]
    return "\n".join(lines)
