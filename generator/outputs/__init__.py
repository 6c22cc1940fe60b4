"""One small module per published output; `generator/export.py` lists them and runs them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator


class Chunks:
    """The content of a large output file, made a piece at a time (its bytes, in order): a one-off
    build writes each piece as it comes instead of holding the whole file (downloads/requirements.csv
    is 28 MB at 1,000 providers, held by the export process while the pages are being written).
    `bytes(chunks)` is the whole file."""

    def __init__(self, make: Callable[[], Iterator[bytes]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[bytes]:
        return self.make()

    def __bytes__(self) -> bytes:
        return b"".join(self.make())


Content = bytes | Chunks
