"""One collect run: read each provider's machine sources, fetch, check, propose, flag.

A proposal is a requirement status a machine check proved (data/collect/checks.yaml says
which), with the fetched page as its source. `plan()` compares the proposals with the claim
in the provider file and sorts each into:
- new-claim   the criterion is not assessed yet: a new claim, marked `collected: true`;
- fill        the requirement is `not-found`: set it, add the source, mark `collected: true`;
- refresh     the same status is already recorded: re-date the source if it was seen unchanged;
- conflict    a person recorded another status, or the claim is n/a / no-known-incidents:
              nothing is written, the report asks a person to look;
- skip        the criterion does not apply to the provider, or the data model has no
              requirement statuses yet (before Methodology 2).
Flags (link rot): a cited source that now answers 404/410, or whose content hash differs from
the one recorded when it was reviewed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..check import Dataset

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .. import rules
from ..load import load_file
from ..model import Assessment, MachineSources, Provider, Source
from . import advisories, bounty, csaf, endoflife, insights, matrix, securitytxt, statuspage
from .base import Finding
from .checks import Mapping, requirement_ids
from .fetch import Fetcher

EXTRA_SOURCES = Path("data/collect/sources.yaml")
M2 = "requirements" in Assessment.model_fields
HASH_FIELD = "content_sha256" if "content_sha256" in Source.model_fields else None
COLLECTED_FIELD = "collected" in Assessment.model_fields

# Which collector reads which field of `machine_sources`, and the check kinds it reports.
# Each collector: (value from machine_sources, fetcher, today, provider) -> findings; and the signals it can report.
Collector = Callable[[Any, Fetcher, dt.date, Provider], list[Finding]]
COLLECTORS: dict[str, tuple[Collector, dict[str, set[str]]]] = {
    "security_txt": (lambda v, f, t, p: securitytxt.collect(v, f, t), {securitytxt.KIND: securitytxt.SIGNALS}),
    "matrix_support": (lambda v, f, t, p: matrix.collect(v, f, t), {matrix.KIND: matrix.SIGNALS}),
    "statuspage": (lambda v, f, t, p: statuspage.collect(v, f, t, (p.name, rules.own_domain(p.website))), statuspage.SIGNALS),
    "github_advisories": (lambda v, f, t, p: advisories.github(v, f, t), {advisories.KIND_GITHUB: advisories.SIGNALS[advisories.KIND_GITHUB]}),
    "osv": (lambda v, f, t, p: advisories.osv(v.ecosystem, v.name, f, t), {advisories.KIND_OSV: advisories.SIGNALS[advisories.KIND_OSV]}),
    "endoflife": (lambda v, f, t, p: endoflife.collect(v, f, t), {endoflife.KIND: endoflife.SIGNALS}),
    "bounty_programmes": (lambda v, f, t, p: bounty.targets(v, f, t), {bounty.KIND_TARGETS: bounty.SIGNALS[bounty.KIND_TARGETS]}),
    "diodb": (lambda v, f, t, p: bounty.diodb(v, f, t), {bounty.KIND_DIODB: bounty.SIGNALS[bounty.KIND_DIODB]}),
    "csaf": (lambda v, f, t, p: csaf.collect(v, f, t), {csaf.KIND: csaf.SIGNALS}),
    "security_insights": (lambda v, f, t, p: insights.collect(v, f, t), {insights.KIND: insights.SIGNALS}),
}


def signals_by_kind() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for _, kinds in COLLECTORS.values():
        for kind, signals in kinds.items():
            out.setdefault(kind, set()).update(signals)
    return out


@dataclass
class Proposal:
    criterion: str
    requirement: str
    status: str
    signal: str
    finding: Finding
    provenance: str
    publisher: str
    action: str = ""
    note: str = ""


@dataclass
class Flag:
    criterion: str
    url: str
    reason: str


@dataclass
class ProviderResult:
    provider: Provider
    findings: list[Finding] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def extra_sources(root: Path) -> dict[str, MachineSources]:
    """Optional wiring kept outside provider files, merged with theirs (data/collect/sources.yaml:
    `providers: {id: machine_sources}`), for when provider files are being rewritten by others."""
    path = root / EXTRA_SOURCES
    if not path.exists():
        return {}
    doc, problems = load_file(path, root)
    if doc is None:
        from ..problems import DataError

        raise DataError(problems)
    return {pid: MachineSources.model_validate(value) for pid, value in (doc.data.get("providers") or {}).items()}


def sources_of(provider: Provider, extra: dict[str, MachineSources]) -> MachineSources | None:
    own = getattr(provider, "machine_sources", None)
    more = extra.get(provider.id)
    if own is None or more is None:
        return own or more
    merged = {k: list(getattr(own, k)) + [v for v in getattr(more, k) if v not in getattr(own, k)] for k in MachineSources.model_fields}
    return MachineSources.model_validate({k: [x.model_dump() if hasattr(x, "model_dump") else x for x in v] for k, v in merged.items()})


def official(url: str, provider: Provider) -> bool:
    sites = [rules.own_domain(provider.website), *provider.official_sites]
    return any(rules.site_matches(url, site) for site in sites)


def collect_provider(provider: Provider, sources: MachineSources, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    for name, (collector, _) in COLLECTORS.items():
        for value in getattr(sources, name):
            findings.extend(collector(value, fetcher, today, provider))
    return findings


def propose(provider: Provider, findings: list[Finding], mapping: Mapping) -> tuple[list[Proposal], list[str]]:
    proposals, notes = [], []
    for finding in findings:
        check = mapping.checks.get(finding.kind)
        response = finding.response
        if check is None or response is None or response.status != 200:
            continue
        host = urlsplit(response.final_url).hostname or ""
        if check.website_only and not rules.site_matches(response.final_url, rules.own_domain(provider.website)):
            finding.problem(f"not on the domain of {provider.name}'s website; nothing proposed", host)
            continue
        if check.own_site and not official(response.final_url, provider):
            finding.problem(f"not on {provider.name}'s own site; nothing proposed", host)
            continue
        publisher = provider.name if check.publisher == "provider" else check.publisher
        for signal in sorted(finding.signals):
            for full_id, status in check.signals[signal].proves.items():
                cid, _, rid = full_id.partition("/")
                proposals.append(Proposal(cid, rid, status, signal, finding, check.provenance, publisher))
    # Two sources disagreeing about one requirement (e.g. two security.txt files) prove nothing.
    by_req: dict[tuple[str, str], set[str]] = {}
    for p in proposals:
        by_req.setdefault((p.criterion, p.requirement), set()).add(p.status)
    kept = []
    for p in proposals:
        if len(by_req[(p.criterion, p.requirement)]) > 1:
            note = f"{p.criterion}/{p.requirement}: sources disagree (met and contradicted); nothing proposed"
            if note not in notes:
                notes.append(note)
            continue
        kept.append(p)
    return kept, notes


def plan(result: ProviderResult, dataset: Dataset) -> None:
    """Sort each proposal into new-claim / fill / refresh / conflict / skip, and find flags."""
    provider = result.provider
    applicable = {c.id for c in dataset.applicable(provider)}
    claims = {a.criterion: a for a in provider.assessments}
    for p in result.proposals:
        crit = dataset.criteria.get(p.criterion)
        claim = claims.get(p.criterion)
        if not M2:
            p.action, p.note = "skip", "the data model has no requirement statuses yet (Methodology 2); nothing can be written"
        elif crit is None or p.requirement not in requirement_ids(crit):
            p.action, p.note = "skip", "requirement not in the criteria (update data/collect/checks.yaml)"
        elif p.criterion not in applicable:
            p.action, p.note = "skip", f"criterion does not apply to a provider of kind {provider.kind.value}"
        elif claim is None:
            p.action = "new-claim"
        elif claim.outcome is not None:
            p.action, p.note = "conflict", f"the claim is recorded as {claim.outcome.value}; a person should look"
        else:
            current = (claim.requirements or {}).get(p.requirement)
            current = getattr(current, "value", current)
            if current == p.status:
                p.action = "refresh"
            elif current in (None, "not-found"):
                p.action = "fill"
            else:
                p.action, p.note = "conflict", f"recorded as {current}; the check says {p.status}; a person should look"
    # Link rot and changed content of cited sources.
    for finding in result.findings:
        response = finding.response
        if response is None:
            continue
        for claim in provider.assessments:
            for source in claim.sources:
                if source.url not in (finding.url, response.final_url):
                    continue
                if finding.gone:
                    result.flags.append(Flag(claim.criterion, source.url, f"answers HTTP {response.status}: re-review the claim"))
                stored = getattr(source, "content_sha256", None)
                if stored and response.status == 200 and stored != response.sha256:
                    reviewed = getattr(claim, "reviewed", None) or getattr(claim, "verified", None)
                    result.flags.append(Flag(claim.criterion, source.url, f"content changed since it was reviewed ({reviewed}): re-review the claim"))


def run(
    dataset: Dataset, mapping: Mapping, fetcher: Fetcher, today: dt.date, only: list[str] | None, extra: dict[str, MachineSources]
) -> list[ProviderResult]:
    results = []
    for pid, provider in dataset.providers.items():
        if only and pid not in only:
            continue
        sources = sources_of(provider, extra)
        if sources is None:
            continue
        result = ProviderResult(provider)
        result.findings = collect_provider(provider, sources, fetcher, today)
        result.proposals, result.notes = propose(provider, result.findings, mapping)
        plan(result, dataset)
        results.append(result)
    return results
