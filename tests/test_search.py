"""search.py: the site search holds what readers look for (names, summaries, claim headlines), not every source title."""

from __future__ import annotations

import json

from .conftest import AS_OF, run


def _indexes(project):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    plugin = json.loads((project / "site/search/search_index.json").read_text())
    data = json.loads((project / "site/search/data_index.json").read_text())
    return plugin["docs"], data["docs"]


def test_index_holds_names_summaries_and_claim_headlines(project):
    plugin, data = _indexes(project)
    by_location = {d["location"]: d for d in data}
    service = by_location["providers/fixture-service/"]
    assert service["title"] == "Fixture Service" and "Hosted service." in service["text"]
    claim = by_location["providers/fixture-service/#id-security-contact"]
    assert claim["title"] and claim["text"].startswith("Fixture Service: ")
    assert by_location["criteria/de-monitoring/"]["text"]  # the criterion's question
    # Escaped as the theme's own index is: the search UI inserts titles as HTML.
    assert by_location["providers/fixture-software/"]["title"] == "Fixture &lt;Software&gt;"
    # Hand-written pages stay in the theme's index; generated provider and criterion pages do not.
    locations = {d["location"].split("#")[0] for d in plugin}
    assert "about/" in locations
    assert not [loc for loc in locations if loc.startswith(("providers/", "criteria/")) or loc in ("", "matrix/")]


def test_index_leaves_out_source_titles_and_snippets(project):
    plugin, data = _indexes(project)
    text = json.dumps(plugin + data)
    for noise in ("SECURITY.md", "(primary source)", "Embed a badge", "Suggested citation", "Atom feed for"):
        assert noise not in text, noise


def test_generated_pages_are_excluded_from_the_search_plugin(project):
    run("build", "--as-of", str(AS_OF), root=project)
    page = (project / "build/docs/providers/fixture-service.md").read_text()
    front = page.split("---\n")[1]
    assert "search:\n  exclude: true\n" in front and "title:" in front
