"""serve.py: the preview regenerates the pages when data changes, and keeps the last good ones on bad data."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

from generator import build, serve

from .conftest import AS_OF, tree_bytes


def _wait_for(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_watch_regenerates_on_data_change_and_survives_bad_data(project):
    settings = build.Settings(project, AS_OF)
    messages: list[str] = []
    state = serve.snapshot(project)
    assert serve.regenerate(settings, messages.append)
    page = project / "build/docs/providers/fixture-service.md"
    data = project / "data/providers/fixture-service.yaml"
    stop = threading.Event()
    thread = threading.Thread(target=serve.watch, args=(settings, messages.append, stop, 0.05, state), daemon=True)
    thread.start()
    try:
        data.write_text(data.read_text().replace("name: Fixture Service", "name: Renamed Service"))
        assert _wait_for(lambda: "Renamed Service" in page.read_text())
        data.write_text(data.read_text().replace("security-txt: not-found", "security-txt: partly"))
        assert _wait_for(lambda: any("kept the last good pages" in m for m in messages))
        assert "Renamed Service" in page.read_text()
        assert "change detected; regenerating" in messages
    finally:
        stop.set()
        thread.join(timeout=5)


def test_incremental_regeneration_equals_a_full_generation(project, monkeypatch):
    """serve reuses parsed files, rendered provider pages and images; the result must not differ from a fresh build."""
    from generator import incremental, load, preview, score
    from generator.outputs import api

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    load.remember_parsed_files(True)
    score.remember_scores(True)
    preview.remember_drawn(True)
    api.remember_made(True)
    try:
        assert serve.regenerate(settings, lambda m: None)
        data = project / "data/providers/fixture-service.yaml"
        text = data.read_text()
        # A partial claim becomes full (methodology 2: a requirement turns met, with its support), and the name changes.
        assert "security-txt: not-found" in text and "supports: [dedicated-contact]" in text
        data.write_text(
            text.replace("security-txt: not-found", "security-txt: met", 1)
            .replace("supports: [dedicated-contact]", "supports: [dedicated-contact, security-txt]", 1)
            .replace("name: Fixture Service", "name: Edited Service")
        )
        assert serve.regenerate(settings, lambda m: None)
        incremental_tree = tree_bytes(project / "build/docs")
    finally:
        load.remember_parsed_files(False)
        score.remember_scores(False)
        preview.remember_drawn(False)
        api.remember_made(False)
    fresh = build.assemble(settings, background=False)
    assert sorted(incremental_tree) == sorted(fresh)
    assert [p for p in fresh if fresh[p] != incremental_tree[p]] == []
    assert b"Edited Service" in fresh["providers/fixture-service.md"]


def test_a_provider_becoming_discontinued_updates_the_other_pages_ranks(tmp_path, monkeypatch):
    """Another provider's page shows its rank and the medians: when a provider of its kind is marked
    discontinued (and leaves the ranking), that page must be rendered again, not reused."""
    from generator import incremental, load, score

    from .test_discontinued import retired_project

    project = retired_project(tmp_path)
    data = project / "data/providers/fixture-retired.yaml"
    block = data.read_text().split("discontinued:\n", 1)[1].split("assessments:\n", 1)[0]
    data.write_text(data.read_text().replace("discontinued:\n" + block, ""))  # not discontinued at first
    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    load.remember_parsed_files(True)
    score.remember_scores(True)
    try:
        assert serve.regenerate(settings, lambda m: None)
        service = project / "build/docs/providers/fixture-service.md"
        assert "2nd of 2 hosted services" in service.read_text()
        data.write_text(data.read_text().replace("assessments:\n", "discontinued:\n" + block + "assessments:\n", 1))
        assert serve.regenerate(settings, lambda m: None)
        incremental_tree = tree_bytes(project / "build/docs")
    finally:
        load.remember_parsed_files(False)
        score.remember_scores(False)
    assert "1st of 1 hosted services; median of hosted services: 25." in service.read_text()
    fresh = build.assemble(settings, background=False)
    assert [p for p in fresh if fresh[p] != incremental_tree[p]] == []


def test_dirty_rebuild_of_a_changed_page_equals_a_full_build(project):
    import logging
    import os

    from mkdocs.config import load_config

    from generator import mkbuild

    settings = build.Settings(project, AS_OF)
    assert serve.regenerate(settings, lambda m: None)
    os.environ["SOURCE_DATE_EPOCH"] = build.source_date_epoch(AS_OF)

    def config(site):
        c = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / site))
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        return c

    first = config("live")
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        mkbuild.build(first, workers=1)
        data = project / "data/providers/fixture-service.yaml"
        data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
        time.sleep(0.01)  # a newer modification time than the first build's output
        assert serve.regenerate(settings, lambda m: None)
        mkbuild.build(config("live"), workers=1, dirty=True)
    finally:
        first.plugins.on_startup(command="build", dirty=False)  # MkDocs shares plugin instances process-wide
    mkbuild.build(config("full"), workers=1)
    page = "providers/fixture-service/index.html"
    live, full = (project / "live" / page).read_text(), (project / "full" / page).read_text()
    assert "Edited Service" in live
    assert live == full


def test_an_edited_provider_page_is_written_before_the_exports_are_made(project, monkeypatch):
    """serve writes the pages first, so MkDocs rebuilds the edited page while the exports are still being made."""
    from generator import export, incremental

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    assert serve.regenerate(settings, lambda m: None)
    data = project / "data/providers/fixture-service.yaml"
    data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
    page = project / "build/docs/providers/fixture-service.md"
    seen = []
    stream = export.stream

    def watching(*args, **kwargs):
        seen.append(b"Edited Service" in page.read_bytes())
        yield from stream(*args, **kwargs)

    monkeypatch.setattr(export, "stream", watching)
    assert serve.regenerate(settings, lambda m: None)
    assert seen == [True]
    assert b"Edited Service" in (project / "build/docs/api/v1/providers/fixture-service.json").read_bytes()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _not_found(url: str) -> bytes:
    """The body of the preview's answer to a page that does not exist (HTTP 404)."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=30)
    assert info.value.code == 404
    return info.value.read()


