"""MkDocs build on several cores, page by page: the same site as `mkdocs build`, faster and smaller.

`mkdocs build` converts every page to HTML, keeps all of them in memory, then renders every
page with the theme, one after the other on one core. This runs the same steps of MkDocs 1.6.1
(`mkdocs.commands.build`, whose functions it calls) in forked worker processes: each process
takes the next page not yet taken (largest first), converts and renders it, and frees it once written.
Navigation pages whose title comes from their content are converted by every worker (the menu
needs their titles). The parent merges what the workers collected (search entries in page
order, anchors for link validation, warning counts) and finishes as MkDocs does: link
validation, `post_build` (the search index), strict mode.

Where supported it also adds passthrough.py's Markdown extension, which skips parsing the
generated HTML blocks that Python-Markdown keeps unchanged anyway.

It is used only where it is known to give the same bytes as `mkdocs build`: MkDocs 1.6.1, POSIX
`fork`, and no plugin but Material's search (tests/test_mkbuild.py compares the two on the
fixture site). Anything else falls back to plain `mkdocs build`. `build/docs/` stays a plain
MkDocs (and Zensical) project either way.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .parallel import Background, Share

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils import CountHandler

log = logging.getLogger("mkdocs")


def supported(config: MkDocsConfig) -> bool:
    import mkdocs

    names = list(config.plugins.keys())
    return (
        mkdocs.__version__ == "1.6.1"
        and hasattr(os, "fork")
        and sys.platform != "darwin"
        and names in ([], ["material/search"], ["search"])
        and all(type(p).__module__ == "material.plugins.search.plugin" for p in config.plugins.values())
    )


def build(config: MkDocsConfig, workers: int = 2, dirty: bool = False) -> None:
    """Build the site like `mkdocs.commands.build.build(config, dirty=dirty)`, in `workers` processes
    when supported. `dirty` (for `scorecard serve`) converts and renders only pages whose source is
    newer than their output, and still gives every page the menu's titles."""
    from mkdocs.commands.build import build as plain

    if not supported(config):
        plain(config, dirty=dirty)
        return
    set_aside_raw_html(config)
    if workers < 2 and not dirty:
        plain(config, dirty=dirty)
        return
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        log.addHandler(counter)
    try:
        _build(config, workers, counter, dirty)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            log.error(str(exc))
            raise Abort("Aborted with a BuildError!") from exc
        raise
    finally:
        log.removeHandler(counter)


def set_aside_raw_html(config: MkDocsConfig) -> None:
    """Let Python-Markdown skip parsing the generated HTML blocks it would keep unchanged anyway
    (passthrough.py; the same HTML comes out, about twice as fast)."""
    from .passthrough import PassThrough

    if not any(isinstance(ext, PassThrough) for ext in config.markdown_extensions):
        config.markdown_extensions.append(PassThrough())  # MkDocs lists names; Python-Markdown takes instances too
    _made_once(config)


# Python-Markdown's own extensions that keep nothing from one document to the next (their
# processors are made anew for each converter), so one instance can serve every page.
REUSABLE = frozenset({"toc", "tables", "fenced_code", "admonition", "attr_list"})


def _made_once(config: MkDocsConfig) -> None:
    """MkDocs makes a Markdown converter for each page, and Python-Markdown then makes every
    extension named in the configuration afresh: half a millisecond a page. Named extensions that
    can be shared are made here once, with their configured options (`mdx_configs`), and passed
    as instances, which Python-Markdown uses as they are."""
    import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type hints

    maker = markdown.Markdown()
    config.markdown_extensions = [
        maker.build_extension(ext, config.mdx_configs.get(ext, {})) if isinstance(ext, str) and ext in REUSABLE else ext
        for ext in config.markdown_extensions
    ]


class _Bytecode:
    """Jinja's compiled theme templates kept between builds of one process (`serve` rebuilds a
    fresh theme environment each time). Keyed by template name and checked against a checksum of
    the template source, so an edited template is compiled again."""

    def __init__(self) -> None:
        import jinja2

        class Cache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.data: dict[str, bytes] = {}

            def load_bytecode(self, bucket: Any) -> None:
                if bucket.key in self.data:
                    bucket.bytecode_from_string(self.data[bucket.key])

            def dump_bytecode(self, bucket: Any) -> None:
                self.data[bucket.key] = bucket.bytecode_to_string()

        self.cache = Cache()


_BYTECODE: _Bytecode | None = None


def _theme_env(config: MkDocsConfig) -> Environment:
    global _BYTECODE
    env = config.theme.get_env()
    _BYTECODE = _BYTECODE or _Bytecode()
    env.bytecode_cache = _BYTECODE.cache
    return env


