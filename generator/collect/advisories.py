"""Security advisories: a repository's published GitHub Security Advisories (REST API
`/repos/{owner}/{repo}/security-advisories`) and OSV.dev records for a package
(`POST https://api.osv.dev/v1/query`, OSV schema). GitHub advisory data is CC BY 4.0.

Signals: advisories-published (GitHub only: the repository publishes advisories);
recent-advisories (at least one in the last 24 months names a fixed version); recent-cve-ids, recent-severity,
recent-versions (every advisory of the last 24 months carries a CVE id / a severity /
affected and fixed versions).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request
from .statuspage import timestamp

KIND_GITHUB = "github-advisories"
KIND_OSV = "osv"
SIGNALS = {
    KIND_GITHUB: {"advisories-published", "recent-advisories", "recent-cve-ids", "recent-severity", "recent-versions"},
    KIND_OSV: {"recent-advisories", "recent-cve-ids", "recent-severity", "recent-versions"},
}
LIMITS = Limits(max_bytes=8 * 1024 * 1024)
RECENT_DAYS = 730
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_SEVERITIES = {"critical", "high", "moderate", "medium", "low"}


def _judge(finding: Finding, records: list[dict[str, Any]], today: dt.date) -> None:
    """records: [{id, published: date|None, cve: bool, severity: bool, versions: bool}]"""
    recent = [r for r in records if r["published"] and (today - r["published"]).days <= RECENT_DAYS]
    finding.fact("advisories", f"{len(records)} listed, {len(recent)} published in the last 24 months")
    for r in sorted(recent, key=lambda r: r["published"], reverse=True)[:8]:
        finding.fact(f"advisory {r['published'].isoformat()}", r["id"])
    if not recent:
        return
    if any(r["versions"] for r in recent):  # documents a vulnerability that was fixed
        finding.signals.add("recent-advisories")
    for flag, signal, label in (
        ("cve", "recent-cve-ids", "without a CVE id"),
        ("severity", "recent-severity", "without a severity"),
        ("versions", "recent-versions", "without affected and fixed versions"),
    ):
        missing = [r["id"] for r in recent if not r[flag]]
        if missing:
            finding.problem(f"{len(missing)} recent advisories {label}", ", ".join(missing[:5]))
        else:
            finding.signals.add(signal)


def github(repo: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    if not _REPO.match(repo):
        finding = Finding(KIND_GITHUB, "https://api.github.com/", f"GitHub security advisories of {repo}")
        finding.problem("not an owner/name repository id", repo)
        return [finding]
    url = f"https://api.github.com/repos/{repo}/security-advisories?state=published&per_page=100"
    finding = Finding(KIND_GITHUB, url, f"GitHub security advisories of {repo}")
    data = fetch_json(finding, fetcher, Request(url, accept="application/vnd.github+json"), LIMITS, list, "a list of advisories")
    if data is None:
        return [finding]
    records = []
    for item in data[:1000]:
        ghsa = get(item, "ghsa_id", kind=str)
        if not ghsa or get(item, "withdrawn_at") or get(item, "state", kind=str) not in (None, "published"):
            continue
        published = timestamp(get(item, "published_at"))
        vulns = [v for v in get(item, "vulnerabilities", kind=list) or [] if isinstance(v, dict)]
        records.append(
            {
                "id": ghsa,
                "published": published.date() if published else None,
                "cve": bool(_CVE.match(get(item, "cve_id", kind=str) or "")),
                "severity": (get(item, "severity", kind=str) or "").lower() in _SEVERITIES,
                "versions": bool(vulns) and all(get(v, "vulnerable_version_range", kind=str) and get(v, "patched_versions", kind=str) for v in vulns),
            }
        )
    if records:
        finding.signals.add("advisories-published")
    _judge(finding, records, today)
    return [finding]


def osv(ecosystem: str, name: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    url = "https://api.osv.dev/v1/query"
    query = {"package": {"ecosystem": ecosystem, "name": name}}
    finding = Finding(KIND_OSV, url, f"OSV.dev vulnerability records for {ecosystem} package {name}")
    data = fetch_json(finding, fetcher, Request(url, method="POST", json_body=query, accept="application/json"), LIMITS)
    if data is None:
        return [finding]
    vulns = get(data, "vulns", kind=list)
    if vulns is None:
        vulns = [] if isinstance(data, dict) and not data else None
    if vulns is None:
        finding.problem("no `vulns` list")
        return [finding]
    if get(data, "next_page_token", kind=str):
        finding.problem("more records than one page; only the first page was read")
    records = []
    for item in vulns[:2000]:
        vid = get(item, "id", kind=str)
        if not vid or get(item, "withdrawn"):
            continue
        published = timestamp(get(item, "published"))
        aliases = [a for a in get(item, "aliases", kind=list) or [] if isinstance(a, str)]
        severity = bool(get(item, "severity", kind=list)) or (get(item, "database_specific", "severity", kind=str) or "").lower() in _SEVERITIES
        affected = [a for a in get(item, "affected", kind=list) or [] if isinstance(a, dict)]
        fixed = any(
            isinstance(e, dict) and "fixed" in e
            for a in affected
            for r in get(a, "ranges", kind=list) or []
            for e in get(r, "events", kind=list) or []
        )
        records.append(
            {
                "id": vid,
                "published": published.date() if published else None,
                "cve": any(_CVE.match(a) for a in aliases) or bool(_CVE.match(vid)),
                "severity": severity,
                "versions": bool(affected) and fixed,
            }
        )
    _judge(finding, records, today)
    return [finding]