def _served(url: str) -> str:
    """A page as the preview serves it, without the live-reload script MkDocs adds before </body>."""
    import urllib.error
    import urllib.request

    html = ""
    for _ in range(600):  # `ready` is set just before the server starts listening
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                html = response.read().decode("utf-8")
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionRefusedError):
                raise
            time.sleep(0.1)
    before, end, after = html.rpartition("</body>")
    return before[: before.rindex("<script>")] + end + after if end else html


def test_the_preview_shows_an_edit_once_regenerated_and_equals_a_full_build(project, monkeypatch):
    """The regeneration asks the preview server to rebuild (the server does not poll build/docs/)
    and waits for the edited provider's page: once it returns, the served page shows the edit. The
    served site (rebuilt with a kept configuration and theme file list) equals a full build, and an
    edited mkdocs.yml is read again and shown on every page."""
    import json
    import logging

    from mkdocs.config import load_config

    from generator import incremental, load, mkbuild, preview
    from generator.outputs import api

    from .conftest import tree_bytes

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    load.remember_parsed_files(True)
    preview.remember_drawn(True)
    api.remember_made(True)
    monkeypatch.setattr(mkbuild, "_THEME_FILES", mkbuild._ThemeFiles())
    builds: list[tuple[int, bool]] = []  # (processes, dirty) of each MkDocs build the preview runs
    whole_build = mkbuild.build

    def counted_build(config, workers=2, dirty=False):
        builds.append((workers, dirty))
        whole_build(config, workers, dirty)

    monkeypatch.setattr(mkbuild, "build", counted_build)
    port, live, ready = _free_port(), serve.LiveSite(), threading.Event()
    thread = threading.Thread(target=serve.live_server, args=(settings, port), kwargs={"ready": ready, "live": live}, daemon=True)
    url = f"http://127.0.0.1:{port}/providers/fixture-service/"
    try:
        assert serve.regenerate(settings, lambda m: None)
        thread.start()
        assert ready.wait(120)
        assert mkbuild._THEME_FILES.found  # listed by a rebuild right after the first build, before the first save
        # One process (the builds run in a thread of the server): a complete build, then a rebuild with nothing to rebuild.
        assert builds == [(1, False), (1, True)]
        assert live.site_dir.parent == Path(tempfile.gettempdir()) and live.site_dir.name.startswith("scorecard-serve-")
        assert "Fixture Service" in _served(url)
        missing = _not_found(f"http://127.0.0.1:{port}/no-such-page/")  # the site's own 404 page, not the server's
        assert missing == (live.site_dir / "404.html").read_bytes() and b"Messenger Defense Scorecard" in missing
        data = project / "data/providers/fixture-service.yaml"
        data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
        assert serve.regenerate(settings, lambda m: None, live)
        assert "Edited Service" in _served(url)
        assert live.rebuild(wait=120)  # after the exports' rebuild too
        assert len(builds) >= 3 and set(builds[2:]) == {(1, True)}  # a save rebuilds the changed pages only
        site = tree_bytes(live.site_dir)
        config_file = project / "mkdocs.yml"
        config_file.write_text(config_file.read_text().replace("site_name: Messenger Defense Scorecard", "site_name: Edited Scorecard", 1))
        rebuilt = len(builds)
        assert live.rebuild(wait=120)
        # Every page shows the configuration: all are built again (then MkDocs' own watcher of mkdocs.yml may ask once more).
        assert builds[rebuilt] == (1, False) and set(builds[rebuilt + 1 :]) <= {(1, True)}
        assert "Edited Scorecard" in _served(url)
    finally:
        live.stop()
        thread.join(timeout=60)
        load.remember_parsed_files(False)
        preview.remember_drawn(False)
        api.remember_made(False)
    assert not thread.is_alive() and not live.site_dir.exists()  # the served folder is removed when the preview stops
    config_file.write_text(config_file.read_text().replace("site_name: Edited Scorecard", "site_name: Messenger Defense Scorecard", 1))
    with build.scoped_environ(SOURCE_DATE_EPOCH=build.source_date_epoch(AS_OF)):
        config = load_config(config_file=str(config_file), site_dir=str(project / "full"), site_url=f"http://127.0.0.1:{port}/")
        config.extra["scorecard"] = build.theme_extra(settings)
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        config.plugins.on_startup(command="build", dirty=False)
        mkbuild.build(config, workers=1)
    full = tree_bytes(project / "full")
    index = "search/search_index.json"
    assert sorted(site) == sorted(full)
    assert [p for p in full if p != index and full[p] != site[p]] == []
    # A dirty rebuild appends a rebuilt page's search entries after the others (Material's plugin): same entries, another order.
    served_index, full_index = json.loads(site[index]), json.loads(full[index])
    assert served_index["config"] == full_index["config"]
    assert sorted(map(json.dumps, served_index["docs"])) == sorted(map(json.dumps, full_index["docs"]))


