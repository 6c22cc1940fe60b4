"""build.py end to end on the fixture project: pages, determinism, failures leave the site alone."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from generator import build, registry, render, score, search

from .conftest import AS_OF, run, tree_bytes


def do_build(project: Path, site: str = "site", **kw) -> Path:
    code, out, err = run("build", "--as-of", str(AS_OF), "--site-dir", site, root=project, **kw)
    assert code == 0, err
    return project / site


def test_build_makes_every_page(project):
    site = do_build(project)
    for path in [
        "index.html",
        "matrix/index.html",
        "methodology/index.html",
        "methodology/grid/index.html",
        "providers/index.html",
        "criteria/index.html",
        "self-hosting/index.html",
        "providers/fixture-service/index.html",
        "providers/fixture-software/index.html",
        "api/v1/index.json",
        "downloads/scorecard.csv",
        "badges/fixture-service.svg",
        "providers/old-fixture-service/index.html",
    ]:
        assert (site / path).is_file(), path
    for cid in ["gv-security-ownership", "id-security-contact", "pr-e2ee-default", "de-monitoring", "rs-postmortems", "rc-status-page"]:
        page = (site / f"criteria/{cid}/index.html").read_text()
        # Each criterion page lists every provider.
        assert "Fixture Service" in page and "Fixture &lt;Software&gt;" in page


def test_generated_pages_say_do_not_edit_and_go_to_staging(project):
    do_build(project)
    page = (project / "build/docs/providers/fixture-service.md").read_text()
    assert "Do not edit" in page and "data/providers/fixture-service.yaml" in page


def test_contributor_text_cannot_inject_html(project):
    site = do_build(project)
    html = (site / "providers/fixture-service/index.html").read_text()
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert "&lt;Software&gt;" in (site / "providers/fixture-software/index.html").read_text()


def test_claim_anchors_exist_for_every_matrix_link(project):
    site = do_build(project)
    matrix = (site / "matrix/index.html").read_text()
    links = re.findall(r'href="\.\./providers/([a-z0-9-]+)/#([a-z0-9-]+)"', matrix)
    assert links
    for pid, anchor in links:
        page = (site / f"providers/{pid}/index.html").read_text()
        assert f'id="{anchor}"' in page, (pid, anchor)


def test_two_builds_are_byte_identical(project):
    first = tree_bytes(do_build(project, "site-a"))
    second = tree_bytes(do_build(project, "site-b"))
    assert first.keys() == second.keys()
    different = [k for k in first if first[k] != second[k]]
    assert different == []


def test_failed_build_leaves_previous_site_untouched(project):
    site = do_build(project)
    before = tree_bytes(site)
    path = project / "data/providers/fixture-service.yaml"
    path.write_text(path.read_text().replace("security-txt: not-found", "security-txt: partly"))
    code, out, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 1
    assert "error:" in err and "left untouched" in err and "Traceback" not in err
    assert tree_bytes(site) == before


def test_mkdocs_failure_leaves_previous_site_untouched(project):
    site = do_build(project)
    before = tree_bytes(site)
    (project / "docs/broken.md").write_text("[dead link](nowhere.md)\n")  # strict mode turns this warning into an error
    code, out, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "left untouched" in err
    assert tree_bytes(site) == before
    assert not list(project.glob("site.*"))  # no temporary folders left behind


def test_methodology_page_follows_scoring_constants(project, monkeypatch):
    site = do_build(project)
    page = (site / "methodology/index.html").read_text()
    assert "at least\n<strong>80 %</strong>" in page or "<strong>80 %</strong>" in page
    assert "counts 50 % of that" in page and "Methodology 2.0" in page
    monkeypatch.setattr(score, "COVERAGE_GATE", 0.55)
    monkeypatch.setattr(score, "STALE_FACTOR", score.Fraction(1, 4))
    monkeypatch.setattr(score, "METHODOLOGY_VERSION", "9.9")
    monkeypatch.setitem(registry.LEVEL, "partial", dataclasses.replace(registry.LEVEL["partial"], meaning="some requirement is met"))
    site = do_build(project, "site-2")
    page = (site / "methodology/index.html").read_text()
    assert "<strong>55 %</strong>" in page and "80 %" not in page
    assert "counts 25 % of that" in page and "Methodology 9.9" in page
    assert re.search(r"Partial</span></th><td><p>Some requirement is met\.</p></td>", page)


def test_as_of_date_is_an_input(project):
    html_a = (do_build(project, "site-a") / "index.html").read_text()
    code, _, err = run("build", "--as-of", "2026-12-01", "--site-dir", "site-b", root=project)
    assert code == 0, err
    html_b = (project / "site-b/index.html").read_text()
    assert "2026-11-27" in html_a and "2026-12-01" in html_b


def test_hand_written_page_cannot_shadow_a_generated_one(project):
    (project / "docs/matrix.md").write_text("# mine\n")
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 1 and "docs/matrix.md:1:1: error: this path is generated" in err


def test_a_page_and_an_export_at_the_same_path_are_refused_naming_each_path():
    """rules.RESERVED_IDS keeps ids off the generated paths; should one slip through, no output replaces another."""
    assert build._refuse_clashes(["index.md", "providers/x.md"], ["api/v1/index.json"]) is None
    with pytest.raises(build.DataError) as info:
        build._refuse_clashes(["index.md", "api/v1/x.json", "a.csv"], ["a.csv", "api/v1/x.json", "api/v1/index.json"])
    assert [p.format() for p in info.value.problems] == [
        f"data/providers:1:1: error: generated file {path} would be written twice\n  hint: an id or alias collides with a generated path; rename it"
        for path in ("a.csv", "api/v1/x.json")
    ]


def test_workers_are_scorecard_workers_else_the_usable_cores_at_most_four(monkeypatch):
    monkeypatch.setenv("SCORECARD_WORKERS", "3")
    assert build.workers() == 3
    monkeypatch.setenv("SCORECARD_WORKERS", "12")
    assert build.workers() == 12  # asked for: not capped
    usable: dict[int, set[int]] = {0: {0, 1}}  # this process (pid 0) may run on two of the machine's cores
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: usable[pid], raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    monkeypatch.setenv("SCORECARD_WORKERS", "1")
    assert build.workers() == 1  # one process: plain `mkdocs build`
    for unset in ("0", "-2", "two", ""):  # not a positive number: the usable cores
        monkeypatch.setenv("SCORECARD_WORKERS", unset)
        assert build.workers() == 2
    monkeypatch.delenv("SCORECARD_WORKERS")
    assert build.workers() == 2
    usable[0] = set(range(8))
    assert build.workers() == 4
    monkeypatch.delattr(os, "sched_getaffinity")  # not on macOS or Windows: the machine's cores
    assert build.workers() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert build.workers() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # undeterminable
    assert build.workers() == 1


def test_staging_sync_removes_stale_files(tmp_path):
    build.sync_tree({"a.md": b"1", "d/b.md": b"2"}, tmp_path)
    assert build.sync_tree({"a.md": b"1"}, tmp_path) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md"]
    # nested folders: stale files go, folders left empty go (deepest first), kept files and their folders stay
    build.sync_tree({"a.md": b"1", "x/y/z/old.md": b"2", "x/keep.md": b"3", "x/y/w/old.md": b"4", "e/f/old.md": b"5"}, tmp_path)
    (tmp_path / "x/y/empty").mkdir()
    assert build.sync_tree({"a.md": b"1", "x/keep.md": b"3"}, tmp_path) == 3
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["a.md", "x", "x/keep.md"]


def test_provider_page_shows_the_requirement_checklist_and_dates(project):
    site = do_build(project)
    html = (site / "providers/fixture-service/index.html").read_text()
    claim = html[html.index('id="id-security-contact"') : html.index('id="de-monitoring"')]
    assert "1 of 2 requirements met" in claim and "50 points" in claim
    assert 'Evidence date: <time datetime="2025-12-01">' in claim and "Reviewed <time" in claim and "no second review yet" in claim
    row = re.search(r'<li>[^\n]*<a href="../../criteria/id-security-contact/#id-security-contact/dedicated-contact">.*?</li>', claim).group(0)
    assert '<strong class="sc-status--met">Met</strong>' in row and 'href="#id-security-contact-source-1"' in row
    row = re.search(r'<li>[^\n]*<a href="../../criteria/id-security-contact/#id-security-contact/security-txt">.*?</li>', claim).group(0)
    assert '<strong class="sc-status--not-found">Not found</strong>' in row and "source-" not in row
    assert 'id="id-security-contact-source-1"' in claim and "language: <code>de</code>" in claim and "published 2025-12-01" in claim
    gov = html[html.index('id="gv-security-ownership"') : html.index('id="id-security-contact"')]
    assert 'second review <time datetime="2026-01-12">' in gov and "seen current 2026-01-10" in gov and "language:" not in gov
    status = html[html.index('id="rc-status-page"') :]
    assert "(stale)" in status and "dated 2020-01-10" in status and "counts half" in status
    soft = (site / "providers/fixture-software/index.html").read_text()
    assert "Contradicted" in soft and ", undated," in soft and "66.67 points" in soft


def test_criterion_page_lists_requirements_with_full_id_anchors(project):
    site = do_build(project)
    html = (site / "criteria/id-security-contact/index.html").read_text()
    assert '<li id="id-security-contact/security-txt"><code>id-security-contact/security-txt</code>' in html
    assert "The provider states that it does not accept vulnerability reports." in html  # the criterion's `no` text
    # Every requirement link on provider pages lands on an anchor of its criterion page.
    for provider in ("fixture-service", "fixture-software"):
        page = (site / f"providers/{provider}/index.html").read_text()
        for cid, anchor in re.findall(r'href="\.\./\.\./criteria/([a-z0-9-]+)/#([^"]+)"', page):
            assert f'id="{anchor}"' in (site / f"criteria/{cid}/index.html").read_text(), (cid, anchor)


def test_how_we_review_and_changelog_are_published(project):
    site = do_build(project)
    review = (site / "methodology/review/index.html").read_text()
    for words in ("What <code>met</code> requires", "Two reviewers", "When reviewers disagree", "How a provider responds"):
        assert words in review, words
    changelog = (site / "methodology/changelog/index.html").read_text()
    assert "2.0" in changelog and "Requirement-level assessment" in changelog and "Freshness from the evidence date" in changelog
    methodology = (site / "methodology/index.html").read_text()
    assert 'href="review/"' in methodology or 'href="../review/"' in methodology


def test_generation_keeps_the_dataset_out_of_garbage_collections(project, monkeypatch):
    """generate_into freezes what exists once the data is checked and scored (gc.freeze: the collector
    no longer walks it while pages and exports are made), and unfreezes it at the end, even on failure;
    the same for Jinja's check of template files."""
    import gc

    seen = []

    def render_nothing(*args):
        seen.append((gc.get_freeze_count(), render.environment().auto_reload))
        raise RuntimeError("stop")

    monkeypatch.setattr(build, "_generate_into", render_nothing)
    with pytest.raises(RuntimeError):
        build.generate_into(build.Settings(project, AS_OF), project / "staging")
    assert seen and seen[0][0] > 0 and gc.get_freeze_count() == 0
    # nor does Jinja check the template files before each page while generating (and does again after)
    assert seen[0][1] is False and render.environment().auto_reload is True


