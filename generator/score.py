"""Score: the scoring rules, stated once.

The validator (a stated level must agree), the methodology page, the API and the tests
all read the functions and constants here; nothing else restates them.

- A claim's level follows from its requirement statuses (`derive_level`).
- Its evidence date is the newest date of the sources behind its met requirements
  (for `no`: behind its contradicted ones) (`evidence_date`).
- It is stale when that date is older than the criterion's freshness window, or when it
  has met requirements but no dated source at all (`is_stale`).
- It scores 100 × met ÷ all requirements, half of that when stale (`criterion_points`).
- A function, group or headline score is the mean of its criterion points, shown only
  above the coverage gate (`Score.value`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from . import registry
from .model import Assessment, Criterion, Level, Provider, Requirement, Source, Status
from .registry import UNASSESSED

if TYPE_CHECKING:  # check.py imports this module for the level rule
    from .check import Dataset

METHODOLOGY_VERSION = "2.0"

# Points of a criterion with every requirement met; a share of requirements met earns that share.
FULL_POINTS = 100
# A stale claim keeps this fraction of its points until someone re-checks its evidence.
STALE_FACTOR = Fraction(1, 2)
# A score (function or headline) is shown only when at least this share of its applicable criteria is assessed.
COVERAGE_GATE = 0.8

# Which levels score, their order and their meaning in words: generator/registry.py (derive_level is the code).


def derive_level(statuses: Iterable[Status]) -> Level:
    """full = every requirement met; partial = some met; no = none met, one contradicted; else not-disclosed."""
    statuses = list(statuses)
    met = sum(s is Status.met for s in statuses)
    if statuses and met == len(statuses):
        return Level.full
    if met:
        return Level.partial
    if Status.contradicted in statuses:
        return Level.no
    return Level.not_disclosed


def _names(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def level_disagreement(stated: str, statuses: Mapping[str, Status]) -> str | None:
    """Why a stated level disagrees with the statuses, naming the requirements that disagree; None if it agrees."""
    computed = derive_level(statuses.values())
    if stated == computed.value:
        return None
    met = [r for r, s in statuses.items() if s is Status.met]
    contradicted = [r for r, s in statuses.items() if s is Status.contradicted]
    unmet = [f"{r!r} is {s.value}" for r, s in statuses.items() if s is not Status.met]
    why = {
        "full": f"level full needs every requirement met, but {'; '.join(unmet)}",
        "partial": (
            f"level partial needs a requirement that is not met, but all of {_names(met)} are met"
            if computed is Level.full
            else f"level partial needs a met requirement, but none of {_names(list(statuses))} is met"
        ),
        "no": (
            f"level no needs no requirement met, but {_names(met)} {'is' if len(met) == 1 else 'are'} met"
            if met
            else f"level no needs a contradicted requirement, but none of {_names(list(statuses))} is contradicted"
        ),
        "not-disclosed": (
            f"level not-disclosed needs no requirement met, but {_names(met)} {'is' if len(met) == 1 else 'are'} met"
            if met
            else f"level not-disclosed needs no contradicted requirement, but {_names(contradicted)} "
            f"{'is' if len(contradicted) == 1 else 'are'} contradicted"
        ),
    }[stated]
    return f"{why} (the computed level is {computed.value})"


def source_date(source: Source) -> dt.date | None:
    """The date a source's statement can be dated to: `published`, else `seen_current`; undated → None."""
    return source.published or source.seen_current


def evidence_date(assessment: Assessment, level: Level) -> dt.date | None:
    """Newest date among the sources that support the claim's met requirements (for `no`: its contradicted ones).
    None when those sources are all undated, or when nothing is met or contradicted."""
    statuses = assessment.requirements or {}
    wanted = Status.contradicted if level is Level.no else Status.met
    behind = {r for r, s in statuses.items() if s is wanted}
    dates = [d for s in assessment.sources if behind & set(s.supports) and (d := source_date(s)) is not None]
    return max(dates) if dates else None


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


