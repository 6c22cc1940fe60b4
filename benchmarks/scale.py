"""Benchmark: build time and memory at scale, against a naive MkDocs build measured in the same run.

    .venv/bin/python benchmarks/scale.py --providers 1000

In a temporary folder it builds, each in a fresh process and a folder of its own (all kept until
the end: see main()):
  1. the naive yardstick: MkDocs + Material building N plain Markdown provider pages (a 42-row
     Markdown table each, out of the nav, search plugin on), the simplest site of that size;
  2. the project (`scorecard build`: validate, score, generate, MkDocs) with N synthetic providers
     (every applicable criterion assessed, with a source each) copied next to the real
     config, docs and criteria, at N/4, N/2 and N providers to show how time grows;
  3. with Zensical, if installed (`zensical` on PATH or --zensical), the same generated
     `build/docs` at N providers, for the record (not a target).
Synthetic data never touches data/. Time is wall-clock time of the build alone (CPU time, printed
too, is less sensitive to other load on the machine).
Every build runs --repeat times (default 3), in rounds (N/4, N/2, naive, N), and the medians are
compared: the ratio and the growth; one build can differ by 10-15 % from the next here.

Memory: the build runs in several processes at once (the generator, its export process, MkDocs
and its forked page workers), so one process's peak says little. Every build prints the largest
single process's peak (VmHWM, what `/usr/bin/time` reports for one process). One more project
build at N, not timed, samples the whole process tree every 50 ms: its summed RSS (counts pages a
forked worker shares with its parent twice) and summed PSS (shared pages split between the
processes sharing them). Sampling costs the machine 2-3 s of CPU at 1,000 providers, which slows
a build on two cores by 15-35 %, so the timed builds are not sampled.
`peak_rss` on the last line is the larger of the largest process's peak and the tree's PSS peak:
what the build as a whole holds at once, never less than any one of its processes.

Targets at N providers: ratio (median project / median naive) <= 1.0, peak RSS <= 300 MB, and
doubling the providers at most 2.2x the time. Exits 1 when a target is missed. The last line is always
`providers=N build=X s naive=Y s ratio=R peak_rss=M MB`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.0
TARGET_RSS_MB = 300.0
TARGET_GROWTH = 2.2
AS_OF = dt.date(2026, 11, 27)
LEVELS = ["full", "partial", "not-disclosed", "partial", "full", "no"]


# --- synthetic data ---------------------------------------------------------------------------


def make_project(work: Path, providers: int) -> None:
    """A copy of the project's config, docs and criteria with `providers` synthetic providers."""
    from generator.check import check_tree
    from generator.workspace import copy_project, synthetic_provider

    copy_project(ROOT, work)
    dataset, _ = check_tree(work, AS_OF)
    criteria = list(dataset.criteria.values())
    for i in range(providers):
        kind = "software" if i % 4 == 0 else "service"
        (work / f"data/providers/synthetic-{i:04d}.yaml").write_text(synthetic_provider(i, criteria, kind))


def make_naive(work: Path, pages: int) -> None:
    """The yardstick: plain Markdown pages, a 42-row table each, default Material, search on."""
    (work / "docs/providers").mkdir(parents=True)
    (work / "mkdocs.yml").write_text(
        "site_name: Naive yardstick\ntheme:\n  name: material\nplugins:\n  - search\nnav:\n  - index.md\nnot_in_nav: |\n  /providers/*\n"
    )
    (work / "docs/index.md").write_text("# Naive yardstick\n\nPlain provider pages.\n")
    for i in range(pages):
        rows = "\n".join(
            f"| Criterion {j} | {LEVELS[(i + j) % len(LEVELS)]} | 2026-01-01 | [Security](https://synthetic-{i:04d}.example.org/security/{j}) |"
            for j in range(42)
        )
        (work / f"docs/providers/p{i:04d}.md").write_text(
            f"# Provider {i:04d}\n\nA plain provider page.\n\n| Criterion | Level | Verified | Source |\n|---|---|---|---|\n{rows}\n"
        )


# --- one measured build (runs in a child process: python scale.py --one KIND --providers N --work DIR) ----