def test_an_edited_provider_page_is_built_before_the_pages_of_every_provider(project, monkeypatch):
    """The edited provider's page is written, and its rebuild waited for, before the pages that
    depend on every provider (home, matrix, criteria) are rendered; then one more rebuild for the rest."""
    from generator import incremental

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    assert serve.regenerate(settings, lambda m: None)
    data = project / "data/providers/fixture-service.yaml"
    data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
    docs = project / "build/docs"
    seen = []

    class Recording(serve.LiveSite):
        def rebuild(self, wait: float = 0.0) -> bool:
            shown = [b"Edited Service" in (docs / page).read_bytes() for page in ("providers/fixture-service.md", "index.md", "matrix.md")]
            seen.append((wait > 0, shown))
            return True

    assert serve.regenerate(settings, lambda m: None, Recording())
    assert seen == [(True, [True, False, False]), (False, [True, True, True])]


def test_a_newer_save_stops_the_rest_of_a_regeneration_and_the_next_one_completes_it(project, monkeypatch):
    """When a newer save arrives after the edited provider's page is written, the regeneration stops
    before the pages of every provider and the exports; the next regeneration makes them, and the
    result equals a full generation."""
    from generator import incremental

    from .conftest import tree_bytes

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    assert serve.regenerate(settings, lambda m: None)
    data = project / "data/providers/fixture-service.yaml"
    data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
    docs = project / "build/docs"
    messages: list[str] = []
    assert not serve.regenerate(settings, messages.append, superseded=lambda: True)
    assert "a newer change arrived; regenerating again" in messages
    assert b"Edited Service" in (docs / "providers/fixture-service.md").read_bytes()
    assert b"Edited Service" not in (docs / "index.md").read_bytes()
    assert b"Edited Service" not in (docs / "api/v1/providers/fixture-service.json").read_bytes()
    assert serve.regenerate(settings, lambda m: None, superseded=lambda: False)
    fresh = build.assemble(settings, background=False)
    served = tree_bytes(docs)
    assert sorted(served) == sorted(fresh)
    assert [p for p in fresh if fresh[p] != served[p]] == []


