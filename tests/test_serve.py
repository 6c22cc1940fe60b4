"""serve.py: the preview regenerates the pages when data changes, and keeps the last good ones on bad data."""

from __future__ import annotations

import threading
import time

from generator import build, serve

from .conftest import AS_OF


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
        data.write_text(data.read_text().replace("level: partial", "level: partly"))
        assert _wait_for(lambda: any("kept the last good pages" in m for m in messages))
        assert "Renamed Service" in page.read_text()
    finally:
        stop.set()
        thread.join(timeout=5)
