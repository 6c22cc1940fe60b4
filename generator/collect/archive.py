"""Archived copies for link rot: ask the Wayback Machine to capture a source (Save Page Now,
`https://web.archive.org/save/<url>`), then read the availability API
(`https://archive.org/wayback/available?url=<url>`) and keep the capture only if it was made
on the fetch date, so the archived copy shows the content the proposal was based on.
The archive URL carries its capture time (`/web/YYYYMMDDhhmmss/`), which is its date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import ProviderResult

import datetime as dt
import re
from urllib.parse import quote

from .base import Finding, get, json_document
from .fetch import Fetcher, FetchError, Limits, Request

SAVE = "https://web.archive.org/save/"
AVAILABLE = "https://archive.org/wayback/available?url="
LIMITS = Limits(max_bytes=256 * 1024, deadline=90.0, timeout=60.0)
_STAMP = re.compile(r"^\d{14}$")


def capture(url: str, fetcher: Fetcher, today: dt.date) -> tuple[str | None, str]:
    """(archive URL or None, what happened)."""
    try:
        fetcher.fetch(Request(SAVE + url, follow=False), LIMITS)
    except FetchError as exc:
        return None, f"capture request failed: {exc.reason}"
    lookup = Finding("wayback", AVAILABLE + quote(url, safe=""), "Wayback Machine availability")
    try:
        lookup.response = fetcher.fetch(Request(lookup.url, accept="application/json"), LIMITS)
    except FetchError as exc:
        return None, f"availability lookup failed: {exc.reason}"
    data = json_document(lookup)
    stamp = get(data, "archived_snapshots", "closest", "timestamp", kind=str) or ""
    if get(data, "archived_snapshots", "closest", "available") is not True or not _STAMP.match(stamp):
        return None, "no capture available yet"
    if stamp[:8] != today.strftime("%Y%m%d"):
        return None, f"newest capture is from {stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}, not the fetch date"
    return f"https://web.archive.org/web/{stamp}/{url}", "captured"


def archive_sources(results: list[ProviderResult], fetcher: Fetcher, today: dt.date) -> tuple[dict[str, str], list[str]]:
    """Capture every source a run proposes that is new, or changed since it was recorded."""
    from .run import HASH_FIELD

    archived, notes, tried = {}, [], set()
    for result in results:
        cited = {s.url: s for a in result.provider.assessments for s in a.sources}
        for p in result.proposals:
            if p.action not in ("new-claim", "fill", "refresh") or p.finding.url in tried:
                continue
            tried.add(p.finding.url)
            response = p.finding.response
            if response is None:  # a proposal always comes from a response; nothing to archive without one
                continue
            final = response.final_url
            old = cited.get(final)
            if old is not None and getattr(old, "archive_url", None) and (not HASH_FIELD or getattr(old, HASH_FIELD, None) == response.sha256):
                continue
            copy, what = capture(final, fetcher, today)
            if copy:
                archived[p.finding.url] = copy
            else:
                notes.append(f"{final}: {what}")
    return archived, notes