def test_scores_are_kept_while_their_inputs_are_unchanged(project):
    """serve keeps each provider's score (score.remember_scores): reused while the provider, the
    criteria, the framework and the as-of date are unchanged, made again when one of them changes."""
    import datetime as dt

    from generator import score

    dataset = build.load_checked(build.Settings(project, AS_OF))
    pid, other = list(dataset.providers)[:2]
    score.remember_scores(True)
    try:
        first = score.score_all(dataset, AS_OF)
        again = score.score_all(dataset, AS_OF)
        assert all(again[p].claims is first[p].claims and again[p].provider is dataset.providers[p] for p in first)
        edited = dataset.providers[pid].model_copy(update={"name": "Edited Service"})
        dataset.providers[pid] = edited
        third = score.score_all(dataset, AS_OF)
        assert third[pid].provider is edited and third[pid].claims is not first[pid].claims
        assert third[other].claims is first[other].claims
        cid = next(iter(dataset.criteria))
        dataset.criteria[cid] = dataset.criteria[cid].model_copy(update={"title": "Edited title"})
        fourth = score.score_all(dataset, AS_OF)
        assert fourth[other].claims is not first[other].claims
        assert score.score_all(dataset, AS_OF + dt.timedelta(days=400))[other].claims is not fourth[other].claims
    finally:
        score.remember_scores(False)
    assert score.score_all(dataset, AS_OF)[other].claims is not first[other].claims  # off again: made every time
    assert score.score_all(dataset, AS_OF)[other].claims is not score.score_all(dataset, AS_OF)[other].claims  # and not kept


def test_a_newer_save_during_the_exports_stops_them_and_the_pages_written_are_rebuilt(project, monkeypatch):
    """A newer save arriving while the exports are made stops them (the next regeneration makes
    them); the pages already written are rebuilt at once."""
    from generator import incremental

    settings = build.Settings(project, AS_OF)
    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    assert serve.regenerate(settings, lambda m: None)
    data = project / "data/providers/fixture-service.yaml"
    data.write_text(data.read_text().replace("name: Fixture Service", "name: Edited Service"))
    docs = project / "build/docs"
    seen = []

    class Recording(serve.LiveSite):
        def rebuild(self, wait: float = 0.0) -> bool:
            seen.append((wait > 0, b"Edited Service" in (docs / "index.md").read_bytes()))
            return True

    def superseded() -> bool:  # true once every page is written, that is during the exports
        return b"Edited Service" in (docs / "index.md").read_bytes()

    assert not serve.regenerate(settings, lambda m: None, Recording(), superseded)
    assert b"Edited Service" not in (docs / "api/v1/providers/fixture-service.json").read_bytes()
    assert seen == [(True, False), (False, True)]
    assert serve.regenerate(settings, lambda m: None)
    assert b"Edited Service" in (docs / "api/v1/providers/fixture-service.json").read_bytes()


# --- The serve command's own steps, with the preview server replaced (mutation testing) -------------


