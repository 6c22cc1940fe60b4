"""Report: the weekly evidence check — stale evidence and (optionally) dead source links.

Freshness follows the scoring rules (a claim whose evidence date is older than its criterion's
window, or that has met requirements without a dated source, is stale and counts half);
evidence approaching its window ("due soon") is listed too, so curators can act before a
score drops. The link check makes one request per distinct URL with a timeout and bounded
concurrency. It requests only https:// URLs whose host name resolves to public addresses, and
follows a redirect only to such a URL: a source (or a page it redirects to) can never make the
weekly job request a private, loopback or link-local address, or plain http.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO
from urllib.parse import urlsplit

from . import rules, score
from .check import Dataset

DUE_SOON_MONTHS = 2
USER_AGENT = "MessengerDefenseScorecard-linkcheck/1.0 (+weekly evidence check)"


@dataclass(frozen=True)
class Stale:
    provider: str
    criterion: str
    evidence_date: dt.date | None
    window_months: int
    stale: bool  # False: due soon


def freshness(dataset: Dataset, as_of: dt.date) -> list[Stale]:
    out = []
    for pid, provider in dataset.providers.items():
        for a in provider.assessments:
            crit = dataset.criteria.get(a.criterion)
            if crit is None:
                continue
            claim = score.claim_for(crit, a, as_of)
            if claim.stale:
                out.append(Stale(pid, crit.id, claim.evidence_date, crit.freshness_months, True))
            elif claim.evidence_date and score.is_stale(claim.evidence_date, claim.met > 0, crit, as_of, margin_months=DUE_SOON_MONTHS):
                out.append(Stale(pid, crit.id, claim.evidence_date, crit.freshness_months, False))
    return out


_resolve = socket.getaddrinfo  # replaced in tests


def refused(url: str) -> str | None:
    """Why the link check must not request `url`, or None: only https:// URLs that pass the data
    rules (no IP-address hosts, ports or user info) and whose host resolves to public addresses."""
    problem = rules.url_problem(url, allow_mailto=False)
    if problem:
        return problem
    host = urlsplit(url).hostname or ""
    try:
        addresses = {str(info[4][0]) for info in _resolve(host, 443, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return None  # unresolvable: the request fails on its own and is reported as unreachable
    private = sorted(a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global)
    return f"host resolves to a non-public address ({', '.join(private)})" if private else None


class _PublicHttpsRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a public https:// URL (urllib would follow https -> http and to 127.0.0.1)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        why = refused(newurl)
        if why:
            raise urllib.error.HTTPError(newurl, code, f"redirect refused: {why}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_PublicHttpsRedirects)


def check_url(url: str, timeout: float = 20.0, guard: Callable[[str], str | None] = refused) -> str | None:
    """None if the URL answers with a success status, else a short reason. `guard` decides which
    URLs may be requested at all (tests against a loopback server replace it)."""
    why = guard(url)
    if why:
        return f"not requested: {why}"
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with _opener.open(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
                reason = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            if str(exc.msg).startswith("redirect refused"):
                return str(exc.msg)
            reason = f"HTTP {exc.code}"
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = f"unreachable ({getattr(exc, 'reason', exc)})"
        if method == "GET" or not reason.startswith("HTTP"):
            return reason
    return reason


def dead_links(urls: list[str], check: Callable[[str], str | None] = check_url, workers: int = 8) -> dict[str, str]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(check, urls), strict=True))
    return {url: why for url, why in sorted(results.items()) if why}


def source_urls(dataset: Dataset) -> dict[str, list[str]]:
    """Each distinct source URL and the claims (provider#criterion) citing it."""
    where: dict[str, list[str]] = {}
    for pid, provider in dataset.providers.items():
        for a in provider.assessments:
            for s in a.sources:
                where.setdefault(s.url, []).append(f"{pid}#{a.criterion}")
    return dict(sorted(where.items()))


def _dated(s: Stale) -> str:
    return f"evidence dated {s.evidence_date}" if s.evidence_date else "no dated source behind its met requirements"


def markdown(dataset: Dataset, as_of: dt.date, dead: dict[str, str] | None) -> str:
    items = freshness(dataset, as_of)
    lines = [f"# Evidence check, as of {as_of.isoformat()}", ""]
    stale = [s for s in items if s.stale]
    due = [s for s in items if not s.stale]
    lines += [
        f"## Stale evidence ({len(stale)})",
        "",
        "Evidence dated longer ago than its criterion's window (or met requirements without a dated source) counts half until re-checked.",
        "",
    ]
    lines += [f"- `{s.provider}` / `{s.criterion}`: {_dated(s)}, window {s.window_months} months" for s in stale] or ["None."]
    lines += ["", f"## Due for re-checking within {DUE_SOON_MONTHS} months ({len(due)})", ""]
    lines += [f"- `{s.provider}` / `{s.criterion}`: {_dated(s)}, window {s.window_months} months" for s in due] or ["None."]
    if dead is not None:
        cited = source_urls(dataset)
        lines += ["", f"## Dead or unreachable source links ({len(dead)} of {len(cited)})", ""]
        # URLs as autolinks: validated (no spaces, no < > " `), so they cannot add Markdown to the tracking issue.
        lines += [f"- <{url}> — {why}; cited by {', '.join(cited[url])}" for url, why in dead.items()] or ["None."]
    return "\n".join(lines) + "\n"
