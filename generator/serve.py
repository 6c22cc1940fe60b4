"""Serve: preview the site locally and rebuild when data, docs or templates change.

MkDocs' own server watches `build/docs/`; a small polling loop here regenerates that
folder whenever `data/`, `docs/` or the templates change. Bad data is reported and the
last good pages stay up.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Callable

from . import build
from .problems import DataError, report

WATCHED = ("data", "docs", "generator/templates")


def snapshot(root: Path) -> dict[str, float]:
    state = {}
    for folder in WATCHED:
        for path in (root / folder).rglob("*"):
            if path.is_file():
                state[str(path)] = path.stat().st_mtime
    return state


def regenerate(settings: build.Settings, progress: Callable[[str], None]) -> bool:
    try:
        files = build.assemble(settings, progress)
    except DataError as exc:
        report(exc.problems, sys.stderr)
        progress("kept the last good pages; fix the problems above and save again")
        return False
    changed = build.sync_tree(files, settings.root / build.STAGING)
    progress(f"updated {changed} file(s)")
    return True


def watch(settings: build.Settings, progress: Callable[[str], None], stop: threading.Event, interval: float = 1.0,
          last: dict[str, float] | None = None) -> None:
    """Poll the watched folders; `last` is the state already built (taken before the first build)."""
    last = snapshot(settings.root) if last is None else last
    while not stop.wait(interval):
        now = snapshot(settings.root)
        if now != last:
            last = now
            progress("change detected; regenerating")
            regenerate(settings, progress)


def serve(settings: build.Settings, port: int, progress: Callable[[str], None]) -> int:
    from mkdocs.commands.serve import serve as mk_serve

    state = snapshot(settings.root)
    if not regenerate(settings, progress):
        return 1
    stop = threading.Event()
    threading.Thread(target=watch, args=(settings, progress, stop, 1.0, state), daemon=True).start()
    progress(f"serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        mk_serve(config_file=str(settings.root / "mkdocs.yml"), dev_addr=f"127.0.0.1:{port}", livereload=True)
    finally:
        stop.set()
    return 0
