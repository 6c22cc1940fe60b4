"""Serve: preview the site locally and rebuild when data, docs or templates change.

A small polling loop regenerates `build/docs/` whenever `data/`, `docs/` or the templates
change; only files whose bytes changed are rewritten (files parsed before are taken from a
cache when their bytes are the same). The regeneration then asks MkDocs' live-reload server
to rebuild (it does not poll `build/docs/` itself), which rebuilds only the pages whose
Markdown changed (mkbuild.py, dirty mode) and reloads the browser. An edited provider's page
is written and built first, before the pages that depend on every provider and the exports
are made. Bad data is reported and the last good pages stay up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from . import build, incremental, load, mkbuild, preview, score, search
from .outputs import api
from .problems import DataError, report

WATCHED = ("data", "docs", "generator/templates")


def snapshot(root: Path) -> dict[str, float]:
    state = {}
    for folder in WATCHED:
        for path in (root / folder).rglob("*"):
            if path.is_file():
                state[str(path)] = path.stat().st_mtime
    return state


_PAGES = incremental.PageCache()


class LiveSite:
    """The link between the regeneration and the preview server: the regeneration asks for a
    rebuild when it has written files (MkDocs' own watcher would poll `build/docs/`, thousands of
    files, every half second) and can wait until a rebuild that includes them has finished."""

    def __init__(self) -> None:
        self._server: Any = None
        self._done = threading.Condition()
        self._started = 0
        self._finished = 0

    def attach(self, server: Any) -> None:
        self._server = server

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Wraps each build of the server."""
        with self._done:
            self._started += 1
        try:
            yield
        finally:
            with self._done:
                self._finished += 1
                self._done.notify_all()

    def rebuild(self, wait: float = 0.0) -> bool:
        """Ask for a rebuild of what was written so far; with `wait`, return once one that started
        after this call has finished (False on timeout, or when no server runs yet)."""
        server = self._server
        if server is None:
            return False
        with self._done:
            target = self._started + 1  # a build running now may have missed the files just written
        with server._rebuild_cond:  # LiveReloadServer's own trigger (MkDocs 1.6.1), as its file watcher pulls it
            server._want_rebuild = True
            server._rebuild_cond.notify_all()
        if not wait:
            return True
        with self._done:
            return self._done.wait_for(lambda: self._finished >= target, timeout=wait)

    @property
    def site_dir(self) -> Path:
        """The folder the server builds the site into and serves from."""
        return Path(self._server.root)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()


FIRST_BUILD_WAIT = 30.0  # seconds the regeneration waits for the edited pages' rebuild, at most


class Superseded(Exception):
    """A newer save arrived while a regeneration was finishing what the edited page does not need."""


def regenerate(
    settings: build.Settings, progress: Callable[[str], None], live: LiveSite | None = None, superseded: Callable[[], bool] | None = None
) -> bool:
    """Regenerate build/docs/; False when the data has problems (the last good pages stay) or when
    `superseded` said a newer save arrived: then the edited provider pages are written and built,
    and the rest of the pages of every provider and of the exports is left to the next regeneration."""
    staging, docs, written = settings.root / build.STAGING, settings.root / "docs", [0]

    def write_fresh(pages: dict[str, str]) -> None:
        """Provider pages rendered anew (the edited provider's), before the pages that depend on
        every provider: written and built at once, so the edited page shows first."""
        pages = {rel: text for rel, text in search.exclude_from_plugin(pages).items() if not (docs / rel).exists()}  # a clash is reported later
        n = sum(build.write_if_changed(staging, rel, text.encode("utf-8")) for rel, text in pages.items())
        written[0] += n
        if n and live is not None:
            live.rebuild(wait=FIRST_BUILD_WAIT)

    def go_on() -> None:
        if superseded is not None and superseded():
            raise Superseded

    def write_pages(pages: dict[str, bytes]) -> None:  # then every page, before the exports are made
        go_on()
        written[0] += sum(build.write_if_changed(staging, rel, content) for rel, content in pages.items())

    _PAGES.on_fresh, _PAGES.go_on = write_fresh, go_on
    try:
        files = build.assemble(settings, progress, background=False, pages_cache=_PAGES, early=write_pages, go_on=go_on)
    except DataError as exc:
        report(exc.problems, sys.stderr)
        progress("kept the last good pages; fix the problems above and save again")
        return False
    except Superseded:
        if written[0] and live is not None:  # pages written after the edited ones are built now, not with the next save's
            live.rebuild()
        progress("a newer change arrived; regenerating again")
        return False
    finally:
        _PAGES.on_fresh = _PAGES.go_on = None
    changed = written[0] + build.sync_tree(files, staging)
    if changed and live is not None:
        live.rebuild()
    progress(f"updated {changed} file(s)")
    return True


