"""Atlassian Statuspage public API of a status page: `/api/v2/summary.json` (page, overall
status, components) and `/api/v2/incidents.json` (the most recent incidents with their
timestamped updates, including `postmortem` updates).

Signals (summary): live-status — the page answers with an overall status indicator, its own
URL is the fetched host, and its name shares a word with the provider's name or website.
Signals (incidents): history-90-days — the incident list reaches back at least 90 days;
timestamped-updates — there are past incidents and every one carries timestamped updates;
incident-12-months — a non-maintenance incident was posted within the last 12 months.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request

KIND_SUMMARY = "statuspage-summary"
KIND_INCIDENTS = "statuspage-incidents"
SIGNALS = {KIND_SUMMARY: {"live-status"}, KIND_INCIDENTS: {"history-90-days", "timestamped-updates", "incident-12-months"}}
LIMITS = Limits(max_bytes=4 * 1024 * 1024)
_GENERIC = {"status", "page", "with", "chat", "messenger", "messaging", "server", "cloud", "service", "services", "systems", "homeserver"}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}


def timestamp(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4 and w not in _GENERIC}


def collect(base: str, fetcher: Fetcher, today: dt.date, names: tuple[str, ...]) -> list[Finding]:
    base = base.rstrip("/")
    host = urlsplit(base).hostname or ""
    summary = Finding(KIND_SUMMARY, f"{base}/api/v2/summary.json", f"Status page summary ({host})")
    data = fetch_json(summary, fetcher, Request(summary.url, accept="application/json"), LIMITS)
    if data is not None:
        name = get(data, "page", "name", kind=str)
        page_url = get(data, "page", "url", kind=str)
        indicator = get(data, "status", "indicator", kind=str)
        summary.fact("page name", name or "(none)")
        summary.fact("overall status", get(data, "status", "description", kind=str) or indicator or "(none)")
        components = [c for c in get(data, "components", kind=list) or [] if isinstance(c, dict)]
        shown = [get(c, "name", kind=str) or "?" for c in components if not get(c, "group_id", kind=str)]
        summary.fact(f"components ({len(components)})", ", ".join(shown[:15]) + (" …" if len(shown) > 15 else ""))
        own = page_url is not None and (urlsplit(page_url).hostname or "").lower() == host.lower()
        named = bool(name) and bool(_words(name) & set().union(*(_words(n) for n in names)))
        if indicator not in INDICATORS:
            summary.problem("no overall status indicator")
        elif not own:
            summary.problem("the page's own URL is not the fetched host", page_url or "")
        elif not named:
            summary.problem("the page name shares no word with the provider's name or website; check it is theirs", name or "")
        else:
            summary.signals.add("live-status")

    incidents = Finding(KIND_INCIDENTS, f"{base}/api/v2/incidents.json", f"Status page incident history ({host})")
    data = fetch_json(incidents, fetcher, Request(incidents.url, accept="application/json"), LIMITS)
    if data is not None:
        items = get(data, "incidents", kind=list)
        if items is None:
            incidents.problem("no `incidents` list")
            items = []
        created, real_recent, all_timestamped, postmortems, resolved = [], False, True, 0, 0
        for item in items[:500]:
            when = timestamp(get(item, "created_at"))
            if when is None:
                incidents.problem("an incident without a valid created_at")
                all_timestamped = False
                continue
            created.append(when)
            if get(item, "status", kind=str) in ("resolved", "postmortem", "completed"):
                resolved += 1
            updates = get(item, "incident_updates", kind=list) or []
            if not updates or any(timestamp(get(u, "created_at")) is None for u in updates):
                all_timestamped = False
            postmortems += sum(1 for u in updates if get(u, "status", kind=str) == "postmortem")
            if get(item, "impact", kind=str) != "maintenance" and (today - when.date()).days <= 365:
                real_recent = True
        incidents.fact("incidents listed", str(len(items)))
        if created:
            incidents.fact("oldest listed", min(created).date().isoformat())
            incidents.fact("newest listed", max(created).date().isoformat())
            incidents.fact("updates marked postmortem", str(postmortems))
            if (today - min(created).date()).days >= 90:
                incidents.signals.add("history-90-days")
        if resolved and all_timestamped:
            incidents.signals.add("timestamped-updates")
        if real_recent:
            incidents.signals.add("incident-12-months")
    return [summary, incidents]