def test_streamed_generation_writes_the_same_tree_as_assemble(project, monkeypatch):
    """A one-off build writes pages one at a time and the exports from a second process; serve and
    the tests use assemble(). Both must give the same build/docs."""
    settings = build.Settings(project, AS_OF)
    for workers in ("1", "2"):
        monkeypatch.setenv("SCORECARD_WORKERS", workers)
        streamed = project / f"streamed-{workers}"
        (streamed / "stale.md").parent.mkdir(parents=True)
        (streamed / "stale.md").write_text("left from an earlier build")
        said, said_whole = [], []
        count = build.generate_into(settings, streamed, said.append)
        whole = project / "whole"
        files = build.assemble(settings, said_whole.append)
        build.sync_tree(files, whole)
        assert tree_bytes(streamed) == tree_bytes(whole)
        assert count == len(tree_bytes(whole))
        # Both say the same: the pages (Markdown) apart from the data files (the search index among them).
        generated = set(files) - set(build.hand_written(project))
        pages = sum(path.endswith(".md") for path in generated)
        assert pages > 0 and search.DATA_INDEX in generated
        assert said[-1] == said_whole[-1] == f"generated {pages} pages and {len(generated) - pages} data files"


# --- workspace.py: the project copies the tests and benchmarks build from (mutation testing) -------


