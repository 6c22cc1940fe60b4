"""export.py, history.py, preview.py: API, CSV, badges, feeds, redirects, link previews, change history."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from generator import history, score

from .conftest import AS_OF, run

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(project) -> Path:
    code, _, err = run("build", "--as-of", str(AS_OF), "--site-url", "https://scorecard.example.org/",
                       "--repository-url", "https://github.com/example/scorecard", root=project)
    assert code == 0, err
    return project / "site"


def test_json_outputs_validate_against_the_published_schema(site):
    schema = json.loads((site / "api/v1/schema.json").read_text())
    defs = schema["$defs"]
    for name, model in (("api/v1/index.json", "Index"), ("api/v1/criteria.json", "CriteriaList"),
                        ("api/v1/providers/fixture-service.json", "ProviderDetail"), ("api/v1/providers/fixture-software.json", "ProviderDetail")):
        data = json.loads((site / name).read_text())
        jsonschema.validate(data, {"$defs": defs, "$ref": f"#/$defs/{model}"})
        assert data["methodology_version"] == score.METHODOLOGY_VERSION and data["as_of"] == str(AS_OF)


def test_index_json_withholds_gated_scores(site):
    index = json.loads((site / "api/v1/index.json").read_text())
    service = next(p for p in index["providers"] if p["id"] == "fixture-service")
    assert service["structural"]["score"] is None and service["functions"]["govern"]["score"] == 100


def test_csv_has_one_row_per_provider_and_applicable_criterion(site):
    rows = list(csv.DictReader(io.StringIO((site / "downloads/scorecard.csv").read_text())))
    assert len(rows) == 6 + 3
    stale = next(r for r in rows if r["provider"] == "fixture-service" and r["criterion"] == "rc-status-page")
    assert (stale["level"], stale["stale"], stale["points"], stale["as_of"]) == ("full", "true", "1", str(AS_OF))


def test_badges_are_well_formed_accessible_svg(site):
    for path in (site / "badges").glob("*.svg"):
        root = ET.fromstring(path.read_text())
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and "situational" in title.text and "structural" in title.text


def test_alias_redirects_to_an_existing_page(site):
    html = (site / "providers/old-fixture-service/index.html").read_text()
    target = re.search(r'url=([^"]+)"', html).group(1)
    assert (site / "providers/old-fixture-service" / target / "index.html").resolve().is_file()
    assert '<link rel="canonical" href="https://scorecard.example.org/providers/fixture-service/">' in html


def test_every_page_has_link_preview_metadata(site):
    pages = [p for p in site.rglob("index.html") if "old-fixture-service" not in str(p)]
    assert len(pages) > 15
    for page in pages:
        html = page.read_text()
        for prop in ("og:title", "og:description", "og:image", "og:url", "twitter:card"):
            assert f'property="{prop}"' in html or f'name="{prop}"' in html, (page, prop)
    provider = (site / "providers/fixture-service/index.html").read_text()
    assert 'content="https://scorecard.example.org/previews/fixture-service.png"' in provider
    assert 'og:url" content="https://scorecard.example.org/providers/fixture-service/"' in provider


def test_preview_images_are_1200_by_630_png(site):
    for path in (site / "previews").glob("*.png"):
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (1200, 630)


def test_feeds_parse_as_atom(site):
    for path in [site / "feeds/changes.xml", *(site / "feeds/providers").glob("*.xml")]:
        root = ET.fromstring(path.read_bytes())
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text


def test_security_txt_has_contact_and_expiry_from_as_of(site):
    text = (site / ".well-known/security.txt").read_text()
    assert "Contact: https://github.com/example/scorecard/security/advisories/new" in text
    assert "Expires: 2027-11-27T00:00:00Z" in text


def test_provider_page_offers_badge_snippets_and_citation(site):
    html = (site / "providers/fixture-service/index.html").read_text()
    assert "[![Messenger Defense Scorecard: Fixture Service](https://scorecard.example.org/badges/fixture-service.svg)]" in html
    assert "&lt;img src=&#34;https://scorecard.example.org/badges/fixture-service.svg&#34;" in html or "&lt;img src=\"https://scorecard.example.org/badges/fixture-service.svg\"" in html
    assert "Cite this page" in html and "data as of 2026-11-27" in html
    assert 'href="https://github.com/example/scorecard/edit/main/data/providers/fixture-service.yaml"' in html


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_history_from_git_lists_level_changes(project):
    path = project / "data/providers/fixture-service.yaml"
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Add fixtures", date="2026-01-10T10:00:00+00:00")
    path.write_text(path.read_text().replace("level: partial", "level: full").replace("  - criterion: de-monitoring", "  - criterion: de-monitorin-x\n    level: n/a\n    verified: 2026-01-10\n    provenance: vendor-asserted\n  - criterion: de-monitoring", 0))
    _git(project, "commit", "-q", "-am", "Security contact: security.txt found", date="2026-02-01T09:00:00+00:00")
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.note == ""
    assert [e.subject for e in h.entries] == ["Security contact: security.txt found", "Add fixtures"]
    newest = h.entries[0]
    assert [(c.criterion, c.old, c.new) for c in newest.changes] == [("id-security-contact", "partial", "full")]
    assert h.entries[1].created
    # The built page and the feeds show it.
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    page = (project / "site/providers/fixture-service/index.html").read_text()
    assert "Security contact: security.txt found" in page and "Partial → Full" in page
    feed = ET.fromstring((project / "site/feeds/changes.xml").read_bytes())
    assert len(feed.findall(f"{ATOM}entry")) == 3  # two commits for one provider, one for the other


def test_history_outside_git_says_so(project):
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.entries == [] and "No git history" in h.note
