"""OpenSSF Security Insights (`SECURITY-INSIGHTS.yml`, v2 and v1): how a project takes
vulnerability reports, and which security assessments it lists. The YAML is read with the
project's strict loader (no anchors, aliases, tags or duplicate keys), so a hostile file
cannot expand or smuggle values.

Signals: reporting-contact (reports are accepted and a contact e-mail address is given).
"""

from __future__ import annotations

import datetime as dt
import re

from ..load import load_text
from .base import Finding, fetch_into, get
from .fetch import Fetcher, Limits, Request

KIND = "security-insights"
SIGNALS = {"reporting-contact"}
LIMITS = Limits(max_bytes=256 * 1024)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def collect(url: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    finding = fetch_into(Finding(KIND, url, "OpenSSF Security Insights file"), fetcher, Request(url, accept="text/plain"), LIMITS)
    response = finding.response
    if response is None:
        return [finding]
    if response.status != 200:
        finding.problem(f"HTTP {response.status}")
        return [finding]
    doc, problems = load_text("SECURITY-INSIGHTS.yml", response.body)
    if doc is None:
        for p in problems[:3]:
            finding.problem(f"not acceptable YAML (line {p.line})", p.message)
        return [finding]
    data = doc.data
    version = str(get(data, "header", "schema-version") or "")
    finding.fact("schema-version", version or "(none)")
    if version.startswith("2."):
        vr = get(data, "project", "vulnerability-reporting", kind=dict) or {}
        accepted = get(vr, "reports-accepted") is True
        email = get(vr, "contact", "email", kind=str)
        policy = get(vr, "security-policy", kind=str)
        bounty = get(vr, "bug-bounty-available")
        for a in get(data, "repository", "security", "assessments", "third-party", kind=list) or []:
            finding.fact("third-party assessment", f"{get(a, 'name', kind=str) or '?'} {get(a, 'date') or ''} {get(a, 'evidence', kind=str) or ''}")
    elif version.startswith("1."):
        vr = get(data, "vulnerability-reporting", kind=dict) or {}
        accepted = get(vr, "accepts-vulnerability-reports") is True
        email = get(vr, "email-contact", kind=str)
        policy = get(vr, "security-policy", kind=str)
        bounty = get(vr, "bug-bounty-available")
    else:
        finding.problem("unknown schema-version", version)
        return [finding]
    finding.fact("reports accepted", "yes" if accepted else "no or not stated")
    if email:
        finding.fact("contact e-mail", email)
    if policy:
        finding.fact("security policy", policy)
    if bounty is not None:
        finding.fact("bug bounty available", str(bounty))
    if accepted and email and _EMAIL.match(email):
        finding.signals.add("reporting-contact")
    elif accepted:
        finding.problem("reports accepted but no valid contact e-mail")
    return [finding]
