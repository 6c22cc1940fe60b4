"""endoflife.date API v1: `https://endoflife.date/api/v1/products/<product>` lists a product's
release lines with `isMaintained`, `isEol` and `eolFrom` (community-maintained, MIT).

Signals: maintained-lines (at least one release line is marked maintained); eol-dates (every
maintained line has an end-of-life date).
"""

from __future__ import annotations

import datetime as dt
import re

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request

KIND = "endoflife"
SIGNALS = {"maintained-lines", "eol-dates"}
LIMITS = Limits(max_bytes=2 * 1024 * 1024)
_PRODUCT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def collect(product: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    url = f"https://endoflife.date/api/v1/products/{product}"
    finding = Finding(KIND, url, f"endoflife.date: {product}")
    if not _PRODUCT.match(product):
        finding.problem("not an endoflife.date product id", product)
        return [finding]
    data = fetch_json(finding, fetcher, Request(url, accept="application/json"), LIMITS)
    if data is None:
        return [finding]
    releases = get(data, "result", "releases", kind=list)
    if releases is None:
        finding.problem("no `result.releases` list")
        return [finding]
    policy = get(data, "result", "links", "releasePolicy", kind=str)
    if policy:
        finding.fact("release policy linked by endoflife.date", policy)
    maintained = [r for r in releases[:500] if isinstance(r, dict) and get(r, "isMaintained") is True]
    finding.fact("release lines", f"{len(releases)} listed, {len(maintained)} maintained")
    for r in maintained[:8]:
        eol = get(r, "eolFrom", kind=str)
        finding.fact(f"maintained: {str(get(r, 'name', kind=str) or '?')[:30]}", f"end of life {eol}" if eol else "no end-of-life date")
    if maintained:
        finding.signals.add("maintained-lines")
        if all(_DATE.match(get(r, "eolFrom", kind=str) or "") for r in maintained):
            finding.signals.add("eol-dates")
        else:
            finding.problem("a maintained line has no end-of-life date")
    return [finding]
