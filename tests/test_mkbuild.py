"""mkbuild.py: the multi-process MkDocs build writes exactly what `mkdocs build` writes, and fails as it does."""

from __future__ import annotations

import gc
import logging
import os

import pytest
from mkdocs.commands.build import build as plain_build
from mkdocs.config import load_config

from generator import build, mkbuild

from .conftest import AS_OF, run, tree_bytes


def _config(project, site, **kw):
    os.environ["SOURCE_DATE_EPOCH"] = build.source_date_epoch(AS_OF)
    config = load_config(
        config_file=str(project / "mkdocs.yml"), docs_dir=str(project / "build/docs"), site_dir=str(project / site), strict=True, **kw
    )
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config.plugins.on_startup(command="build", dirty=False)  # plugin instances are shared by the process
    return config


def test_parallel_build_equals_plain_mkdocs_build(project):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)  # writes build/docs
    assert code == 0, err
    # Material's search plugin strips data-search-* attributes (mkbuild skips that on pages without one).
    about = project / "build/docs/about.md"
    about.write_text(about.read_text() + '\n<p data-search-exclude="yes">Kept out of search.</p>\n')
    config = _config(project, "plain")
    assert mkbuild.supported(config)
    plain_build(config)
    mkbuild.build(_config(project, "parallel"), workers=2)
    mkbuild.build(_config(project, "three"), workers=3)
    assert gc.get_freeze_count() == 0  # frozen for the build only: a later build in this process (serve) collects as usual
    plain, parallel = tree_bytes(project / "plain"), tree_bytes(project / "parallel")
    assert sorted(plain) == sorted(parallel)
    assert [p for p in plain if plain[p] != parallel[p]] == []
    assert tree_bytes(project / "three") == plain
    assert b"Kept out of search." in parallel["about/index.html"] and b"data-search-exclude" not in parallel["about/index.html"]


def test_pages_built_in_a_worker_get_the_same_template_context_as_in_mkdocs_build(tmp_path, monkeypatch):
    """A theme template may list every page (`pages`, as MkDocs' sitemap does): a page built by a
    forked worker shows the same list as in `mkdocs build`."""
    (tmp_path / "docs").mkdir()
    for name in ("index", "a", "b"):
        (tmp_path / f"docs/{name}.md").write_text(f"# Page {name}\n")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ super() }}<p id="all">{% for f in pages %}{{ f.src_uri }} {% endfor %}</p>{% endblock %}'
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: Tiny\ntheme:\n  name: mkdocs\n  custom_dir: theme\nplugins: []\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", build.source_date_epoch(AS_OF))

    def config(site):
        return load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / site), strict=True)

    plain_build(config("plain"))
    forked = "b.md"
    monkeypatch.setattr(mkbuild, "_taken", lambda pages, share, worker: [p for p in pages if (p.file.src_uri == forked) == (worker == 1)])
    parallel = config("parallel")
    assert mkbuild.supported(parallel)
    mkbuild.build(parallel, workers=2)
    plain, built = tree_bytes(tmp_path / "plain"), tree_bytes(tmp_path / "parallel")
    assert b'<p id="all">index.md a.md b.md </p>' in plain["b/index.html"]
    assert sorted(built) == sorted(plain) and [p for p in plain if built[p] != plain[p]] == []


def test_parallel_build_fails_in_strict_mode_on_a_warning_in_a_worker(project, monkeypatch):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    # A Markdown link to a missing page is a warning; the page is built by the forked worker alone.
    broken = "criteria/de-monitoring.md"
    page = project / "build/docs" / broken
    page.write_text(page.read_text() + "\n[missing](no-such-page.md)\n")
    monkeypatch.setattr(mkbuild, "_taken", lambda pages, share, worker: [p for p in pages if (p.file.src_uri == broken) == (worker == 1)])
    from mkdocs.exceptions import Abort

    for workers in (1, 2):
        with pytest.raises(Abort, match="strict mode"):
            mkbuild.build(_config(project, f"site{workers}"), workers=workers)


def test_unsupported_configuration_falls_back_to_plain_mkdocs(project):
    run("build", "--as-of", str(AS_OF), root=project)
    config = _config(project, "other", plugins=["search", "tags"])
    assert not mkbuild.supported(config)


def test_only_extensions_that_keep_no_state_are_made_once_with_their_options(project):
    from markdown.extensions.toc import TocExtension

    run("build", "--as-of", str(AS_OF), root=project)
    config = _config(project, "once", markdown_extensions=[{"toc": {"permalink": True}}, "tables", "footnotes"])
    mkbuild.set_aside_raw_html(config)
    made = {type(ext).__name__: ext for ext in config.markdown_extensions if not isinstance(ext, str)}
    assert "footnotes" in config.markdown_extensions  # keeps its notes per document: made afresh for each page
    assert isinstance(made["TocExtension"], TocExtension) and made["TocExtension"].getConfig("permalink") is True
    assert {"TableExtension", "FencedCodeExtension", "PassThrough"} <= set(made)


def test_data_files_are_linked_not_copied_and_a_later_generation_leaves_the_site_alone(project):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    mkbuild.build(_config(project, "linked"), workers=2)
    source, published = project / "build/docs/api/v1/index.json", project / "linked/api/v1/index.json"
    assert published.stat().st_ino == source.stat().st_ino  # one file, two names
    before = published.read_bytes()
    build.write_if_changed(project / "build/docs", "api/v1/index.json", b"{}")  # what the next generation does
    assert source.read_bytes() == b"{}"
    assert published.read_bytes() == before