def is_stale(evidence: dt.date | None, has_met: bool, criterion: Criterion, as_of: dt.date, margin_months: int = 0) -> bool:
    """Stale: the evidence date is older than the criterion's freshness window (less a margin) before as-of,
    or the claim has met requirements but no dated source behind them."""
    if evidence is None:
        return has_met
    return evidence < months_before(as_of, criterion.freshness_months - margin_months)


def criterion_points(met: int, total: int, stale: bool) -> Fraction:
    """FULL_POINTS × met ÷ total; a stale claim keeps STALE_FACTOR of that."""
    points = Fraction(FULL_POINTS * met, total)
    return points * STALE_FACTOR if stale else points


def round_half_up(value: Fraction | float) -> int:
    """floor(value + 1/2), in integers: (2n + d) // 2d for value = n/d (d > 0)."""
    exact = Fraction(value) if isinstance(value, float) else value
    return (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)


def points_number(points: Fraction) -> int | float:
    """Criterion points as published (API, CSV, pages): exact when whole, else two decimals (66.67)."""
    return _points_number(points.numerator, points.denominator)


@functools.lru_cache(maxsize=4096)  # few distinct values (met ÷ requirements, halved when stale), asked for on every page
def _points_number(numerator: int, denominator: int) -> int | float:
    points = Fraction(numerator, denominator)
    return int(points) if denominator == 1 else float(round(points, 2))


@dataclass(slots=True)
class RequirementResult:
    """One requirement of a claim: its status and the sources that support it. Not frozen: made afresh
    for each page and export that asks (`Claim.requirements`), and a frozen one costs six times as much to make."""

    requirement: Requirement
    full_id: str
    status: Status | None
    sources: tuple[Source, ...]
    source_numbers: tuple[int, ...]  # 1-based positions in the claim's source list


@dataclass(frozen=True)
class Claim:
    """A provider's standing on one applicable criterion after the rules are applied."""

    criterion: Criterion
    assessment: Assessment | None
    level: str  # a Level value, or UNASSESSED
    evidence_date: dt.date | None = None
    stale: bool = False
    points: Fraction | None = None  # None: not scored (outcome or unassessed)
    met: int = 0  # requirements met

    @property
    def assessed(self) -> bool:
        return self.assessment is not None

    @property
    def requirements(self) -> list[RequirementResult]:
        """Every requirement of the criterion in catalogue order (empty for outcomes and unassessed claims).
        Made when asked (a provider page, the API, the CSV), not kept: kept for every claim of 1,000
        providers they would be the largest object of the build."""
        a = self.assessment
        if a is None or a.requirements is None:
            return []
        out = []
        cid, statuses, sources = self.criterion.id, a.requirements, a.sources
        numbered = list(enumerate(sources, start=1))
        for r in self.criterion.requirements:
            numbers = tuple([n for n, s in numbered if r.id in s.supports])
            out.append(RequirementResult(r, f"{cid}/{r.id}", statuses.get(r.id), tuple([sources[n - 1] for n in numbers]), numbers))
        return out


def claim_for(criterion: Criterion, assessment: Assessment | None, as_of: dt.date) -> Claim:
    """Apply the rules to one assessment (or its absence)."""
    if assessment is None:
        return Claim(criterion, None, UNASSESSED)
    if assessment.outcome is not None:
        return Claim(criterion, assessment, assessment.outcome.value)
    statuses = [assessment.requirements.get(r.id, Status.not_found) for r in criterion.requirements] if assessment.requirements else []
    level = derive_level(statuses)
    evidence = evidence_date(assessment, level)
    met = sum(s is Status.met for s in statuses)
    stale = is_stale(evidence, met > 0, criterion, as_of)
    return Claim(criterion, assessment, level.value, evidence, stale, criterion_points(met, len(statuses), stale) if statuses else None, met)


@dataclass(frozen=True)
class Score:
    """A set of claims (one function, a group, or all): the sum of their points and how many are scored."""

    total: Fraction
    scored: int
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
    def mean(self) -> Fraction | None:
        return self.total / self.scored if self.scored else None

    @functools.cached_property
    def value(self) -> int | None:
        """Mean criterion points (0–100), rounded half up; None when coverage is insufficient or nothing is scorable.
        Computed once per score (pages and rankings ask for it many times)."""
        mean = self.mean
        if self.gated or mean is None:
            return None
        return round_half_up(mean)


