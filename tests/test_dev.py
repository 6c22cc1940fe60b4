"""dev.py: the standard-library bootstrap. `serve` (any command it runs) passes signals on and ends its child."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT

CHILD = """
import os, signal, sys, time
open(sys.argv[1], "w").write(str(os.getpid()))
signal.signal(signal.SIGTERM, lambda *a: (open(sys.argv[1] + ".term", "w").close(), sys.exit(0)))
while True:
    time.sleep(0.1)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose; /proc tells (Linux).
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def _wait(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _cleanup(sup: subprocess.Popen, pidfile: Path) -> None:
    """If the test failed, do not leave its processes behind."""
    if sup.poll() is None:
        sup.kill()
    if pidfile.exists() and pidfile.read_text() and _alive(int(pidfile.read_text())):
        os.kill(int(pidfile.read_text()), signal.SIGKILL)


def _supervisor(tmp_path: Path, child: list[str]) -> subprocess.Popen:
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; sys.exit(dev.supervise({child!r}))"
    return subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path)


def test_killing_dev_py_forwards_the_signal_and_ends_the_child(tmp_path):
    pidfile = tmp_path / "child.pid"
    sup = _supervisor(tmp_path, [sys.executable, "-c", CHILD, str(pidfile)])
    try:
        assert _wait(lambda: pidfile.exists() and pidfile.read_text())
        child = int(pidfile.read_text())
        sup.send_signal(signal.SIGTERM)  # what `kill <pid>` sends
        assert sup.wait(timeout=15) == 128 + signal.SIGTERM or sup.returncode == 0
        assert (tmp_path / "child.pid.term").exists(), "the child never received SIGTERM"
        assert _wait(lambda: not _alive(child))
    finally:
        _cleanup(sup, pidfile)


def test_a_child_that_ignores_the_signal_is_killed_after_the_grace_period(tmp_path):
    pidfile = tmp_path / "child.pid"
    stubborn = CHILD.replace('lambda *a: (open(sys.argv[1] + ".term", "w").close(), sys.exit(0))', "signal.SIG_IGN")
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; "
        f"sys.exit(dev.supervise({[sys.executable, '-c', stubborn, str(pidfile)]!r}, grace=0.5))"
    )
    sup = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path)
    try:
        assert _wait(lambda: pidfile.exists() and pidfile.read_text())
        child = int(pidfile.read_text())
        sup.send_signal(signal.SIGTERM)
        sup.wait(timeout=15)
        assert _wait(lambda: not _alive(child))
    finally:
        _cleanup(sup, pidfile)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_serve_preview_server_is_gone_after_dev_py_is_killed(project, tmp_path):
    """The real preview (`scorecard serve`) under dev.py's supervisor: after `kill`, nothing listens on its port."""
    port = _free_port()
    scorecard = str(Path(sys.executable).parent / "scorecard")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dev; "
        f"sys.exit(dev.supervise({[scorecard, '--root', str(project), 'serve', '--as-of', '2026-11-27', '--port', str(port)]!r}))"
    )
    sup = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: _listening(port), 120), "the preview server did not start"
        sup.send_signal(signal.SIGTERM)
        sup.wait(timeout=30)
        assert _wait(lambda: not _listening(port), 15), "the preview server still listens after dev.py ended"
    finally:
        if sup.poll() is None:
            sup.kill()


def test_no_setup_guard_refuses_to_install_into_an_unprepared_environment(tmp_path):
    """A copy that shares a .venv (the fresh-clone test) must never reinstall into it."""
    for name in ("dev.py", "pyproject.toml", "requirements/test.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / ".venv").mkdir()
    env = {**os.environ, "DEV_PY_NO_SETUP": "1"}
    result = subprocess.run([sys.executable, "dev.py", "setup", "test"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DEV_PY_NO_SETUP" in result.stderr
    assert list((tmp_path / ".venv").iterdir()) == []  # nothing created or installed
