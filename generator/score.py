"""Score: the scoring rules, stated once.

The methodology page, the API and the tests all read these constants; nothing else
restates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .check import Dataset
from .model import Assessment, Criterion, Level, Provider

METHODOLOGY_VERSION = "1.0"

# Points per level. Levels absent here (n/a, no-known-incidents, unassessed) are left out of the score.
POINTS: dict[Level, int] = {Level.full: 2, Level.partial: 1, Level.not_disclosed: 0, Level.no: 0}
MAX_POINTS = max(POINTS.values())

# A score (function or headline) is shown only when at least this share of its applicable criteria is assessed.
COVERAGE_GATE = 0.8

UNASSESSED = "unassessed"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (clamped to the month's end)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_stale(verified: dt.date, criterion: Criterion, as_of: dt.date, margin_months: int = 0) -> bool:
    """Evidence verified longer ago than the criterion's freshness window (less a margin) before as-of."""
    return verified < months_before(as_of, criterion.freshness_months - margin_months)


@dataclass(frozen=True)
class Claim:
    """A provider's standing on one applicable criterion after the rules are applied."""

    criterion: Criterion
    assessment: Assessment | None
    stale: bool

    @property
    def level(self) -> str:
        return self.assessment.level.value if self.assessment else UNASSESSED

    @property
    def assessed(self) -> bool:
        return self.assessment is not None

    @property
    def counted_level(self) -> Level | None:
        """The level that scores: a stale `full` counts as `partial`."""
        if self.assessment is None:
            return None
        return Level.partial if self.stale else self.assessment.level

    @property
    def points(self) -> int | None:
        level = self.counted_level
        return POINTS.get(level) if level is not None else None


@dataclass(frozen=True)
class Score:
    points: int
    max_points: int
    assessed: int
    applicable: int

    @property
    def coverage(self) -> float | None:
        return self.assessed / self.applicable if self.applicable else None

    @property
    def gated(self) -> bool:
        """True when coverage is below the gate, so the value must not be shown."""
        return self.coverage is None or self.coverage < COVERAGE_GATE

    @property
    def value(self) -> int | None:
        """0–100, rounded half up; None when coverage is insufficient or nothing is scorable."""
        if self.gated or self.max_points == 0:
            return None
        return (200 * self.points + self.max_points) // (2 * self.max_points)


def combine(claims: list[Claim]) -> Score:
    scored = [c.points for c in claims if c.points is not None]
    return Score(sum(scored), MAX_POINTS * len(scored), sum(c.assessed for c in claims), len(claims))


@dataclass
class ProviderScore:
    provider: Provider
    claims: list[Claim]
    functions: dict[str, Score] = field(default_factory=dict)
    groups: dict[str, Score] = field(default_factory=dict)
    overall: Score | None = None
    by_criterion: dict[str, Claim] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_criterion = {c.criterion.id: c for c in self.claims}

    def claim(self, criterion_id: str) -> Claim | None:
        return self.by_criterion.get(criterion_id)

    def cell(self, function: str, asset: str) -> Score:
        """Score of the criteria of one function that concern one asset class (for the heatmap)."""
        return combine([c for c in self.claims if c.criterion.function == function and asset in c.criterion.assets])

    @property
    def last_verified(self) -> dt.date | None:
        dates = [c.assessment.verified for c in self.claims if c.assessment]
        return max(dates) if dates else None


def score_provider(dataset: Dataset, provider: Provider, as_of: dt.date) -> ProviderScore:
    by_criterion = {a.criterion: a for a in provider.assessments}
    claims = []
    for crit in dataset.applicable(provider):
        a = by_criterion.get(crit.id)
        stale = bool(a and a.level is Level.full and is_stale(a.verified, crit, as_of))
        claims.append(Claim(crit, a, stale))
    result = ProviderScore(provider, claims)
    for fn in dataset.framework.functions:
        result.functions[fn.id] = combine([c for c in claims if c.criterion.function == fn.id])
    for group in dataset.framework.groups:
        members = {fn.id for fn in dataset.framework.functions if fn.group == group.id}
        result.groups[group.id] = combine([c for c in claims if c.criterion.function in members])
    result.overall = combine(claims)
    return result


def score_all(dataset: Dataset, as_of: dt.date) -> dict[str, ProviderScore]:
    return {pid: score_provider(dataset, p, as_of) for pid, p in dataset.providers.items()}


LEVEL_ORDER = ["full", "partial", "not-disclosed", "no", "no-known-incidents", "n/a", UNASSESSED]


def level_counts(scores: dict[str, ProviderScore], criterion_id: str) -> list[tuple[str, int]]:
    """How many providers stand at each level of one criterion (levels with none are left out)."""
    counts = dict.fromkeys(LEVEL_ORDER, 0)
    for ps in scores.values():
        claim = ps.claim(criterion_id)
        if claim is not None:
            counts[claim.level] += 1
    return [(level, n) for level, n in counts.items() if n]
