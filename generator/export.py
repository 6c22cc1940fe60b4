"""Export: machine-readable outputs written next to the pages before MkDocs runs.

- `api/v1/index.json`, `api/v1/providers/<id>.json`, `api/v1/criteria.json`, each with a `$schema`
  pointing to its own part of `api/v1/schema.json`
- `api/v1/schema.json`: JSON Schema of those files, generated from the models below
- `downloads/scorecard.csv`: one row per provider × applicable criterion
- `downloads/requirements.csv`: one row per provider × requirement of an applicable criterion
- `badges/<id>.svg`: embeddable badges (template `badge.svg.j2`)
- `<alias>/index.html` under `providers/`: redirects from former ids

Every output carries the methodology version and the as-of date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from . import history, preview, registry, render, safe, score
from .check import Dataset
from .model import Criterion, Provenance, Provider, Source, Status

API = "api/v1"
_NO_HISTORY = history.History()


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
        json_schema_extra={"enum": list(registry.ORDER)})
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
        id=p.id, name=p.name, kind=p.kind.value, url=f"providers/{p.id}/",
        structural=_group(ps.groups["structural"]), situational=_group(ps.groups["situational"]),
        functions={k: _group(v) for k, v in ps.functions.items()},
    )


def _dump(model: BaseModel) -> bytes:
    return (json.dumps(model.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


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
        criterion=c.criterion.id, level=c.level, evidence_date=c.evidence_date,
        reviewed=a.reviewed if a else None, second_review=a.second_review if a else None,
        provenance=a.provenance if a else None,
        requirements=[RequirementStatus(id=r.full_id, status=r.status, sources=[s.url for s in r.sources]) for r in c.requirements],
        sources=list(a.sources) if a else [], stale=c.stale,
        points=None if c.points is None else score.points_number(c.points),
    )


def criterion_out(crit: Criterion) -> CriterionOut:
    data = crit.model_dump()
    data["requirements"] = [{"id": f"{crit.id}/{r.id}", "text": r.text} for r in crit.requirements]
    return CriterionOut.model_validate(data)


CSV_FIELDS = ["provider", "provider_name", "kind", "criterion", "function", "level", "stale", "points", "requirements_met",
              "requirements_total", "evidence_date", "reviewed", "second_review", "provenance", "source_urls", "summary",
              "methodology_version", "as_of"]
REQUIREMENT_CSV_FIELDS = ["provider", "provider_name", "kind", "criterion", "function", "requirement", "requirement_text", "status",
                          "level", "stale", "evidence_date", "reviewed", "second_review", "source_urls", "methodology_version", "as_of"]


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _csv(fields: list[str], rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        _write_inert(writer, row)
    return buf.getvalue().encode("utf-8")


def _claim_columns(pid: str, ps: score.ProviderScore, c: score.Claim, as_of: dt.date) -> dict[str, Any]:
    """Columns shared by both CSV files: which claim, its level, freshness and review dates."""
    a = c.assessment
    return {
        "provider": pid, "provider_name": ps.provider.name, "kind": ps.provider.kind.value,
        "criterion": c.criterion.id, "function": c.criterion.function, "level": c.level, "stale": str(c.stale).lower(),
        "evidence_date": _date(c.evidence_date), "reviewed": _date(a.reviewed if a else None),
        "second_review": _date(a.second_review if a else None),
        "methodology_version": score.METHODOLOGY_VERSION, "as_of": as_of.isoformat(),
    }


def csv_bytes(scores: dict[str, score.ProviderScore], as_of: dt.date) -> bytes:
    """One row per provider × applicable criterion."""
    rows = []
    for pid, ps in scores.items():
        for c in ps.claims:
            a = c.assessment
            scored = c.points is not None
            rows.append({
                **_claim_columns(pid, ps, c, as_of),
                "points": score.points_number(c.points) if c.points is not None else "",
                "requirements_met": c.met if scored else "", "requirements_total": len(c.criterion.requirements) if scored else "",
                "provenance": a.provenance.value if a else "", "source_urls": " ".join(s.url for s in a.sources) if a else "",
                "summary": ((a.reason if a.outcome else a.summary) or "") if a else "",
            })
    return _csv(CSV_FIELDS, rows)


def requirements_csv_bytes(scores: dict[str, score.ProviderScore], as_of: dt.date) -> bytes:
    """One row per provider × requirement of every applicable criterion (status empty when unassessed or an outcome)."""
    rows = []
    for pid, ps in scores.items():
        for c in ps.claims:
            results = {r.requirement.id: r for r in c.requirements}
            for req in c.criterion.requirements:
                r = results.get(req.id)
                rows.append({
                    **_claim_columns(pid, ps, c, as_of),
                    "requirement": f"{c.criterion.id}/{req.id}", "requirement_text": req.text,
                    "status": r.status.value if r and r.status else "",
                    "source_urls": " ".join(s.url for s in r.sources) if r else "",
                })
    return _csv(REQUIREMENT_CSV_FIELDS, rows)


def _write_inert(writer: csv.DictWriter[str], row: dict[str, Any]) -> None:
    """Every cell through the CSV encoder: spreadsheets must not run a cell as a formula."""
    writer.writerow({key: safe.csv_cell(value) for key, value in row.items()})


def export_all(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options,
               changes: dict[str, history.History] | None = None) -> dict[str, bytes]:
    v, as_of = score.METHODOLOGY_VERSION, options.as_of
    env = render.environment()
    files: dict[str, bytes] = {}
    files[f"{API}/index.json"] = _dump(Index(schema_=schema_ref(options, Index, 0), methodology_version=v, as_of=as_of,
                                             providers=[_entry(ps) for ps in scores.values()]))
    files[f"{API}/criteria.json"] = _dump(CriteriaList(schema_=schema_ref(options, CriteriaList, 0), methodology_version=v, as_of=as_of,
                                                       criteria=[criterion_out(c) for c in dataset.criteria.values()]))
    files[f"{API}/schema.json"] = (json.dumps(api_schema(), indent=2, sort_keys=True) + "\n").encode()
    titles = {cid: c.title for cid, c in dataset.criteria.items()}
    for pid, ps in scores.items():
        detail = ProviderDetail(schema_=schema_ref(options, ProviderDetail, 1), methodology_version=v, as_of=as_of,
                                provider=ps.provider, scores=_entry(ps), claims=[claim_out(c) for c in ps.claims])
        files[f"{API}/providers/{pid}.json"] = _dump(detail)
        files[f"badges/{pid}.svg"] = env.get_template("badge.svg.j2").render(s=ps, as_of=as_of).encode()
        files[f"previews/{pid}.png"] = preview.provider_png(ps, registry.KIND_LABEL[ps.provider.kind.value], as_of.isoformat())
        files[f"feeds/providers/{pid}.xml"] = env.get_template("feed.xml.j2").render(
            feed_id=f"providers/{pid}", title=f"{ps.provider.name}: evidence changes", as_of=as_of, options=options, titles=titles, LEVEL=render.LEVEL_STYLE,
            items=[(ps.provider, e) for e in (changes or {}).get(pid, _NO_HISTORY).entries]).encode()
        for alias in ps.provider.aliases:
            files[f"providers/{alias}/index.html"] = env.get_template("redirect.html.j2").render(
                target=f"../{pid}/", canonical=(options.site_url + f"providers/{pid}/") if options.site_url else f"../{pid}/", name=ps.provider.name
            ).encode()
    everything = sorted(((scores[pid].provider, e) for pid, h in (changes or {}).items() for e in h.entries),
                        key=lambda item: (item[1].date, item[0].id), reverse=True)
    files["feeds/changes.xml"] = env.get_template("feed.xml.j2").render(
        feed_id="changes", title="Messenger Defense Scorecard: evidence changes", as_of=as_of, options=options, items=everything,
        titles=titles, LEVEL=render.LEVEL_STYLE).encode()
    files["previews/site.png"] = preview.site_png(len(scores), len(dataset.criteria), as_of.isoformat())
    files["downloads/scorecard.csv"] = csv_bytes(scores, as_of)
    files["downloads/requirements.csv"] = requirements_csv_bytes(scores, as_of)
    files[registry.CSS_PATH] = registry.css().encode()
    files[registry.JS_PATH] = registry.js().encode()
    if options.repository_url or options.site_url:  # RFC 9116 requires a Contact
        files[".well-known/security.txt"] = env.get_template("security.txt.j2").render(as_of=as_of, options=options).encode()
    return files
