"""What every collector returns: a `Finding` per fetched source, with named signals.

A signal is a fact a machine check established (e.g. `expires-future`); which requirement
status a signal proves is not decided here but in `data/collect/checks.yaml`, so the mapping
from checks to the criteria lives in one reviewed data file. Facts and problems keep the
fetched text as it came (hostile); `text.code()` quotes it on the way out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .fetch import Fetcher, FetchError, Limits, Request, Response


@dataclass
class Finding:
    kind: str  # a check id in data/collect/checks.yaml, e.g. "security-txt"
    url: str  # the fetched URL: the source a proposal cites
    title: str  # our own words; may embed an identifier from the provider file, never fetched text
    response: Response | None = None
    error: FetchError | None = None
    signals: set[str] = field(default_factory=set)
    facts: list[tuple[str, Any]] = field(default_factory=list)  # (our label, fetched value)
    problems: list[tuple[str, Any]] = field(default_factory=list)  # (our message, fetched detail or "")

    def fact(self, label: str, value: Any) -> None:
        self.facts.append((label, value))

    def problem(self, message: str, detail: Any = "") -> None:
        self.problems.append((message, detail))

    @property
    def gone(self) -> bool:
        """The source answered 404 or 410: link rot."""
        return self.response is not None and self.response.status in (404, 410)


def json_document(finding: Finding, max_depth: int = 64) -> Any:
    """The response body as JSON, or None with a problem noted (wrong status, not JSON, too deep)."""
    response = finding.response
    if response is None:
        return None
    if response.status != 200:
        finding.problem(f"HTTP {response.status}")
        return None
    try:
        text = response.body.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError:
        finding.problem("not UTF-8 text")
        return None
    except RecursionError:
        finding.problem("JSON nested too deeply")
        return None
    except ValueError as exc:  # JSONDecodeError, and huge integers
        finding.problem("not valid JSON", str(exc)[:80])
        return None
    if _depth(data) > max_depth:
        finding.problem("JSON nested too deeply")
        return None
    return data


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
    return depth - 1


def get(data: Any, *path: str | int, kind: type | tuple[type, ...] = object) -> Any:
    """data[path...] if present and of the wanted type, else None (hostile JSON has any shape)."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and -len(data) <= step < len(data):  # noqa: SIM114 - each branch narrows its own types
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict) and step in data:
            data = data[step]
        else:
            return None
    if isinstance(data, bool) and kind in (int, float):
        return None
    return data if isinstance(data, kind) else None


def fetch_into(finding: Finding, fetcher: Fetcher, request: Request, limits: Limits) -> Finding:
    try:
        finding.response = fetcher.fetch(request, limits)
    except FetchError as exc:
        finding.error = exc
    return finding


def fetch_json(finding: Finding, fetcher: Fetcher, request: Request, limits: Limits, expect: type | None = None, what: str = "") -> Any:
    """Fetch into `finding` and return the JSON document, or None with the problem noted on the finding
    (the fetch failed, a wrong status, not JSON, or, with `expect`, not of that type: "expected <what>")."""
    data = json_document(fetch_into(finding, fetcher, request, limits))
    if data is not None and expect is not None and not isinstance(data, expect):
        finding.problem(f"expected {what}")
        return None
    return data
