"""The hostile corpus in a real browser, and the Content-Security-Policy doing its job.

Builds tests/hostile.py's project, loads every page type, types each hostile name into the site
search, and asserts that no dialog opens, no request leaves the origin and nothing the data
injected reached the page as markup (no CSP violation either: an injection that the policy
had to block still counts as a failure of the escaping).
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest

from generator import build

from .conftest import AS_OF
from .hostile import CRITERION_TITLE, FRAMEWORK_TITLE, NAMES, hostile_project
from .test_browser import _Quiet, browser  # noqa: F401 - the shared browser fixture (skips without Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]  # the module fixture builds a whole site first

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    root = hostile_project(tmp_path_factory.mktemp("hostile-browser"))
    build.build(build.Settings(root, AS_OF), root / "site")
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def watched(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    pg = context.new_page()
    pg.dialogs, pg.requests = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


PAGE_TYPES = [
    "",
    "matrix/",
    "providers/",
    "criteria/",
    "methodology/",
    "methodology/grid/",
    "self-hosting/",
    "reference/",
    "api/",
    "about/",
    "security/",
    "404.html",
    "criteria/de-monitoring/",
    "providers/fixture-software/",
    "providers/old-fixture-service/",
] + [f"providers/hostile-{key}/" for key in NAMES]


def _assert_clean(page, site: str) -> None:
    origin = urlsplit(site).netloc
    assert page.dialogs == []
    assert [u for u in page.requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin] == []
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("typeof window.__pwned") == "undefined"


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_is_inert(corpus, watched, path):
    watched.goto(corpus + path, wait_until="networkidle")
    watched.keyboard.press("Tab")  # autofocus/onfocus payloads would fire on focus
    watched.wait_for_timeout(200)
    _assert_clean(watched, corpus)


SEARCHED = {**NAMES, "criterion-title": CRITERION_TITLE, "framework-title": FRAMEWORK_TITLE}


@pytest.mark.parametrize("key", list(SEARCHED))
def test_searching_each_hostile_name_fires_nothing(corpus, watched, key):
    watched.goto(corpus, wait_until="networkidle")
    watched.locator(".md-search__input").focus()
    watched.keyboard.type(SEARCHED[key], delay=10)  # Material searches on key events
    meta = watched.locator(".md-search-result__meta")
    watched.wait_for_function("el => !/initiali[sz]/i.test(el.textContent)", arg=meta.element_handle(), timeout=10000)
    if key == "attribute-break":  # the example must come back as a (harmless) result
        watched.wait_for_selector(".md-search-result__item", timeout=10000)
        assert "Acme Chat" in " ".join(watched.locator(".md-search-result__item").all_inner_texts())
    watched.wait_for_timeout(300)
    _assert_clean(watched, corpus)


def test_policy_blocks_injected_inline_script_but_site_scripts_run(corpus, watched):
    """The policy is enforced (no 'unsafe-inline'), and the site still works under it: Material's
    bundle ran (search index loaded, palette toggle works) and our sort script ran."""
    watched.goto(corpus + "matrix/", wait_until="networkidle")
    watched.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1';
                               document.head.appendChild(s); }""")
    watched.wait_for_timeout(200)
    assert watched.evaluate("typeof window.__pwned") == "undefined"
    assert any(v.startswith("script-src") for v in watched.evaluate("window.__violations"))
    assert watched.locator("#matrix thead button").count() > 0  # scorecard.js enhanced the table
    scheme = watched.locator("body").get_attribute("data-md-color-scheme")
    watched.locator("form[data-md-component=palette] label:visible").first.click()
    assert watched.locator("body").get_attribute("data-md-color-scheme") != scheme
    assert watched.evaluate("typeof __md_get") == "function"
