"""Standing: what a score means to a reader, stated once.

Providers are compared only within their kind (hosted services with hosted services,
self-hostable software with self-hostable software): for software the situational criteria
measure the tools handed to operators, so the two kinds never share a scale.

- `BANDS`: the band word for a score and its stated cut-offs (the methodology page lists them).
- `rank`: competition ranking within the kind ("3rd of 15 hosted services", ties share a rank).
- `median`: the kind's median of the scores that are shown (above the coverage gate).
- `extremes`: a provider's strongest and weakest scored criteria.
- `ranked_in_kind`: a discontinued provider keeps its page but leaves its kind's rankings, medians,
  leaders, findings and chart.
The pages, the API and the tests read these functions; nothing else restates them.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from . import registry
from .score import FULL_POINTS, Claim, ProviderScore, round_half_up

# Band words: the lowest score of each band, highest band first. A score of 0–24 is "minimal".
BANDS: list[tuple[int, str]] = [(75, "extensive"), (50, "substantial"), (25, "limited"), (0, "minimal")]

# Kinds as readers name them (plural for ranks), their order and home-page anchors: generator/registry.py.
KIND_PLURAL = registry.KIND_PLURAL  # re-exported: templates read standing.KIND_PLURAL
KIND_ORDER = registry.KIND_ORDER
KIND_ANCHOR = registry.KIND_ANCHOR

# How many strongest and weakest criteria a provider page lists.
EXTREMES = 3


def band(value: int | None) -> str | None:
    """The band word of a shown score (None when the score is not shown)."""
    if value is None:
        return None
    for floor, word in BANDS:
        if value >= floor:
            return word
    raise ValueError(f"score {value} is below every band")


def band_ranges() -> list[tuple[str, int, int]]:
    """(word, lowest, highest) for each band, lowest band first: the cut-offs as the methodology page states them."""
    out, upper = [], 100
    for floor, word in BANDS:
        out.append((word, floor, upper))
        upper = floor - 1
    return list(reversed(out))


def band_css(value: int | None) -> str:
    word = band(value)
    return f"sc-band--{word}" if word else "sc-band--none"


def ranked_in_kind(s: ProviderScore) -> bool:
    """Whether a provider takes part in its kind's rankings, medians, leaders, findings and chart: a
    discontinued one keeps its page and evidence but leaves them (one rule, stated on About and in CONTRIBUTING)."""
    return s.provider.discontinued is None


def of_kind(scores: Mapping[str, ProviderScore], kind: str) -> dict[str, ProviderScore]:
    """The providers of one kind that are ranked (see `ranked_in_kind`)."""
    return {pid: s for pid, s in scores.items() if s.provider.kind.value == kind and ranked_in_kind(s)}


def not_ranked(scores: Mapping[str, ProviderScore], kind: str) -> dict[str, ProviderScore]:
    """The discontinued providers of one kind: listed under its ranking, not in it."""
    return {pid: s for pid, s in scores.items() if s.provider.kind.value == kind and not ranked_in_kind(s)}


def kinds_present(scores: Mapping[str, ProviderScore]) -> list[str]:
    """Kinds with at least one provider, ranked or not."""
    present = {s.provider.kind.value for s in scores.values()}
    return [k for k in KIND_ORDER if k in present]


def _value(s: ProviderScore, group: str) -> int | None:
    return s.groups[group].value


def ranked(scores: Mapping[str, ProviderScore], kind: str, group: str) -> list[tuple[str, ProviderScore]]:
    """Providers of one kind, best `group` score first; scores not shown last; ties by name."""
    members = of_kind(scores, kind).items()
    return sorted(members, key=lambda item: (_value(item[1], group) is None, -(_value(item[1], group) or 0), item[1].provider.name.lower(), item[0]))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Rank:
    position: int  # 1 = best; tied providers share the position
    tied: bool
    of: int  # providers of the kind with a shown score
    kind: str

    @property
    def text(self) -> str:
        return f"{'joint ' if self.tied else ''}{ordinal(self.position)} of {self.of} {KIND_PLURAL[self.kind]}"


_SHOWN: list[tuple[Mapping[str, ProviderScore], int, dict[tuple[str, str], list[int]]]] = []


def _shown(scores: Mapping[str, ProviderScore], kind: str, group: str) -> list[int]:
    """The shown `group` scores of one kind's ranked providers, ascending. Every provider page asks for its
    rank and the median, so they are collected once per scores mapping (the last one asked about), not once per page."""
    if not (_SHOWN and _SHOWN[0][0] is scores and _SHOWN[0][1] == len(scores)):
        _SHOWN[:] = [(scores, len(scores), {})]
    cache = _SHOWN[0][2]
    if (kind, group) not in cache:
        cache[kind, group] = sorted(v for s in of_kind(scores, kind).values() if (v := _value(s, group)) is not None)
    return cache[kind, group]


def rank(scores: Mapping[str, ProviderScore], pid: str, group: str) -> Rank | None:
    """Competition ranking of one provider's `group` score within its kind; None when its score is not shown
    or the provider is not ranked (discontinued)."""
    own = scores[pid]
    value = _value(own, group)
    if value is None or not ranked_in_kind(own):
        return None
    kind = own.provider.kind.value
    shown = _shown(scores, kind, group)
    above, tied = len(shown) - bisect.bisect_right(shown, value), bisect.bisect_right(shown, value) - bisect.bisect_left(shown, value)
    return Rank(1 + above, tied > 1, len(shown), kind)


def median(scores: Mapping[str, ProviderScore], kind: str, group: str) -> int | None:
    """Median of the shown `group` scores of one kind (rounded half up); None when none is shown."""
    shown = _shown(scores, kind, group)
    return round_half_up(Fraction(statistics.median(shown)).limit_denominator(2)) if shown else None


def extremes(s: ProviderScore, n: int = EXTREMES) -> tuple[list[Claim], list[Claim]]:
    """The n strongest (most points, above 0) and n weakest (fewest points, below full) scored claims,
    ties in catalogue order; a claim never appears in both lists."""
    scored = [(c, c.points) for c in s.claims if c.points is not None]
    strongest = [c for c, _ in sorted(((c, p) for c, p in scored if p > 0), key=lambda cp: cp[1], reverse=True)[:n]]  # stable: ties stay in order
    chosen = {c.criterion.id for c in strongest}
    weakest = [c for c, _ in sorted(((c, p) for c, p in scored if p < FULL_POINTS and c.criterion.id not in chosen), key=lambda cp: cp[1])[:n]]
    return strongest, weakest


@dataclass(frozen=True)
class Leaders:
    most: list[str]  # names sharing the highest shown score
    most_value: int
    least: list[str]  # names sharing the lowest shown score
    least_value: int


def leaders(scores: Mapping[str, ProviderScore], kind: str, group: str) -> Leaders | None:
    """Who discloses most and least in one group among one kind (ties all named); None if no score is shown."""
    shown = [(v, s.provider.name) for s in of_kind(scores, kind).values() if (v := _value(s, group)) is not None]
    if not shown:
        return None
    hi, lo = max(v for v, _ in shown), min(v for v, _ in shown)
    return Leaders(sorted(n for v, n in shown if v == hi), hi, sorted(n for v, n in shown if v == lo), lo)


def names(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Levels that count as "discloses at least part of the criterion" in the key findings.
DISCLOSING = ("full", "partial")


@dataclass(frozen=True)
class Finding:
    criterion_id: str
    title: str
    disclosing: list[str]  # names of the providers at a disclosing level, sorted
    of: int  # providers of the kind to which the criterion applies


def findings(scores: Mapping[str, ProviderScore], kind: str, functions: list[str], n: int = 2) -> tuple[list[Finding], list[Finding]]:
    """Among one kind, the n criteria of `functions` that most providers disclose at least in part, and the n
    that fewest do (a criterion in both lists is kept in the first); ties in catalogue order."""
    members = list(of_kind(scores, kind).values())
    order: dict[str, tuple[str, list[str], list[int]]] = {}  # criterion id: title, disclosing names, [providers it applies to]
    for s in members:
        for c in s.claims:
            if c.criterion.function not in functions:
                continue
            _, disclosing, of = order.setdefault(c.criterion.id, (c.criterion.title, [], [0]))
            of[0] += 1
            if c.level in DISCLOSING:
                disclosing.append(s.provider.name)
    items = [Finding(cid, title, sorted(disclosing), of[0]) for cid, (title, disclosing, of) in order.items()]
    most = sorted(items, key=lambda f: -len(f.disclosing))[:n]
    taken = {f.criterion_id for f in most}
    least = [f for f in sorted(items, key=lambda f: len(f.disclosing)) if f.criterion_id not in taken][:n]
    return most, least
