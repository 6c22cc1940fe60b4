"""Coverage: how much of each provider's applicable catalogue has been assessed."""

from __future__ import annotations

import datetime as dt

from . import score
from .check import Dataset

# Dataset goal (see CONTRIBUTING.md): each provider has at least this share assessed.
TARGET = 0.9


def rows(dataset: Dataset, as_of: dt.date, only: list[str] | None = None) -> list[tuple[str, str, int, int, float]]:
    out = []
    for pid, provider in dataset.providers.items():
        if only and pid not in only:
            continue
        s = score.score_provider(dataset, provider, as_of).overall
        out.append((pid, provider.kind.value, s.assessed, s.applicable, s.coverage or 0.0))
    return out


def table(dataset: Dataset, as_of: dt.date, only: list[str] | None = None) -> str:
    lines = [f"{'provider':<22} {'kind':<9} {'assessed':>8} {'of':>4} {'coverage':>9}  goal {TARGET:.0%}"]
    data = rows(dataset, as_of, only)
    for pid, kind, assessed, applicable, cov in data:
        mark = "ok" if cov >= TARGET else "below"
        lines.append(f"{pid:<22} {kind:<9} {assessed:>8} {applicable:>4} {cov:>9.0%}  {mark}")
    below = sum(1 for r in data if r[4] < TARGET)
    lines.append(f"{len(data)} providers; {below} below the goal")
    return "\n".join(lines)
