"""The built site in a real browser (Debian's Chromium via Playwright): privacy, accessibility, sorting, filtering.

Runs against a fixture dataset built at a fixed as-of date: the real criteria catalogue and six
synthetic providers (generator/workspace.py), so names, kinds and orders are read from the data the
test built, not from today's evidence. Skipped only when Chromium is missing outside CI; in CI a
missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import build, workspace
from generator.check import check_tree

from .conftest import AS_OF, ROOT

# Debian's Chromium by default; SCORECARD_CHROMIUM=bundled uses Playwright's own browser (GitHub runners).
CHROMIUM = os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]  # the module fixture builds a whole site first

if CHROMIUM != "bundled" and not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing in CI: `python3 dev.py test` installs it (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Synthetic providers of the fixture site: (name, kind). Statuses vary with the position (workspace.py).
PROVIDERS = [
    ("Zephyr Messenger", "service"),
    ("Aurora Chat", "service"),
    ("Nimbus Server", "software"),
    ("Quill Relay", "both"),
    ("Basalt Talk", "service"),
    ("Harbor Homeserver", "software"),
]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The fixture project: real criteria, synthetic providers, checked at the fixed as-of date."""
    work = workspace.copy_project(ROOT, tmp_path_factory.mktemp("browser"))
    criteria = list(check_tree(work, AS_OF)[0].criteria.values())
    for i, (name, kind) in enumerate(PROVIDERS, start=1):
        (work / f"data/providers/synthetic-{i:04d}.yaml").write_text(workspace.synthetic_provider(i, criteria, kind, name))
    data, problems = check_tree(work, AS_OF)
    assert problems == [] and data is not None
    data.root = work
    return data


