"""Export: machine-readable outputs written next to the pages before MkDocs runs.

- `api/v1/index.json`, `api/v1/providers/<id>.json`, `api/v1/criteria.json`
- `api/v1/schema.json`: JSON Schema of those files, generated from the models below
- `downloads/scorecard.csv`: one row per provider × applicable criterion
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

from pydantic import BaseModel, ConfigDict

from . import history, preview, render, safe, score
from .check import Dataset
from .model import Criterion, Provider

API = "api/v1"
_NO_HISTORY = history.History()


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class Index(_Out):
    methodology_version: str
    as_of: dt.date
    providers: list[IndexEntry]


class ProviderDetail(_Out):
    methodology_version: str
    as_of: dt.date
    provider: Provider
    scores: IndexEntry
    claims: list[dict[str, Any]]


class CriteriaList(_Out):
    methodology_version: str
    as_of: dt.date
    criteria: list[Criterion]


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
    return (json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def api_schema() -> dict[str, Any]:
    schema = Outputs.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "schema.json", **schema}


def _claims(ps: score.ProviderScore) -> list[dict[str, Any]]:
    return [
        {"criterion": c.criterion.id, "level": c.level, "counted_level": c.counted_level.value if c.counted_level else None,
         "points": c.points, "stale": c.stale}
        for c in ps.claims
    ]


CSV_FIELDS = ["provider", "provider_name", "kind", "criterion", "function", "level", "stale", "points", "verified",
              "provenance", "source_urls", "summary", "methodology_version", "as_of"]


def csv_bytes(scores: dict[str, score.ProviderScore], as_of: dt.date) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for pid, ps in scores.items():
        for c in ps.claims:
            a = c.assessment
            _write_inert(writer, {
                "provider": pid, "provider_name": ps.provider.name, "kind": ps.provider.kind.value,
                "criterion": c.criterion.id, "function": c.criterion.function, "level": c.level,
                "stale": str(c.stale).lower(), "points": "" if c.points is None else c.points,
                "verified": a.verified.isoformat() if a else "", "provenance": a.provenance.value if a else "",
                "source_urls": " ".join(s.url for s in a.sources) if a else "", "summary": (a.summary or "") if a else "",
                "methodology_version": score.METHODOLOGY_VERSION, "as_of": as_of.isoformat(),
            })
    return buf.getvalue().encode("utf-8")


def _write_inert(writer: csv.DictWriter, row: dict[str, Any]) -> None:
    """Every cell through the CSV encoder: spreadsheets must not run a cell as a formula."""
    writer.writerow({key: safe.csv_cell(value) for key, value in row.items()})


def export_all(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options,
               changes: dict | None = None) -> dict[str, bytes]:
    v, as_of = score.METHODOLOGY_VERSION, options.as_of
    env = render.environment()
    files: dict[str, bytes] = {}
    files[f"{API}/index.json"] = _dump(Index(methodology_version=v, as_of=as_of, providers=[_entry(ps) for ps in scores.values()]))
    files[f"{API}/criteria.json"] = _dump(CriteriaList(methodology_version=v, as_of=as_of, criteria=list(dataset.criteria.values())))
    files[f"{API}/schema.json"] = (json.dumps(api_schema(), indent=2, sort_keys=True) + "\n").encode()
    for pid, ps in scores.items():
        detail = ProviderDetail(methodology_version=v, as_of=as_of, provider=ps.provider, scores=_entry(ps), claims=_claims(ps))
        files[f"{API}/providers/{pid}.json"] = _dump(detail)
        files[f"badges/{pid}.svg"] = env.get_template("badge.svg.j2").render(s=ps, as_of=as_of).encode()
        files[f"previews/{pid}.png"] = preview.provider_png(ps, render.KIND_LABEL[ps.provider.kind.value], as_of.isoformat())
        files[f"feeds/providers/{pid}.xml"] = env.get_template("feed.xml.j2").render(
            feed_id=f"providers/{pid}", title=f"{ps.provider.name}: evidence changes", as_of=as_of, options=options,
            items=[(ps.provider, e) for e in (changes or {}).get(pid, _NO_HISTORY).entries]).encode()
        for alias in ps.provider.aliases:
            files[f"providers/{alias}/index.html"] = env.get_template("redirect.html.j2").render(
                target=f"../{pid}/", canonical=(options.site_url + f"providers/{pid}/") if options.site_url else f"../{pid}/", name=ps.provider.name
            ).encode()
    everything = sorted(((scores[pid].provider, e) for pid, h in (changes or {}).items() for e in h.entries),
                        key=lambda item: (item[1].date, item[0].id), reverse=True)
    files["feeds/changes.xml"] = env.get_template("feed.xml.j2").render(
        feed_id="changes", title="Messenger Defense Scorecard: evidence changes", as_of=as_of, options=options, items=everything).encode()
    files["previews/site.png"] = preview.site_png(len(scores), len(dataset.criteria), as_of.isoformat())
    files["downloads/scorecard.csv"] = csv_bytes(scores, as_of)
    if options.repository_url or options.site_url:  # RFC 9116 requires a Contact
        files[".well-known/security.txt"] = env.get_template("security.txt.j2").render(as_of=as_of, options=options).encode()
    return files
