"""CSAF 2.0 provider metadata: `https://<domain>/.well-known/csaf/provider-metadata.json`
(OASIS CSAF 2.0, section 7.1.7): publisher, role and the distributions (directory or ROLIE
feeds) where machine-readable advisories are published.

Signals: provider-metadata (metadata_version 2.0, a CSAF role, a named publisher and at least
one https distribution).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from .base import Finding, fetch_json, get
from .fetch import Fetcher, Limits, Request

KIND = "csaf"
SIGNALS = {"provider-metadata"}
LIMITS = Limits(max_bytes=256 * 1024)
PATH = "/.well-known/csaf/provider-metadata.json"
ROLES = {"csaf_publisher", "csaf_provider", "csaf_trusted_provider"}


def collect(origin: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    url = origin.rstrip("/") + PATH
    host = urlsplit(url).hostname or ""
    finding = Finding(KIND, url, f"CSAF provider metadata of {host}")
    data = fetch_json(finding, fetcher, Request(url, accept="application/json"), LIMITS)
    if data is None:
        return [finding]
    version = get(data, "metadata_version", kind=str)
    role = get(data, "role", kind=str)
    publisher = get(data, "publisher", "name", kind=str)
    finding.fact("publisher", publisher or "(none)")
    finding.fact("role", role or "(none)")
    feeds = []
    for dist in get(data, "distributions", kind=list) or []:
        directory = get(dist, "directory_url", kind=str)
        if directory:
            feeds.append(directory)
        feeds.extend(get(f, "url", kind=str) or "" for f in get(dist, "rolie", "feeds", kind=list) or [])
    good = [f for f in feeds if f.startswith("https://")]
    for feed in feeds[:5]:
        finding.fact("distribution", feed)
    if version != "2.0":
        finding.problem("metadata_version is not 2.0", version or "")
    elif role not in ROLES:
        finding.problem("not a CSAF role", role or "")
    elif not publisher:
        finding.problem("no publisher name")
    elif not good:
        finding.problem("no https distribution (directory_url or ROLIE feed)")
    else:
        finding.signals.add("provider-metadata")
    last = get(data, "last_updated", kind=str)
    if last:
        finding.fact("last_updated", last)
    return [finding]
