"""Run one function in a forked process while the caller does other work (POSIX `fork`).

Used by the build to write the data exports (JSON, images, feeds) while the pages are rendered.
Where `fork` is missing, or SCORECARD_WORKERS=1, the function simply runs in the caller's
process when its result is asked for. Results and exceptions travel back pickled.

`Share` hands out a list of jobs to both processes, each job once, so that neither waits for the other.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any


class Background:
    def __init__(self, func: Callable[[], Any], enabled: bool = True):
        self.func = func
        self.pid = 0
        if not (enabled and hasattr(os, "fork") and sys.platform != "darwin"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, report, never return into the caller
            code = 0
            try:
                os.close(read)
                try:
                    payload = ("ok", func())
                except BaseException as exc:
                    # The traceback stays with the exception (as a note), so `--debug` shows where the worker failed.
                    exc.add_note("in the build worker:\n" + traceback.format_exc().rstrip())
                    payload, code = ("error", exc), 1
                try:
                    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # an unpicklable exception: send its text
                    data = pickle.dumps(("error", RuntimeError(f"{type(payload[1]).__name__}: {payload[1]} ({exc})")))
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.read = pid, read

    def result(self) -> Any:
        if not self.pid:
            return self.func()
        with os.fdopen(self.read, "rb") as inp:
            data = inp.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise RuntimeError("a build worker ended without a result")
        status, payload = pickle.loads(data)  # noqa: S301 - from our own forked child, through a pipe
        if status == "error":
            raise payload
        return payload


class Share:
    """The numbers 0 … n-1, each handed out once, to this process and to any process forked from it
    after the Share was made (a counter in shared memory): iterating takes the next number not yet taken."""

    def __init__(self, n: int):
        self.n = n
        self._next = multiprocessing.Value("q", 0)

    def __iter__(self) -> Iterator[int]:
        while True:
            with self._next.get_lock():
                taken = self._next.value
                self._next.value = taken + 1
            if taken >= self.n:
                return
            yield taken