def test_copy_project_copies_the_skeleton_and_only_the_data_asked_for(tmp_path):
    from generator import workspace

    from .conftest import FIXTURES, ROOT

    dest = workspace.copy_project(ROOT, tmp_path / "new" / "project", data_folders=("collect",))
    assert dest == tmp_path / "new" / "project"
    assert sorted(p.name for p in dest.iterdir()) == ["data", "docs", "mkdocs.yml", "overrides"]
    assert sorted(p.name for p in (dest / "data").iterdir()) == [
        "collect",
        "criteria",
        "framework.yaml",
        "funders.yaml",
        "maintainers.yaml",
        "providers",
        "schema",
        "source-policy.yaml",
    ]
    assert list((dest / "data/providers").iterdir()) == []  # no providers unless asked for
    for folder in ("data/criteria", "data/collect", "data/schema", "docs", "overrides"):
        assert tree_bytes(dest / folder) == tree_bytes(ROOT / folder), folder
    assert (dest / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes()
    assert (dest / "data/framework.yaml").read_bytes() == (ROOT / "data/framework.yaml").read_bytes()
    chosen = workspace.copy_project(ROOT, tmp_path / "fixtures", criteria=FIXTURES / "criteria", providers=FIXTURES / "providers")
    assert tree_bytes(chosen / "data/criteria") == tree_bytes(FIXTURES / "criteria")
    assert tree_bytes(chosen / "data/providers") == tree_bytes(FIXTURES / "providers")
    assert not (chosen / "data/collect").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert workspace.copy_project(ROOT, empty) == empty  # an existing empty folder is fine


def test_synthetic_providers_validate_and_assess_every_applicable_criterion(project):
    from generator import workspace
    from generator.check import check_tree

    criteria = list(check_tree(project, AS_OF)[0].criteria.values())
    made = {3: ("service", ""), 4: ("software", ""), 5: ("both", "Five & Co")}
    for i, (kind, name) in made.items():
        (project / f"data/providers/synthetic-{i:04d}.yaml").write_text(workspace.synthetic_provider(i, criteria, kind, name))
    dataset, problems = check_tree(project, AS_OF)
    assert problems == [], [p.format() for p in problems]
    for i, (kind, name) in made.items():
        provider = dataset.providers[f"synthetic-{i:04d}"]
        assert (provider.name, provider.kind.value, str(provider.website)) == (
            name or f"Synthetic provider {i:04d}",
            kind,
            f"https://synthetic-{i:04d}.example.org/",
        )
        wanted = [c.id for c in criteria if kind == "both" or kind in c.scope]
        assert [a.criterion for a in provider.assessments] == wanted
        for a in provider.assessments:
            shown = sorted(r for r, s in a.requirements.items() if s.value != "not-found")
            assert [str(s.url) for s in a.sources] == [f"https://synthetic-{i:04d}.example.org/security/{a.criterion}"]
            assert sorted(a.sources[0].supports) == shown
    text = (project / "data/providers/synthetic-0003.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/provider.schema.json\nid: synthetic-0003\n")
    assert "\nsummary: A synthetic provider generated by the benchmark.\nassessments:\n" in text
    statuses = [{r: s.value for r, s in a.requirements.items()} for a in dataset.providers["synthetic-0003"].assessments]
    assert len({tuple(s.values()) for s in statuses}) > 1  # the statuses vary
    assert {v for s in statuses for v in s.values()} == {"met", "not-found", "contradicted"}


def test_the_footer_settings_drop_only_the_trailing_slash_of_the_repository_address(tmp_path):
    # A repository whose name ends in a capital X: only the "/" goes, as in the pages' edit links.
    settings = build.Settings(tmp_path, AS_OF, repository_url="https://github.com/example/ScorecardX/", contact_email="reply@example.org")
    assert build.theme_extra(settings) == {
        "as_of": "2026-11-27",
        "repository_url": "https://github.com/example/ScorecardX",
        "contact_email": "reply@example.org",
    }
    assert settings.options.repository_url == "https://github.com/example/ScorecardX"


def test_chunks_are_written_as_they_come_and_an_unchanged_file_is_left_alone(tmp_path):
    from generator.outputs import Chunks

    made = []

    def pieces():
        for piece in (b"one,", b"two\n"):
            made.append(piece)
            yield piece

    assert build.write_if_changed(tmp_path, "downloads/x.csv", Chunks(pieces))
    target = tmp_path / "downloads/x.csv"
    assert target.read_bytes() == b"one,two\n" and made == [b"one,", b"two\n"]
    before = target.stat().st_ino
    assert not build.write_if_changed(tmp_path, "downloads/x.csv", Chunks(pieces))
    assert target.stat().st_ino == before and sorted(p.name for p in target.parent.iterdir()) == ["x.csv"]
    assert build.write_if_changed(tmp_path, "downloads/x.csv", Chunks(lambda: iter([b"three\n"])))
    assert target.read_bytes() == b"three\n" and sorted(p.name for p in target.parent.iterdir()) == ["x.csv"]