class _ThemeFiles:
    """`Files.add_files_from_theme` for the rebuilds of `serve`: the theme's static files (over
    14,000 names, each matched against MkDocs' exclusion patterns) are listed once and kept while
    the theme folders stay the same (a file added or removed changes its folder's modification
    time). As MkDocs does, a file of the docs folder takes precedence over a theme file."""

    def __init__(self) -> None:
        self.key: tuple[Any, ...] | None = None
        self.folders: list[str] = []
        self.state: tuple[int, ...] = ()
        self.found: list[tuple[str, str | None]] = []

    def _state(self) -> tuple[int, ...]:
        return tuple(os.stat(folder).st_mtime_ns if os.path.isdir(folder) else -1 for folder in self.folders)

    def add_to(self, files: Files, env: Environment, config: MkDocsConfig) -> None:
        from mkdocs.structure.files import File, Files

        key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
        if self.key != key or self._state() != self.state:
            every = Files([])
            every.add_files_from_theme(env, config)
            self.found = [(f.src_uri, f.src_dir) for f in every]
            self.folders = [folder for theme_dir in config.theme.dirs for folder, _, _ in os.walk(theme_dir)]
            self.key, self.state = key, self._state()
        for path, folder in self.found:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))


_THEME_FILES = _ThemeFiles()


def _search(config: MkDocsConfig) -> Any:
    plugins = list(config.plugins.values())
    return plugins[0] if plugins and getattr(plugins[0].config, "enabled", False) else None


def _quick_search_context(config: MkDocsConfig) -> None:
    """Material's search plugin removes `data-search-*` attributes from every page with a regular
    expression that starts with an optional space, so it is tried at every character (a millisecond
    per provider page). On a page without "data-search-" it cannot match: there the page is only
    indexed (the plugin's first step). `supported` pins the plugin this mirrors; test_mkbuild checks
    a page with such an attribute."""
    search = _search(config)
    if search is None:
        return
    original = search.on_page_context

    def on_page_context(context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if page.content is not None and "data-search-" not in page.content:
            search.search_index.add_entry_from_context(page)
            return None
        return original(context, page=page, config=config, nav=nav)

    events = config.plugins.events["page_context"]
    events[:] = [on_page_context if method == original else method for method in events]


# Theme parts that, on a page outside the menu, differ from one such page to the next only by links.
SAME_OFF_MENU = ("partials/nav.html", "partials/tabs.html")


def _menus_once(env: Environment, nav: Navigation, config: MkDocsConfig) -> None:
    """Material's menu (nav.html) and tabs (tabs.html) on a page that is not in the menu: no entry is
    marked active, so they depend on the page only through their links, which MkDocs makes relative
    to the page (a thousand provider pages render the same menu a thousand times, a millisecond
    each). Each part is rendered once per distinct set of those relative links (to every page of
    the menu, the home page, the logo) and reused. A page of the menu has a set of its own (only
    its own link is "./"), so it renders as usual. test_mkbuild compares the site with plain
    `mkdocs build`."""
    from jinja2 import TemplateNotFound
    from mkdocs.utils import get_relative_url

    targets = sorted({page.url for page in nav.pages} | {".", nav.homepage.url if nav.homepage else ""})
    targets += [str(value) for value in (config.extra.get("homepage"), config.theme.get("logo")) if value]
    for name in SAME_OFF_MENU:
        try:
            template = env.get_template(name)
        except TemplateNotFound:
            continue
        # The theme's own function, also where an earlier build in this process (serve) wrapped it.
        render = getattr(template.root_render_func, "__wrapped__", template.root_render_func)
        made: dict[tuple[str, ...], str] = {}

        def once(context: Any, render: Any = render, made: dict[tuple[str, ...], str] = made) -> Any:
            page = context.get("page")
            if page is None:  # the 404 page and the sitemap
                yield from render(context)
                return
            key = tuple(get_relative_url(target, page.url) for target in targets)
            if key not in made:
                made[key] = "".join(render(context))
            yield made[key]

        once.__wrapped__ = render  # type: ignore[attr-defined]  # a function attribute, as functools.wraps sets it
        template.root_render_func = once


def _largest_first(pages: list[Page]) -> list[Page]:
    """Pages by source size (a proxy for work), largest first, so that the last pages handed out are
    the small ones and both processes finish at about the same time; stable order."""
    sizes = {p.file.src_uri: os.path.getsize(p.file.abs_src_path or "") for p in pages}
    return sorted(pages, key=lambda p: (-sizes[p.file.src_uri], p.file.src_uri))


def _taken(pages: list[Page], share: Share, worker: int) -> Iterator[Page]:  # noqa: ARG001 - `worker` for tests that place a page
    """The pages this process builds: whichever is next when it is free (`share` hands each out once)."""
    return (pages[i] for i in share)


def _copy_static_files(config: MkDocsConfig, files: Files, dirty: bool) -> None:
    """`files.copy_static_files`, but a file from the docs folder is hard-linked into the site where
    the file system allows it: the build writes thousands of small data files (API, badges,
    previews, feeds), and a link is one system call where a copy is several. Safe because nothing
    writes into either copy in place: the generator replaces a changed file with a new one
    (build.write_if_changed), and each build makes a new site folder."""
    docs = os.path.realpath(config.docs_dir)
    made: set[str] = set()
    for file in files:
        if file.is_documentation_page() or not file.inclusion.is_included():  # type: ignore[no-untyped-call]  # unannotated in MkDocs
            continue
        src, dest = file.abs_src_path, file.abs_dest_path
        if dirty or file.generated_by or not src or not os.path.realpath(src).startswith(docs + os.sep):
            file.copy_file(dirty)
            continue
        folder = os.path.dirname(dest)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(src, dest)
        except OSError:  # another file system, or links not supported: copy as MkDocs does
            file.copy_file(dirty)


def _work(
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: Environment,
    doc_files: Sequence[File],
    mine: Iterable[Page],
    menu: set[str],
    counter: CountHandler,
) -> dict[str, Any]:
    """One worker: each of its pages converted, rendered, written, then freed."""
    from mkdocs.commands.build import _build_page, _populate_page

    search = _search(config)
    result: dict[str, Any] = {"search": {}, "anchors": {}, "links": {}}
    for page in mine:
        _populate_page(page, config, files)
        start = len(search.search_index.entries) if search else 0
        _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]  # MkDocs' enum method is unannotated
        uri = page.file.src_uri
        if search:
            result["search"][uri] = search.search_index.entries[start:]
            del search.search_index.entries[start:]
        result["anchors"][uri] = page.present_anchor_ids
        result["links"][uri] = {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()}
        if uri not in menu:  # streaming: nothing else needs this page's text any more
            page.markdown = page.content = None
            page.toc = []  # type: ignore[assignment]  # MkDocs' own reset value, as in its build
    result["counts"] = dict(counter.counts)
    return result


