"""Bug-bounty directories: arkadiyt/bounty-targets-data (hourly JSON of HackerOne, Bugcrowd,
Intigriti and YesWeHack programmes, MIT) and disclose.io's diodb (`program-list.json`, CC0,
with safe-harbour flags). Each directory file is fetched once per run and searched locally.

Signals (bounty-targets): listed, pays (the directory marks the programme as paying
bounties), scope-published (targets in scope are listed).
Signals (diodb): listed, safe-harbour-full (diodb marks the policy's safe harbour "full").
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request

KIND_TARGETS = "bounty-targets"
KIND_DIODB = "diodb"
SIGNALS = {KIND_TARGETS: {"listed", "pays", "scope-published"}, KIND_DIODB: {"listed", "safe-harbour-full"}}
TARGETS_BASE = "https://raw.githubusercontent.com/arkadiyt/bounty-targets-data/main/data/"
DIODB_URL = "https://raw.githubusercontent.com/disclose/diodb/master/program-list.json"
LIMITS = Limits(max_bytes=96 * 1024 * 1024, deadline=120.0)
PLATFORMS = {"hackerone.com": "hackerone", "bugcrowd.com": "bugcrowd", "intigriti.com": "intigriti", "yeswehack.com": "yeswehack"}


def _platform(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return next((name for domain, name in PLATFORMS.items() if host == domain or host.endswith("." + domain)), None)


def _norm(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{(parts.hostname or '').lower().removeprefix('www.')}{parts.path.rstrip('/').lower()}"


def _matches(record: dict[str, Any], platform: str, programme: str) -> bool:
    url = get(record, "url", kind=str)
    if url and _norm(url) == _norm(programme):
        return True
    last = urlsplit(programme).path.rstrip("/").rsplit("/", 1)[-1].lower()
    keys = {"hackerone": "handle", "intigriti": "handle", "yeswehack": "id"}
    key = keys.get(platform)
    return bool(key and last and str(get(record, key) or "").lower() == last)


def _amount(value: Any) -> float:
    if isinstance(value, dict):
        value = value.get("value")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def targets(programme: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    platform = _platform(programme)
    if platform is None:
        finding = Finding(KIND_TARGETS, TARGETS_BASE, "bounty-targets-data")
        finding.problem("programme URL is not on HackerOne, Bugcrowd, Intigriti or YesWeHack", programme)
        return [finding]
    url = f"{TARGETS_BASE}{platform}_data.json"
    finding = Finding(KIND_TARGETS, url, f"bounty-targets-data: {platform} programmes")
    data = fetch_json(finding, fetcher, Request(url, accept="application/json"), LIMITS, list, "a list of programmes")
    if data is None:
        return [finding]
    record = next((r for r in data if isinstance(r, dict) and _matches(r, platform, programme)), None)
    finding.fact("programme", programme)
    if record is None:
        finding.problem("programme not listed in the directory (it may be private or renamed)")
        return [finding]
    finding.signals.add("listed")
    finding.fact("listed as", get(record, "name", kind=str) or "(no name)")
    if platform == "hackerone":
        pays = get(record, "offers_bounties") is True
        state = get(record, "submission_state", kind=str)
        if state:
            finding.fact("submission state", state)
    elif platform == "bugcrowd":
        pays = _amount(get(record, "max_payout")) > 0
        if get(record, "safe_harbor", kind=str):
            finding.fact("safe harbour (Bugcrowd)", get(record, "safe_harbor", kind=str))
    else:
        pays = _amount(get(record, "max_bounty")) > 0
    finding.fact("pays bounties", "yes" if pays else "not marked")
    if pays:
        finding.signals.add("pays")
    in_scope = get(record, "targets", "in_scope", kind=list) or []
    finding.fact("targets in scope", str(len(in_scope)))
    if in_scope:
        finding.signals.add("scope-published")
    return [finding]


def diodb(program: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    finding = Finding(KIND_DIODB, DIODB_URL, "disclose.io diodb programme list")
    data = fetch_json(finding, fetcher, Request(DIODB_URL, accept="application/json"), LIMITS, list, "a list of programmes")
    if data is None:
        return [finding]
    wanted = program.strip().lower()
    record = next(
        (
            r
            for r in data
            if isinstance(r, dict)
            and (
                str(get(r, "program_name") or "").strip().lower() == wanted
                or (wanted.startswith("https://") and _norm(str(get(r, "policy_url") or "")) == _norm(program))
            )
        ),
        None,
    )
    finding.fact("programme", program)
    if record is None:
        finding.problem("programme not listed in diodb")
        return [finding]
    finding.signals.add("listed")
    for key in ("policy_url", "contact_url", "safe_harbor", "offers_bounty", "bug_bounty", "public_disclosure"):
        value = get(record, key)
        if value not in (None, ""):
            finding.fact(key, value)
    if str(get(record, "safe_harbor") or "").lower() == "full":
        finding.signals.add("safe-harbour-full")
    return [finding]
