#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+.

    python3 dev.py serve   set up, build and preview the site on http://127.0.0.1:8000/
    python3 dev.py test    set up (test tools and a browser too), run ruff and mypy, then every test
    python3 dev.py build   set up and build the site into site/
    python3 dev.py setup [site|test]   only set up .venv/ (what CI runs first)
    python3 dev.py lock    maintainers: regenerate the hash-pinned lock files
    python3 dev.py mutate [module ...] | --sample N [--seed S] | --report   mutation testing (mutmut 3, fast tests); slow

Setup creates `.venv/`, installs the hash-pinned lock file (`requirements/*.txt`) and the
project itself; it is skipped when the lock file has not changed since the last run.
Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import inspect
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def supervise(cmd: list[str], env: dict[str, str] | None = None, grace: float = 10.0, stdout: int | None = None) -> int:
    """Run `cmd` as a child, pass on the signals that would end us (so `kill <pid of dev.py>`
    also stops the preview server), and never return while the child still runs."""
    child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=stdout)
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


# mutmut's exit codes per mutant (mutmut/stats.py), grouped the way the report counts them.
KILLED_CODES = {1, 3, 24, -24, 36, 37, 152, 255}  # a test failed, pytest broke, a timeout, or the type check caught it
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}  # no fast test runs the mutated function


