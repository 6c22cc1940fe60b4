"""Serve: preview the site locally and rebuild when data, docs or templates change.

A small polling loop regenerates `build/docs/` whenever `data/`, `docs/` or the templates
change; only files whose bytes changed are rewritten (files parsed before are taken from a
cache when their bytes are the same). MkDocs' live-reload server watches `build/docs/` and
rebuilds only the pages whose Markdown changed (mkbuild.py, dirty mode), then reloads the
browser. Bad data is reported and the last good pages stay up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from . import build, incremental, load, mkbuild, preview
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


def regenerate(settings: build.Settings, progress: Callable[[str], None]) -> bool:
    staging, early = settings.root / build.STAGING, [0]

    def write_pages(pages: dict[str, bytes]) -> None:  # the edited page first: MkDocs starts on it while the exports are made
        early[0] = sum(build.write_if_changed(staging, rel, content) for rel, content in pages.items())

    try:
        files = build.assemble(settings, progress, background=False, pages_cache=_PAGES, early=write_pages)
    except DataError as exc:
        report(exc.problems, sys.stderr)
        progress("kept the last good pages; fix the problems above and save again")
        return False
    changed = early[0] + build.sync_tree(files, staging)
    progress(f"updated {changed} file(s)")
    return True


def watch(
    settings: build.Settings, progress: Callable[[str], None], stop: threading.Event, interval: float = 1.0, last: dict[str, float] | None = None
) -> None:
    """Poll the watched folders; `last` is the state already built (taken before the first build)."""
    last = snapshot(settings.root) if last is None else last
    while not stop.wait(interval):
        now = snapshot(settings.root)
        if now != last:
            last = now
            progress("change detected; regenerating")
            regenerate(settings, progress)


def serve(settings: build.Settings, port: int, progress: Callable[[str], None], interval: float = 0.1) -> int:
    load.remember_parsed_files(True)
    preview.remember_drawn(True)
    api.remember_made(True)
    state = snapshot(settings.root)
    if not regenerate(settings, progress):
        return 1
    stop = threading.Event()
    threading.Thread(target=watch, args=(settings, progress, stop, interval, state), daemon=True).start()
    progress(f"serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        live_server(settings, port)
    finally:
        stop.set()
    return 0


def live_server(settings: build.Settings, port: int, ready: threading.Event | None = None) -> None:
    """`mkdocs serve` (MkDocs 1.6.1's commands/serve.py), with rebuilds limited to changed pages.
    The build date is the as-of date while it runs; the environment is restored when it stops."""
    with build.scoped_environ(SOURCE_DATE_EPOCH=build.source_date_epoch(settings.as_of)):
        _live_server(settings, port, ready)


def _live_server(settings: build.Settings, port: int, ready: threading.Event | None) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = tempfile.mkdtemp(prefix="scorecard-serve-")
    config_file = str(settings.root / "mkdocs.yml")

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=config_file, site_dir=site_dir, dev_addr=f"127.0.0.1:{port}")
        config.extra["scorecard"] = build.theme_extra(settings)
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    host, port_ = config.dev_addr
    serve_url = _serve_url(host, port_, "/")
    built = [False]

    def builder(config: MkDocsConfig | None = None) -> None:
        config = config or get_config()
        config.site_url = serve_url
        mkbuild.build(config, workers=1, dirty=built[0])  # first build complete, then changed pages only
        built[0] = True

    server = LiveReloadServer(builder=builder, host=host, port=port_, root=site_dir, mount_path="/")
    server.build_delay = 0.05  # the regeneration writes its few changed files at once

    def error_handler(code: int) -> bytes | None:
        page = os.path.join(site_dir, f"{code}.html")
        if code in (404, 500) and os.path.isfile(page):
            with open(page, "rb") as f:
                return f.read()
        return None

    server.error_handler = error_handler
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config_file)
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
        shutil.rmtree(site_dir, ignore_errors=True)
