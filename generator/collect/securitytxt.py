"""security.txt (RFC 9116) at https://<origin>/.well-known/security.txt.

Parsing follows RFC 9116 section 2 and 4: one `Field: value` per line, `#` comments, field
names case-insensitive; an OpenPGP cleartext signature is unwrapped (not verified: the
signature only says who signed, and the report says it was not checked). Fields of the IANA
registry are recognised (Acknowledgments, Canonical, Contact, CSAF, Encryption, Expires,
Hiring, Policy, Preferred-Languages, Bug-Bounty); others are listed as unknown.

Signals (their meaning and what they prove: data/collect/checks.yaml):
served, contact-security, expires-future, expires-past, expires-missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .base import Finding, fetch_into
from .fetch import Fetcher, Limits, Request

KIND = "security-txt"
SIGNALS = {"served", "contact-security", "expires-future", "expires-past", "expires-missing"}
LIMITS = Limits(max_bytes=32 * 1024)
PATH = "/.well-known/security.txt"

KNOWN = {"acknowledgments", "canonical", "contact", "csaf", "encryption", "expires", "hiring", "policy", "preferred-languages", "bug-bounty"}
ONCE = {"expires", "preferred-languages"}
_FIELD = re.compile(r"^([A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(.*)$")
# A Contact counts as a security-specific channel when its mailbox says so (security@, psirt@ ...)
# or it is a vulnerability-intake platform. Anything else (a web form, a phone number) is left to a person.
_SECURITY_WORDS = re.compile(r"secur|vuln|psirt|cert\b|disclos|bug-?bounty|responsible", re.I)
_PLATFORMS = ("hackerone.com", "bugcrowd.com", "intigriti.com", "yeswehack.com")


@dataclass
class SecurityTxt:
    fields: dict[str, list[str]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (message, offending line)
    signed: bool = False

    def values(self, name: str) -> list[str]:
        return self.fields.get(name, [])


def _unwrap_signed(lines: list[str]) -> tuple[list[str], bool]:
    if not lines or lines[0].strip() != "-----BEGIN PGP SIGNED MESSAGE-----":
        return lines, False
    body, i = [], 1
    while i < len(lines) and lines[i].strip():  # armor headers ("Hash: SHA256") end at a blank line
        i += 1
    for line in lines[i + 1 :]:
        if line.strip() == "-----BEGIN PGP SIGNATURE-----":
            break
        body.append(line[2:] if line.startswith("- ") else line)  # dash-escaping (RFC 4880 7.1)
    return body, True


def parse(text: str) -> SecurityTxt:
    result = SecurityTxt()
    lines, result.signed = _unwrap_signed(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _FIELD.match(stripped)
        if not match:
            result.errors.append((f"line {number} is not a `Field: value` line", stripped))
            continue
        name, value = match.group(1).lower(), match.group(2).strip()
        if not value:
            result.errors.append((f"line {number}: field without a value", name))
            continue
        result.fields.setdefault(name, []).append(value)
    for name in ONCE:
        if len(result.values(name)) > 1:
            result.errors.append((f"{name} appears {len(result.values(name))} times; RFC 9116 allows it once", ""))
    return result


def expires(value: str) -> dt.datetime | None:
    """An RFC 3339 date-time (RFC 9116 2.5.5), or None if it is not one."""
    if not re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$", value):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def contact_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme == "mailto":
        return None if "@" in parts.path else "mailto: without an address"
    if parts.scheme == "tel":
        return None
    if parts.scheme == "https":
        return None if parts.hostname else "https URL without a host"
    return "Contact must be a mailto:, tel: or https:// URI"


def is_security_contact(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme == "mailto":
        return bool(_SECURITY_WORDS.search(parts.path.split("@", 1)[0]))
    if parts.scheme == "https" and parts.hostname:  # a web page is a channel only on an intake platform
        host = parts.hostname.lower()
        return any(host == p or host.endswith("." + p) for p in _PLATFORMS)
    return False


def collect(origin: str, fetcher: Fetcher, today: dt.date) -> list[Finding]:
    url = origin.rstrip("/") + PATH
    host = urlsplit(url).hostname or ""
    finding = fetch_into(Finding(KIND, url, f"security.txt of {host}"), fetcher, Request(url, accept="text/plain"), LIMITS)
    response = finding.response
    if response is None:
        return [finding]
    if response.status != 200:
        finding.problem(f"HTTP {response.status}")
        return [finding]
    if not response.content_type.lower().startswith("text/plain"):
        finding.problem("not served as text/plain (RFC 9116 requires it)", response.content_type)
    try:
        text = response.body.decode("utf-8")
    except UnicodeDecodeError:
        finding.problem("not UTF-8 text")
        return [finding]
    parsed = parse(text)
    for message, detail in parsed.errors[:10]:
        finding.problem(message, detail)
    if len(parsed.errors) > 10:
        finding.problem(f"{len(parsed.errors) - 10} more malformed lines")
    if parsed.signed:
        finding.fact("OpenPGP cleartext signature", "present (not verified)")
    unknown = sorted(set(parsed.fields) - KNOWN)
    if unknown:
        finding.fact("fields outside the IANA registry", ", ".join(unknown))
    contacts = parsed.values("contact")
    usable = []
    for value in contacts:
        problem = contact_problem(value)
        if problem:
            finding.problem(problem, value)
        else:
            usable.append(value)
        finding.fact("Contact", value)
    for name, label in (
        ("policy", "Policy"),
        ("encryption", "Encryption"),
        ("canonical", "Canonical"),
        ("csaf", "CSAF"),
        ("bug-bounty", "Bug-Bounty"),
        ("acknowledgments", "Acknowledgments"),
        ("hiring", "Hiring"),
        ("preferred-languages", "Preferred-Languages"),
    ):
        for value in parsed.values(name)[:5]:
            finding.fact(label, value)
    canonical = parsed.values("canonical")
    if canonical and url not in canonical and response.final_url not in canonical:
        finding.problem("no Canonical field names the URL it was fetched from")
    html_like = text.lstrip()[:1] == "<"
    if usable and not html_like and not parsed.errors:
        finding.signals.add("served")
    elif not usable:
        finding.problem("no usable Contact field (RFC 9116 requires one)")
    if any(is_security_contact(v) for v in usable):
        finding.signals.add("contact-security")
    stamps = parsed.values("expires")
    if not stamps:
        if "served" in finding.signals or usable:
            finding.signals.add("expires-missing")
        finding.problem("no Expires field (RFC 9116 requires one)")
    else:
        when = expires(stamps[0])
        finding.fact("Expires", stamps[0])
        if when is None:
            finding.problem("Expires is not an RFC 3339 date-time", stamps[0])
        elif when.astimezone(dt.UTC).date() <= today:  # judged by date so a run is reproducible
            finding.signals.add("expires-past")
            finding.problem(f"expired (Expires {when.astimezone(dt.UTC).date().isoformat()} is not after {today.isoformat()})")
        else:
            finding.signals.add("expires-future")
            if (when.date() - today).days > 366:
                finding.problem("Expires is more than a year ahead (RFC 9116 recommends less)")
    return [finding]
