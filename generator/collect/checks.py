"""The check-to-requirement mapping in data/collect/checks.yaml, loaded and checked.

`load(root)` returns the mapping; `problems(mapping, criteria, doc)` lists, as file:line:col
problems, every requirement id that is not a requirement of a known criterion and every
status other than met/contradicted, so a renamed requirement breaks the tests, not a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from ..load import Document, load_file
from ..model import Criterion, Strict
from ..problems import DataError, Problem

PATH = Path("data/collect/checks.yaml")


class Signal(Strict):
    means: str
    proves: dict[str, Literal["met", "contradicted"]] = Field(default_factory=dict)


class Check(Strict):
    what: str
    publisher: str
    provenance: Literal["vendor-asserted", "third-party"]
    own_site: bool
    website_only: bool = False
    signals: dict[str, Signal]


class Mapping(Strict):
    checks: dict[str, Check]


def load(root: Path) -> tuple[Mapping, Document]:
    doc, problems = load_file(root / PATH, root)
    if doc is None:
        raise DataError(problems)
    try:
        return Mapping.model_validate(doc.data), doc
    except ValidationError as exc:
        raise DataError(
            [doc.problem(tuple(e["loc"]), e["msg"], "see the comment at the top of the file") for e in exc.errors(include_url=False)]
        ) from None


def requirement_ids(criterion: Criterion) -> list[str]:
    """The requirement ids of a criterion (empty before Methodology 2)."""
    return [r.id for r in getattr(criterion, "requirements", None) or []]


def problems(mapping: Mapping, criteria: dict[str, Criterion], doc: Document) -> list[Problem]:
    found = []
    for name, check in mapping.checks.items():
        for signal, spec in check.signals.items():
            for full_id in spec.proves:
                cid, _, rid = full_id.partition("/")
                loc = ("checks", name, "signals", signal, "proves", full_id)
                if cid not in criteria:
                    found.append(doc.problem(loc, f"unknown criterion {cid!r}", "use an id from data/criteria/", on_key=True))
                elif rid not in requirement_ids(criteria[cid]):
                    found.append(
                        doc.problem(
                            loc,
                            f"{cid!r} has no requirement {rid!r}",
                            f"requirements: {', '.join(requirement_ids(criteria[cid])) or '(none)'}",
                            on_key=True,
                        )
                    )
    return found
