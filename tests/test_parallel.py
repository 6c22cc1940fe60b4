"""parallel.py: a forked worker's results come back whole (Background) or one at a time as they are
made (Stream), its failures arrive as exceptions, and Share hands each job out once."""

from __future__ import annotations

import os
import time

import pytest

from generator import parallel


def test_a_stream_gives_every_item_in_the_order_sent():
    stream = parallel.Stream(lambda send: [send(("item", i, "x" * (i % 7) * 1000)) for i in range(3000)])
    got = []
    while len(got) < 10:  # some arrive while the worker is still sending
        got += stream.arrived()
    got += stream.rest()
    assert got == [("item", i, "x" * (i % 7) * 1000) for i in range(3000)]
    assert stream.pid == 0 and stream.arrived() == []  # the worker is waited for


def test_arrived_takes_what_has_come_without_waiting_for_the_rest(tmp_path):
    go_on = tmp_path / "go-on"

    def produce(send):
        send("first")
        deadline = time.monotonic() + 60  # never outlive a failed test
        while not go_on.exists() and time.monotonic() < deadline:  # the second item waits until the caller has the first
            time.sleep(0.01)
        send("second")

    stream = parallel.Stream(produce)
    got: list[str] = []
    for _ in range(2000):
        got += stream.arrived()
        if got:
            break
        time.sleep(0.01)
    assert got == ["first"]
    go_on.touch()
    assert stream.rest() == ["second"]


def test_a_stream_failure_arrives_with_its_traceback_after_the_items_before_it():
    def produce(send):
        send(1)
        send(2)
        raise ValueError("bad file")

    stream = parallel.Stream(produce)
    got: list[int] = []

    def take_until_it_fails() -> None:
        while True:
            got.extend(stream.arrived())
            time.sleep(0.01)

    with pytest.raises(ValueError, match="bad file") as info:
        take_until_it_fails()
    assert got in ([], [1], [1, 2])
    assert "in the build worker" in "\n".join(getattr(info.value, "__notes__", []))
    assert stream.pid == 0  # waited for


def test_a_worker_that_ends_early_is_an_error_not_fewer_results():
    def produce(send):
        send(1)
        os._exit(0)  # as if killed: no end message

    with pytest.raises(RuntimeError, match="ended without all of its results"):
        parallel.Stream(produce).rest()


def test_without_a_fork_the_stream_runs_in_this_process_when_the_rest_is_asked_for():
    ran = []

    def produce(send):
        ran.append(os.getpid())
        send("a")
        send("b")

    stream = parallel.Stream(produce, enabled=False)
    assert stream.arrived() == [] and ran == []
    assert stream.rest() == ["a", "b"] and ran == [os.getpid()]


def test_a_background_result_comes_back_whole():
    assert parallel.Background(lambda: {"pages": list(range(5000))}).result() == {"pages": list(range(5000))}
    assert parallel.Background(lambda: None).result() is None


def test_a_background_worker_that_ends_without_a_result_is_an_error():
    with pytest.raises(RuntimeError, match="ended without a result"):
        parallel.Background(lambda: os._exit(0)).result()


def test_a_stream_left_before_its_end_stops_its_worker():
    def produce(send):
        while True:  # more than the pipe holds: it would block for ever if nobody stopped it
            send("x" * 100_000)

    streams: list[parallel.Stream] = []
    pids: list[int] = []

    def fails_while_the_worker_runs() -> None:
        with parallel.Stream(produce) as stream:
            streams.append(stream)
            pids.append(stream.pid)
            raise KeyError("the caller fails")

    with pytest.raises(KeyError):
        fails_while_the_worker_runs()
    assert pids[0] and streams[0].pid == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pids[0], os.WNOHANG)  # waited for already: no such child
