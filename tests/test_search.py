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


def test_page_urls_follow_directory_urls():
    from generator import search

    assert search._url("index.md") == ""
    assert search._url("matrix.md") == "matrix/"
    assert search._url("providers/index.md") == "providers/"
    assert search._url("providers/fixture-service.md") == "providers/fixture-service/"
    assert search._url("criteria/index/index.md") == "criteria/index/"  # only the last "index" goes


def test_only_generated_pages_leave_the_plugin_and_their_front_matter_is_kept():
    from generator import search

    pages = {
        "index.md": "---\ntitle: Home\n---\n# Home\n",
        "matrix.md": "# Matrix\n",
        "providers/a.md": "---\ntitle: A\ndescription: d\n---\nbody ---\n",
        "providers/a/b.md": "# Deeper\n",
        "criteria/c.md": "text",
        "about.md": "---\ntitle: About\n---\n",
        "xindex.md": "# X\n",
        "index.mdx": "# X\n",
    }
    out = search.exclude_from_plugin(pages)
    assert list(out) == list(pages)
    assert out["index.md"] == "---\ntitle: Home\nsearch:\n  exclude: true\n---\n# Home\n"
    assert out["matrix.md"] == "---\nsearch:\n  exclude: true\n---\n# Matrix\n"
    assert out["providers/a.md"] == "---\ntitle: A\ndescription: d\nsearch:\n  exclude: true\n---\nbody ---\n"
    assert out["criteria/c.md"] == "---\nsearch:\n  exclude: true\n---\ntext"
    for kept in ("providers/a/b.md", "about.md", "xindex.md", "index.mdx"):
        assert out[kept] == pages[kept], kept


def test_other_generated_pages_are_found_by_title_then_heading_then_path_escaped_once():
    from generator import search

    entry = search._page_entry
    assert entry("index.md", '---\ntitle: "A &amp; B <c>"\ndescription: "x &lt; y"\n---\n# Heading\n') == {
        "location": "",
        "title": "A &amp; B &lt;c&gt;",
        "text": "x &lt; y",
    }
    assert entry("matrix.md", "---\nhide: [toc]\n---\n#  Spaced &amp; heading  \nmore\n# Second\n") == {
        "location": "matrix/",
        "title": "Spaced &amp; heading",
        "text": "",
    }
    assert entry("providers/index.md", "no heading here\n#not a heading\n") == {"location": "providers/", "title": "providers/index.md", "text": ""}
    assert entry("criteria/index.md", "---\n---\n## Sub\n") == {"location": "criteria/", "title": "criteria/index.md", "text": ""}
    assert entry("index.md", "---\ntitle: Front\n---\n# Heading\n")["title"] == "Front"
    # quotes stay as they are: the index's strings are HTML text, not attribute values (as the theme's own)
    assert entry("index.md", '---\ntitle: \'It\'\'s "x"\'\ndescription: "don\'t \\"y\\""\n---\n') == {
        "location": "",
        "title": 'It\'s "x"',
        "text": 'don\'t "y"',
    }


def test_the_data_index_is_compact_json_in_page_order(project):
    import json as json_module

    from generator import score, search
    from generator.check import check_tree

    dataset, problems = check_tree(project, AS_OF)
    assert not problems
    scores = score.score_all(dataset, AS_OF)
    pages = {
        "providers/fixture-software.md": "",
        "about.md": "# About\n",
        "criteria/de-monitoring.md": "",
        "criteria/xfixture-software.md": "# Not a provider\n",  # only providers/ pages are providers' entries
        "providers/nobody.md": "# Nobody é\n",
    }
    data = search.data_index(pages, dataset, scores)
    assert data.startswith(b'{"docs":[{"location":"providers/fixture-software/","title":"Fixture &lt;Software&gt;","text":"Self-hostable')
    assert data.endswith(b'{"location":"providers/nobody/","title":"Nobody \xc3\xa9","text":""}]}\n')  # UTF-8, not \\u-escaped
    docs = json_module.loads(data)["docs"]
    assert [d["location"] for d in docs] == [
        "providers/fixture-software/",
        "providers/fixture-software/#gv-security-ownership",
        "providers/fixture-software/#id-security-contact",
        "providers/fixture-software/#pr-e2ee-default",
        "criteria/de-monitoring/",
        "criteria/xfixture-software/",
        "providers/nobody/",
    ]
    software = dataset.providers["fixture-software"]
    assert docs[0] == {
        "location": "providers/fixture-software/",
        "title": "Fixture &lt;Software&gt;",
        "text": f"Self-hostable software. {software.summary}",
    }
    assert docs[1]["title"] == dataset.criteria["gv-security-ownership"].title and docs[1]["text"] == "Fixture &lt;Software&gt;: Partial"
    monitoring = dataset.criteria["de-monitoring"]  # from the data, not from the page (empty here)
    assert docs[4] == {"location": "criteria/de-monitoring/", "title": monitoring.title, "text": monitoring.question}
    assert docs[5] == {"location": "criteria/xfixture-software/", "title": "Not a provider", "text": ""}
    assert docs[-1] == {"location": "providers/nobody/", "title": "Nobody é", "text": ""}