@pytest.fixture(scope="module")
def site(dataset) -> str:
    """Build the fixture project once and serve it on a free loopback port."""
    work = dataset.root
    build.build(build.Settings(work, AS_OF), work / "site")
    handler = functools.partial(_Quiet, directory=str(work / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=None if CHROMIUM == "bundled" else CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests, pg.errors = [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


PAGES = [
    "",
    "matrix/",
    "providers/",
    "providers/synthetic-0001/",
    "providers/synthetic-0003/",
    "criteria/de-monitoring/",
    "methodology/",
    "methodology/grid/",
    "self-hosting/",
    "api/",
    "reference/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_third_party_requests_and_no_console_errors(site, page, path):
    page.goto(site + path, wait_until="networkidle")
    origin = urlsplit(site).netloc
    foreign = [u for u in page.requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin]
    assert foreign == []
    assert page.errors == []


@pytest.mark.parametrize(
    "path", ["", "matrix/", "providers/synthetic-0001/", "criteria/de-monitoring/", "methodology/", "self-hosting/", "validation-rules/"]
)
def test_axe_finds_no_violations(site, page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site + path, wait_until="networkidle")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    violations = [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in results.response["violations"]]
    assert violations == []


@pytest.mark.parametrize("path", ["", "matrix/", "providers/synthetic-0001/"])
def test_axe_finds_no_violations_in_dark_mode(site, browser, path):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme="dark")
    pg = context.new_page()
    pg.goto(site + path, wait_until="networkidle")
    assert pg.locator("body").get_attribute("data-md-color-scheme") == "slate"
    results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    context.close()
    assert [(v["id"], v["nodes"][0]["target"]) for v in results.response["violations"]] == []


def _names(page, table="#matrix"):
    return page.locator(f"{table} tbody tr:not([hidden]) th").all_inner_texts()


def test_sort_by_column_with_mouse_and_keyboard(site, page, dataset):
    page.goto(site + "matrix/")
    before = _names(page)
    assert before == [p.name for p in dataset.providers.values()]  # the data's order: by id
    page.locator("#matrix thead tr").last.locator("button").first.click()  # Provider column
    page.locator("#matrix thead tr").last.locator("button").first.click()  # second click: descending
    assert _names(page) == sorted(before, key=str.lower, reverse=True)
    header = page.locator("#matrix thead tr").last.locator("th").first
    assert header.get_attribute("aria-sort") == "descending"
    # Keyboard: a criterion column, focused and activated with Enter.
    button = page.locator("#matrix thead tr").last.locator("button").nth(5)
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator("#matrix thead tr").last.locator("th").nth(5).get_attribute("aria-sort") == "ascending"
    assert sorted(_names(page)) == sorted(before) and _names(page) != before


def test_filter_by_kind_name_and_function(site, page, dataset):
    page.goto(site + "matrix/")
    total = len(_names(page))
    assert total == len(dataset.providers)
    page.select_option("[data-filter=kind]", "software")
    expected = sorted((p.name for p in dataset.providers.values() if p.kind.value == "software"), key=str.lower)
    assert expected == ["Harbor Homeserver", "Nimbus Server"]
    assert sorted(_names(page), key=str.lower) == expected and 0 < len(expected) < total
    page.select_option("[data-filter=kind]", "")
    page.fill("[data-filter=name]", "aur")
    assert _names(page) == [p.name for p in dataset.providers.values() if "aur" in p.name.lower()] == ["Aurora Chat"]
    page.fill("[data-filter=name]", "")
    page.select_option("[data-filter=function]", "detect")
    visible = page.locator("#matrix thead tr").last.locator("th:not([hidden])").count()
    assert 1 < visible < page.locator("#matrix thead tr").last.locator("th").count()


def test_home_has_one_table_per_kind(site, page):
    page.goto(site)
    for kind in ("service", "software"):
        kinds = page.locator(f"#summary-{kind} tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
        assert kinds and set(kinds) == {kind}


def test_matrix_is_complete_without_javascript(site, browser, dataset):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + "matrix/")
    assert pg.locator("#matrix tbody tr").count() == len(dataset.providers)
    assert pg.locator("#matrix tbody tr").first.locator("td").count() == len(dataset.criteria)
    assert pg.locator(".sc-controls").first.is_hidden()  # controls appear only with JavaScript
    context.close()


def test_cell_link_reaches_its_claim_and_shows_its_dates_on_focus(site, page):
    page.goto(site + "matrix/")
    link = page.locator("#matrix tbody td.sc-cell a").first
    link.focus()
    assert page.locator("#matrix tbody td.sc-cell a").first.locator(".sc-tip").is_visible()
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#")[1]
    assert page.locator(f"[id='{anchor}']").count() == 1


def test_matrix_usable_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    pg = context.new_page()
    pg.goto(site + "matrix/")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375  # the table scrolls inside its own box
    first = pg.locator("#matrix tbody th").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    context.close()


def test_print_stylesheet_keeps_tables_and_drops_chrome(site, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    pg = context.new_page()
    pg.goto(site + "matrix/")
    pg.emulate_media(media="print")
    assert pg.locator(".md-header").first.evaluate("el => getComputedStyle(el).display") == "none"
    assert pg.locator(".sc-controls").first.evaluate("el => getComputedStyle(el).display") == "none"
    assert pg.locator("#matrix tbody th").first.evaluate("el => getComputedStyle(el).position") == "static"
    assert pg.locator("#matrix").is_visible()
    context.close()


def test_site_search_works_under_the_content_security_policy(site, page):
    page.goto(site, wait_until="networkidle")
    assert "Content-Security-Policy" in page.content()
    page.locator(".md-search__input").focus()
    page.keyboard.type("security", delay=30)  # Material searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert page.locator(".md-search-result__item").count() > 0
    assert page.errors == []


# Page weight: a first visit (empty cache) transfers at most this much, counted as the gzip size of
# every response body (what a compressing server such as GitHub Pages sends).
PAGE_WEIGHT_BUDGET = 100_000
SEARCH_FILES = ("search/search_index.json", "search/data_index.json", "/workers/search.")


def _first_visit(browser, url: str) -> tuple[int, list[tuple[str, int]]]:
    import gzip

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    responses = []
    pg.on("response", lambda response: responses.append(response))
    pg.goto(url, wait_until="networkidle")
    pg.wait_for_timeout(300)  # anything started after the network went idle
    sizes = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            body = b""
        sizes.append((response.url, len(gzip.compress(body, compresslevel=6))))
    context.close()
    return sum(size for _, size in sizes), sizes


@pytest.mark.parametrize("path", ["", "providers/synthetic-0004/"])  # the heaviest page: every criterion assessed
def test_first_visit_transfers_at_most_100_kb_gzip(site, browser, path):
    total, sizes = _first_visit(browser, site + path)
    report = "\n".join(f"{size:>8} {url}" for url, size in sorted(sizes, key=lambda item: -item[1]))
    print(f"\nfirst visit to /{path}: {total} bytes gzip in {len(sizes)} responses\n{report}")
    assert total <= PAGE_WEIGHT_BUDGET, report
    assert not [url for url, _ in sizes if any(name in url for name in SEARCH_FILES)], "search loaded before it was opened"


def test_search_index_loads_only_when_search_opens(site, page, dataset):
    page.goto(site + "providers/synthetic-0001/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [u for u in page.requests if any(name in u for name in SEARCH_FILES)]
    page.locator(".md-search__input").focus()
    page.keyboard.type("aurora", delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    for name in SEARCH_FILES:
        assert [u for u in page.requests if name in u], f"{name} was not loaded when search opened"
    # Results come from the generated entries too: a provider found by name, a claim by its criterion title.
    assert "Aurora Chat" in page.locator(".md-search-result").inner_text()
    title = next(c.title for c in dataset.criteria.values() if "bounty" in c.title.lower())
    page.locator(".md-search__input").fill("")
    page.keyboard.type("bug bounty", delay=30)
    page.wait_for_function(f"document.querySelector('.md-search-result').innerText.includes({title!r})", timeout=10000)
    assert page.errors == []