class _FakeServer:
    """What LiveSite uses of MkDocs' LiveReloadServer."""

    def __init__(self, root: str) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.root = root
        self.shut = 0

    def shutdown(self) -> None:
        self.shut += 1


def test_live_site_asks_for_a_rebuild_and_waits_for_one_that_started_after(tmp_path):
    live = serve.LiveSite()
    assert live.rebuild() is False and live.rebuild(wait=5) is False  # no server yet: nothing to ask
    live.stop()  # nothing to stop
    server = _FakeServer(str(tmp_path))
    live.attach(server)
    assert live.site_dir == tmp_path
    assert live.rebuild() is True and server._want_rebuild is True
    server._want_rebuild = False

    def the_server_builds_once_asked() -> None:
        with server._rebuild_cond:
            server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
        with live.building():
            pass

    with live.building():  # a build already running when the rebuild is asked for does not count
        assert live.rebuild(wait=0.2) is False  # timed out: the only build started before the request
    server._want_rebuild = False
    builder = threading.Thread(target=the_server_builds_once_asked, daemon=True)
    builder.start()
    assert live.rebuild(wait=30) is True  # the builder's build started after the request and finished
    builder.join(timeout=30)
    assert live._started == live._finished == 2
    live.stop()
    assert server.shut == 1


def test_serve_builds_first_then_watches_and_serves_until_stopped(project, monkeypatch):
    from generator import load, preview, score
    from generator.outputs import api

    calls = []
    for module, name in ((load, "remember_parsed_files"), (score, "remember_scores"), (preview, "remember_drawn"), (api, "remember_made")):
        monkeypatch.setattr(module, name, lambda on, name=name: calls.append((name, on)))
    watched, watching = {}, threading.Event()

    def fake_watch(settings, progress, stop, interval, last, live):
        watched.update(settings=settings, progress=progress, stop=stop, interval=interval, last=last, live=live)
        watched["daemon"] = threading.current_thread().daemon  # the watcher never keeps the process alive
        watching.set()

    served = {}

    def fake_live_server(settings, port, ready=None, live=None):
        assert watching.wait(10)  # the watcher thread started (and, here, returned at once)
        served.update(settings=settings, port=port, live=live, env=os.environ.get("NO_MKDOCS_2_WARNING"))

    monkeypatch.setattr(serve, "watch", fake_watch)
    monkeypatch.setattr(serve, "live_server", fake_live_server)
    regenerated: list[tuple] = []

    def fake_regenerate(ok):
        return lambda *args, **kwargs: regenerated.append((args, kwargs)) or ok

    monkeypatch.setattr(serve, "regenerate", fake_regenerate(False))
    settings = build.Settings(project, AS_OF)
    messages: list[str] = []
    progress = messages.append
    assert serve.serve(settings, 8123, progress) == 1  # bad data at the start: nothing is served
    assert served == {} and watched == {} and messages == []
    assert regenerated == [((settings, progress), {})]  # the first build: the whole site, no server to tell yet
    assert calls == [("remember_parsed_files", True), ("remember_scores", True), ("remember_drawn", True), ("remember_made", True)]
    monkeypatch.setattr(serve, "regenerate", fake_regenerate(True))
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    assert serve.serve(settings, 8123, progress, interval=0.5) == 0
    assert messages == ["serving on http://127.0.0.1:8123/ (Ctrl+C to stop)"]
    assert (served["settings"], served["port"], served["env"]) == (settings, 8123, "1")
    assert isinstance(served["live"], serve.LiveSite) and served["live"]._server is None  # attached by the server itself
    assert watched["settings"] is settings and watched["progress"] is progress and watched["interval"] == 0.5
    assert watched["live"] is served["live"] and watched["daemon"] is True
    assert watched["last"] == serve.snapshot(project) and watched["stop"].is_set()  # the watcher stops with the server
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "0")
    watched.clear()
    watching.clear()
    assert serve.serve(settings, 8000, progress) == 0
    assert messages[-1] == "serving on http://127.0.0.1:8000/ (Ctrl+C to stop)"
    assert (served["port"], served["env"]) == (8000, "0")  # the user's own NO_MKDOCS_2_WARNING is kept
    assert 0 < watched["interval"] < 1  # by default the folders are looked at several times a second

    def interrupted(settings, port, ready=None, live=None):
        assert watching.wait(10)
        raise KeyboardInterrupt

    monkeypatch.setattr(serve, "live_server", interrupted)
    watched.clear()
    watching.clear()
    with pytest.raises(KeyboardInterrupt):
        serve.serve(settings, 8000, progress)
    assert watched["stop"].is_set()  # the watcher stops with the server, also on Ctrl+C


