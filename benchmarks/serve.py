"""Benchmark: how long after saving a provider file `scorecard serve` shows the change.

    .venv/bin/python benchmarks/serve.py                  # today's data (data/providers/)
    .venv/bin/python benchmarks/serve.py --providers 200  # plus synthetic providers up to 200

Copies the project (config, docs, data) into a temporary folder, optionally adds synthetic
providers (as benchmarks/scale.py does) up to N, starts `scorecard serve` on a free port and
waits for the first build. Then, several times, it edits one provider file as a contributor
would (one claim's summary text) and measures the time from the save until the served
provider page contains the new text. Targets: <= 1 s at today's size, <= 3 s at 200 providers.
Exits 1 when the slowest edit misses its target. The last line is
`providers=N edit_to_page=MEDIAN s (max MAX s, K edits)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generator.workspace import copy_project, synthetic_provider  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float, step: float = 0.02) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--providers", type=int, default=0, help="total providers (synthetic ones added up to N); default: today's data")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-bench.") as tmp:
        work = Path(tmp)
        copy_project(ROOT, work, providers=ROOT / "data/providers")
        real = sorted((work / "data/providers").glob("*.yaml"))
        if args.providers > len(real):
            from generator.check import check_tree

            dataset, _ = check_tree(work, dt.date.today())  # the real files carry recent dates, and serve checks against today
            criteria = list(dataset.criteria.values())
            for i in range(args.providers - len(real)):
                kind = "software" if i % 4 == 0 else "service"
                (work / f"data/providers/synthetic-{i:04d}.yaml").write_text(synthetic_provider(i, criteria, kind))
        total = len(list((work / "data/providers").glob("*.yaml")))
        target = 1.0 if total <= 50 else 3.0
        edited = real[len(real) // 2]
        pid = edited.stem
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        log = open(work / "serve.log", "w")  # noqa: SIM115 - stays open while the server writes to it
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("scorecard")), f"--root={work}", "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/providers/{pid}/"
        try:
            started = wait_for(lambda: fetch(url) is not None, 600, 0.2)
            if started is None:
                print((work / "serve.log").read_text()[-2000:])
                sys.exit("serve.py: the preview server did not start")
            print(f"serve.py: {total} providers; first build and start took {started:.1f} s; editing data/providers/{edited.name}")
            times = []
            text = edited.read_text()
            match = re.search(r"^(    summary: )(.*)$", text, re.M)  # the first claim's summary
            if not match:
                sys.exit(f"serve.py: no claim summary found in {edited.name}")
            for k in range(args.edits):
                time.sleep(1.5)  # let the previous rebuild settle, as between two real saves
                marker = f"Benchmark edit {k} {time.time_ns()}"
                new = text[: match.start(2)] + marker + " " + text[match.start(2) :]
                edited.write_text(new)
                seconds = wait_for(lambda marker=marker: marker in (fetch(url) or ""), 60)
                if seconds is None:
                    print((work / "serve.log").read_text()[-3000:])
                    sys.exit(f"serve.py: edit {k} did not show within 60 s")
                times.append(seconds)
                print(f"edit {k + 1}: page updated {seconds:.2f} s after the save")
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            log.close()
    worst = max(times)
    ok = worst <= target
    print(f"target: <= {target:.0f} s at {total} providers: {'met' if ok else 'MISSED'}")
    print(f"providers={total} edit_to_page={statistics.median(times):.2f} s (max {worst:.2f} s, {len(times)} edits)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