def _title_given(page: Page) -> bool:
    """True when the nav configuration gave the page its title (MkDocs stores it on the instance)."""
    return "title" in vars(page)


def _build(config: MkDocsConfig, workers: int, counter: CountHandler, dirty: bool = False) -> None:
    from mkdocs import utils
    from mkdocs.commands.build import _build_theme_template, _populate_page
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    inclusion = InclusionLevel.is_included
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    if not dirty:
        utils.clean_directory(config.site_dir)
    files = get_files(config)
    env = _theme_env(config)
    if dirty:
        _THEME_FILES.add_to(files, env, config)
    else:
        files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    doc_files = files.documentation_pages(inclusion=inclusion)
    for file in doc_files:
        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]  # unannotated in MkDocs
            Page(None, file, config)
    # Every page renders the menu, which needs the menu pages' front matter and titles. A title
    # that neither the nav configuration nor the front matter gives comes from the page's content:
    # such pages are converted here, before the workers start (they are small hand-written pages).
    menu = {p.file.src_uri for p in nav.pages}
    for page in nav.pages:
        page.read_source(config)
        if not _title_given(page) and "title" not in page.meta:
            _populate_page(page, config, files)
    env = config.plugins.on_env(env, config=config, files=files)
    _quick_search_context(config)
    _menus_once(env, nav, config)

    # Pages are handed out one at a time to whichever process is free (the parent first copies the
    # static files): a fixed split would leave one process waiting for the other.
    order = _largest_first([f.page for f in doc_files if f.page is not None and (not dirty or f.is_modified())])
    share = Share(len(order))
    base_counts = dict(counter.counts)
    # What every page needs (configuration, files, menu, compiled templates) lives to the end: the
    # collector need not walk it again while pages come and go, and a forked worker then leaves
    # the memory it shares with this process untouched (copy-on-write).
    gc.freeze()

    def work(k: int) -> dict[str, Any]:
        return _work(config, files, nav, env, doc_files, _taken(order, share, k), menu, counter)

    children = [Background(functools.partial(work, k)) for k in range(1, workers)]  # each forked at once
    errors: list[str] = []
    results: list[dict[str, Any]] = []
    try:
        _copy_static_files(config, files, dirty)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        results.append(work(0))
    finally:
        for child in children:
            try:
                results.append(child.result())
            except Exception as exc:  # the worker's error, its traceback in the exception's notes
                errors.append("\n".join([f"{type(exc).__name__}: {exc}", *getattr(exc, "__notes__", [])]))
        gc.unfreeze()
    if errors:
        raise RuntimeError("MkDocs build worker failed: " + "\n".join(errors))
    for extra in results[1:]:  # warnings logged in the workers count in strict mode too
        for level, n in extra["counts"].items():
            counter.counts[level] += n - base_counts.get(level, 0)
    _finish(config, files, doc_files, results)


def _finish(config: MkDocsConfig, files: Files, doc_files: Sequence[File], results: list[dict[str, Any]]) -> None:
    search = _search(config)
    merged_search, anchors, links = [], {}, {}
    for result in results:
        anchors.update(result["anchors"])
        links.update(result["links"])
    for file in doc_files:
        uri = file.src_uri
        if search:
            for result in results:
                if uri in result["search"]:
                    merged_search += result["search"][uri]
        assert file.page is not None  # every documentation file has its page by now
        file.page.present_anchor_ids = anchors.get(uri)
        file.page.links_to_anchors = {target: anchor for t, anchor in links.get(uri, {}).items() if (target := files.get_file_from_path(t))}
    if search:
        search.search_index.entries = merged_search
    for file in doc_files:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    config.plugins.on_post_build(config=config)