def test_snapshot_covers_data_docs_and_templates_and_a_change_is_seen_when_looked_at(project):
    state = serve.snapshot(project)
    expected = {str(p) for folder in ("data", "docs") for p in (project / folder).rglob("*") if p.is_file()}
    assert set(state) == expected and all(isinstance(t, float) for t in state.values())
    (project / "generator/templates").mkdir(parents=True)
    (project / "generator/templates/x.j2").write_text("x")
    assert str(project / "generator/templates/x.j2") in serve.snapshot(project)
    state = serve.snapshot(project)
    eager, lazy = serve._changed_since(project, state, every=0), serve._changed_since(project, state, every=3600)
    assert eager() is False and lazy() is False
    (project / "data/providers/new.yaml").write_text("id: new\n")
    assert eager() is True
    assert lazy() is False  # looked at no more often than every hour


def test_page_cache_renders_a_provider_page_again_only_when_its_inputs_change(project):
    from generator import incremental, render, score
    from generator.check import check_tree

    def inputs():
        dataset = check_tree(project, AS_OF)[0]
        return dataset, score.score_all(dataset.published(), AS_OF), render.Options(AS_OF)

    cache, fresh, asked = incremental.PageCache(), [], []
    cache.on_fresh, cache.go_on = fresh.append, lambda: asked.append(len(fresh))
    first = cache.render_pages(*inputs(), {})
    providers = {"providers/fixture-service.md", "providers/fixture-software.md"}
    assert len(fresh) == 1 and set(fresh[0]) == providers and all(first[p] == fresh[0][p] for p in providers)
    rest = len(first) - len(providers)
    assert rest > 0 and asked == [1] * rest  # every other page after the fresh provider pages were handed on
    assert cache.render_pages(*inputs(), {}) == first and len(fresh) == 1  # nothing changed: nothing fresh
    data = project / "data/providers/fixture-software.yaml"
    data.write_text(data.read_text().replace("A test fixture standing for", "An edited fixture standing for", 1))
    second = cache.render_pages(*inputs(), {})
    assert len(fresh) == 2 and set(fresh[1]) == {"providers/fixture-software.md"}  # only the edited provider's page
    assert (
        "An edited fixture" in second["providers/fixture-software.md"]
        and second["providers/fixture-service.md"] == first["providers/fixture-service.md"]
    )
    data.unlink()
    cache.render_pages(*inputs(), {})
    assert set(cache.entries) == {"providers/fixture-service.md"}  # a removed provider's page is forgotten


def test_regenerate_counts_the_files_it_wrote(project, monkeypatch):
    from generator import incremental

    monkeypatch.setattr(serve, "_PAGES", incremental.PageCache())
    settings = build.Settings(project, AS_OF)
    messages: list[str] = []
    assert serve.regenerate(settings, messages.append)
    staged = [p for p in (project / "build/docs").rglob("*") if p.is_file()]
    assert messages[-1] == f"updated {len(staged)} file(s)"  # all of them, the first time
    assert serve.regenerate(settings, messages.append) and messages[-1] == "updated 0 file(s)"
    data = project / "data/providers/fixture-software.yaml"
    data.write_text(data.read_text().replace("A test fixture standing for", "An edited fixture standing for", 1))
    assert serve.regenerate(settings, messages.append)
    changed = int(messages[-1].removeprefix("updated ").removesuffix(" file(s)"))
    assert 1 <= changed < len(staged)  # its page, its API document, what lists it; not everything
