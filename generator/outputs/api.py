"""The JSON API: `api/v1/index.json`, `api/v1/providers/<id>.json`, `api/v1/criteria.json` (each with a
`$schema` pointing to its own part of `api/v1/schema.json`) and `api/v1/schema.json`, generated from
the models below, so the published schema lists every field of every claim."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

from .. import history, registry, render, score
from ..check import Dataset
from ..model import Criterion, Discontinued, Provenance, Provider, Source, Status

API = "api/v1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _File(_Out):
    """A published API file: says which part of schema.json describes it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: str = Field(alias="$schema", description="The part of api/v1/schema.json that describes this file.")


class GroupScore(_Out):
    score: int | None
    coverage: float | None
    assessed: int
    applicable: int


class IndexEntry(_Out):
    id: str
    name: str
    kind: str
    url: str
    structural: GroupScore
    situational: GroupScore
    functions: dict[str, GroupScore]
    discontinued: Discontinued | None = Field(
        description="Set for a discontinued product or an unmaintained server: it keeps its page and scores but is not ranked."
    )


class Index(_File):
    methodology_version: str
    as_of: dt.date
    providers: list[IndexEntry]


class RequirementStatus(_Out):
    """One requirement of a claim: its status and the URLs of the sources that support it."""

    id: str = Field(description="Full requirement id: <criterion-id>/<requirement-id>.", examples=["id-security-contact/security-txt"])
    status: Status
    sources: list[str] = Field(description="URLs of the claim's sources whose `supports` lists this requirement.")


class ClaimOut(_Out):
    """A provider's standing on one applicable criterion, after the scoring rules."""

    criterion: str
    level: str = Field(
        description="Computed from the requirement statuses; n/a and no-known-incidents are outcomes.",
        json_schema_extra={"enum": list(registry.ORDER)},
    )
    evidence_date: dt.date | None = Field(description="Newest date of the sources behind the met requirements (for no: the contradicted ones).")
    reviewed: dt.date | None = Field(description="When a person last checked the claim.")
    second_review: dt.date | None = Field(description="When an independent second reviewer re-checked it.")
    provenance: Provenance | None
    requirements: list[RequirementStatus] = Field(description="Every requirement of the criterion (empty for outcomes and unassessed claims).")
    sources: list[Source]
    stale: bool = Field(description="Evidence older than the criterion's freshness window, or met requirements without a dated source.")
    points: float | None = Field(description="0-100: 100 × met ÷ requirements, halved when stale; null when not scored.")


class ProviderDetail(_File):
    methodology_version: str
    as_of: dt.date
    provider: Provider
    scores: IndexEntry
    claims: list[ClaimOut]


class RequirementOut(_Out):
    id: str = Field(description="Full requirement id: <criterion-id>/<requirement-id>.", examples=["id-security-contact/security-txt"])
    text: str


class CriterionOut(Criterion):
    """A criterion as published: its requirements carry their full ids."""

    requirements: list[RequirementOut]  # type: ignore[assignment]  # pydantic: a published criterion narrows the field's type


class CriteriaList(_File):
    methodology_version: str
    as_of: dt.date
    criteria: list[CriterionOut]


class Outputs(_Out):
    """The published API files, one model each."""

    index: Index
    provider: ProviderDetail
    criteria: CriteriaList


def _group(s: score.Score) -> GroupScore:
    cov = s.coverage
    return GroupScore(score=s.value, coverage=None if cov is None else round(cov, 4), assessed=s.assessed, applicable=s.applicable)


def _entry(ps: score.ProviderScore) -> IndexEntry:
    p = ps.provider
    return IndexEntry(
        id=p.id,
        name=p.name,
        kind=p.kind.value,
        url=f"providers/{p.id}/",
        structural=_group(ps.groups["structural"]),
        situational=_group(ps.groups["situational"]),
        functions={k: _group(v) for k, v in ps.functions.items()},
        discontinued=p.discontinued,
    )


def _dump(model: BaseModel) -> bytes:
    return _dump_data(model.model_dump(mode="json", by_alias=True))


def _dump_data(data: dict[str, Any]) -> bytes:
    """The published form of an API file: keys sorted, indented by two spaces, UTF-8 (not \\u-escaped),
    a final newline; byte for byte `json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)`
    (test_export checks it), written by pydantic's encoder, which is several times faster than the
    json module's pure-Python indenting encoder."""
    return pydantic_core.to_json(_sorted_keys(data), indent=2) + b"\n"


def _sorted_keys(value: Any) -> Any:
    """JSON data with every object's keys in sorted order (the encoder keeps the order it is given)."""
    if type(value) is dict:
        return {key: _sorted_keys(item) if type(item) in _NESTED else item for key, item in sorted(value.items())}
    return [_sorted_keys(item) if type(item) in _NESTED else item for item in value]


_NESTED = (dict, list)


def schema_ref(options: render.Options, model: type[BaseModel], depth: int) -> str:
    """`$schema` of an API file: its own part of schema.json (absolute when the site URL is known)."""
    base = f"{options.site_url}{API}/" if options.site_url else "../" * depth
    return f"{base}schema.json#/$defs/{model.__name__}"


def api_schema() -> dict[str, Any]:
    schema = Outputs.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "schema.json", **schema}


