"""A discontinued provider (tests/fixtures/discontinued/fixture-retired.yaml, added to the fixture project):
validated like any data, kept with its page, evidence and links, marked as archived wherever it is
listed, carried by the API, and left out of its kind's rankings, medians, leaders, findings and chart."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import build
from generator.check import check_tree
from generator.problems import Problem

from .conftest import AS_OF, FIXTURES, copy_project

RETIRED = "data/providers/fixture-retired.yaml"


def retired_project(tmp_path: Path) -> Path:
    """The fixture project plus a discontinued hosted service whose scores are higher than Fixture Service's."""
    providers = tmp_path / "providers"
    shutil.copytree(FIXTURES / "providers", providers)
    shutil.copy(FIXTURES / "discontinued" / "fixture-retired.yaml", providers)
    return copy_project(tmp_path / "project", providers=providers)


@pytest.fixture
def retired(tmp_path: Path) -> Path:
    return retired_project(tmp_path)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The generated files of the project with the discontinued provider (built once for this module)."""
    project = retired_project(tmp_path_factory.mktemp("retired"))
    generated = build.generate(build.Settings(project, AS_OF, site_url="https://scorecard.example.org/"), background=False)
    return {rel: data.decode() for rel, data in generated.items() if not rel.endswith(".png")}


def edit(project: Path, old: str, new: str, rel: str = RETIRED) -> None:
    path = project / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def problems(project: Path) -> list[Problem]:
    dataset, found = check_tree(project, AS_OF)
    assert (dataset is None) == bool(found)
    return found


def line_of(project: Path, needle: str, rel: str = RETIRED) -> int:
    text = (project / rel).read_text()
    return text[: text.index(needle)].count("\n") + 1


# --- Validation ----------------------------------------------------------------------------


def test_a_discontinued_provider_is_valid(retired):
    assert problems(retired) == []


CASES = [
    # (description, old, new, needle on the reported line, message fragment, hint fragment)
    ("since after the as-of date", "since: 2026-06-30", "since: 2026-12-30", "since:", "discontinued since date 2026-12-30 is after", "actually"),
    ("since not a date", "since: 2026-06-30", "since: June 2026", "since:", "discontinued › since: not a valid date", "YYYY-MM-DD"),
    (
        "unknown successor",
        "successor: fixture-service",
        "successor: fixture-servise",
        "successor:",
        "'fixture-servise' is not a known",
        "fixture-service",
    ),
    ("own successor", "successor: fixture-service", "successor: fixture-retired", "successor:", "cannot be its own successor", "replaces it"),
    (
        "former id",
        "successor: fixture-service",
        "successor: old-fixture-service",
        "successor:",
        "former id of 'fixture-service'",
        "successor: fixture-service",
    ),
    ("misspelt note", "  note: >-", "  nota: >-", "nota:", "unknown field 'nota'", "'note'"),
    ("javascript source", "source: https://retired.example.org/farewell", "source: javascript:alert(1)", "source:", "https://", "https://"),
]


@pytest.mark.parametrize("name, old, new, needle, message, hint", CASES, ids=[c[0] for c in CASES])
def test_discontinued_problems_are_reported_at_their_line(retired, name, old, new, needle, message, hint):
    edit(retired, old, new)
    found = [p for p in problems(retired) if message in p.message]
    assert found, [p.format() for p in problems(retired)]
    p = found[0]
    assert (p.path, p.line) == (RETIRED, line_of(retired, needle)), p.format()
    assert p.col > 1
    assert hint in p.hint, p.format()


def test_a_successor_must_be_published(retired):
    edit(retired, "kind: software\n", "kind: software\ndraft: true\n", "data/providers/fixture-software.yaml")
    edit(retired, "successor: fixture-service", "successor: fixture-software")
    [p] = problems(retired)
    assert (p.path, p.line) == (RETIRED, line_of(retired, "successor:"))
    assert "successor 'fixture-software' is a draft" in p.message and "until that provider is published" in p.hint


# --- The provider's own page ------------------------------------------------------------------


def test_the_page_stays_and_shows_an_archived_note_near_the_top(site):
    page = site["providers/fixture-retired.md"]
    note = page.index('<div class="admonition warning sc-discontinued" role="note">')
    assert page.index("# Fixture &lt;Retired&gt; &amp; Co") < note < page.index("## Headline")
    assert 'Discontinued since <time datetime="2026-06-30">2026-06-30</time>' in page
    assert 'Successor: <a href="../fixture-service/">Fixture Service</a>' in page
    assert '<a href="https://retired.example.org/farewell" rel="noopener noreferrer nofollow">Source</a>' in page
    assert "<p>Shut down by its operator." in page
    # the note is contributor text: escaped like every other (no script, no javascript: link)
    assert "<script" not in page and "javascript:" not in page
    # all evidence is kept, and the search entry and the description say it is discontinued
    assert all(f'id="{cid}-source-1"' in page for cid in ["gv-security-ownership", "de-monitoring", "rc-status-page"])
    assert "(discontinued since 2026-06-30)" in page.split("---")[1]
    assert "Hosted service. Discontinued since 2026-06-30." in site["search/data_index.json"]


def test_the_page_is_not_ranked_and_says_why(site):
    page = site["providers/fixture-retired.md"]
    assert page.count("Not ranked (discontinued)") == 2
    assert "Discontinued providers are not ranked" in page
    assert "Ranked only against" not in page


# --- Rankings and medians -------------------------------------------------------------------


def test_it_leaves_the_rankings_and_medians_of_its_kind(site):
    # Ranked, fixture-retired (situational 100) would be 1st of 2 and the median 63.
    assert "1st of 1 hosted services; median of hosted services: 25." in site["providers/fixture-service.md"]
    assert "median of hosted services: 25." in site["providers/fixture-retired.md"]
    home = site["index.md"]
    assert "**Hosted services (1):** about the defenders, Fixture Service discloses most (25/100)" in home
    table = home[home.index('id="summary-service"') : home.index("</table>", home.index('id="summary-service"'))]
    assert "fixture-retired" not in table
    chart = home[home.index('<figure class="sc-figure sc-scatter-figure" data-kind="service">') : home.index("</figure>")]
    assert "fixture-retired" not in chart and "Retired" not in chart
    findings = home[home.index("## Key findings") : home.index("## Start here")]
    assert "Retired" not in findings and "of 1 hosted services" in findings
    assert (
        "Not ranked (discontinued; each keeps its page and evidence): "
        "[Fixture &lt;Retired&gt; &amp; Co](providers/fixture-retired.md) (since 2026-06-30)." in home
    )


# --- Lists and tables mark it with a word ------------------------------------------------------

TAG = ' <span class="sc-tag sc-tag--discontinued">discontinued</span>'


@pytest.mark.parametrize(
    "path, link",
    [
        ("providers/index.md", '<a href="fixture-retired/">Fixture &lt;Retired&gt; &amp; Co</a>'),
        ("matrix.md", '<a href="../providers/fixture-retired/">Fixture &lt;Retired&gt; &amp; Co</a>'),
        ("criteria/de-monitoring.md", '<a href="../../providers/fixture-retired/#de-monitoring">Fixture &lt;Retired&gt; &amp; Co</a>'),
    ],
)
def test_lists_mark_it_with_a_word(site, path, link):
    assert link + TAG in site[path]
    assert site[path].count(TAG) == 1  # only the discontinued provider


def test_a_list_without_discontinued_providers_has_no_mark(site):
    assert "sc-tag" not in site["self-hosting.md"]
    assert "discontinued" not in site["providers/fixture-service.md"]


# --- API, downloads, schema, feeds -----------------------------------------------------------


def test_the_api_carries_the_field_and_its_schema_lists_it(site):
    expected = {
        "since": "2026-06-30",
        "note": 'Shut down by its operator. <script>alert("retired")</script> [bad](javascript:alert(1))',
        "source": "https://retired.example.org/farewell",
        "successor": "fixture-service",
    }
    index = {p["id"]: p for p in json.loads(site["api/v1/index.json"])["providers"]}
    assert index["fixture-retired"]["discontinued"] == expected
    assert index["fixture-service"]["discontinued"] is None
    assert index["fixture-retired"]["situational"]["score"] == 100  # scores stay published
    detail = json.loads(site["api/v1/providers/fixture-retired.json"])
    assert detail["provider"]["discontinued"] == expected and detail["scores"]["discontinued"] == expected
    schema = json.loads(site["api/v1/schema.json"])
    assert set(schema["$defs"]["Discontinued"]["properties"]) == {"since", "note", "source", "successor"}
    assert "discontinued" in schema["$defs"]["Provider"]["properties"] and "discontinued" in schema["$defs"]["IndexEntry"]["properties"]
    rows = list(csv.DictReader(io.StringIO(site["downloads/scorecard.csv"])))
    assert {r["provider"]: r["discontinued_since"] for r in rows} == {"fixture-retired": "2026-06-30", "fixture-service": "", "fixture-software": ""}


def test_links_feeds_and_redirects_are_kept(site):
    for rel in [
        "providers/fixture-retired.md",
        "feeds/providers/fixture-retired.xml",
        "badges/fixture-retired.svg",
        "api/v1/providers/fixture-retired.json",
    ]:
        assert rel in site
    assert "discontinued" not in site["feeds/providers/fixture-retired.xml"].lower()
    assert any(re.search(r"old-fixture-service", rel) for rel in site)  # an alias still redirects


def test_the_editor_schema_and_field_reference_describe_it(site):
    root = Path(__file__).resolve().parent.parent
    schema = json.loads((root / "data/schema/provider.schema.json").read_text())
    assert "discontinued" in schema["properties"] and set(schema["$defs"]["Discontinued"]["required"]) == {"since", "note"}
    assert "successor" in site["reference.md"] and "Discontinued" in site["reference.md"]
