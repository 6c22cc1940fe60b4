"""Issue 13, "answer first": what a first-time reader sees, in a real browser.

The real data is built once at a fixed as-of date (the newest date in data/, so the same for a
commit and never before any evidence added later); every expected order, rank and name is read
from the scored data (generator.standing), never written into the test.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import shutil
import threading

import pytest

from generator import build, score, standing
from generator.check import check_tree

from .conftest import ROOT
from .test_browser import AXE_TAGS, CHROMIUM, _Quiet, browser  # noqa: F401  (shared fixture and skip rule)

pytestmark = pytest.mark.browser


def _newest_data_date() -> dt.date:
    text = "\n".join(p.read_text() for p in sorted((ROOT / "data/providers").glob("*.yaml")))
    found = re.findall(r"^\s*(?:reviewed|second_review|accessed|seen_current|published): (\d{4}-\d{2}-\d{2})\s*$", text, re.M)
    return max(dt.date.fromisoformat(d) for d in found)


AS_OF = _newest_data_date()


@pytest.fixture(scope="module")
def scored():
    dataset, problems = check_tree(ROOT, AS_OF)
    assert not problems
    dataset = dataset.published()  # the site leaves draft providers out
    return dataset, score.score_all(dataset, AS_OF)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> str:
    work = tmp_path_factory.mktemp("reader")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    for folder in ("data", "docs", "overrides"):
        shutil.copytree(ROOT / folder, work / folder)
    build.build(build.Settings(work, AS_OF), work / "site")
    handler = functools.partial(_Quiet, directory=str(work / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _page(browser, width=1280, scheme="light", js=True):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, java_script_enabled=js)
    return context, context.new_page()


# Filter alignment: every visible cell sits under the column of its own criterion.

_ALIGNMENT = """table => {
  const heads = [...table.tHead.rows[table.tHead.rows.length - 1].cells].filter(c => !c.hidden && c.tagName === 'TH');
  const columns = heads.slice(1).map(h => h.querySelector('a').getAttribute('href').split('/').filter(Boolean).pop());
  const bad = [];
  let checked = 0;
  for (const row of table.tBodies[0].rows) {
    if (row.hidden) continue;
    const cells = [...row.cells].filter(c => c.tagName === 'TD' && !c.hidden);
    if (cells.length !== columns.length) bad.push([row.dataset.name, 'count', cells.length, columns.length]);
    cells.forEach((cell, i) => {
      const link = cell.querySelector('a');
      const anchor = link ? link.getAttribute('href').split('#')[1] : cell.dataset.criterion;
      checked++;
      if (anchor !== columns[i] || cell.dataset.criterion !== columns[i]) bad.push([row.dataset.name, i, anchor, columns[i]]);
    });
  }
  return {bad, checked, columns: columns.length};
}"""


def test_matrix_filter_alignment_after_every_option(site, browser, scored):  # noqa: F811
    dataset, _ = scored
    context, pg = _page(browser)
    pg.goto(site + "matrix/")
    options = pg.locator("select[data-filter=function] option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["", *[f.id for f in dataset.framework.functions]]
    for kind in ["", "service", "software"]:
        pg.select_option("select[data-filter=kind]", kind)
        for fn in options:
            pg.select_option("select[data-filter=function]", fn)
            result = pg.locator("#matrix").evaluate(_ALIGNMENT)
            expected = sum(c.function == fn for c in dataset.criteria.values()) if fn else len(dataset.criteria)
            assert result["columns"] == expected, (kind, fn)
            assert result["bad"] == [] and result["checked"] > 0, (kind, fn, result["bad"][:3])
    context.close()


# Kinds never share a scale.


def test_per_kind_charts_and_tables_hold_only_their_kind_with_a_visible_legend(site, browser, scored):  # noqa: F811
    _, scores = scored
    context, pg = _page(browser)
    pg.goto(site)
    kinds = standing.kinds_present(scores)
    assert pg.locator("figure.sc-scatter-figure").evaluate_all("fs => fs.map(f => f.dataset.kind)") == kinds
    for kind in kinds:
        figure = pg.locator(f"figure.sc-scatter-figure[data-kind={kind}]")
        assert figure.locator("figcaption.sc-legend").is_visible()
        assert standing.KIND_PLURAL[kind] in figure.locator("figcaption").inner_text()
        plotted = figure.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href').split('/').filter(Boolean).pop())")
        members = standing.of_kind(scores, kind)
        assert plotted and set(plotted) <= set(members)
        # The table is the ranking: best situational score first, read from the data.
        rows = pg.locator(f"#summary-{kind} tbody tr").evaluate_all("rs => rs.map(r => r.dataset.pid)")
        assert rows == [pid for pid, _ in standing.ranked(scores, kind, "situational")]
        assert set(rows) == set(members)
    context.close()


_GEOMETRY = """svg => {
  const plot = svg.querySelector('.sc-scatter__plot').getBBox();
  const view = svg.viewBox.baseVal;
  const labels = [...svg.querySelectorAll('.sc-scatter__label')].map(t => { const b = t.getBBox(); return {name: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height}; });
  const markers = [...svg.querySelectorAll('.sc-scatter__marker')].map(m => { const b = m.getBBox(); return {x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height}; });
  return {plot: {x0: plot.x, y0: plot.y, x1: plot.x + plot.width, y1: plot.y + plot.height}, width: view.width, labels, markers};
}"""


def _overlap(a, b) -> bool:
    return a["x0"] < b["x1"] and a["x1"] > b["x0"] and a["y0"] < b["y1"] and a["y1"] > b["y0"]


@pytest.mark.parametrize("width", [1280, 375])
def test_chart_labels_never_collide_and_never_leave_the_plot_area(site, browser, width):  # noqa: F811
    context, pg = _page(browser, width)
    pg.goto(site)
    charts = pg.locator("svg.sc-scatter")
    assert charts.count() >= 2
    for i in range(charts.count()):
        g = charts.nth(i).evaluate(_GEOMETRY)
        labels = g["labels"]
        assert labels
        for n, a in enumerate(labels):
            # Inside the frame: right of the vertical axis, within the plot's height, inside the picture.
            assert a["x0"] >= g["plot"]["x0"] and a["x1"] <= g["width"], a
            assert a["y0"] >= g["plot"]["y0"] - 1 and a["y1"] <= g["plot"]["y1"] + 1, a
            for b in labels[n + 1 :]:
                assert not _overlap(a, b), (a, b)
            for m in g["markers"]:
                assert not _overlap(a, m), (a, m)
    context.close()


# Meaning for every score.


def test_provider_pages_state_rank_median_band_and_extremes(site, browser, scored):  # noqa: F811
    _, scores = scored
    context, pg = _page(browser)
    for kind in standing.kinds_present(scores):
        pid, s = standing.ranked(scores, kind, "situational")[0]
        pg.goto(site + f"providers/{pid}/")
        for group in ("situational", "structural"):
            box = pg.locator(f".sc-headline__item[data-group={group}]").inner_text()
            r = standing.rank(scores, pid, group)
            if r:
                assert r.text.lower() in box.lower()
                assert f"median of {standing.KIND_PLURAL[kind]}: {standing.median(scores, kind, group)}" in box
                assert standing.band(s.groups[group].value) in box
        strongest, weakest = standing.extremes(s)
        assert pg.locator(".sc-strongest li a").all_inner_texts() == [c.criterion.title for c in strongest]
        assert pg.locator(".sc-weakest li a").all_inner_texts() == [c.criterion.title for c in weakest]
    # A rank mentions its kind's size: "3rd of 15 hosted services".
    services = standing.of_kind(scores, "service")
    pid = standing.ranked(scores, "service", "situational")[2][0]
    pg.goto(site + f"providers/{pid}/")
    assert (
        f"of {sum(s.groups['situational'].value is not None for s in services.values())} hosted services"
        in pg.locator(".sc-headline__item[data-group=situational]").inner_text()
    )
    context.close()


def test_coverage_is_shown_only_below_100_percent(site, browser, scored):  # noqa: F811
    _, scores = scored
    context, pg = _page(browser)
    pg.goto(site)
    texts = pg.locator(".sc-kind-table .sc-cov").all_inner_texts()
    assert texts and not any("100 %" in t for t in texts)
    below = sum(1 for s in scores.values() for sc in [*s.groups.values(), *s.functions.values()] if sc.applicable and sc.coverage < 1)
    assert len(texts) == below
    context.close()


# Navigation on every page at every width.

SECTIONS = ["Compare", "Providers", "Criteria", "Methodology", "Data", "About"]


@pytest.mark.parametrize("path", ["", "matrix/", "providers/signal/", "criteria/de-monitoring/", "about/", "who-we-are/"])
def test_navigation_at_1280_and_375(site, browser, path):  # noqa: F811
    context, pg = _page(browser, 1280)
    pg.goto(site + path)
    tabs = pg.locator(".md-tabs__link")
    assert [t for t in tabs.all_inner_texts() if t.strip() in SECTIONS] == SECTIONS
    assert all(tabs.nth(i).is_visible() for i in range(tabs.count()))
    context.close()
    context, pg = _page(browser, 375)
    pg.goto(site + path)
    menu = pg.locator("label.md-header__button[for=__drawer]")
    assert menu.is_visible()
    menu.click()
    pg.wait_for_timeout(400)
    drawer = pg.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
    visible = [t.strip() for t in drawer.all_inner_texts() if t.strip()]
    assert [t for t in visible if t in SECTIONS] == SECTIONS, visible
    link = pg.locator(".md-sidebar--primary .md-nav--primary").get_by_text("Providers", exact=True).first
    assert link.is_visible()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


# Accessibility at phone width, light and dark.


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "matrix/", "providers/signal/", "who-we-are/"])
def test_axe_at_375_px(site, browser, path, scheme):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    context, pg = _page(browser, 375, scheme)
    pg.goto(site + path, wait_until="networkidle")
    results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    context.close()
    assert [(v["id"], v["nodes"][0]["target"]) for v in results.response["violations"]] == []


def test_phone_layout_cards_and_no_mid_word_breaks(site, browser, scored):  # noqa: F811
    context, pg = _page(browser, 375)
    pg.goto(site)
    row = pg.locator("#summary-service tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "grid"  # a card, not a table row
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    for selector in (".sc-kind-table th a", ".sc-kind-table td"):
        assert set(pg.locator(selector).evaluate_all("els => els.map(e => getComputedStyle(e).wordBreak)")) == {"normal"}
    context.close()


def test_matrix_on_a_phone_shows_one_function_at_a_time(site, browser, scored):  # noqa: F811
    dataset, _ = scored
    context, pg = _page(browser, 375)
    pg.goto(site + "matrix/")
    first = dataset.framework.functions[0].id
    assert pg.locator("select[data-filter=function]").input_value() == first
    result = pg.locator("#matrix").evaluate(_ALIGNMENT)
    assert result["columns"] == sum(c.function == first for c in dataset.criteria.values()) and result["bad"] == []
    context.close()


# Heatmap, sharing, wording, footer.


def test_heatmap_has_legend_counts_credit_and_dark_empty_cells(site, browser, scored):  # noqa: F811
    dataset, scores = scored
    context, pg = _page(browser, 1280, "dark")
    pg.goto(site + "providers/signal/")
    legend = pg.locator(".sc-heatmap + .sc-legend")
    assert legend.is_visible()
    assert legend.locator("a[href='https://cyberdefensematrix.com/']").count() == 1
    assert legend.locator("a[href='https://www.nist.gov/cyberframework']").count() == 1
    counts = pg.locator(".sc-hm__count").evaluate_all("ts => ts.map(t => t.textContent)")
    s = scores["signal"]
    expected = [s.cell(f.id, a.id).applicable for a in dataset.framework.asset_classes for f in dataset.framework.functions if f.id != "govern"]
    assert [int(t.split()[0]) for t in counts[:-1]] == [n for n in expected if n]
    empty = pg.locator(".sc-hm__empty")
    if empty.count():
        fill = empty.first.evaluate("e => getComputedStyle(e).fill")
        assert fill != "rgb(255, 255, 255)"
    context.close()


def test_share_and_cite(site, browser):  # noqa: F811
    context, pg = _page(browser)
    pg.goto(site + "providers/signal/")
    assert pg.locator("meta[property='og:title']").get_attribute("content") == "Signal — Messenger Defense Scorecard"
    assert "Signal" in pg.locator("meta[property='og:image:alt']").get_attribute("content")
    assert (
        pg.locator("#cite .sc-access-date").inner_text() == dt.date.today().isoformat()
        or pg.locator("#cite .sc-access-date").inner_text().count("-") == 2
    )
    assert pg.locator("#cite + button.sc-copy-button").is_visible()
    context.close()


def test_absences_are_labelled_as_absences_and_links_name_criteria(site, browser, scored):  # noqa: F811
    dataset, scores = scored
    context, pg = _page(browser)
    pg.goto(site + "providers/signal/")
    absent = [c for c in scores["signal"].claims if c.level == "not-disclosed"]
    labels = pg.locator(".sc-absence").all_inner_texts()
    assert len(labels) == len(absent)
    heads = pg.locator(".sc-claim__head a[href*='/criteria/']").all_inner_texts()
    assert heads and all(not t.strip().replace("-", "").isalnum() or " " in t for t in heads)  # titles, not ids
    assert pg.locator(".md-footer").inner_text().count("CC BY 4.0") == 1
    context.close()


def test_home_answers_first_with_generated_sentences_and_findings(site, browser, scored):  # noqa: F811
    dataset, scores = scored
    context, pg = _page(browser)
    pg.goto(site)
    text = pg.locator("article").inner_text()
    situational = [f.id for f in dataset.framework.functions if f.group == "situational"]
    for kind in standing.kinds_present(scores):
        lead = standing.leaders(scores, kind, "situational")
        assert f"{standing.names(lead.most)} " in text and f"({lead.most_value}/100)" in text
        most, least = standing.findings(scores, kind, situational)
        for f in most + least:
            assert f"{len(f.disclosing)} of {f.of} {standing.KIND_PLURAL[kind]}" in text
            assert pg.locator(f"article a[href='criteria/{f.criterion_id}/']").count() >= 1
    assert pg.get_by_role("heading", name="Start here").is_visible()
    context.close()


# Who we are, the footer, the site preview, claim permalinks, dates.


def test_who_we_are_and_the_footer_on_every_page(site, browser):  # noqa: F811
    """Nothing is configured in this build: no names are invented and no empty link is printed."""
    context, pg = _page(browser)
    pg.goto(site + "who-we-are/")
    text = pg.locator("article").inner_text()
    assert "No maintainers are listed yet" in text and "How to join" in text and "Funders: none recorded." in text
    assert "No contact address is configured for this build" in text and "No repository address is configured for this build" in text
    for path in ["", "providers/signal/", "criteria/de-monitoring/", "who-we-are/"]:
        pg.goto(site + path)
        footer = pg.locator(".md-footer-meta")
        assert footer.is_visible()
        words = footer.inner_text()
        assert "Code: MIT License" in words and "CC BY 4.0" in words, path
        assert f"Data as of {AS_OF.isoformat()}" in words, path
        assert "No repository address is configured for this build" in words and "No contact address is configured for this build" in words
        assert footer.locator("a[href='']").count() == 0 and footer.locator("a[href^='mailto:']").count() == 0
        footer.get_by_role("link", name="Who we are").click()
        assert pg.url == site + "who-we-are/"
    context.close()


def test_site_preview_is_the_charts_with_an_alt_text(site, browser, scored):  # noqa: F811
    dataset, scores = scored
    context, pg = _page(browser)
    pg.goto(site)
    image = pg.locator("meta[property='og:image']").get_attribute("content")
    alt = pg.locator("meta[property='og:image:alt']").get_attribute("content")
    assert image.endswith("previews/site.png")
    assert alt.startswith("Charts of the Messenger Defense Scorecard") and AS_OF.isoformat() in alt
    for kind in standing.kinds_present(scores):
        assert standing.KIND_PLURAL[kind] in alt
    pg.goto(site + "about/")  # pages without their own image share the site's, and its description
    assert pg.locator("meta[property='og:image']").get_attribute("content").endswith("previews/site.png")
    assert pg.locator("meta[property='og:image:alt']").get_attribute("content").startswith("Charts of the Messenger Defense Scorecard")
    response = pg.request.get(site + "previews/site.png")
    body = response.body()
    assert response.ok and body[:8] == b"\x89PNG\r\n\x1a\n" and body[16:24] == (1200).to_bytes(4, "big") + (630).to_bytes(4, "big")
    context.close()


def test_claim_permalinks_are_visible_and_named_for_keyboards_and_screen_readers(site, browser, scored):  # noqa: F811
    dataset, scores = scored
    context, pg = _page(browser)
    pg.goto(site + "providers/signal/")
    claims = scores["signal"].claims
    links = pg.locator("a.sc-permalink")
    assert links.count() == len(claims)
    for i in (0, len(claims) - 1):
        link, claim = links.nth(i), claims[i]
        assert link.is_visible() and link.evaluate("a => getComputedStyle(a).opacity") == "1"  # without hovering
        assert link.get_attribute("href") == f"#{claim.criterion.id}"
        named = pg.get_by_role("link", name=f"Link to this claim about {claim.criterion.title}", exact=True)
        assert named.count() == 1
    pg.keyboard.press("Tab")
    for _ in range(400):  # reach the first claim's permalink with the keyboard alone
        if pg.evaluate("document.activeElement.classList.contains('sc-permalink')"):
            break
        pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.getAttribute('href')") == f"#{claims[0].criterion.id}"
    pg.keyboard.press("Enter")
    pg.wait_for_timeout(200)
    assert pg.url.endswith(f"#{claims[0].criterion.id}")
    context.close()


# Every ISO date in a visible table cell sits on one line: the rectangles of its characters share one top.
_WRAPPED_DATES = """root => {
  const out = {dates: 0, wrapped: []};
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('td, th')) continue;
    for (const m of node.data.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
      if (!rects.length) continue;  // hidden (a tooltip)
      out.dates++;
      if (new Set(rects.map(r => Math.round(r.top))).size > 1) out.wrapped.push(m[0] + ' in ' + node.parentElement.closest('table').id);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_dates_never_wrap_in_tables(site, browser, width):  # noqa: F811
    context, pg = _page(browser, width)
    total = 0
    for path in ["providers/", "self-hosting/", "criteria/de-monitoring/", "providers/signal/"]:
        pg.goto(site + path)
        result = pg.locator("article").evaluate(_WRAPPED_DATES)
        assert result["wrapped"] == [], (path, width, result["wrapped"][:5])
        total += result["dates"]
    assert total > 20
    context.close()
