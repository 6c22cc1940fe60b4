"""CSV downloads: `downloads/scorecard.csv` (one row per provider × applicable criterion) and
`downloads/requirements.csv` (one row per provider × requirement of an applicable criterion)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from .. import history, render, safe, score
from ..check import Dataset
from . import Chunks, Content

CSV_FIELDS = [
    "provider",
    "provider_name",
    "kind",
    "criterion",
    "function",
    "level",
    "stale",
    "points",
    "requirements_met",
    "requirements_total",
    "evidence_date",
    "reviewed",
    "second_review",
    "provenance",
    "source_urls",
    "summary",
    "methodology_version",
    "as_of",
    "discontinued_since",
]
REQUIREMENT_CSV_FIELDS = [
    "provider",
    "provider_name",
    "kind",
    "criterion",
    "function",
    "requirement",
    "requirement_text",
    "status",
    "level",
    "stale",
    "evidence_date",
    "reviewed",
    "second_review",
    "source_urls",
    "methodology_version",
    "as_of",
    "discontinued_since",
]


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _csv(fields: list[str], rows: Iterable[list[str]]) -> bytes:
    """The CSV of `rows` (cells in the order of `fields`, already made inert, see `_inert`), taken one at a
    time (a list of every row would be the build's largest object)."""
    raw = io.BytesIO()
    with io.TextIOWrapper(raw, encoding="utf-8", newline="") as buf:  # encoded a few kilobytes at a time: no text copy of the whole file
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(rows)
        buf.flush()
        return raw.getvalue()


def _inert(columns: dict[str, Any]) -> dict[str, str]:
    """Every cell through the CSV encoder: spreadsheets must not run a cell as a formula."""
    return {key: safe.csv_cell(value) for key, value in columns.items()}


def _claim_columns(pid: str, ps: score.ProviderScore, c: score.Claim, as_of: dt.date) -> dict[str, Any]:
    """Columns shared by both CSV files: which claim, its level, freshness and review dates."""
    a = c.assessment
    return {
        "provider": pid,
        "provider_name": ps.provider.name,
        "kind": ps.provider.kind.value,
        "criterion": c.criterion.id,
        "function": c.criterion.function,
        "level": c.level,
        "stale": str(c.stale).lower(),
        "evidence_date": _date(c.evidence_date),
        "reviewed": _date(a.reviewed if a else None),
        "second_review": _date(a.second_review if a else None),
        "methodology_version": score.METHODOLOGY_VERSION,
        "as_of": as_of.isoformat(),
        "discontinued_since": _date(ps.provider.discontinued.since if ps.provider.discontinued else None),
    }


def csv_bytes(scores: dict[str, score.ProviderScore], as_of: dt.date) -> bytes:
    """One row per provider × applicable criterion."""

    def rows() -> Iterator[list[str]]:
        for pid, ps in scores.items():
            for c in ps.claims:
                a = c.assessment
                scored = c.points is not None
                row = _inert(
                    {
                        **_claim_columns(pid, ps, c, as_of),
                        "points": score.points_number(c.points) if c.points is not None else "",
                        "requirements_met": c.met if scored else "",
                        "requirements_total": len(c.criterion.requirements) if scored else "",
                        "provenance": a.provenance.value if a else "",
                        "source_urls": " ".join(s.url for s in a.sources) if a else "",
                        "summary": ((a.reason if a.outcome else a.summary) or "") if a else "",
                    }
                )
                yield [row[field] for field in CSV_FIELDS]

    return _csv(CSV_FIELDS, rows())


# requirements.csv has a row per requirement of each claim: the claim's cells, the same on each of its
# rows, are put into CSV form once per claim (`_segments`), each row then only its own four cells.
_REQUIREMENT_CELLS = ("requirement", "requirement_text", "status", "source_urls")


class _Line:
    """Cells as csv.writer writes them in a row (same dialect as `_csv`), without the line end."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")

    def cells(self, cells: list[str]) -> str:
        if len(cells) == 1:
            return self.cell(cells[0])  # a lone empty cell would be written as ""
        return self._written(cells)

    def cell(self, cell: str) -> str:
        """One cell of a row."""
        if not ("," in cell or '"' in cell or "\n" in cell or "\r" in cell):
            return cell  # csv writes such a cell as it is (it quotes for ',', '"' and the line end; for "\r", let it decide)
        return self._written([cell])  # not empty: written as in a row of several

    def _written(self, cells: list[str]) -> str:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.writerow(cells)
        return self.buf.getvalue()[:-1]


def _segments(fields: list[str], varying: tuple[str, ...]) -> list[tuple[int, int] | str]:
    """The row's layout: runs of fields that are the claim's (start, end), and the names of the varying ones."""
    layout: list[tuple[int, int] | str] = []
    start = 0
    for i, field in enumerate([*fields, None]):
        if field is None or field in varying:
            if i > start:
                layout.append((start, i))
            if field is not None:
                layout.append(field)
            start = i + 1
    return layout


def requirements_csv(scores: dict[str, score.ProviderScore], as_of: dt.date) -> Chunks:
    """One row per provider × requirement of every applicable criterion (status empty when unassessed or an outcome),
    made one provider at a time. A claim's columns are made inert and put in CSV form once for all its rows, a
    requirement's id and wording once for every provider; the bytes are those of csv.writer writing every row (test_export)."""
    return Chunks(lambda: _requirement_rows(scores, as_of))


def _requirement_rows(scores: dict[str, score.ProviderScore], as_of: dt.date) -> Iterator[bytes]:
    fields = REQUIREMENT_CSV_FIELDS
    layout = _segments(fields, _REQUIREMENT_CELLS)
    at_requirement, at_text, at_status, at_urls = (layout.index(name) for name in _REQUIREMENT_CELLS)
    line = _Line()
    wording: dict[tuple[str, str], tuple[str, str]] = {}
    status_cells: dict[str, str] = {}
    yield (line.cells(fields) + "\n").encode("utf-8")
    for pid, ps in scores.items():
        rows = []
        for c in ps.claims:
            claim = _inert(_claim_columns(pid, ps, c, as_of))
            cells = [claim.get(field, "") for field in fields]
            parts = [part if isinstance(part, str) else line.cells(cells[part[0] : part[1]]) for part in layout]
            results = {r.requirement.id: r for r in c.requirements}
            for req in c.criterion.requirements:
                key = (c.criterion.id, req.id)
                if key not in wording:
                    wording[key] = (line.cell(safe.csv_cell(f"{c.criterion.id}/{req.id}")), line.cell(safe.csv_cell(req.text)))
                r = results.get(req.id)
                parts[at_requirement], parts[at_text] = wording[key]
                status = r.status.value if r and r.status else ""
                if status not in status_cells:
                    status_cells[status] = line.cell(safe.csv_cell(status))
                parts[at_status] = status_cells[status]
                parts[at_urls] = line.cell(safe.csv_cell(" ".join(s.url for s in r.sources) if r else ""))
                rows.append(",".join(parts))
        if rows:
            yield ("\n".join(rows) + "\n").encode("utf-8")


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, Content]]:
    yield "downloads/scorecard.csv", csv_bytes(scores, options.as_of)
    yield "downloads/requirements.csv", requirements_csv(scores, options.as_of)