def claim_out(c: score.Claim) -> ClaimOut:
    a = c.assessment
    return ClaimOut(
        criterion=c.criterion.id,
        level=c.level,
        evidence_date=c.evidence_date,
        reviewed=a.reviewed if a else None,
        second_review=a.second_review if a else None,
        provenance=a.provenance if a else None,
        requirements=[RequirementStatus(id=r.full_id, status=r.status, sources=[s.url for s in r.sources]) for r in c.requirements],
        sources=list(a.sources) if a else [],
        stale=c.stale,
        points=None if c.points is None else score.points_number(c.points),
    )


def criterion_out(crit: Criterion) -> CriterionOut:
    data = crit.model_dump()
    data["requirements"] = [{"id": f"{crit.id}/{r.id}", "text": r.text} for r in crit.requirements]
    return CriterionOut.model_validate(data)


def common_files(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options) -> Iterator[tuple[str, bytes]]:
    """`index.json`, `criteria.json` and `schema.json`: the files that are not one provider's."""
    v, as_of = score.METHODOLOGY_VERSION, options.as_of
    yield (
        f"{API}/index.json",
        _dump(Index(schema_=schema_ref(options, Index, 0), methodology_version=v, as_of=as_of, providers=[_entry(ps) for ps in scores.values()])),
    )
    yield (
        f"{API}/criteria.json",
        _dump(
            CriteriaList(
                schema_=schema_ref(options, CriteriaList, 0),
                methodology_version=v,
                as_of=as_of,
                criteria=[criterion_out(c) for c in dataset.criteria.values()],
            )
        ),
    )
    yield f"{API}/schema.json", (json.dumps(api_schema(), indent=2, sort_keys=True) + "\n").encode()


def provider_detail(pid: str, ps: score.ProviderScore, options: render.Options) -> ProviderDetail:
    """The provider's API file as its model (schema.json's ProviderDetail): what `provider_file` writes."""
    return ProviderDetail(
        schema_=schema_ref(options, ProviderDetail, 1),
        methodology_version=score.METHODOLOGY_VERSION,
        as_of=options.as_of,
        provider=ps.provider,
        scores=_entry(ps),
        claims=[claim_out(c) for c in ps.claims],
    )


def provider_file(pid: str, ps: score.ProviderScore, options: render.Options) -> tuple[str, bytes]:
    """`providers/<id>.json`: the provider's data, scores and claims. The claims are written from plain data
    rather than through `provider_detail` (making and checking a model for each claim and requirement took
    a third of the time), with their keys in sorted order and their sources taken from the provider's
    data (already dumped and sorted); the bytes are the same (test_export compares them)."""
    provider = _sorted_keys(ps.provider.model_dump(mode="json", by_alias=True))
    sources = {a["criterion"]: a["sources"] for a in provider["assessments"]}
    data = {  # keys in sorted order, as in every object below
        "$schema": schema_ref(options, ProviderDetail, 1),
        "as_of": options.as_of.isoformat(),
        "claims": [_claim_data(c, sources) for c in ps.claims],
        "methodology_version": score.METHODOLOGY_VERSION,
        "provider": provider,
        "scores": _sorted_keys(_entry(ps).model_dump(mode="json", by_alias=True)),
    }
    return f"{API}/providers/{pid}.json", pydantic_core.to_json(data, indent=2) + b"\n"


def _claim_data(c: score.Claim, sources: dict[str, list[Any]]) -> dict[str, Any]:
    """`claim_out(c)` as JSON data, keys in sorted order (ClaimOut: points are numbers with a fraction part,
    dates ISO 8601); `sources`: each assessed criterion's sources as JSON data."""
    a = c.assessment
    return {
        "criterion": c.criterion.id,
        "evidence_date": c.evidence_date.isoformat() if c.evidence_date else None,
        "level": c.level,
        "points": None if c.points is None else float(score.points_number(c.points)),
        "provenance": a.provenance.value if a else None,
        "requirements": [{"id": r.full_id, "sources": [s.url for s in r.sources], "status": Status(r.status).value} for r in c.requirements],
        "reviewed": a.reviewed.isoformat() if a else None,
        "second_review": a.second_review.isoformat() if a and a.second_review else None,
        "sources": sources[a.criterion] if a else [],
        "stale": c.stale,
    }


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    yield from common_files(dataset, scores, options)
    kept = _KEPT
    common = (options, dataset.framework.model_dump_json(), tuple(c.model_dump_json() for c in dataset.criteria.values())) if kept is not None else ()
    for pid, ps in scores.items():
        key = (common, ps.provider.model_dump_json()) if kept is not None else ()
        if kept is not None and pid in kept and kept[pid][0] == key:
            yield f"{API}/providers/{pid}.json", kept[pid][1]
            continue
        path, content = provider_file(pid, ps, options)
        if kept is not None:
            kept[pid] = (key, content)
        yield path, content
    if kept is not None:
        for gone in set(kept) - set(scores):
            del kept[gone]


# `scorecard serve`: each provider's API file with what it was made from (its own data, the
# framework, the criteria and the options: nothing else goes into it), reused while they are unchanged.
_KEPT: dict[str, tuple[tuple[Any, ...], bytes]] | None = None


def remember_made(on: bool) -> None:
    global _KEPT
    _KEPT = {} if on else None