def combine(claims: list[Claim]) -> Score:
    scored = [c.points for c in claims if c.points is not None]
    return Score(exact_sum(scored), len(scored), sum(1 for c in claims if c.assessed), len(claims))


def exact_sum(values: list[Fraction]) -> Fraction:
    """`sum(values, Fraction(0))`, adding the numerators of each denominator as integers first (criterion
    points have a few small denominators; adding Fractions one by one reduces after every step)."""
    numerators: dict[int, int] = {}
    for v in values:
        numerators[v.denominator] = numerators.get(v.denominator, 0) + v.numerator
    return sum((Fraction(n, d) for d, n in numerators.items()), Fraction(0))


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

    def by_function(self) -> dict[str, list[Claim]]:
        """The claims of each function (those with any), in catalogue order."""
        groups: dict[str, list[Claim]] = {}
        for c in self.claims:
            groups.setdefault(c.criterion.function, []).append(c)
        return groups

    def cells(self, functions: Iterable[str], assets: Iterable[str]) -> dict[tuple[str, str], Score]:
        """`cell` of every function × asset class pair, in one pass over the claims (a provider page shows them all)."""
        assets = list(assets)
        members: dict[tuple[str, str], list[Claim]] = {(f, a): [] for f in functions for a in assets}
        for c in self.claims:
            for asset in dict.fromkeys(c.criterion.assets):
                members.get((c.criterion.function, asset), []).append(c)
        return {key: combine(claims) for key, claims in members.items()}

    @property
    def last_reviewed(self) -> dt.date | None:
        dates = [c.assessment.reviewed for c in self.claims if c.assessment]
        return max(dates) if dates else None


def score_provider(dataset: Dataset, provider: Provider, as_of: dt.date) -> ProviderScore:
    by_criterion = {a.criterion: a for a in provider.assessments}
    claims = [claim_for(crit, by_criterion.get(crit.id), as_of) for crit in dataset.applicable(provider)]
    result = ProviderScore(provider, claims)
    by_function = result.by_function()
    for fn in dataset.framework.functions:
        result.functions[fn.id] = combine(by_function.get(fn.id, []))
    for group in dataset.framework.groups:
        result.groups[group.id] = combine([c for fn in dataset.framework.functions if fn.group == group.id for c in by_function.get(fn.id, [])])
    result.overall = combine(claims)
    return result


def score_all(dataset: Dataset, as_of: dt.date) -> dict[str, ProviderScore]:
    if _REMEMBERED is None:
        return {pid: score_provider(dataset, p, as_of) for pid, p in dataset.providers.items()}
    common = (as_of, dataset.framework.model_dump_json(), tuple(c.model_dump_json() for c in dataset.criteria.values()))
    out = {}
    for pid, p in dataset.providers.items():
        key = (common, p.model_dump_json())
        kept = _REMEMBERED.get(pid)
        if kept is not None and kept[0] == key:
            out[pid] = dataclasses.replace(kept[1], provider=p)  # the provider's current (equal) object
        else:
            out[pid] = score_provider(dataset, p, as_of)
            _REMEMBERED[pid] = (key, out[pid])
    for pid in set(_REMEMBERED) - set(out):
        del _REMEMBERED[pid]
    return out


_REMEMBERED: dict[str, tuple[tuple[object, ...], ProviderScore]] | None = None


def remember_scores(on: bool) -> None:
    """`serve` keeps each provider's score between regenerations and reuses it while its inputs are
    unchanged: the provider, the framework, the criteria and the as-of date (a score depends on
    nothing else, and nothing changes a score once made)."""
    global _REMEMBERED
    _REMEMBERED = {} if on else None


def level_counts(scores: dict[str, ProviderScore], criterion_id: str) -> list[tuple[str, int]]:
    """How many providers stand at each level of one criterion (levels with none are left out)."""
    counts = dict.fromkeys(registry.ORDER, 0)
    for ps in scores.values():
        claim = ps.claim(criterion_id)
        if claim is not None:
            counts[claim.level] += 1
    return [(level, n) for level, n in counts.items() if n]