def one(kind: str, providers: int, work: Path) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    work.mkdir(parents=True)
    if kind == "project":
        from generator import build

        make_project(work, providers)
        start = time.monotonic()
        build.build(build.Settings(work, AS_OF), work / "site")
    else:
        import logging

        from mkdocs.commands.build import build as mk_build
        from mkdocs.config import load_config

        make_naive(work, providers)
        start = time.monotonic()
        config = load_config(config_file=str(work / "mkdocs.yml"), site_dir=str(work / "site"))
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        mk_build(config)
    seconds = time.monotonic() - start
    print(json.dumps({"seconds": seconds}), flush=True)


def _tree(root: int) -> set[int]:
    """Process `root` and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _status_kb(pid: int, *fields: str) -> list[int]:
    values = dict.fromkeys(fields, 0)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in values:
                values[key] = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return [values[f] for f in fields]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class Memory:
    """Peaks over a build's process tree: the largest single process's peak RSS (VmHWM, what
    `/usr/bin/time` reports for one process), the tree's summed RSS (counts memory a forked worker
    shares with its parent twice) and the tree's summed PSS (shared memory split between sharers)."""

    def __init__(self) -> None:
        self.process_kb = self.rss_sum_kb = self.pss_sum_kb = 0
        self.cpu_seconds = 0.0
        self.sampled = False

    def sample(self, root: int) -> None:
        rss = pss = 0
        for pid in _tree(root):
            hwm, now = _status_kb(pid, "VmHWM", "VmRSS")
            self.process_kb = max(self.process_kb, hwm)
            rss += now
            pss += _pss_kb(pid)
        self.rss_sum_kb = max(self.rss_sum_kb, rss)
        self.pss_sum_kb = max(self.pss_sum_kb, pss)

    @property
    def peak_mb(self) -> float:
        """What the last line reports: the larger of the largest process's peak and the tree's PSS peak."""
        return max(self.process_kb, self.pss_sum_kb) / 1024

    def text(self) -> str:
        if not self.sampled:
            return f"CPU {self.cpu_seconds:.1f} s, largest process {self.process_kb / 1024:.0f} MB (timed run: process tree not sampled)"
        return (
            f"CPU {self.cpu_seconds:.1f} s, peak {self.peak_mb:.0f} MB (largest process {self.process_kb / 1024:.0f} MB; whole process tree: "
            f"RSS sum {self.rss_sum_kb / 1024:.0f} MB, PSS sum {self.pss_sum_kb / 1024:.0f} MB)"
        )


def measure(kind: str, providers: int, work: Path, sample: bool = False) -> tuple[float, Memory]:
    """Run one build in a fresh process; (seconds, memory peaks). Only with `sample` is the whole
    process tree sampled every 50 ms: that costs 2-3 s of CPU at 1,000 providers, on the cores the
    build runs on (measured: the build took 14.3 and 17.6 s sampled, 12.4 and 13.2 s not), so timed
    builds are not sampled and report the largest process's peak only."""
    # The files an earlier build wrote or deleted are written back before this one, not during it.
    if hasattr(os, "sync"):
        os.sync()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--one", kind, "--providers", str(providers), "--work", str(work)], stdout=subprocess.PIPE, text=True
    )
    memory, done = Memory(), threading.Event()
    memory.sampled = sample

    def sample_tree() -> None:
        while not done.wait(0.05):
            memory.sample(proc.pid)

    sampler = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    if sampler.is_alive():
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read()
    if proc.returncode != 0:
        sys.exit(f"scale.py: the {kind} build with {providers} providers failed (exit {proc.returncode})")
    seconds = json.loads(out.strip().splitlines()[-1])["seconds"]
    # ru_maxrss (KB on Linux): peak of the process itself or its largest waited-for descendant.
    memory.process_kb = max(memory.process_kb, usage.ru_maxrss)
    # CPU time of the process and its workers; it includes setting up the synthetic data (small).
    memory.cpu_seconds = usage.ru_utime + usage.ru_stime
    return seconds, memory


