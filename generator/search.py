"""Search: what the site search finds on generated pages, written as data, not parsed from HTML.

Material's search plugin parses the HTML of every page it indexes (half of a large build) and
indexes every word on it, source titles and badge snippets included. Generated pages are
therefore kept out of the plugin (`search: exclude: true` in their front matter) and described
here instead, from the data: provider names and summaries, one entry per claim (criterion title
and level), criterion titles and questions, and the title and description of the other
generated pages. The entries go to `search/data_index.json`; `assets/search-defer.js` merges
them with the plugin's index when a reader first opens search. Hand-written pages stay in the
plugin's index.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

import yaml

from . import score
from .check import Dataset

DATA_INDEX = "search/data_index.json"

# Generated pages whose HTML the search plugin does not parse (their entries come from here).
EXCLUDED = re.compile(r"^(index|matrix|providers/[^/]+|criteria/[^/]+)\.md$")
_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_H1 = re.compile(r"^# (.+)$", re.M)


def is_excluded(path: str) -> bool:
    return bool(EXCLUDED.match(path))


def exclude_from_plugin(pages: dict[str, str]) -> dict[str, str]:
    """Add `search: {exclude: true}` to the front matter of every page this module indexes itself."""
    out = {}
    for path, text in pages.items():
        if is_excluded(path):
            match = _FRONT.match(text)
            if match:
                text = f"---\n{match.group(1)}search:\n  exclude: true\n---\n" + text[match.end() :]
            else:
                text = "---\nsearch:\n  exclude: true\n---\n" + text
        out[path] = text
    return out


def _url(path: str) -> str:
    """Page URL as MkDocs writes it with `use_directory_urls` (what the plugin uses as location)."""
    stem = path[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _entry(location: str, title: str, text: str) -> dict[str, str]:
    # Material inserts title and text as HTML: escape them as its own plugin does.
    return {"location": location, "title": html.escape(title, quote=False), "text": html.escape(text, quote=False)}


def _page_entry(path: str, text: str) -> dict[str, str]:
    match = _FRONT.match(text)
    meta = (yaml.safe_load(match.group(1)) if match else None) or {}
    h1 = _H1.search(text)
    title = str(meta.get("title") or (h1.group(1).strip() if h1 else path))
    # Front matter values arrive HTML-escaped (safe.py); unescape once so they are escaped exactly once.
    return _entry(_url(path), html.unescape(title), html.unescape(str(meta.get("description") or "")))


def entries(pages: dict[str, str], dataset: Dataset, scores: dict[str, score.ProviderScore]) -> Iterable[dict[str, str]]:
    from .registry import KIND_LABEL, LEVEL

    for path, text in pages.items():
        if not is_excluded(path):
            continue
        pid = path[len("providers/") : -3] if path.startswith("providers/") else None
        cid = path[len("criteria/") : -3] if path.startswith("criteria/") else None
        if cid in dataset.criteria:
            yield _entry(_url(path), dataset.criteria[cid].title, dataset.criteria[cid].question)
        elif pid in scores:
            ps = scores[pid]
            location = _url(path)
            gone = ps.provider.discontinued
            status = f"Discontinued since {gone.since.isoformat()}. " if gone else ""
            yield _entry(location, ps.provider.name, f"{KIND_LABEL[ps.provider.kind.value]}. {status}{ps.provider.summary}")
            for claim in ps.claims:
                label = LEVEL[claim.level].label + (" (stale)" if claim.stale else "")
                yield _entry(f"{location}#{claim.criterion.id}", claim.criterion.title, f"{ps.provider.name}: {label}")
        else:
            yield _page_entry(path, text)


def data_index(pages: dict[str, str], dataset: Dataset, scores: dict[str, score.ProviderScore]) -> bytes:
    """`search/data_index.json`: {"docs": [...]} in Material's index format, in page order."""
    docs = list(entries(pages, dataset, scores))
    return (json.dumps({"docs": docs}, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