def test_the_theme_files_kept_between_rebuilds_follow_the_theme_folders_and_yield_to_docs_files(project, monkeypatch):
    """serve's rebuilds list the theme's static files once (mkbuild._ThemeFiles): the same files as
    MkDocs' own listing, also after a file is added to the theme's custom folder or one of the docs
    folder replaces a theme file."""
    from mkdocs.structure.files import get_files

    monkeypatch.setattr(mkbuild, "_THEME_FILES", mkbuild._ThemeFiles())
    (project / "build/docs").mkdir(parents=True)
    (project / "build/docs/index.md").write_text("# Home\n")

    def both():
        config = _config(project, "site")
        env = config.theme.get_env()
        plain, kept = get_files(config), get_files(config)
        plain.add_files_from_theme(env, config)
        mkbuild._THEME_FILES.add_to(kept, env, config)
        # The same File objects: each field MkDocs' repr shows (src_dir, dest_dir, use_directory_urls, …), then the paths and the url.
        listing = [(f.src_uri, repr(f), f.abs_src_path, f.abs_dest_path, f.url) for f in plain]
        assert [(f.src_uri, repr(f), f.abs_src_path, f.abs_dest_path, f.url) for f in kept] == listing
        return {uri for uri, *_ in listing}

    first = both()
    added = project / "overrides/assets/images/added-by-test.svg"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("<svg/>")
    assert "assets/images/added-by-test.svg" in both() - first
    theme_file = sorted(uri for uri in first if uri.endswith(".css"))[0]
    (project / "build/docs" / theme_file).parent.mkdir(parents=True, exist_ok=True)
    (project / "build/docs" / theme_file).write_text("/* from the docs folder */")
    both()


def test_the_menu_off_the_menu_is_rendered_once_per_set_of_relative_links():
    from types import SimpleNamespace

    import jinja2

    # A stand-in menu that shows the page's title: it reveals which rendering a page was given.
    env = jinja2.Environment(loader=jinja2.DictLoader({"partials/nav.html": "{{ page.title }}", "partials/tabs.html": "tabs"}))
    nav = SimpleNamespace(pages=[SimpleNamespace(url="providers/")], homepage=SimpleNamespace(url=""))
    config = SimpleNamespace(extra={}, theme={})
    mkbuild._menus_once(env, nav, config)
    original = env.get_template("partials/nav.html").root_render_func.__wrapped__
    mkbuild._menus_once(env, nav, config)  # as a second build in one process would
    template = env.get_template("partials/nav.html")
    assert template.root_render_func.__wrapped__ is original  # wraps the theme's function, not the first wrapper

    def shown(url: str, title: str) -> str:
        return template.render(page=SimpleNamespace(url=url, title=title))

    assert shown("providers/a/", "A") == "A"
    assert shown("providers/b/", "B") == "A"  # same links from here: the first rendering is reused
    assert shown("criteria/c/", "C") == "C"  # the link to providers/ differs: rendered anew
    assert shown("providers/", "Index") == "Index"  # a page of the menu has links of its own


def test_pages_are_handed_out_largest_first_each_once_to_whichever_process_asks(tmp_path):
    from types import SimpleNamespace

    from generator.parallel import Share

    pages = []
    for name, size in (("b.md", 30), ("a.md", 30), ("c.md", 500), ("d.md", 1)):
        (tmp_path / name).write_text("x" * size)
        pages.append(SimpleNamespace(file=SimpleNamespace(src_uri=name, abs_src_path=str(tmp_path / name))))
    order = mkbuild._largest_first(pages)  # type: ignore[arg-type]
    assert [p.file.src_uri for p in order] == ["c.md", "a.md", "b.md", "d.md"]  # equal sizes by name
    share = Share(len(order))
    first, second = mkbuild._taken(order, share, 0), mkbuild._taken(order, share, 1)
    taken = [next(first).file.src_uri, next(second).file.src_uri, next(second).file.src_uri, next(first).file.src_uri]
    assert taken == ["c.md", "a.md", "b.md", "d.md"]
    assert list(first) == [] and list(second) == []


def test_a_page_titled_by_the_nav_configuration_is_converted_once_in_its_worker(project, monkeypatch):
    """Only menu pages whose title must come from their content are converted before the workers start."""
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    # No front matter: mkdocs.yml's nav (`Security: security.md`) alone gives this page its title.
    (project / "build/docs/security.md").write_text("# Security\n\nA page without front matter.\n")
    from mkdocs.commands import build as mkdocs_build

    converted: list[str] = []
    real = mkdocs_build._populate_page

    def spy(page, config, files, *args, **kwargs):
        converted.append(page.file.src_uri)
        return real(page, config, files, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_populate_page", spy)
    monkeypatch.setattr(mkbuild, "_taken", lambda pages, share, worker: pages if worker == 0 else [])  # all in this process
    mkbuild.build(_config(project, "site2"), workers=2)
    assert converted.count("security.md") == 1


def test_a_failure_in_a_forked_worker_fails_the_build_with_its_traceback(project, monkeypatch):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err

    def taken(pages, share, worker):
        if worker == 1:
            raise ValueError("a page broke in the worker")
        return pages

    monkeypatch.setattr(mkbuild, "_taken", taken)
    with pytest.raises(RuntimeError, match="MkDocs build worker failed: ValueError: a page broke in the worker") as info:
        mkbuild.build(_config(project, "failing"), workers=2)
    assert "in the build worker" in str(info.value) and "in taken" in str(info.value)