def zensical_time(exe: str, docs_project: Path) -> str:
    """Time `zensical build` of the already generated build/docs (same mkdocs.yml)."""
    start = time.monotonic()
    result = subprocess.run([exe, "build", "--clean"], cwd=docs_project, capture_output=True, text=True)
    seconds = time.monotonic() - start
    status = "ok" if result.returncode == 0 else f"exit {result.returncode}: {(result.stderr or result.stdout).strip()[-300:]}"
    return f"{seconds:.1f} s ({status})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--providers", type=int, default=1000, help="number of synthetic providers (default 1000)")
    parser.add_argument("--zensical", default=shutil.which("zensical"), help="zensical executable (default: from PATH)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of builds (N/4, N/2, naive N, project N); their medians are compared (default 3)"
    )
    parser.add_argument("--one", choices=["project", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.providers, args.work)
        return 0

    n = args.providers
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = sorted({max(1, n // 4), max(1, n // 2), n})
    print(f"scale.py: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
    # Every build gets a folder of its own, and none is deleted before the run ends: on ext4 without a
    # journal (this machine), creating a file scans past the inodes deleted in the last hours, so a
    # build that follows the deletion of a 12,000-file project tree is the slower for it (measured:
    # 12.0 s against 10.5 s for the same build). Deleting between builds would charge each build
    # for the folder removed before it.
    with tempfile.TemporaryDirectory(prefix="scale.") as tmp:
        # Each round builds the smaller sizes (for the growth), then the naive yardstick and the project
        # at N, each in a fresh folder and process, so that a change in the machine's load touches
        # every kind; the medians of the rounds are compared (one build varies by 10-15 % here).
        runs: dict[tuple[str, int], list[float]] = {}
        peaks = []
        for run in range(1, args.repeat + 1):
            label = f" (run {run} of {args.repeat})" if args.repeat > 1 else ""
            for kind, size in [*(("project", size) for size in sizes[:-1]), ("naive", n), ("project", n)]:
                work = Path(tmp) / f"{kind}-{size}-{run}"
                seconds, memory = measure(kind, size, work)
                runs.setdefault((kind, size), []).append(seconds)
                what = f"naive yardstick, {size} plain pages" if kind == "naive" else f"project, {size} providers"
                print(f"{what}{label}: {seconds:.1f} s, {memory.text()}", flush=True)
            peaks.append(memory.peak_mb)  # the project at N, built last in the round
        times = {size: statistics.median(runs["project", size]) for size in sizes}
        naive_s = statistics.median(runs["naive", n])
        seconds, memory = measure("project", n, Path(tmp) / f"project-{n}-memory", sample=True)
        peaks.append(memory.peak_mb)
        print(f"project, {n} providers, memory run (not timed: sampling slows it): {memory.text()}", flush=True)
        if args.repeat > 1:
            print(f"medians of {args.repeat} runs at {n}: project {times[n]:.1f} s, naive {naive_s:.1f} s")
            if sizes[:-1]:
                print(f"medians of {args.repeat} runs: " + ", ".join(f"project, {size} providers {times[size]:.1f} s" for size in sizes[:-1]))
        growth = [(b, times[b] / times[a]) for a, b in itertools.pairwise(sizes) if b == 2 * a]
        for size, factor in growth:
            print(f"growth {size // 2} -> {size} providers: {factor:.2f}x time (target <= {TARGET_GROWTH}x)")
        if args.zensical:
            print(f"zensical build of the same build/docs ({n} providers): {zensical_time(args.zensical, work)}")
        else:
            print("zensical: not installed (optional; pip install zensical==0.0.73)")
    ratio = times[n] / naive_s
    rss = max(peaks)
    misses = []
    if ratio > TARGET_RATIO:
        misses.append(f"ratio {ratio:.2f} > {TARGET_RATIO}")
    if rss > TARGET_RSS_MB:
        misses.append(f"peak memory {rss:.0f} MB > {TARGET_RSS_MB:.0f} MB")
    misses += [f"growth {f:.2f}x > {TARGET_GROWTH}x at {s}" for s, f in growth if f > TARGET_GROWTH]
    print("targets: " + ("all met" if not misses else "MISSED: " + "; ".join(misses)))
    print(f"providers={n} build={times[n]:.1f} s naive={naive_s:.1f} s ratio={ratio:.2f} peak_rss={rss:.0f} MB")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