def mutant_bucket(code: int | None) -> str:
    """How the reports count one mutmut result: killed (a test failed, a timeout, the type check),
    survived, no tests (no fast test runs the function: not killed), other (a crash mutmut calls
    suspicious or a segfault: not killed) or not run."""
    if code is None:
        return "not run"
    if code in KILLED_CODES:
        return "killed"
    if code in SURVIVED_CODES:
        return "survived"
    if code in NO_TESTS_CODES:
        return "no tests"
    return "other"


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (successes of trials): unlike
    p +- z*sqrt(p(1-p)/n) it stays inside [0, 1] and keeps its coverage near 0 and 1."""
    from statistics import NormalDist

    if trials <= 0 or not 0 <= successes <= trials or not 0 < confidence < 1:
        raise ValueError(f"no interval for {successes} of {trials} at {confidence}")
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    p = successes / trials
    centre = p + z * z / (2 * trials)
    half = z * ((p * (1 - p) / trials + z * z / (4 * trials * trials)) ** 0.5)
    scale = 1 + z * z / trials
    return max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale)


def mutant_patterns(targets: list[str]) -> list[str]:
    """`generator/safe.py` or `generator/outputs/` (or `generator.safe`) as mutmut mutant-name patterns."""
    patterns = []
    for target in targets:
        name = target.removesuffix(".py").strip("/").replace("/", ".")
        patterns.append(f"{name}.*")
    return patterns


def sync_mutant_copy() -> None:
    """mutmut copies the project into mutants/ once, and afterwards refreshes only generator/'s .py
    files and overwrites (never deletes) the rest: make the copy match the project again, or tests
    would run against old templates or data files that no longer exist."""
    import tomllib

    copy = ROOT / "mutants"
    if not copy.exists():
        return
    also_copy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"].get("also_copy", [])
    for name in also_copy:  # mutmut copies these again
        target = copy / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    source = ROOT / "generator"
    for mutated in (copy / "generator").rglob("*.py"):  # cut short while being written (an interrupted run): made again
        meta = mutated.with_name(mutated.name + ".meta")
        if not meta.exists() or meta.stat().st_mtime < mutated.stat().st_mtime:
            mutated.unlink()
    for target in sorted((copy / "generator").rglob("*"), reverse=True):  # non-Python files gone from generator/
        if target.is_file() and target.suffix not in (".py", ".meta", ".spans") and not (source / target.relative_to(copy / "generator")).exists():
            target.unlink()
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
            target = copy / "generator" / path.relative_to(source)
            if not target.exists() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


def mutmut_metas() -> Iterator[tuple[str, dict[str, Any]]]:
    """What mutmut keeps for each module of generator/ it has mutated (mutants/generator/**.py.meta),
    with the module's path (`generator/safe.py`): its mutants' results and its functions' hashes."""
    import json

    for meta in sorted((ROOT / "mutants" / "generator").rglob("*.py.meta")):
        yield meta.relative_to(ROOT / "mutants").as_posix().removesuffix(".meta"), json.loads(meta.read_text(encoding="utf-8"))


def unkilled_mutants() -> list[str]:
    return [key for key, code in mutation_results().items() if code is None or code not in KILLED_CODES]


def mutation_results() -> dict[str, int | None]:
    """Every mutant of generator/ mutmut knows and its kept result."""
    results: dict[str, int | None] = {}
    for _, meta in mutmut_metas():
        results.update(meta.get("exit_code_by_key", {}))
    return results


SAMPLE = ROOT / "mutants" / "sample.json"  # the recorded draw: seed, commit, population, names in draw order
SAMPLE_BATCH = 50  # mutants per mutmut run: each run's mutants are the next ones of the draw
# mutmut's first step only (copy new files, make the mutants of changed modules), so that the
# population a sample is drawn from is all of generator/ as it is now. mutmut is pinned (requirements/test.txt).
GENERATE_MUTANTS = "import sys\nfrom mutmut.__main__ import create_mutants\nfrom mutmut.utils.file_utils import copy_src_dir\ncopy_src_dir()\ncreate_mutants(int(sys.argv[1]))\n"


def draw_sample(population: list[str], size: int, seed: int) -> list[str]:
    """`size` mutant names drawn uniformly at random without replacement, in draw order; the same
    population (in any order) and seed give the same draw."""
    import random

    if not 0 < size <= len(population):
        raise ValueError(f"cannot draw {size} of {len(population)} mutants")
    return random.Random(seed).sample(sorted(population), size)


def sample_estimate(codes: list[int | None]) -> tuple[int, int]:
    """(killed, measured) over the longest start of the draw whose mutants all have a result: any
    start of a uniform draw is a uniform sample too, while "the ones that ran" (mutmut runs the fast
    ones first) would not be. No tests and other results count as not killed, timeouts as killed."""
    measured = 0
    for code in codes:
        if code is None:
            break
        measured += 1
    return sum(mutant_bucket(code) == "killed" for code in codes[:measured]), measured


EQUIVALENT = ROOT / "tests" / "equivalent-mutants.txt"  # mutants judged equivalent: name, function hash, reason


def function_hashes() -> dict[str, str]:
    """mutmut's hash of every function of generator/, by the qualified name its mutants start with
    (`generator.safe.x_prose` for `generator.safe.x_prose__mutmut_3`)."""
    hashes = {}
    for path, meta in mutmut_metas():
        module = path.removesuffix(".py").replace("/", ".")
        for function, digest in meta.get("hash_by_function_name", {}).items():
            hashes[f"{module}.{function}"] = digest
    return hashes


def read_equivalents(text: str) -> dict[str, tuple[str, str]]:
    """The register of equivalent mutants: `name hash reason` per line, `#` starts a comment line.
    The hash is mutmut's hash of the mutated function when the mutant was judged: mutants are
    numbered within their function, so once it changes the number may name another mutant."""
    entries = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3 or "__mutmut_" not in parts[0]:
            raise ValueError(f"{EQUIVALENT.name}:{number}: expected `mutant-name function-hash reason`")
        entries[parts[0]] = (parts[1], parts[2])
    return entries


def equivalent_now(entries: dict[str, tuple[str, str]], hashes: dict[str, str]) -> tuple[set[str], list[str]]:
    """The registered mutants whose function is unchanged since they were judged, and the stale ones."""
    current: set[str] = set()
    stale: list[str] = []
    for name, (digest, _) in entries.items():
        if hashes.get(name.rsplit("__mutmut_", 1)[0]) == digest:
            current.add(name)
        else:
            stale.append(name)
    return current, stale


def option_value(args: list[str], name: str) -> str | None:
    if name in args and args.index(name) + 1 < len(args) and not args[args.index(name) + 1].startswith("--"):
        return args[args.index(name) + 1]
    return None


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "generator"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes in generator/" if dirty else "")


def run_sample(args: list[str], env: dict[str, str]) -> int:
    """--sample N [--seed S]: draw N of all generator/'s mutants and run them, SAMPLE_BATCH at a time
    in draw order (run again with the same N and seed to continue an interrupted run).
    --sample --retry: run again the mutants of the recorded draw run so far and not killed."""
    import json
    from datetime import UTC, datetime

    record = json.loads(SAMPLE.read_text(encoding="utf-8")) if SAMPLE.exists() else None
    size_text, seed_text = option_value(args, "--sample"), option_value(args, "--seed")
    if "--retry" in args:
        if record is None:
            say("no sample recorded yet; draw one with `python3 dev.py mutate --sample N [--seed S]`")
            return 1
        latest = latest_results(record)
        todo = [name for name in record["names"] if name in record["done"] and mutant_bucket(latest[name]) != "killed"]
    else:
        if size_text is None or not size_text.isdigit() or (seed_text is not None and not seed_text.isdigit()):
            say("usage: python3 dev.py mutate --sample N [--seed S]   (N and S whole numbers)")
            return 2
        size = int(size_text)
        seed = int(seed_text) if seed_text is not None else int.from_bytes(os.urandom(4), "big")
        say("making the mutants of every changed module of generator/")
        code = supervise([str(PY), "-c", GENERATE_MUTANTS, "2"], env=env, stdout=subprocess.DEVNULL)
        if code:
            return code
        population = sorted(mutation_results())
        commit = git_commit()
        if record and (record["seed"], len(record["names"]), record["population"], record["commit"]) == (seed, size, len(population), commit):
            todo = [name for name in record["names"] if name not in record["done"]]
            say(f"continuing the recorded draw (seed {seed}): {len(todo)} of its {size} mutants to run")
        else:
            names = draw_sample(population, size, seed)
            drawn_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            record = {"seed": seed, "population": len(population), "commit": commit, "drawn_at": drawn_at, "names": names, "done": [], "first": {}}
            SAMPLE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
            say(
                f"drew {size} of the {len(population)} mutants of generator/ with seed {seed} (commit {commit}); the draw, in order, is in {SAMPLE.relative_to(ROOT)}"
            )
            todo = names
    # mutmut maps each function to the tests that run it once, and afterwards traces only new tests: a
    # function split out or newly called since would be run against too few tests. Map afresh.
    (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    for start in range(0, len(todo), SAMPLE_BATCH):
        batch = todo[start : start + SAMPLE_BATCH]
        say(f"running mutants {start + 1}-{start + len(batch)} of {len(todo)}")
        code = supervise([str(BIN / "mutmut"), "run", "--max-children", str(min(2, os.cpu_count() or 1)), *batch], env=env)
        results = mutation_results()
        finished = [name for name in batch if results.get(name) is not None]
        if code or len(finished) < len(batch):
            # mutmut runs the quick mutants first: the part of a batch that ran is no random sample. Not recorded.
            say(f"mutmut stopped (exit {code}) with {len(batch) - len(finished)} mutants of this batch not run; the batches before it are recorded")
            return code or 1
        record["done"] = list(dict.fromkeys([*record["done"], *batch]))
        for name in batch:  # the first result of each mutant is kept: retries after new tests are not a fresh estimate
            record["first"].setdefault(name, results[name])
        SAMPLE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    sample_report(show_survivors=False)
    return 0


def latest_results(record: dict[str, Any]) -> dict[str, int | None]:
    """Each sampled mutant's kept result, or its first result when mutmut has none any more (mutmut
    drops every result when its test selection changes, and a function's results when it changes)."""
    results = mutation_results()
    return {name: results[name] if results.get(name) is not None else record["first"].get(name) for name in record["names"]}


def sample_report(show_survivors: bool) -> int:
    """The killed share of generator/ estimated from the recorded random sample, with its 95 % interval."""
    import json

    if not SAMPLE.exists():
        say("no sample recorded; `python3 dev.py mutate --sample N [--seed S]` draws and runs one")
        return 1
    record = json.loads(SAMPLE.read_text(encoding="utf-8"))
    names, latest = record["names"], latest_results(record)
    first_killed, measured = sample_estimate([record["first"].get(name) for name in names])
    print()
    print(
        f"generator/ as a whole, ESTIMATED from a random sample: {len(names)} of its {record['population']} mutants "
        f"drawn uniformly at random (seed {record['seed']}, {record['drawn_at']}, commit {record['commit']})"
    )
    if not measured:
        print("  no estimate yet: the first mutant of the draw has not been run")
        return 0
    run_part = names[:measured]  # the estimate uses the start of the draw that was run (all of it once complete)
    if measured < len(names):
        print(f"  run so far: the first {measured} of the draw (a random sample of {measured}); {len(names) - measured} not run yet")
    buckets = {name: mutant_bucket(latest[name]) for name in run_part}
    print(
        "  latest results: " + ", ".join(f"{bucket} {list(buckets.values()).count(bucket)}" for bucket in ("killed", "survived", "no tests", "other"))
    )
    latest_killed = list(buckets.values()).count("killed")
    entries = read_equivalents(EQUIVALENT.read_text(encoding="utf-8")) if EQUIVALENT.exists() else {}
    equivalent, stale = equivalent_now(entries, function_hashes())
    first_buckets = {name: mutant_bucket(record["first"].get(name)) for name in run_part}
    for label, killed, judged in (
        ("first run", first_killed, {name for name in run_part if name in equivalent and first_buckets[name] != "killed"}),
        ("latest results", latest_killed, {name for name in run_part if name in equivalent and buckets[name] != "killed"}),
    ):
        low, high = wilson_interval(killed, measured)
        print(
            f"  {label}: killed {killed} of {measured} = {100 * killed / measured:.1f} %; "
            f"95 % confidence interval (Wilson score) {100 * low:.1f} % to {100 * high:.1f} %"
        )
        if judged:  # the usual mutation score leaves out mutants no test could kill
            low, high = wilson_interval(killed, measured - len(judged))
            print(
                f"    without the {len(judged)} of them judged equivalent ({EQUIVALENT.relative_to(ROOT)}): killed {killed} of "
                f"{measured - len(judged)} = {100 * killed / (measured - len(judged)):.1f} %; interval {100 * low:.1f} % to {100 * high:.1f} %"
            )
    if stale:
        print(f"  {len(stale)} registered equivalent mutants are stale (their function changed since): judge them again, e.g. {stale[0]}")
    print(
        "  no tests and other count as not killed, timeouts as killed. Once tests were written for this sample's"
        " survivors, the latest results overstate generator/ as a whole: draw a new sample (another --seed) to measure again."
    )
    if show_survivors:
        for name in run_part:
            if buckets[name] != "killed":
                print(f"sample {'equivalent' if name in equivalent else buckets[name]}: {name}")
    return 0


def mutation_report(show_survivors: bool) -> int:
    """Per module and in total: mutants killed, survived, without a test and not yet run, from every
    result mutmut has kept in mutants/ (each module's last run)."""
    rows = []
    for module, meta in mutmut_metas():
        codes = meta.get("exit_code_by_key", {})
        counts = {"killed": 0, "survived": 0, "no tests": 0, "not run": 0, "other": 0}
        survivors = []
        for key, code in sorted(codes.items()):
            bucket = mutant_bucket(code)
            counts[bucket] += 1
            if bucket in ("survived", "no tests", "other"):
                survivors.append(f"{bucket}: {key}")
        rows.append((module, counts, survivors))
    if not rows:
        say("no mutation results yet; run `python3 dev.py mutate <module>` first")
        return 1
    print(f"{'module':40} {'killed':>7} {'surv.':>6} {'no test':>8} {'not run':>8} {'other':>6} {'killed %':>9}")
    total = dict.fromkeys(rows[0][1], 0)
    for module, counts, _ in rows:
        measured = sum(counts.values()) - counts["not run"]
        if not measured:
            continue
        for k, v in counts.items():
            total[k] += v
        pct = f"{100 * counts['killed'] / measured:.1f}"
        print(f"{module:40} {counts['killed']:7} {counts['survived']:6} {counts['no tests']:8} {counts['not run']:8} {counts['other']:6} {pct:>9}")
    measured = sum(total.values()) - total["not run"]
    pct = f"{100 * total['killed'] / measured:.1f}" if measured else "-"
    print(
        f"{'total (measured modules)':40} {total['killed']:7} {total['survived']:6} {total['no tests']:8} {total['not run']:8} {total['other']:6} {pct:>9}"
    )
    print("killed % = killed / (mutants run); mutants not run are left out. Unmeasured modules are not listed.")
    if show_survivors:
        for line in (line for _, _, survivors in rows for line in survivors):
            print(line)
    return 0


def register_equivalent(args: list[str]) -> int:
    """--equivalent NAME REASON: add a mutant to the register with its function's hash as it is now."""
    rest = args[args.index("--equivalent") + 1 :]
    if len(rest) != 2 or not rest[1].strip() or "\n" in rest[1]:
        say('usage: python3 dev.py mutate --equivalent MUTANT-NAME "why no test can tell it apart"')
        return 2
    name, reason = rest
    digest = function_hashes().get(name.rsplit("__mutmut_", 1)[0])
    if digest is None or name not in mutation_results():
        say(f"no mutant {name} in mutants/: make the mutants first (a sample or `python3 dev.py mutate <module>`)")
        return 1
    text = EQUIVALENT.read_text(encoding="utf-8") if EQUIVALENT.exists() else ""
    if name in read_equivalents(text):
        say(f"{name} is registered already; edit {EQUIVALENT.relative_to(ROOT)} to change it")
        return 1
    EQUIVALENT.write_text(text + f"{name} {digest} {reason.strip()}\n", encoding="utf-8")
    say(f"registered {name} as equivalent in {EQUIVALENT.relative_to(ROOT)}")
    return 0


MUTATE_OPTIONS = {"--report", "--survivors", "--retry", "--sample", "--seed", "--equivalent"}


def cmd_mutate(args: list[str]) -> int:
    """Mutation testing: mutmut mutates generator/ and runs the fast tests that reach each mutant.

        python3 dev.py mutate generator/safe.py [more modules or packages]   (re)measure these
        python3 dev.py mutate --retry [module ...]  run only the mutants not killed yet (after adding tests)
        python3 dev.py mutate                      run every mutant without a kept result
        python3 dev.py mutate --report [--survivors]   per-module and total figures from kept results
        python3 dev.py mutate --sample N [--seed S]   estimate generator/ as a whole: run N mutants
                                                   drawn at random from all of its mutants
        python3 dev.py mutate --sample --retry     run the sample's mutants run so far and not killed again
        python3 dev.py mutate --sample --report [--survivors]   the estimate with its 95 % interval
        python3 dev.py mutate --equivalent NAME "reason"   register a survivor no test can kill
                                                   (tests/equivalent-mutants.txt; reports leave it out)

    Runs at low priority (nice 10) with one worker per core (at most two)."""
    if "-h" in args or "--help" in args:
        print(inspect.cleandoc(cmd_mutate.__doc__ or ""))
        return 0
    unknown = [arg for arg in args if arg.startswith("-") and arg not in MUTATE_OPTIONS]
    if unknown:  # anything else would be taken for "no module named": a run of every mutant of generator/
        say(f"unknown option {unknown[0]}; `python3 dev.py mutate --help` lists the options")
        return 2
    setup("test")
    if "--equivalent" in args:
        return register_equivalent(args)
    if "--report" in args:
        if "--sample" in args:
            return sample_report("--survivors" in args)
        code = mutation_report("--survivors" in args)
        if SAMPLE.exists():
            sample_report("--survivors" in args)
        return code
    # One build process: mutmut learns which tests reach a function by tracing the test process, and
    # code run in a forked build worker would otherwise count as reached by no test.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_WORKERS": "1"}
    if hasattr(os, "nice"):
        os.nice(10)  # inherited by mutmut and every test run: the machine stays usable
    sync_mutant_copy()
    if "--sample" in args:
        return run_sample(args, env)
    targets = mutant_patterns([a for a in args if not a.startswith("--")])
    if "--retry" in args:  # every mutant not killed yet (survived or not run), of the named modules or of all
        # A module changed since its mutants were made gets new mutants: all of it is run.
        changed = [
            f"{path.relative_to(ROOT).with_suffix('').as_posix().replace('/', '.')}.*"
            for path in sorted((ROOT / "generator").rglob("*.py"))
            if (ROOT / "mutants" / path.relative_to(ROOT)).exists()
            and path.stat().st_mtime > (ROOT / "mutants" / path.relative_to(ROOT)).stat().st_mtime
        ]
        changed = [c for c in changed if not targets or c in targets]
        kept = [name for name in unkilled_mutants() if not targets or any(fnmatch.fnmatch(name, t) for t in targets)]
        targets = changed + [name for name in kept if not any(fnmatch.fnmatch(name, c) for c in changed)]
        if not targets:
            say("no surviving mutants to retry")
            return 0
    cmd = [str(BIN / "mutmut"), "run", "--max-children", str(min(2, os.cpu_count() or 1)), *targets]
    code = supervise(cmd, env=env)
    mutation_report(show_survivors=False)
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
