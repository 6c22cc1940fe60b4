"""Run one function in a forked process while the caller does other work (POSIX `fork`).

Used by the build to write the data exports (JSON, images, feeds) while the pages are rendered.
Where `fork` is missing, or SCORECARD_WORKERS=1, the function simply runs in the caller's
process when its result is asked for. Results and exceptions travel back pickled.

`Stream` is the same with results passed back one at a time, as they are made.
`Share` hands out a list of jobs to both processes, each job once, so that neither waits for the other.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import pickle
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

# Each message from a worker: its length (8 bytes), then the pickled (kind, value).
_HEADER = struct.Struct("<Q")
_PIPE_SIZE = 1 << 20  # a worker that streams blocks only when the caller lets this much wait
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux


def forking(enabled: bool) -> bool:
    return enabled and hasattr(os, "fork") and sys.platform != "darwin"


def _fork(body: Callable[[Callable[[str, Any], None]], None]) -> tuple[int, int]:
    """Run `body(send)` in a forked process; `send(kind, value)` passes one message back through a pipe.
    An exception ends the worker with an ("error", exception) message. Returns (pid, read end)."""
    read, write = os.pipe()
    with contextlib.suppress(OSError):  # else the system's default size: the worker waits more often, nothing else changes
        fcntl.fcntl(write, _F_SETPIPE_SZ, _PIPE_SIZE)
    pid = os.fork()
    if pid == 0:  # child: compute, report, never return into the caller
        code = 0
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:

                def send(kind: str, value: Any) -> None:
                    data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(_HEADER.pack(len(data)))
                    out.write(data)
                    out.flush()

                try:
                    body(send)
                except BaseException as exc:
                    # The traceback stays with the exception (as a note), so `--debug` shows where the worker failed.
                    exc.add_note("in the build worker:\n" + traceback.format_exc().rstrip())
                    code = 1
                    try:
                        send("error", exc)
                    except Exception as why:  # an unpicklable exception: send its text
                        send("error", RuntimeError(f"{type(exc).__name__}: {exc} ({why})"))
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _messages(buffer: bytearray) -> Iterator[tuple[str, Any]]:
    """The complete messages at the start of `buffer`, each removed from it as it is read."""
    while len(buffer) >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer)
        if len(buffer) < _HEADER.size + size:
            return
        message = pickle.loads(buffer[_HEADER.size : _HEADER.size + size])  # noqa: S301 - from our own forked child, through a pipe
        del buffer[: _HEADER.size + size]
        yield message


def _read_all(read: int, buffer: bytearray) -> None:
    os.set_blocking(read, True)
    with os.fdopen(read, "rb") as inp:
        buffer += inp.read()


class Background:
    def __init__(self, func: Callable[[], Any], enabled: bool = True):
        self.func = func
        self.pid = 0
        if forking(enabled):
            self.pid, self.read = _fork(lambda send: send("ok", func()))

    def result(self) -> Any:
        if not self.pid:
            return self.func()
        buffer = bytearray()
        _read_all(self.read, buffer)
        os.waitpid(self.pid, 0)
        self.pid = 0
        for status, payload in _messages(buffer):
            if status == "error":
                raise payload
            return payload
        raise RuntimeError("a build worker ended without a result")


class Stream:
    """Run `produce(send)` in a forked process, where each `send(item)` passes one item back as soon as it
    is made. `arrived()` gives the items that have come so far, without waiting; `rest()` waits for the
    others. So the caller takes in the worker's results while doing its own part of the work, instead of
    receiving them all at the end (unpickling them is work too). Without `fork` (or not enabled),
    `produce` runs in the caller's process when `rest()` is called."""

    def __init__(self, produce: Callable[[Callable[[Any], None]], None], enabled: bool = True):
        self.produce = produce
        self.pid = 0
        self.buffer = bytearray()
        self.ended = False
        if forking(enabled):

            def body(send: Callable[[str, Any], None]) -> None:
                produce(lambda item: send("item", item))
                send("end", None)

            self.pid, self.read = _fork(body)
            os.set_blocking(self.read, False)

    def arrived(self) -> list[Any]:
        if not self.pid:
            return []
        while True:
            try:
                chunk = os.read(self.read, _PIPE_SIZE)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buffer += chunk
        return self._items()

    def rest(self) -> list[Any]:
        if not self.pid:
            items: list[Any] = []
            self.produce(items.append)
            return items
        self._finish()
        items = self._items()
        if not self.ended:
            raise RuntimeError("a build worker ended without all of its results")
        return items

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker if it is still running (the caller gave up before `rest()`), so that it is not
        left blocked on a full pipe in a long-lived process such as `serve`."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self.read)
            os.waitpid(self.pid, 0)
            self.pid = 0

    def _finish(self) -> None:
        _read_all(self.read, self.buffer)
        os.waitpid(self.pid, 0)
        self.pid = 0

    def _items(self) -> list[Any]:
        items = []
        for kind, value in _messages(self.buffer):
            if kind == "error":
                if self.pid:
                    self._finish()
                raise value
            if kind == "end":
                self.ended = True
            else:
                items.append(value)
        return items


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
