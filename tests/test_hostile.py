"""The hostile-input corpus, built: every output stays inert (issue 10, findings 1-4 and 11).

One build of tests/hostile.py's project serves all output checks; rejections (values that must
not validate) are in test_hostile_rejects.py.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import xml.dom.minidom
from pathlib import Path

import pytest

from generator import build, safe

from .conftest import AS_OF
from .hostile import CRITERION_QUESTION, CRITERION_TITLE, NAMES, hostile_project, live_markup, parse

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("hostile"))
    build.build(build.Settings(root, AS_OF), root / "site")
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_corpus_builds_every_page_type(corpus_site):
    for key in NAMES:
        assert (corpus_site / f"providers/hostile-{key}/index.html").is_file()
    assert (corpus_site / "criteria/de-monitoring/index.html").is_file()


def test_no_live_markup_on_any_page(corpus_site):
    """Finding 1 and 2: names, criterion titles/questions and framework text are inert everywhere
    (title, meta description, Open Graph, header, headings, tables, attr_list, links)."""
    found = {p.relative_to(corpus_site).as_posix(): live for p in _pages(corpus_site) if (live := live_markup(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_names_still_read_correctly(corpus_site):
    """Escaping, not deletion: the reader sees the provider's name as written."""
    page = (corpus_site / "providers/hostile-attribute-break/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("Acme Chat&quot;&gt;&lt;img src=x onerror=alert(document.domain)&gt;")
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert description.startswith("Acme Chat&quot;&gt;&lt;img")
    crit = (corpus_site / "criteria/de-monitoring/index.html").read_text(encoding="utf-8")
    assert "<title>" + str(safe.front_matter(CRITERION_TITLE))[1:-1] + " - " in crit
    assert 'content="' + str(safe.front_matter(CRITERION_QUESTION))[1:-1] + '"' in crit


def test_a_discontinued_providers_name_and_note_read_as_written(corpus_site):
    """The home page names a discontinued provider in Markdown (a link under its kind's table); its page
    prints the note (prose) and its successor's name: escaped, not deleted, nothing live."""
    home = (corpus_site / "index.html").read_text(encoding="utf-8")
    assert "Not ranked (discontinued; each keeps its page and evidence): " in home
    assert '<a href="providers/hostile-attr-list/">Delta {: tabindex=0 autofocus onfocus=alert(4) }</a>' in home
    page = (corpus_site / "providers/hostile-attr-list/index.html").read_text(encoding="utf-8")
    assert 'Successor: <a href="../hostile-attribute-break/">Acme Chat&#34;&gt;&lt;img src=x onerror=alert(document.domain)&gt;</a>' in page
    assert "click me</a>" in page and live_markup(page) == []  # the note's HTML is cleaned, its link text kept


def test_search_index_titles_and_text_are_inert_html(corpus_site):
    """Material's search UI inserts result titles and text as HTML. The reader's browser merges the
    theme's index with the generated one (search/data_index.json, see assets/search-defer.js)."""
    docs = [
        d
        for name in ("search_index.json", "data_index.json")
        for d in json.loads((corpus_site / "search" / name).read_text(encoding="utf-8"))["docs"]
    ]
    live = [(d["location"], found) for d in docs for found in [live_markup(d["title"]) + live_markup(d["text"])] if found]
    assert live == []
    titles = {d["title"] for d in docs}
    assert any("Acme Chat" in t for t in titles)


def test_csp_is_first_in_head_and_allows_only_hashed_inline_scripts(corpus_site):
    """Finding 3: the policy is the first element of <head>, script-src has no 'unsafe-inline', and
    every inline script on every page is allowed by a hash (and none of them carries data)."""
    scripts: set[str] = set()
    for path in _pages(corpus_site):
        text = path.read_text(encoding="utf-8")
        head = text.split("<head>", 1)[1].lstrip()
        assert head.startswith('<meta http-equiv="Content-Security-Policy"'), path
        assert text.index('<meta charset="utf-8">') < 1024, path  # charset still in the first 1024 bytes
        policy = dict((d.strip().split(" ", 1) + [""])[:2] for d in CSP.search(text).group(1).split(";"))
        scripts_allowed = policy.get("script-src", policy["default-src"])
        assert "'unsafe-inline'" not in scripts_allowed and "'unsafe-eval'" not in scripts_allowed
        assert policy["object-src"] == "'none'" and policy["base-uri"] in ("'self'", "'none'")
        for body in parse(text).inline_scripts:
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            assert digest in scripts_allowed.split(), (path, body[:80])
            scripts.add(body)
    assert 1 <= len(scripts) <= 2  # Material's constant palette and content scripts


def test_csv_cells_cannot_start_a_formula(corpus_site):
    """Finding 4 (OWASP CSV injection): no cell starts with = + - @ tab or CR."""
    rows = list(csv.reader(io.StringIO((corpus_site / "downloads/scorecard.csv").read_text(encoding="utf-8"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


def test_feeds_badges_and_redirects_are_well_formed_and_inert(corpus_site):
    for path in [*corpus_site.glob("badges/*.svg"), *corpus_site.rglob("feeds/**/*.xml")]:
        xml.dom.minidom.parse(str(path))  # well-formed XML
        assert live_markup(path.read_text(encoding="utf-8")) == [], path


def test_prose_links_stay_on_https(corpus_site):
    """Finding 11: protocol-relative links (//host, /\\host) in prose are dropped."""
    page = (corpus_site / "providers/hostile-attribute-break/index.html").read_text(encoding="utf-8")
    assert 'href="//' not in page and 'href="/\\' not in page


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"])
def test_csv_cell_encoder(value):
    assert safe.csv_cell(value) == "'" + value
    assert safe.csv_cell("Signal") == "Signal" and safe.csv_cell(50) == "50" and safe.csv_cell(None) == ""