def _changed_since(root: Path, state: dict[str, float], every: float = 0.1) -> Callable[[], bool]:
    """Whether the watched folders changed since `state` was taken, looked at no more often than `every` seconds."""
    looked = [time.monotonic()]

    def changed() -> bool:
        if time.monotonic() - looked[0] < every:
            return False
        looked[0] = time.monotonic()
        return snapshot(root) != state

    return changed


def watch(
    settings: build.Settings,
    progress: Callable[[str], None],
    stop: threading.Event,
    interval: float = 1.0,
    last: dict[str, float] | None = None,
    live: LiveSite | None = None,
) -> None:
    """Poll the watched folders; `last` is the state already built (taken before the first build)."""
    last = snapshot(settings.root) if last is None else last
    while not stop.wait(interval):
        now = snapshot(settings.root)
        if now != last:
            last = now
            progress("change detected; regenerating")
            regenerate(settings, progress, live, _changed_since(settings.root, now))


def serve(settings: build.Settings, port: int, progress: Callable[[str], None], interval: float = 0.1) -> int:
    load.remember_parsed_files(True)
    score.remember_scores(True)
    preview.remember_drawn(True)
    api.remember_made(True)
    state = snapshot(settings.root)
    if not regenerate(settings, progress):
        return 1
    stop, live = threading.Event(), LiveSite()
    threading.Thread(target=watch, args=(settings, progress, stop, interval, state, live), daemon=True).start()
    progress(f"serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        live_server(settings, port, live=live)
    finally:
        stop.set()
    return 0


def live_server(settings: build.Settings, port: int, ready: threading.Event | None = None, live: LiveSite | None = None) -> None:
    """`mkdocs serve` (MkDocs 1.6.1's commands/serve.py), with rebuilds limited to changed pages and
    started by the regeneration (`live`) rather than by polling `build/docs/`. The build date is the
    as-of date while it runs; the environment is restored when it stops."""
    with build.scoped_environ(SOURCE_DATE_EPOCH=build.source_date_epoch(settings.as_of)):
        _live_server(settings, port, ready, live or LiveSite())


def _live_server(settings: build.Settings, port: int, ready: threading.Event | None, live: LiveSite) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = tempfile.mkdtemp(prefix="scorecard-serve-")
    config_file = str(settings.root / "mkdocs.yml")

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=config_file, site_dir=site_dir, dev_addr=f"127.0.0.1:{port}")
        config.extra["scorecard"] = build.theme_extra(settings)
        return config

    read_from = Path(config_file).read_bytes()
    config = get_config()
    _forget_search_index(config)
    config.plugins.on_startup(command="serve", dirty=True)
    host, port_ = config.dev_addr
    serve_url = _serve_url(host, port_, "/")
    built = [False]
    last: list[Any] = [config, read_from]  # the configuration in use and the bytes of mkdocs.yml it was read from

    def builder(given: MkDocsConfig | None = None) -> None:
        """The first build is complete, later ones rebuild changed pages only. The configuration is
        read again only when mkdocs.yml changed (`mkdocs serve` reads it for every rebuild), and
        then every page is built again, since every page shows some of it."""
        with live.building():
            text = Path(config_file).read_bytes()
            changed = text != last[1]
            if given is not None or changed:
                last[:] = [given or get_config(), text]
            config: MkDocsConfig = last[0]
            config.site_url = serve_url
            mkbuild.build(config, workers=1, dirty=built[0] and not changed)
            if not built[0]:  # a rebuild with nothing to rebuild: lists the theme's files and compiles its templates now, not after the first save
                mkbuild.build(config, workers=1, dirty=True)
            built[0] = True

    server = LiveReloadServer(builder=builder, host=host, port=port_, root=site_dir, mount_path="/")
    server.build_delay = 0  # rebuilds are asked for by the regeneration once it has written its files
    live.attach(server)

    def error_handler(code: int) -> bytes | None:
        page = os.path.join(site_dir, f"{code}.html")
        if code in (404, 500) and os.path.isfile(page):
            with open(page, "rb") as f:
                return f.read()
        return None

    server.error_handler = error_handler
    try:
        builder(config)
        server.watch(config_file)  # build/docs/ changes only by the regeneration, which asks for its rebuilds
        server = config.plugins.on_serve(server, config=config, builder=builder)
        if ready is not None:
            ready.set()
        try:
            server.serve()  # type: ignore[no-untyped-call]  # MkDocs leaves LiveReloadServer.serve unannotated
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        _forget_search_index(config, last[0])
        shutil.rmtree(site_dir, ignore_errors=True)


def _forget_search_index(*configs: MkDocsConfig) -> None:
    """MkDocs keeps plugin instances for the whole process, and Material's search plugin keeps the
    previous build's index to merge rebuilt pages into: a preview starts without one and leaves none."""
    for config in configs:
        for plugin in config.plugins.values():
            if hasattr(plugin, "search_index_prev"):
                plugin.search_index_prev = None
