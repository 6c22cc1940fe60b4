#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+.

    python3 dev.py serve   set up, build and preview the site on http://127.0.0.1:8000/
    python3 dev.py test    set up (test tools and a browser too), run ruff and mypy, then every test
    python3 dev.py build   set up and build the site into site/
    python3 dev.py setup [site|test]   only set up .venv/ (what CI runs first)
    python3 dev.py lock    maintainers: regenerate the hash-pinned lock files
    python3 dev.py mutate  mutation testing (mutmut 3, modules in pyproject.toml [tool.mutmut]); slow

Setup creates `.venv/`, installs the hash-pinned lock file (`requirements/*.txt`) and the
project itself; it is skipped when the lock file has not changed since the last run.
Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def run(*cmd: str | Path, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def stamp(lock: str) -> Path:
    """The marker file saying `.venv/` holds this lock file and pyproject.toml, installed."""
    lock_file = ROOT / "requirements" / f"{lock}.txt"
    digest = hashlib.sha256(lock_file.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    return VENV / f".installed-{lock}-{digest}"


def setup(lock: str) -> None:
    """Create the virtual environment and install `requirements/<lock>.txt` unless already current."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3 and says what is needed
        sys.exit(f"dev.py: Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    lock_file = ROOT / "requirements" / f"{lock}.txt"
    if stamp(lock).exists():
        return
    if os.environ.get("DEV_PY_NO_SETUP"):
        # Set by a test that runs this script in a copy sharing this .venv: reinstalling there would
        # point the shared environment at the copy.
        sys.exit(f"dev.py: {VENV} is not set up for {lock_file.name}, and DEV_PY_NO_SETUP forbids installing")
    if not PY.exists():
        say("creating .venv/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say(f"installing {lock_file.relative_to(ROOT)} (hash-checked)")
    quiet = ["--quiet", "--disable-pip-version-check", "--no-input"]
    run(PY, "-m", "pip", "install", *quiet, "--require-hashes", "-r", lock_file)
    # pip refuses editable installs in hash-checking mode; the backend comes from the lock.
    run(PY, "-m", "pip", "install", *quiet, "--no-deps", "--no-build-isolation", "-e", ".")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp(lock).touch()


def ensure_browser() -> None:
    """Browser tests drive Debian's Chromium; install it where we can (CI runs as root).
    SCORECARD_CHROMIUM names another browser (a path, or "bundled" for Playwright's own)."""
    if CHROMIUM.exists() or os.environ.get("SCORECARD_CHROMIUM"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Chromium for the browser tests (apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", env=env, stdout=subprocess.DEVNULL)
    else:
        say(
            "Chromium not found at /usr/bin/chromium; browser tests will be skipped "
            "(in CI they fail instead). Install it with: sudo apt-get install chromium"
        )


FORWARDED = [s for s in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, s)]


def supervise(cmd: list[str], env: dict[str, str] | None = None, grace: float = 10.0) -> int:
    """Run `cmd` as a child, pass on the signals that would end us (so `kill <pid of dev.py>`
    also stops the preview server), and never return while the child still runs."""
    child = subprocess.Popen(cmd, cwd=ROOT, env=env)
    received: list[int] = []

    def forward(signum, frame):  # noqa: ARG001 - signal handler signature
        received.append(signum)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {name: signal.signal(getattr(signal, name), forward) for name in FORWARDED}
    deadline = None
    try:
        while True:
            try:
                code = child.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if received and deadline is None:
                    deadline = time.monotonic() + grace
                if deadline is not None and time.monotonic() > deadline:  # asked to stop, still running: end it
                    child.kill()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
    return 128 + received[0] if received and code < 0 else code


def scorecard(*args: str) -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return supervise([str(BIN / "scorecard"), *args], env=env)


def cmd_serve(args: list[str]) -> int:
    setup("site")
    return scorecard("serve", *args)


def cmd_build(args: list[str]) -> int:
    setup("site")
    return scorecard("build", *args)


# Static checks run before the tests, in this order; each must pass (configuration: pyproject.toml).
CHECKS = [
    ("ruff check", ["-m", "ruff", "check", "--no-cache", "."]),
    ("ruff format --check", ["-m", "ruff", "format", "--no-cache", "--check", "."]),
    ("mypy --strict", ["-m", "mypy"]),  # generator/, strict: see [tool.mypy] in pyproject.toml
]


def cmd_test(args: list[str]) -> int:
    setup("test")
    ensure_browser()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not os.environ.get("DEV_PY_SKIP_CHECKS"):
        for name, check in CHECKS:
            say(f"running {name}")
            code = supervise([str(PY), *check], env=env)
            if code:
                say(f"{name} failed; fix the findings above (pytest did not run)")
                return code
    code = supervise([str(PY), "-m", "pytest", *args], env=env)
    if code == 5:  # pytest: no tests collected. That is a failure here, not a pass.
        say("no tests were collected")
        return 1
    return code


def cmd_setup(args: list[str]) -> int:
    setup(args[0] if args else "test")
    return 0


def cmd_lock(args: list[str]) -> int:
    setup("test")
    # uv itself is pinned and hash-checked too (requirements/uv.txt, compiled from uv.in).
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "--no-deps", "-r", ROOT / "requirements" / "uv.txt")
    flags = ["--universal", "--python-version", "3.11", "--generate-hashes", "--quiet", "--custom-compile-command", "python3 dev.py lock", *args]
    common = ["pyproject.toml", "requirements/build.in", *flags]
    run(BIN / "uv", "pip", "compile", *common, "-o", "requirements/site.txt")
    run(BIN / "uv", "pip", "compile", *common, "--extra", "test", "-o", "requirements/test.txt")
    run(BIN / "uv", "pip", "compile", "requirements/uv.in", *flags, "-o", "requirements/uv.txt")
    run(BIN / "uv", "pip", "compile", "requirements/zensical.in", *flags, "-o", "requirements/zensical.txt")
    return 0


def cmd_mutate(args: list[str]) -> int:
    """Mutation testing: mutmut mutates the modules named in pyproject.toml and runs the fast tests
    against each mutant; the summary line counts killed and surviving mutants."""
    setup("test")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    code = supervise([str(BIN / "mutmut"), "run", "--max-children", str(os.cpu_count() or 1), *args], env=env)
    supervise([str(BIN / "mutmut"), "results"], env=env)
    return code


COMMANDS = {"serve": cmd_serve, "build": cmd_build, "test": cmd_test, "setup": cmd_setup, "lock": cmd_lock, "mutate": cmd_mutate}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2)
    try:
        sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
    except subprocess.CalledProcessError as exc:
        sys.exit(f"dev.py: step failed ({' '.join(map(str, exc.cmd))}); see the output above")
    except KeyboardInterrupt:
        sys.exit(130)
