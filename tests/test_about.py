"""Who we are (issue 13): maintainers and funders from data files (validated, escaped, never
invented), the funding and conflict-of-interest policy, the deploy-time contact and repository,
and the footer every page carries (licences, data date, plain links)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import build
from generator.check import check_tree
from generator.problems import DataError

from .conftest import AS_OF
from .hostile import NAMES

REPO = "https://github.com/example/scorecard"

MAINTAINER = """maintainers:
  - name: {name}
    github: octo-cat
    role: Reviews evidence
    since: 2026-01-05
    interests:
      - provider: {provider}
        text: {text}
        since: 2025-03-01
"""

FUNDER = """funders:
  - name: {name}
    url: {url}
    kind: grant
    purpose: Reviewing evidence
    since: 2026-02-01
    interests: []
"""


def _write(project: Path, name: str, body: str) -> None:
    (project / "data" / f"{name}.yaml").write_text(f"# yaml-language-server: $schema=schema/{name}.schema.json\n{body}", encoding="utf-8")


def _page(project: Path, **settings: str) -> str:
    return build.generate(build.Settings(project, AS_OF, **settings), background=False)["who-we-are.md"].decode()


def test_empty_lists_say_so_and_how_to_join_without_inventing_names(project):
    text = _page(project)
    assert "No maintainers are listed yet" in text and "How to join" in text and "data/maintainers.yaml" in text
    assert "Funders: none recorded." in text
    assert "<table" not in text  # no empty table, no placeholder names
    # Neither a contact address nor a repository: the page says so instead of printing empty links.
    assert "No contact address is configured for this build" in text
    assert "No repository address is configured for this build" in text
    assert 'href="#"' not in text and "mailto:" not in text and "github.com" not in text


def test_configured_contact_and_repository_are_plain_links(project):
    text = _page(project, repository_url=REPO, contact_email="reply@example.org")
    assert '<a href="mailto:reply@example.org">reply@example.org</a>' in text
    assert f'<a href="{REPO}">{REPO}</a>' in text
    for form in ("add-evidence", "correct-claim", "suggest-provider", "provider-response", "site-problem"):
        assert f'href="{REPO}/issues/new?template={form}.yml"' in text
        assert (Path(__file__).resolve().parent.parent / ".github" / "ISSUE_TEMPLATE" / f"{form}.yml").is_file()
    assert "No contact address" not in text and "No repository address" not in text


def test_maintainers_funders_and_declared_interests_are_shown_escaped(project):
    payload = NAMES["attribute-break"]
    _write(project, "maintainers", MAINTAINER.format(name=f"'{payload}'", provider="fixture-service", text="'Former employee <b>x</b>'"))
    _write(project, "funders", FUNDER.format(name="'Example Foundation'", url="https://foundation.example.net/"))
    text = _page(project)
    assert "No maintainers are listed yet" not in text and "none recorded" not in text
    assert payload not in text and "&lt;img src=x onerror=alert(document.domain)&gt;" in text
    assert '<a href="https://github.com/octo-cat">' in text
    assert "Former employee &lt;b&gt;x&lt;/b&gt; (Fixture Service)" in text
    assert '<a href="https://foundation.example.net/" rel="noopener noreferrer nofollow">Example Foundation</a>' in text
    assert "None declared" in text  # the funder's `interests: []`


def _problems(project: Path) -> list[str]:
    _, problems = check_tree(project, AS_OF)
    return [f"{p.path}:{p.line}:{p.col}: {p.message} | {p.hint}" for p in problems]


def test_a_declared_interest_names_a_real_provider(project):
    _write(project, "maintainers", MAINTAINER.format(name="Ada", provider="fixture-servise", text="Advisor"))
    assert _problems(project) == [
        "data/maintainers.yaml:8:19: no provider with id 'fixture-servise' | did you mean 'fixture-service'?",
    ]


def test_no_funding_from_an_assessed_provider(project):
    _write(project, "funders", FUNDER.format(name="Fixture Service Inc", url="https://www.service.example.org/grants"))
    found = _problems(project)
    assert len(found) == 1 and found[0].startswith("data/funders.yaml:4:10: this funder's website belongs to Fixture Service")


def test_interests_must_be_declared_even_when_none(project):
    _write(project, "maintainers", MAINTAINER.format(name="Ada", provider="fixture-service", text="x").split("    interests:")[0])
    found = _problems(project)
    assert len(found) == 1 and found[0].startswith("data/maintainers.yaml:3:5:") and "interests" in found[0]


def test_the_contact_address_is_checked_before_it_reaches_a_page(project):
    with pytest.raises(DataError) as exc:
        build.check_settings(build.Settings(project, AS_OF, contact_email='x"@example.org'))
    assert "--contact-email" in exc.value.problems[0].message


FOOTER = re.compile(r'<div class="md-copyright">(.*?)</footer>', re.S)


def test_every_page_has_a_footer_with_licences_data_date_and_plain_links(project, tmp_path):
    site = tmp_path / "site"
    build.build(build.Settings(project, AS_OF, repository_url=REPO, contact_email="reply@example.org"), site)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:  # redirects for former ids
            continue
        footer = FOOTER.search(html)
        assert footer, page
        text = footer.group(1)
        assert "Code: MIT License" in text and ">CC BY 4.0</a>" in text, page
        assert f'Data as of <time datetime="{AS_OF.isoformat()}">{AS_OF.isoformat()}</time>' in text, page
        assert f'<a href="{REPO}">Repository</a>' in text and f'<a href="{REPO}/issues/new/choose">Issue forms</a>' in text, page
        assert '<a href="mailto:reply@example.org">reply@example.org</a>' in text, page
        assert "api.github.com" not in html and "repo_url" not in html, page
    licence_names = (Path(__file__).resolve().parent.parent / "LICENSE").read_text().splitlines()[0]
    assert licence_names == "MIT License"
    assert "CC BY 4.0" in (Path(__file__).resolve().parent.parent / "LICENSE-DATA").read_text()
    who = (site / "who-we-are" / "index.html").read_text(encoding="utf-8")
    assert "No maintainers are listed yet" in who


def test_a_footer_without_settings_says_what_is_not_configured(project, tmp_path):
    site = tmp_path / "site"
    build.build(build.Settings(project, AS_OF), site)
    text = FOOTER.search((site / "index.html").read_text(encoding="utf-8")).group(1)
    assert "No repository address is configured for this build" in text
    assert "No contact address is configured for this build" in text
    assert 'href=""' not in text and "mailto:" not in text
